"""Benchmark of the Odoo addon's invoicing basket (Invoice All, E-mail All) against Odoo's own ORM.

    .venv-odoo/bin/python bench/bench_odoo_invoice.py -c /opt/odoo19/odoo.conf \
        -d DATABASE [--orders 100 500] [--keep]

DATABASE is an Odoo 19 database with shoprenter_connector installed; it is not changed: for
each size the bench copies it to a scratch database, makes a Hungarian seller company in it
(l10n_hu's chart, HUF, the seller's tax number and address, l10n_hu_edi in Demo server mode,
the shop's AAM class mapped to the exempt tax), an ir.mail_server on a real SMTP server on a
local port (tests/smtp_catcher.py: Odoo sends mail as it does in production, the bench counts
what arrives), a sandbox over real HTTP with N orders of 1 to 3 lines by the demo shop's
customers, and imports them with the addon's sync (shop._sync_orders, not measured).  That
imported state is then copied to a second scratch database, so that both sides start equal:

1. the basket (first copy): _add the N sales, action_invoice_all() (each order its own unit
   of work, committed: posted to the shop's TOTAL, then NAV reporting and the PDFs through
   l10n_hu_edi in one batch), action_email_all() (each invoice e-mailed with its PDF, one
   order a unit of work);
2. Odoo's own ORM (second copy): sale._create_invoices(grouped=True) on the N sales in
   bulk and action_post() on them, committed; then, as Odoo itself e-mails in bulk,
   account.move.send._generate_and_send_invoices(moves, sending_methods=['email']) on the
   list (which also reports them to NAV and renders the PDFs), committed.

Mind what each figure holds: the basket's Invoice All also reports to NAV and renders the
PDFs, which Odoo's create+post does not (its bulk send does): the totals compare like with
like.  It prints the wall time, this process's CPU time and that of its children
(wkhtmltopdf), orders per second, the ratios, the messages the SMTP server received, the
invoices per NAV state, and how many basket invoices do not charge the shop's TOTAL.
Nothing here asserts a time: benchmarks report.
"""
import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
for folder in (PROJECT, PROJECT / 'bench'):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_odoo_import import drop as drop_database, place_orders  # noqa: E402
from bench_odoo_import import setup_shop as setup_import_shop  # noqa: E402


def drop(database):
    "Drop the scratch database and its filestore"
    import shutil
    from odoo.tools import config
    drop_database(database)
    shutil.rmtree(config.filestore(database), ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--addons-path')
    parser.add_argument('--orders', type=int, nargs='+', default=[500])
    parser.add_argument('--keep', action='store_true', help="keep the scratch databases")
    arguments = parser.parse_args(argv)

    from odoo.service import db as odoo_db
    from shoprenter_odoo.odoo_env import configure
    configure(arguments.config, arguments.database, arguments.addons_path)
    from odoo.addons.shoprenter_connector.tests.smtp_catcher import MailCatcher
    catcher = MailCatcher().start()
    http = start_http()
    rows = []
    try:
        for count in arguments.orders:
            basket_db = f'{arguments.database}_bench_invoice_{count}'
            orm_db = f'{basket_db}_orm'
            for name in (basket_db, orm_db):
                drop(name)
            odoo_db.exp_duplicate_database(arguments.database, basket_db)
            try:
                rows.append((count, *run(basket_db, orm_db, count, catcher, http)))
            finally:
                if not arguments.keep:
                    for name in (basket_db, orm_db):
                        drop(name)
    finally:
        http.shutdown()
        catcher.stop()
    print()
    print("| orders | step | basket | Odoo's ORM | basket / ORM (wall, CPU) |")
    print("|---|---|---|---|---|")
    for count, basket, orm in rows:
        for label, ours, theirs in [
                ("invoice: Invoice All vs create+post", basket['invoice'], orm['post']),
                ("e-mail: E-mail All vs bulk send", basket['email'], orm['send']),
                ("total (add + invoice + e-mail vs create+post + send)",
                    basket['total'], orm['total'])]:
            print(f"| {count:,} | {label} | {figure(ours, count)} | {figure(theirs, count)} | "
                f"{ours['wall'] / theirs['wall']:.2f}x, {ours['cpu'] / theirs['cpu']:.2f}x |")
    print()
    for count, basket, orm in rows:
        print(f"{count:,} orders: basket add {basket['add']['wall']:.2f} s; SMTP messages "
            f"received: basket {basket['messages']}, ORM {orm['messages']}; NAV states: "
            f"basket {basket['nav']}, ORM {orm['nav']}; basket lines {basket['lines']}; "
            f"basket invoices not charging the shop's TOTAL: {basket['differences']}; "
            f"basket's NAV batch fell back to one by one: {bool(basket['fallbacks'])}; "
            f"Odoo's bulk send fell back to one by one: {orm['one_by_one']}")
    return 0


def figure(timing, count):
    return (f"{timing['wall']:.1f} s (CPU {timing['cpu']:.1f} s), "
        f"{count / timing['wall']:.2f} orders/s")


def cpu_now():
    "This process's CPU time and its children's (wkhtmltopdf) that have ended"
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class Clock:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), cpu_now()
        return self

    def __exit__(self, *exc):
        self.result = {'wall': time.perf_counter() - self.wall, 'cpu': cpu_now() - self.cpu}


def summed(*timings):
    return {key: sum(t[key] for t in timings) for key in ('wall', 'cpu')}


def start_http():
    """Odoo's HTTP application on a free local port, in a thread: wkhtmltopdf fetches the
    reports' style sheets from it (report.url), as from the Odoo server in production"""
    import threading
    import odoo.http
    from odoo.service.server import load_server_wide_modules
    from werkzeug.serving import make_server
    load_server_wide_modules()
    server = make_server('127.0.0.1', 0, odoo.http.root, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve(database):
    "Odoo's HTTP serves this database alone (wkhtmltopdf sends no session cookie)"
    from odoo.tools import config
    config['dbfilter'] = f'^{database}$'


def release(database):
    "Close the connections to a database (so that it can be copied), keeping its registry"
    import odoo.sql_db
    odoo.sql_db.close_db(database)


def run(basket_db, orm_db, count, catcher, http):
    from odoo.service import db as odoo_db
    from shoprenter.sandbox import Sandbox, SandboxServer
    from shoprenter_odoo.odoo_env import environment
    from shoprenter.sandbox.demo import seed_without_orders
    server = SandboxServer(Sandbox(seed_without_orders(), rate_limit=None)).start()
    try:
        totals = place(server.sandbox, count, random.Random(count))
        with environment(basket_db) as env:
            shop = setup_shop(env, server, catcher.port, http.server_port)
            print(f"== {count} orders: the sandbox and the shop ready", flush=True)
            begin = time.perf_counter()
            [log] = shop._sync_orders()
            shop.env.cr.commit()
            print(f"imported (not measured): {log.summary} in "
                f"{time.perf_counter() - begin:.1f} s", flush=True)
            shop_id, company_id = shop.id, shop.company_id.id
        release(basket_db)
        odoo_db.exp_duplicate_database(basket_db, orm_db)
        serve(basket_db)
        with environment(basket_db) as env:
            basket = run_basket(env, shop_id, company_id, totals, catcher)
        serve(orm_db)
        with environment(orm_db) as env:
            orm = run_orm(env, shop_id, company_id, catcher)
    finally:
        server.stop()
    return basket, orm


def place(sandbox, count, rng):
    "Place the orders; return {ShopRenter order id: its TOTAL}"
    before = {order['id'] for order in sandbox.store.data.get('orders', [])}
    place_orders(sandbox, sandbox._seed, count, rng)
    totals = {}
    for row in sandbox.store.data['orderTotals']:
        if row['type'] == 'TOTAL' and row['order']['id'] not in before:
            totals[row['order']['id']] = Decimal(row['value'])
    return totals


def setup_shop(env, server, smtp_port, http_port):
    """The Hungarian seller (as the invoicing tests make it) with its shop on the sandbox,
    Hungarian loaded, mail to the local SMTP server and the reports' URL on the local HTTP"""
    from shoprenter_odoo.demo import SELLER
    env['res.lang']._activate_lang('hu_HU')
    env['ir.module.module'].search([('name', 'in', (
        'shoprenter_connector', 'l10n_hu_edi', 'account', 'sale'))])._update_translations(
        ['hu_HU'])
    env['ir.config_parameter'].set_param('report.url', f'http://127.0.0.1:{http_port}')
    shop = setup_import_shop(env, server)
    company = shop.company_id
    company.write(dict(SELLER, l10n_hu_edi_server_mode='demo'))
    company.partner_id.lang = 'hu_HU'
    shop.lang = 'hu_HU'
    env = shop.env
    exempt = env['account.chart.template'].with_company(company).ref('FA')
    shop.tax_ids.filtered(lambda m: m.name == 'AAM').tax_id = exempt
    env['ir.mail_server'].create({
        'name': "Bench mail catcher", 'smtp_host': '127.0.0.1', 'smtp_port': smtp_port,
        'smtp_encryption': 'none'})
    env.cr.commit()
    return shop


def company_env(env, company_id):
    return env(context=dict(env.context, allowed_company_ids=[company_id]))


def imported_sales(env, shop_id):
    return env['sale.order'].search([('shoprenter_shop_id', '=', shop_id)], order='id')


def nav_states(moves):
    states = {}
    for move in moves:
        states[move.l10n_hu_edi_state or 'none'] = states.get(
            move.l10n_hu_edi_state or 'none', 0) + 1
    return dict(sorted(states.items()))


def run_basket(env, shop_id, company_id, totals, catcher):
    env = company_env(env, company_id)
    cr = env.cr
    sales = imported_sales(env, shop_id)
    catcher.messages.clear()
    env.invalidate_all()
    with Clock() as add:
        basket = env['shoprenter.invoice.basket']._mine()
        basket._add(sales)
        cr.commit()
    print(f"basket: added {len(basket.line_ids)} orders in {add.result['wall']:.2f} s",
        flush=True)
    fallbacks = watch_batches(env)
    with Clock() as invoice:
        basket.action_invoice_all()
        cr.commit()
    for error in fallbacks:
        print(f"   the one NAV batch failed, each order reported on its own: {error}")
    print(f"basket: Invoice All in {invoice.result['wall']:.1f} s "
        f"(CPU {invoice.result['cpu']:.1f} s)", flush=True)
    with Clock() as email:
        basket.action_email_all()
        cr.commit()
    env.invalidate_all()
    print(f"basket: E-mail All in {email.result['wall']:.1f} s "
        f"(CPU {email.result['cpu']:.1f} s); SMTP received {len(catcher.messages)}",
        flush=True)
    lines = basket.line_ids
    states = {}
    for line in lines:
        states[line.state] = states.get(line.state, 0) + 1
    for line in lines.filtered('error')[:5]:
        print(f"   {line.sale_id.name}: {line.error}")
    differences = 0
    for line in lines:
        total = totals.get(line.sale_id.shoprenter_id)
        if line.invoice_id.state != 'posted' or total is None or \
                Decimal(str(line.invoice_id.amount_total)).quantize(Decimal('0.01')) != \
                total.quantize(Decimal('0.01')):
            differences += 1
    invoices = lines.invoice_id
    return {'add': add.result, 'invoice': invoice.result, 'email': email.result,
        'total': summed(add.result, invoice.result, email.result),
        'messages': len(catcher.messages), 'nav': nav_states(invoices),
        'lines': dict(sorted(states.items())), 'differences': differences,
        'fallbacks': len(fallbacks)}


def watch_batches(env):
    """Note why the basket's one NAV batch failed (it then reports each order on its own,
    silently: the lines' errors are cleared as each succeeds); return the list it fills"""
    Line = type(env['shoprenter.invoice.basket.line'])
    original = Line._run_each
    noted = []

    def run_each(self, action, together=False):
        failed = original(self, action, together=together)
        if together and failed:
            noted.append(failed[:1].error)
        return failed
    Line._run_each = run_each
    return noted


def run_orm(env, shop_id, company_id, catcher):
    env = company_env(env, company_id)
    cr = env.cr
    sales = imported_sales(env, shop_id)
    # Odoo e-mails an invoice to its partner (the billing contact), which the import leaves
    # without an e-mail address when the buyer's is on the buyer (the basket's recipient
    # falls back to it): given it here, before the clock, so that Odoo's send has a recipient
    lacking = sales.partner_invoice_id.filtered(lambda p: not p.email)
    for partner in lacking:
        partner.email = partner.commercial_partner_id.email
    cr.commit()
    print(f"ORM: {len(lacking)} billing contacts given their buyer's e-mail address "
        "(Odoo's send has no recipient otherwise)", flush=True)
    catcher.messages.clear()
    env.invalidate_all()
    with Clock() as post:
        moves = sales._create_invoices(grouped=True)
        moves.action_post()
        cr.commit()
    print(f"ORM: {len(moves)} invoices created and posted in {post.result['wall']:.1f} s "
        f"(CPU {post.result['cpu']:.1f} s)", flush=True)
    from odoo.exceptions import UserError
    one_by_one = None
    with Clock() as send:
        try:
            env['account.move.send']._generate_and_send_invoices(
                moves, sending_methods=['email'], allow_raising=False)
            cr.commit()
        except UserError as error:
            # Odoo renders the PDFs of a batch in one wkhtmltopdf run, which an unpatched
            # Qt (Debian's wkhtmltopdf) cannot split: Odoo's send then goes one at a time
            one_by_one = str(error)
            cr.rollback()
            env.invalidate_all()
            for move in moves:
                env['account.move.send']._generate_and_send_invoices(
                    move, sending_methods=['email'], allow_raising=False)
                cr.commit()
    if one_by_one:
        print(f"   Odoo's bulk send failed ({one_by_one}); timed with its fallback: the same "
            "call on each invoice", flush=True)
    env.invalidate_all()
    queued = env['mail.mail'].search_count([('state', '=', 'outgoing')])
    if not catcher.messages and moves:
        mails = env['mail.mail'].search([])
        print(f"   nothing reached the SMTP server: mail.mail states {mails.mapped('state')}, "
            f"sent flags {moves.mapped('is_move_sent')}, last message of "
            f"{moves[0].name}: {moves[0].message_ids[:1].body}; sending data "
            f"{env['account.move.send']._get_default_sending_settings(moves[0])}")
    print(f"ORM: bulk send in {send.result['wall']:.1f} s (CPU {send.result['cpu']:.1f} s); "
        f"SMTP received {len(catcher.messages)}, {queued} mails left in the queue",
        flush=True)
    return {'post': post.result, 'send': send.result,
        'total': summed(post.result, send.result), 'messages': len(catcher.messages),
        'nav': nav_states(moves), 'one_by_one': bool(one_by_one)}


if __name__ == '__main__':
    sys.exit(main())
