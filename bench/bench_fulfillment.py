"""Benchmark of the fulfillable orders list (web_shop_shoprenter).

    DB_CACHE=/tmp/cache-bench /work/venv/bin/python bench/bench_fulfillment.py \
        [--orders 5000] [--lines 4] [--products 400] [--repeat 3]

Builds, in a SQLite database of its own (a temporary file), N open sales
(confirmed) of L goods lines each over P products, with on-hand stock for
most products and purchases on their way for some, then measures in one run:

1. the fulfillable list: what the "Fulfillable Orders" screen asks for, a
   search of the open sales not invoiced with their fulfillable flag read,
   plus the tab counts (Fulfillable / Not fulfillable), from a cold
   allocation;
2. one call of Tryton's own products_by_location for the same products in
   the same warehouse (the on-hand quantity, as the `quantity` field
   computes it);

and prints the ratio (target <= 3x).  Nothing here asserts a time.
"""
import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))


def best(function, repeat):
    "The best wall time of repeat calls, and the last result"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def build(args):
    "The company, products, stock and open sales, through proteus"
    from proteus import Model
    from web_shop_shoprenter.demo import setup_account_category, setup_company

    company, _ = setup_company()
    category = setup_account_category()
    Party = Model.get('party.party')
    customer = Party(name="Bench Vevő")
    customer.save()
    supplier = Party(name="Bench Beszállító")
    supplier.save()
    Uom = Model.get('product.uom')
    unit, = Uom.find([('name', '=', 'Unit')])
    Template = Model.get('product.template')
    templates = [Template(name=f"Termék {i}", type='goods', default_uom=unit,
            salable=True, purchasable=True, list_price=Decimal('1000'),
            account_category=category) for i in range(args.products)]
    Template.save(templates)
    Location = Model.get('stock.location')
    warehouse, = Location.find([('type', '=', 'warehouse')])
    return company, customer, supplier, warehouse


def populate(args, customer_id, supplier_id, warehouse_id):
    "Stock, incoming moves and open sales, server side for speed"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Product = pool.get('product.product')
    Location = pool.get('stock.location')
    Inventory = pool.get('stock.inventory')
    Move = pool.get('stock.move')
    Sale = pool.get('sale.sale')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    rng = random.Random(20261129)
    today = dt.date.today()
    company, = Company.search([])
    customer = Party(customer_id)
    warehouse = Location(warehouse_id)
    supplier_location, = Location.search([('type', '=', 'supplier')])
    products = Product.search([('type', '=', 'goods')])
    unit = products[0].default_uom
    # Stock on hand for 90 % of the products: one inventory
    inventory = Inventory(location=warehouse.storage_location, date=today,
        lines=[{'product': p.id, 'quantity': rng.randint(5, 200)}
            for p in products if rng.random() < 0.9])
    inventory.save()
    Inventory.confirm([inventory])
    # Incoming for a third of them
    Move.create([{
                'product': p.id, 'unit': unit.id,
                'quantity': rng.randint(5, 50),
                'from_location': supplier_location.id,
                'to_location': warehouse.input_location.id,
                'planned_date': today + dt.timedelta(days=rng.randint(1, 20)),
                'company': company.id, 'unit_price': Decimal(1),
                'currency': company.currency.id,
                } for p in products if rng.random() < 0.33])
    address = customer.addresses[0]
    for start in range(0, args.orders, 25):
        sales = Sale.create([{
                    'company': company.id, 'party': customer.id,
                    'invoice_address': address.id,
                    'shipment_address': address.id,
                    'warehouse': warehouse.id,
                    'currency': company.currency.id,
                    'sale_date': today - dt.timedelta(
                        days=rng.randint(0, 60)),
                    'number': f'B{n:06d}',
                    'shipment_cost_method': None,
                    'lines': [('create', [{
                                    'type': 'line',
                                    'product': p.id,
                                    'quantity': rng.randint(1, 5),
                                    'unit': unit.id,
                                    'unit_price': Decimal(1000),
                                    } for p in rng.sample(
                                    products, args.lines)])],
                    } for n in range(start, min(start + 25, args.orders))])
        # The state an open order has after confirmation; quote/confirm
        # would also create shipments and invoices, which the list ignores
        Sale.write(sales, {'state': 'confirmed'})
        Transaction().commit()
    return [p.id for p in products]


def measure(args, product_ids, warehouse_id):
    from web_shop_shoprenter.fulfillment import Allocation
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    pool = Pool()
    Sale = pool.get('sale.sale')
    Product = pool.get('product.product')
    Date = pool.get('ir.date')
    domain = [
        ('state', 'in', ['confirmed', 'processing']),
        ('invoice_state', 'in', ['none', 'pending']),
        ]

    def fulfillable_list():
        Allocation._last = (None, None)   # cold: nothing computed yet
        sales = Sale.search(domain, order=[('sale_date', 'ASC')])
        flags = Sale.read([s.id for s in sales], ['number', 'fulfillable'])
        ok = Sale.search_count(domain + [('fulfillable', '=', True)])
        blocked = Sale.search_count(domain + [('fulfillable', '=', False)])
        return len(flags), ok, blocked

    def first_page():
        # What the client loads: the first 1000 rows and the tab counts
        Allocation._last = (None, None)
        sales = Sale.search(domain, order=[('sale_date', 'ASC')], limit=1000)
        Sale.read([s.id for s in sales], ['number', 'fulfillable'])
        Sale.search_count(domain + [('fulfillable', '=', True)])
        Sale.search_count(domain + [('fulfillable', '=', False)])

    def plain_list():
        # The same search and read without the flag: the ORM's own share
        sales = Sale.search(domain, order=[('sale_date', 'ASC')])
        Sale.read([s.id for s in sales], ['number'])

    def allocation_only():
        return Allocation.compute()

    def on_hand():
        with Transaction().set_context(stock_date_end=Date.today()):
            return Product.products_by_location(
                [warehouse_id], with_childs=True,
                grouping_filter=(product_ids,))

    t_pbl, quantities = best(on_hand, args.repeat)
    t_list, (listed, ok, blocked) = best(fulfillable_list, args.repeat)
    t_alloc, allocation = best(allocation_only, args.repeat)
    t_page, _ = best(first_page, args.repeat)
    t_plain, _ = best(plain_list, args.repeat)
    t_pbl2, _ = best(on_hand, args.repeat)
    t_pbl = min(t_pbl, t_pbl2)
    lines = len(allocation.lines)
    print(f"open sales listed: {listed} ({ok} fulfillable, {blocked} not), "
        f"goods lines allocated: {lines}, products: {len(product_ids)}, "
        f"products with stock: {sum(1 for q in quantities.values() if q)}")
    print(f"products_by_location (1 call):      {t_pbl * 1000:8.1f} ms")
    print(f"allocation alone (Allocation.compute): {t_alloc * 1000:8.1f} ms"
        f"  ratio {t_alloc / t_pbl:5.2f}x")
    print(f"fulfillable list (search + read flag + 2 tab counts): "
        f"{t_list * 1000:8.1f} ms  ratio {t_list / t_pbl:5.2f}x "
        f"(target <= 3x)")
    print(f"  of which the same search + read without the flag: "
        f"{t_plain * 1000:8.1f} ms")
    print(f"first page as the client loads it (1000 rows + 2 tab counts): "
        f"{t_page * 1000:8.1f} ms  ratio {t_page / t_pbl:5.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orders', type=int, default=5000)
    parser.add_argument('--lines', type=int, default=4)
    parser.add_argument('--products', type=int, default=400)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix='bench-fulfillment-')
    os.environ.setdefault('DB_NAME', 'bench')
    os.environ['TRYTOND_DATABASE_URI'] = 'sqlite://'
    os.environ['TRYTOND_DATABASE__PATH'] = folder
    from trytond.tests.tools import activate_modules
    from trytond.transaction import Transaction

    started = time.perf_counter()
    config = activate_modules('web_shop_shoprenter')
    company, customer, supplier, warehouse = build(args)
    database = config.database_name
    user = config.user
    context = dict(config.context)
    with Transaction().start(database, user, context=context):
        product_ids = populate(args, customer.id, supplier.id, warehouse.id)
        Transaction().commit()
    print(f"set up in {time.perf_counter() - started:.0f} s "
        f"({args.orders} orders x {args.lines} lines, SQLite {folder})")
    with Transaction().start(database, user, context=context,
            readonly=True):
        measure(args, product_ids, warehouse.id)


if __name__ == '__main__':
    main()
