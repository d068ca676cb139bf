"""Benchmark of the Odoo addon's stock push (shoprenter_connector).

    .venv-odoo/bin/python bench/bench_odoo_stock_push.py -c /opt/odoo19/odoo.conf \
        -d DATABASE [--products 2000]

DATABASE is a scratch Odoo 19 database with shoprenter_connector installed (a copy:
``createdb -T yourdb scratch``): the push commits after each batch call as the cron does, so
the bench's shop, products and stock stay in it.  A sandbox shop with N
products, the same N products in Odoo linked by one reconciliation; then every product's
stock changes (one inventory adjustment of the N products) and one push sends them.  It
prints the API calls of that push against the target ceil(N/200) + 2, and its wall time.
Nothing here asserts a time: benchmarks report.
"""
import argparse
import math
import random
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def shop_seed(count):
    "The demo shop without orders, its products replaced by count others"
    from shoprenter.sandbox.demo import demo_seed
    from shoprenter.sandbox.ids import make_id
    seed = demo_seed()
    for collection in ['orders', 'orderProducts', 'orderTotals', 'productDescriptions']:
        seed[collection] = []
    template = dict(seed['products'][0])
    template.pop('parentProduct', None)
    seed['products'] = [dict(template, id=make_id('product', product_id=10000 + i),
            innerId=str(10000 + i), sku=f'BENCH-{i:05d}', stock1='5', price='1000.0000')
        for i in range(count)]
    return seed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--addons-path')
    parser.add_argument('--products', type=int, default=2000)
    arguments = parser.parse_args(argv)

    from shoprenter.sandbox import Sandbox, SandboxServer
    from shoprenter_odoo.odoo_env import configure, environment
    configure(arguments.config, arguments.database, arguments.addons_path)
    sandbox = Sandbox(shop_seed(arguments.products), rate_limit=None)
    server = SandboxServer(sandbox).start()
    try:
        with environment(arguments.database) as env:
            return run(env, arguments.products, sandbox, server)
    finally:
        server.stop()


def run(env, count, sandbox, server):
    started = time.monotonic()
    company = env.company
    warehouse = env['stock.warehouse'].search([('company_id', '=', company.id)], limit=1)
    shop = env['shoprenter.shop'].create({
        'name': "Bench shop", 'company_id': company.id, 'warehouse_id': warehouse.id,
        'shoprenter_shop': 'demo', 'client_id': 'demo-client',
        'client_secret': 'demo-secret', 'api_url': server.api_url,
        'token_url': server.token_url, 'lang': 'en_US'})
    templates = env['product.template'].create([{
        'name': f'Bench product {i}', 'type': 'consu', 'is_storable': True,
        'default_code': f'BENCH-{i:05d}', 'list_price': 1000.0, 'sale_ok': True,
        'taxes_id': [(6, 0, [])]} for i in range(count)])
    products = templates.product_variant_ids
    print(f"{count} products created in {time.monotonic() - started:.1f} s", flush=True)

    started = time.monotonic()
    shop._reconcile_stock()
    print(f"linked (one reconciliation) in {time.monotonic() - started:.1f} s", flush=True)

    started = time.monotonic()
    rng = random.Random(2000)
    env['stock.quant'].with_context(inventory_mode=True).create([{
        'product_id': product.id, 'location_id': warehouse.lot_stock_id.id,
        'inventory_quantity_auto_apply': rng.randint(6, 15)} for product in products])
    env.flush_all()
    print(f"{count} stock changes (one inventory adjustment) in "
        f"{time.monotonic() - started:.1f} s", flush=True)

    Link = env['shoprenter.product']
    changed = Link.search_count([('shop_id', '=', shop.id), ('changed', '=', True)])
    sandbox.reset_stats()
    started = time.monotonic()
    shop._push_stock()
    env.flush_all()
    elapsed = time.monotonic() - started
    stats = sandbox.stats()
    left = Link.search_count([('shop_id', '=', shop.id), ('changed', '=', True)])
    target = math.ceil(count / 200) + 2
    print()
    print(f"changed products pushed: {changed} (still changed after: {left})")
    print(f"API calls: {stats['requests']} (target <= ceil({count}/200) + 2 = {target}) "
        f"{dict(stats['calls'])}")
    print(f"push wall time: {elapsed:.1f} s ({elapsed / max(changed, 1) * 1000:.2f} "
        "ms/product; the client keeps 3 requests/s)")
    return 0 if stats['requests'] <= target and not left else 1


if __name__ == '__main__':
    sys.exit(main())
