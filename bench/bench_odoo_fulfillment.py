"""Benchmark of the Odoo addon's fulfillable orders list (shoprenter_connector).

    .venv-odoo/bin/python bench/bench_odoo_fulfillment.py -c /opt/odoo19/odoo.conf \
        -d DATABASE [--orders 5000] [--lines 4] [--repeat 5]

DATABASE is an Odoo 19 database with shoprenter_connector installed; the bench works in one
transaction that it rolls back.  N open orders (confirmed, not invoiced) of L goods lines
each over 200 products with some stock (a few hundred of them made and confirmed by the
ORM, the others copied from those in SQL); then, in the same run, the web client's first page
of Odoo's own order list (web_search_read of 80 orders, with the count) and of the
Fulfillable Orders list filtered on Fulfillable (the allocation computed afresh for each
request, as a new request would).  It prints the median of each and their ratio.  Nothing
here asserts a time: benchmarks report.
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

ODOO_LIST = {'name': {}, 'date_order': {}, 'partner_id': {'fields': {'display_name': {}}},
    'user_id': {'fields': {'display_name': {}}}, 'amount_total': {}, 'state': {},
    'invoice_status': {}, 'currency_id': {'fields': {}}}
FULFILLABLE_LIST = dict(ODOO_LIST, warehouse_id={'fields': {'display_name': {}}},
    shoprenter_fulfillable={})
MODEL_ORDERS = 200  # made by the ORM; the others are copies of them (replicate)
OPEN = [('state', '=', 'sale'), ('invoice_status', '!=', 'invoiced')]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', required=True)
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--addons-path')
    parser.add_argument('--orders', type=int, default=5000)
    parser.add_argument('--lines', type=int, default=4)
    parser.add_argument('--repeat', type=int, default=5)
    arguments = parser.parse_args(argv)

    from shoprenter_odoo.odoo_env import configure, environment
    configure(arguments.config, arguments.database, arguments.addons_path)
    with environment(arguments.database) as env:
        try:
            return run(env, arguments.orders, arguments.lines, arguments.repeat)
        finally:
            env.cr.rollback()


def replicate(env, models, products, count):
    """count more open orders as copies of the model orders' rows in SQL (the ORM takes
    about 7 minutes per 1,000 confirmed orders here, and preparing is not what is measured):
    each copy has its own name and date and its lines other random products; every product
    has the same price and no tax, so the copied amounts stay right.  The copies have no
    pickings, which neither list reads."""
    if count <= 0:
        return
    cr = env.cr

    def columns(table, *left_out):
        cr.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_name = %s AND column_name != ALL(%s)""",
            [table, ['id', *left_out]])
        return [name for name, in cr.fetchall()]

    cr.execute('SELECT setseed(0.5)')  # the same copies run after run
    sale_columns = columns('sale_order', 'name', 'date_order', 'access_token')
    cr.execute(f"""
        INSERT INTO sale_order (name, date_order, {', '.join(sale_columns)})
        SELECT 'BENCHF/' || lpad(g::text, 6, '0'),
               now() at time zone 'UTC' - random() * interval '60 days',
               {', '.join('m.' + c for c in sale_columns)}
          FROM generate_series(0, %s - 1) g
          JOIN sale_order m ON m.id = (%s::int[])[1 + g %% %s]
    """, [count, models.ids, len(models)])
    # A copy's lines are its model's (the model's index is in the copy's number), each on a
    # random product
    line_columns = columns('sale_order_line', 'order_id', 'product_id', 'name')
    labels = [(index, product.id, product.display_name)
        for index, product in enumerate(products)]
    cr.execute(f"""
        WITH copies AS (
            SELECT s.id AS order_id, l.id AS line_id,
                   floor(random() * %s)::int AS pick
              FROM sale_order s
              JOIN sale_order_line l
                ON l.order_id = (%s::int[])[1 + substring(s.name from 8)::int %% %s]
             WHERE s.name LIKE 'BENCHF/%%'),
        picks (pick, product_id, label) AS (
            SELECT * FROM unnest(%s::int[], %s::int[], %s::varchar[]))
        INSERT INTO sale_order_line (order_id, product_id, name, {', '.join(line_columns)})
        SELECT c.order_id, p.product_id, p.label, {', '.join('l.' + c for c in line_columns)}
          FROM copies c
          JOIN sale_order_line l ON l.id = c.line_id
          JOIN picks p ON p.pick = c.pick
    """, [len(labels), models.ids, len(models)] + [list(column) for column in zip(*labels)])
    # The planner's statistics of the tables as a live database has them (autovacuum
    # analyzes tables that grew): both lists are measured with them
    cr.execute('ANALYZE sale_order, sale_order_line')
    env.invalidate_all()


def run(env, count, lines, repeat):
    from odoo.addons.shoprenter_connector.models.sale_order_fulfillment import (
        clear_allocation)
    rng = random.Random(5000)
    started = time.monotonic()
    company = env.company
    warehouse = env['stock.warehouse'].search([('company_id', '=', company.id)], limit=1)
    templates = env['product.template'].create([{
        'name': f'Bench product {i}', 'type': 'consu', 'is_storable': True,
        'default_code': f'BENCHF-{i:04d}', 'list_price': 1000.0, 'sale_ok': True,
        'taxes_id': [(6, 0, [])]} for i in range(200)])
    products = templates.product_variant_ids
    # About a third of the demand is on hand: some orders ship, the others wait
    stock = count * lines * 3 // (len(products) * 3 * 3) + 1
    env['stock.quant'].with_context(inventory_mode=True).create([{
        'product_id': product.id, 'location_id': warehouse.lot_stock_id.id,
        'inventory_quantity_auto_apply': rng.randint(0, 2 * stock)} for product in products])
    partners = env['res.partner'].create([{'name': f'Bench buyer {i}'} for i in range(100)])
    # Models: a few hundred open orders made and confirmed by the ORM as a user would
    models_count = min(count, MODEL_ORDERS)
    sales = env['sale.order'].create([{
            'partner_id': rng.choice(partners).id, 'warehouse_id': warehouse.id,
            'company_id': company.id,
            'order_line': [(0, 0, {'product_id': rng.choice(products).id,
                    'product_uom_qty': rng.randint(1, 3)}) for _ in range(lines)]}
        for _ in range(models_count)])
    sales.action_confirm()
    env.flush_all()
    print(f"{models_count} model orders created and confirmed by the ORM in "
        f"{time.monotonic() - started:.1f} s", flush=True)
    replicate(env, sales, products, count - models_count)
    env.flush_all()
    print(f"{count} open orders x {lines} lines created in "
        f"{time.monotonic() - started:.1f} s", flush=True)

    Sale = env['sale.order']

    def odoo_list():
        return Sale.web_search_read(OPEN, ODOO_LIST, limit=80, count_limit=10001)

    def fulfillable_list():
        clear_allocation(env)  # a new request computes the allocation again
        return Sale.web_search_read(OPEN + [('shoprenter_fulfillable', '=', True)],
            FULFILLABLE_LIST, limit=80, count_limit=10001)

    timings = {}
    for name, call in [('odoo', odoo_list), ('fulfillable', fulfillable_list)]:
        call()  # warm the caches of both alike
        runs = []
        for _ in range(repeat):
            env.invalidate_all()
            begin = time.perf_counter()
            answer = call()
            runs.append(time.perf_counter() - begin)
        timings[name] = statistics.median(runs), answer['length']
    (odoo_time, odoo_count), (ours_time, ours_count) = timings['odoo'], timings['fulfillable']
    print()
    print(f"Odoo's order list, first page: {odoo_time * 1000:.0f} ms "
        f"(median of {repeat}; {odoo_count} open orders)")
    print(f"Fulfillable Orders, first page: {ours_time * 1000:.0f} ms "
        f"({ours_count} fulfillable)")
    print(f"ratio fulfillable / Odoo's list: {ours_time / odoo_time:.2f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
