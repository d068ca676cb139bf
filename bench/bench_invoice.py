"""Benchmark of the invoicing basket (web_shop_shoprenter).

One command, SQLite in a temporary folder:

    .venv/bin/python bench/bench_invoice.py [--orders 500] [--keep]

It imports 2 × N sandbox orders through the real sync, then, in one process
and one database:

* basket: N sales added to the invoicing basket, "Invoice All" (one
  transaction per order, strict invoice numbering), then "E-mail All" (the
  Hungarian PDF rendered by weasyprint and sent to a real SMTP server on a
  local port, one transaction and one message per order);
* plain ORM: the other N sales, each draft invoice posted with
  Invoice.post in a transaction of its own, then each e-mailed with
  ir.email.send and the same report, which is what Tryton's own e-mail
  dialog does.

Then the basket's invoices are printed again: the PDF kept on each invoice
at its first rendering comes back, nothing is rendered.

It prints the time per order of each step and the ratio basket / plain ORM.
The two halves are alike: the orders alternate between them.  Nothing here
asserts a time.
"""
import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PROJECT = HERE.parent.parent
for path in [str(PROJECT), str(HERE.parent)]:
    if path not in sys.path:
        sys.path.insert(0, path)


def say(text):
    print(f'[{time.strftime("%H:%M:%S")}] {text}', file=sys.stderr, flush=True)


def create_database(directory):
    from web_shop_shoprenter.cli import create_database, write_demo_config
    config = write_demo_config(directory)
    database = 'bench'
    (directory / f'{database}.sqlite').touch()
    with open(directory / 'trytond-admin.log', 'w') as log:
        sys.stdout.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            create_database(config, database)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
    return config, database


def run_units(transaction, items, work):
    """work(item) for each item in a committed transaction of its own,
    started again with the locks Tryton asks for (strict sequences)"""
    from trytond.transaction import TransactionError
    for item in items:
        extras = {}
        while True:
            try:
                with transaction.new_transaction(**extras) as unit:
                    work(item)
                    unit.commit()
            except TransactionError as error:
                error.fix(extras)
                continue
            break


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orders', type=int, default=500,
        help="orders per side (default 500)")
    parser.add_argument('--keep', action='store_true',
        help="keep the temporary folder")
    arguments = parser.parse_args(argv)
    count = arguments.orders

    directory = Path(tempfile.mkdtemp(prefix='bench-invoice-'))
    try:
        say(f"creating the database (trytond-admin) in {directory} …")
        config_file, database = create_database(directory)
        os.environ['TRYTOND_CONFIG'] = str(config_file)

        from bench_import import build_seed
        from shoprenter.sandbox import Sandbox, SandboxServer
        from web_shop_shoprenter.tests.mail_catcher import MailCatcher
        say(f"placing {2 * count} orders in the sandbox …")
        seed, _ = build_seed(2 * count)
        server = SandboxServer(Sandbox(seed, rate_limit=None)).start()
        catcher = MailCatcher().start()

        from trytond import config
        config.update_etc(str(config_file))
        config.set('email', 'uri', catcher.uri)
        config.set('email', 'from', 'szamla@demowebaruhaz.hu')
        from proteus import config as proteus_config
        proteus_config_ = proteus_config.set_trytond(
            database, config_file=str(config_file))
        from web_shop_shoprenter.demo import setup_demo_shop
        company, _ = setup_demo_shop(proteus_config_,
            api_url=server.api_url, token_url=server.token_url)

        from trytond.pool import Pool
        from trytond.transaction import Transaction
        pool = Pool(database)
        context = {'company': company.id, '_skip_warnings': True}

        say(f"importing {2 * count} orders (sync) …")
        start = time.perf_counter()
        with Transaction().start(database, 0, context=context) as t:
            Shop = pool.get('web.shop')
            Shop.shoprenter_sync_orders(Shop.search([]))
            t.commit()
        import_s = time.perf_counter() - start

        # The sync queues the processing of the confirmed sales (draft
        # invoice, shipment); no queue runs here, so process them now, as a
        # worker or the end of an RPC call would.
        say("processing the sales (draft invoices, shipments) …")
        with Transaction().start(database, 0, context=context) as t:
            Sale = pool.get('sale.sale')
            sales = Sale.search([('web_shop', '!=', None)],
                order=[('id', 'ASC')])
            # One sale at a time, as the queue does it: a batch of 100 makes
            # SQLite's parser overflow on the sale's validation query.
            start = time.perf_counter()
            run_units(t, [s.id for s in sales],
                lambda sale_id: Sale.process([Sale(sale_id)]))
            process_s = time.perf_counter() - start
        with Transaction().start(database, 0, context=context):
            sales = Sale.search([('web_shop', '!=', None)],
                order=[('id', 'ASC')])
            basket_ids = [s.id for s in sales[0::2]][:count]
            orm_ids = [s.id for s in sales[1::2]][:count]
        say(f"{len(sales)} sales; basket {len(basket_ids)}, "
            f"plain ORM {len(orm_ids)}")

        # --- the basket ---------------------------------------------------
        with Transaction().start(database, 0, context=context) as t:
            Basket = pool.get('sale.shoprenter.invoice_basket')
            basket = Basket.get_mine()
            basket.add_sales(Sale.browse(basket_ids))
            basket_id = basket.id
            t.commit()
        say("basket: Invoice All …")
        with Transaction().start(database, 0, context=context):
            start = time.perf_counter()
            Basket.invoice_all([Basket(basket_id)])
            basket_invoice_s = time.perf_counter() - start
        say("basket: E-mail All …")
        sent_before = len(catcher.messages)
        with Transaction().start(database, 0, context=context):
            start = time.perf_counter()
            Basket.email_all([Basket(basket_id)])
            basket_email_s = time.perf_counter() - start
        basket_sent = len(catcher.messages) - sent_before
        with Transaction().start(database, 0, context=context):
            states = {}
            for line in Basket(basket_id).lines:
                states[line.state] = states.get(line.state, 0) + 1
            errors = sorted({l.error for l in Basket(basket_id).lines
                    if l.error})[:3]
        say("basket: E-mail All again (nothing to send) …")
        with Transaction().start(database, 0, context=context):
            start = time.perf_counter()
            Basket.email_all([Basket(basket_id)])
            basket_again_s = time.perf_counter() - start
        resent = len(catcher.messages) - sent_before - basket_sent
        say("basket: each invoice's PDF printed again (the kept one) …")
        with Transaction().start(database, 0, context=context):
            Invoice = pool.get('account.invoice')
            InvoiceReport = pool.get(
                'web_shop_shoprenter.invoice', type='report')
            basket_invoices = [l.invoice.id for l in Basket(basket_id).lines
                if l.invoice and l.invoice.state == 'posted']
            kept = sum(1 for i in Invoice.browse(basket_invoices)
                if i.shoprenter_report_cache)
            start = time.perf_counter()
            for invoice_id in basket_invoices:
                InvoiceReport.execute([invoice_id], {})
            reprint_s = time.perf_counter() - start

        # --- the plain ORM ------------------------------------------------
        say("plain ORM: Invoice.post per order …")
        Email = pool.get('ir.email')
        ModelData = pool.get('ir.model.data')

        def post(sale_id):
            invoices = [i for i in Sale(sale_id).invoices
                if i.state == 'draft']
            Invoice.post(invoices)

        with Transaction().start(database, 0, context=context) as t:
            start = time.perf_counter()
            run_units(t, orm_ids, post)
            orm_invoice_s = time.perf_counter() - start
        with Transaction().start(database, 0, context=context):
            report_id = ModelData.get_id(
                'web_shop_shoprenter', 'report_invoice')
            orm_invoices = [i.id for s in Sale.browse(orm_ids)
                for i in s.invoices if i.state == 'posted']
        say("plain ORM: ir.email.send per invoice …")

        def email(invoice_id):
            invoice = Invoice(invoice_id)
            address = invoice.party.email
            if not address:
                return
            Email.send(to=address, subject=f'Számla {invoice.number}',
                body='<p>Mellékelten küldjük a számláját.</p>',
                record=['account.invoice', invoice.id], reports=[report_id])

        sent_before = len(catcher.messages)
        with Transaction().start(database, 0, context=context) as t:
            start = time.perf_counter()
            run_units(t, orm_invoices, email)
            orm_email_s = time.perf_counter() - start
        orm_sent = len(catcher.messages) - sent_before

        catcher.stop()
        server.stop()

        n_basket, n_orm = len(basket_ids), len(orm_ids)
        rows = [
            ('import (sync), all orders', import_s, len(sales)),
            ('Sale.process, all orders', process_s, len(sales)),
            ('basket Invoice All', basket_invoice_s, n_basket),
            ('plain ORM Invoice.post', orm_invoice_s, n_orm),
            ('basket E-mail All', basket_email_s, n_basket),
            ('plain ORM ir.email.send', orm_email_s, n_orm),
            ('basket E-mail All, repeated', basket_again_s, n_basket),
            ('basket PDF printed again (kept)', reprint_s,
                len(basket_invoices)),
            ]
        print()
        print(f"machine: {platform.platform()}, Python "
            f"{platform.python_version()}, {os.cpu_count()} CPUs, SQLite")
        print(f"{'step':34} {'total s':>9} {'orders':>7} {'ms/order':>9}")
        for name, seconds, n in rows:
            print(f"{name:34} {seconds:9.1f} {n:7d} "
                f"{1000 * seconds / max(n, 1):9.1f}")
        print()
        print(f"Invoice All / plain post:   "
            f"{(basket_invoice_s / n_basket) / (orm_invoice_s / n_orm):.2f}x")
        print(f"E-mail All / plain send:    "
            f"{(basket_email_s / n_basket) / (orm_email_s / n_orm):.2f}x")
        print(f"basket lines: {states}; e-mails sent {basket_sent}, "
            f"re-sent on repeat {resent}; plain ORM sent {orm_sent}")
        print(f"basket invoices with their PDF kept: {kept} of "
            f"{len(basket_invoices)}")
        if errors:
            print("basket errors (first 3):")
            for error in errors:
                print("  " + error)
    finally:
        if arguments.keep:
            say(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == '__main__':
    main()
