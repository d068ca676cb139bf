"""Benchmark of the Odoo addon's order import (shoprenter_connector) against Odoo's plain ORM.

    .venv-odoo/bin/python bench/bench_odoo_import.py -c /opt/odoo19/odoo.conf \
        -d DATABASE [--orders 200 2000] [--keep]

DATABASE is an Odoo 19 database with shoprenter_connector installed; it is not changed: the
bench copies it to a scratch database per size (dropped at the end unless --keep), since
the import commits a page at a time as the cron does.  For each size, in the same run and
database: a sandbox over real HTTP holds N orders of 1 to 3 lines by the demo shop's
customers (the sandbox never answers 429; the client keeps its own 3 requests/s), and

1. the addon's sync (shop._sync_orders, as Sync Now runs it) imports them: the API calls,
   the buyers, addresses and products resolved or created, the sales created and
   confirmed a page at a time, the sync log;
2. Odoo's plain ORM then creates and confirms the same sales (the same partners,
   addresses, products, taxes, prices, carrier, dates, read from the imported ones before
   the clock starts) in bulk: one create and one action_confirm per 200 sales, a commit
   after each; no shop, no lookups, no log.

It prints the wall time (and this process's CPU time: the machine may be shared), orders
per second and SQL statements per order of each, and the ratios.  Nothing here asserts a time: benchmarks report.
"""
import argparse
import random
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

PAGE = 200


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--addons-path')
    parser.add_argument('--orders', type=int, nargs='+', default=[200, 2000])
    parser.add_argument('--keep', action='store_true', help="keep the scratch databases")
    parser.add_argument('--one-by-one', action='store_true',
        help="the addon imports each order alone, committed after each (its way before "
        "pages were units of work, and its fallback for a page that fails)")
    arguments = parser.parse_args(argv)

    from odoo.service import db as odoo_db
    from shoprenter_odoo.odoo_env import configure, environment
    configure(arguments.config, arguments.database, arguments.addons_path)
    if arguments.one_by_one:
        one_by_one()
    rows = []
    for count in arguments.orders:
        scratch = f'{arguments.database}_bench_import_{count}'
        drop(scratch)
        odoo_db.exp_duplicate_database(arguments.database, scratch)
        try:
            with environment(scratch) as env:
                rows.append((count, *run(env, count)))
        finally:
            if not arguments.keep:
                drop(scratch)
    print()
    print("| orders | addon's sync | plain ORM in bulk | addon / ORM (wall, CPU) |")
    print("|---|---|---|---|")
    for count, ours, orm in rows:
        print(f"| {count:,} | {ours['rate']:.1f} orders/s, {ours['statements']:.0f} "
            f"statements an order | {orm['rate']:.1f} orders/s, {orm['statements']:.0f} "
            f"statements | {ours['wall'] / orm['wall']:.2f}x, "
            f"{ours['cpu'] / orm['cpu']:.2f}x |")
    return 0


def one_by_one():
    "Every page imported an order at a time, as the addon does with a page that failed"
    from odoo.addons.shoprenter_connector.models.shoprenter_shop import ShopRenterShop

    def import_page(self, orders, run, now):
        for order in orders:
            self._shoprenter_import_order(order, run, now)
    ShopRenterShop._shoprenter_import_page = import_page


def drop(database):
    "Drop the scratch database (Odoo's own drop sees only the configured database)"
    from contextlib import closing
    import odoo.sql_db
    from odoo.modules.registry import Registry
    Registry.delete(database)
    odoo.sql_db.close_db(database)
    with closing(odoo.sql_db.db_connect('postgres').cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def place_orders(sandbox, seed, count, rng):
    "count orders of 1 to 3 lines by the seed's customers, on products with a VAT class"
    exempt = seed['taxClasses'][3]['id']
    products = [p for p in seed['products'] if p['taxClass']['id'] != exempt]
    for _ in range(count):
        sandbox.place_order({
            'customer': rng.choice(seed['customers'])['id'],
            'shippingMode': '1', 'paymentCode': 'cod',
            'items': [{'sku': product['sku'], 'quantity': rng.randint(1, 3)}
                for product in rng.sample(products, rng.randint(1, 3))]})


def setup_shop(env, server):
    "A Hungarian company (its chart of accounts, HUF) and its shop on the sandbox"
    huf = env.ref('base.HUF')
    huf.active = True
    company = env['res.company'].create({
        'name': "Bench Webáruház Kft.", 'country_id': env.ref('base.hu').id,
        'currency_id': huf.id})
    env.user.company_ids |= company
    env['account.chart.template'].try_loading('hu', company=company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    # Odoo makes a new company's warehouse by itself only in its tests
    warehouse = env['stock.warehouse'].search([('company_id', '=', company.id)], limit=1) \
        or env['stock.warehouse'].with_company(company).create({
            'name': "Bench raktár", 'code': 'BNCH', 'company_id': company.id})
    shop = env['shoprenter.shop'].with_company(company).create({
        'name': "Bench shop", 'company_id': company.id, 'warehouse_id': warehouse.id,
        'shoprenter_shop': 'demo', 'client_id': 'demo-client',
        'client_secret': 'demo-secret', 'api_url': server.api_url,
        'token_url': server.token_url, 'lang': 'en_US'})
    shop.action_load_taxes()
    env.cr.commit()
    return shop


def sale_values(sale):
    "The imported sale as plain create() values"
    return {
        'partner_id': sale.partner_id.id, 'partner_invoice_id': sale.partner_invoice_id.id,
        'partner_shipping_id': sale.partner_shipping_id.id,
        'company_id': sale.company_id.id, 'warehouse_id': sale.warehouse_id.id,
        'date_order': sale.date_order, 'client_order_ref': sale.client_order_ref,
        'origin': sale.origin, 'carrier_id': sale.carrier_id.id or False,
        'payment_term_id': sale.payment_term_id.id or False,
        'order_line': [(0, 0, {
                'product_id': line.product_id.id, 'name': line.name,
                'product_uom_qty': line.product_uom_qty, 'price_unit': line.price_unit,
                'tax_ids': [(6, 0, line.tax_ids.ids)], 'is_delivery': line.is_delivery})
            for line in sale.order_line],
        }


def run(env, count):
    from shoprenter.sandbox import Sandbox, SandboxServer
    from shoprenter.sandbox.demo import seed_without_orders
    seed = seed_without_orders()
    server = SandboxServer(Sandbox(seed, rate_limit=None)).start()
    try:
        place_orders(server.sandbox, server.sandbox._seed, count, random.Random(count))
        shop = setup_shop(env, server)
        print(f"== {count} orders: the sandbox and the shop ready", flush=True)

        cr = shop.env.cr
        statements = cr.sql_log_count
        begin, cpu = time.perf_counter(), time.process_time()
        [log] = shop._sync_orders()
        wall = time.perf_counter() - begin
        ours = {'wall': wall, 'rate': count / wall, 'cpu': time.process_time() - cpu,
            'statements': (cr.sql_log_count - statements) / count}
        print(f"addon's sync: {log.summary} in {wall:.1f} s (this process's CPU "
            f"{ours['cpu']:.1f} s), {ours['rate']:.2f} orders/s, "
            f"{ours['statements']:.0f} SQL statements an order", flush=True)
        if log.created != count:
            print(f"   (not every order imported: {log.message or ''})")
    finally:
        server.stop()

    Sale = shop.env['sale.order'].with_company(shop.company_id)
    imported = Sale.search([('shoprenter_shop_id', '=', shop.id)], order='id')
    copies = [sale_values(sale) for sale in imported]
    shop.env.invalidate_all()
    statements = cr.sql_log_count
    begin, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(copies), PAGE):
        sales = Sale.create(copies[start:start + PAGE])
        sales.action_confirm()
        cr.commit()
    wall = time.perf_counter() - begin
    orm = {'wall': wall, 'rate': len(copies) / wall, 'cpu': time.process_time() - cpu,
        'statements': (cr.sql_log_count - statements) / max(len(copies), 1)}
    print(f"plain ORM in bulk: {len(copies)} sales in {wall:.1f} s (CPU {orm['cpu']:.1f} s), "
        f"{orm['rate']:.2f} "
        f"orders/s, {orm['statements']:.0f} SQL statements an order; "
        f"addon / ORM {ours['wall'] / orm['wall']:.2f}x", flush=True)
    return ours, orm


if __name__ == '__main__':
    sys.exit(main())
