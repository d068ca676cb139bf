"""Benchmark of the ShopRenter stock push (web_shop_shoprenter).

    .venv/bin/python bench/bench_stock_push.py [--products 2000]

A sandbox shop with N products, the same N products in an in-memory SQLite
Tryton database, linked by one reconciliation.  Then every product's stock
changes (N done moves) and one push sends them.  It prints the API calls of
that push against the target ceil(N/200) + 2, and its wall time.  Nothing
here asserts a time: benchmarks report.
"""
import argparse
import math
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))
os.environ.setdefault('DB_NAME', ':memory:')


def shop_seed(count):
    "The demo shop without orders, its products replaced by count others"
    from shoprenter.sandbox.demo import demo_seed
    from shoprenter.sandbox.ids import make_id
    seed = demo_seed()
    for collection in ['orders', 'orderProducts', 'orderTotals',
            'productDescriptions']:
        seed[collection] = []
    template = dict(seed['products'][0])
    template.pop('parentProduct', None)
    seed['products'] = [dict(template,
            id=make_id('product', product_id=10000 + i),
            innerId=str(10000 + i), sku=f'BENCH-{i:05d}',
            stock1='5', price='1000.0000')
        for i in range(count)]
    return seed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--products', type=int, default=2000)
    arguments = parser.parse_args(argv)
    count = arguments.products

    from shoprenter.sandbox import Sandbox, SandboxServer
    sandbox = Sandbox(shop_seed(count))
    server = SandboxServer(sandbox).start()
    try:
        run(count, sandbox, server)
    finally:
        server.stop()


def run(count, sandbox, server):
    from trytond.tests.tools import activate_modules
    started = time.monotonic()
    activate_modules('web_shop_shoprenter')
    from web_shop_shoprenter.demo import (
        setup_account_category, setup_company, setup_shop)
    setup_company()
    category = setup_account_category()
    shop = setup_shop(api_url=server.api_url, token_url=server.token_url,
        account_category=category)
    print(f"database and shop ready in {time.monotonic() - started:.1f} s",
        flush=True)

    from trytond.pool import Pool
    from trytond.tests.test_tryton import DB_NAME
    from trytond.transaction import Transaction
    pool = Pool(DB_NAME)
    context = {'company': shop.company.id, 'shoprenter_no_push': True,
        '_skip_warnings': True}

    with Transaction().start(DB_NAME, 1, context=context) as transaction:
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        Shop = pool.get('web.shop')
        unit, = Uom.search([('name', '=', 'Unit')])
        started = time.monotonic()
        # In small chunks: product's unique-code check builds one SQL
        # expression per record, too deep for SQLite's parser in thousands.
        for start in range(0, count, 20):
            Template.create([{
                        'name': f'Bench product {i}', 'type': 'goods',
                        'default_uom': unit.id, 'sale_uom': unit.id,
                        'salable': True,
                        'list_price': Decimal(1000),
                        'code': f'BENCH-{i:05d}',
                        'account_category': category.id,
                        'products': [('create', [{}])],
                        } for i in range(start, min(start + 20, count))])
        transaction.commit()
        print(f"{count} products created in "
            f"{time.monotonic() - started:.1f} s", flush=True)
        started = time.monotonic()
        shop_record = Shop(shop.id)
        Shop.shoprenter_reconcile([shop_record])
        transaction.commit()
        print(f"linked (one reconciliation) in "
            f"{time.monotonic() - started:.1f} s", flush=True)

    with Transaction().start(DB_NAME, 1, context=context) as transaction:
        Product = pool.get('product.product')
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        storage, = Location.search([('code', '=', 'STO')])
        lost_found, = Location.search([('type', '=', 'lost_found')], limit=1)
        products = Product.search([('code', 'like', 'BENCH-%')])
        rng = random.Random(2000)
        started = time.monotonic()
        moves = Move.create([{
                    'product': p.id, 'unit': p.default_uom.id,
                    'quantity': rng.randint(1, 9),
                    'from_location': lost_found.id,
                    'to_location': storage.id,
                    } for p in products])
        Move.do(moves)
        transaction.commit()
        print(f"{len(moves)} stock moves done in "
            f"{time.monotonic() - started:.1f} s", flush=True)

    with Transaction().start(DB_NAME, 1, context=context) as transaction:
        Shop = pool.get('web.shop')
        Link = pool.get('web.shop.shoprenter.product')
        changed = Link.search_count([('changed', '=', True)])
        sandbox.reset_stats()
        started = time.monotonic()
        Shop.shoprenter_push([Shop(shop.id)])
        transaction.commit()
        elapsed = time.monotonic() - started
        stats = sandbox.stats()
        left = Link.search_count([('changed', '=', True)])

    target = math.ceil(count / 200) + 2
    print()
    print(f"changed products pushed: {changed} (still changed after: {left})")
    print(f"API calls: {stats['requests']} (target <= ceil({count}/200) + 2 "
        f"= {target}) {dict(stats['calls'])}")
    print(f"push wall time: {elapsed:.1f} s "
        f"({elapsed / max(changed, 1) * 1000:.2f} ms/product; the client "
        "keeps 3 requests/s)")


if __name__ == '__main__':
    sys.exit(main())
