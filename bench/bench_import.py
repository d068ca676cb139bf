"""Benchmark of the ShopRenter order import (web_shop_shoprenter).

One command, SQLite in a temporary folder:

    /work/venv/bin/python bench/bench_import.py [--orders 2000] [--sizes 1000 5000]
        [--profile 500] [--keep]

It measures, in one run:

1. API calls per order: N sandbox orders imported through the real sync path
   (web.shop.shoprenter_sync_orders, as `shoprenter sync` runs it), the
   sandbox's request counter against the target N/190 + a small constant.
2. ERP-side time: the sync's wall time next to the time to create the same
   sales (same parties, addresses, products, lines, taxes, carrier) with the
   plain Tryton ORM (Sale.create, quote, confirm; one transaction per sale),
   in the same database right after the import.  Ratio target <= 1.5x.
3. Peak memory of the sync for two sizes (default 1000 vs 5000 orders), each
   in its own subprocess (ru_maxrss), the sandbox living in this process.
   Ratio target <= 1.3x.

The parent process only builds the seeds, serves the sandbox (rate_limit=None:
the sandbox never answers 429; the client still keeps its own 3 requests/s per
shop) and starts one child process per measurement; the children run trytond.
Benchmarks report: nothing here asserts a time.
"""
import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PROJECT = HERE.parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

TAXED = ('27 %', '18 %', '5 %')   # the VAT classes the demo company has
RNG_SEED = 20261129


# --- seed: the demo shop without its orders, plus N generated orders -------

def guest(rng, number):
    first = rng.choice(['Anna', 'Béla', 'Csilla', 'Dániel', 'Eszter', 'Ferenc',
        'Gabriella', 'Hajnalka', 'István', 'Judit', 'Katalin', 'László'])
    last = rng.choice(['Kiss', 'Nagy', 'Tóth', 'Szabó', 'Horváth', 'Varga',
        'Kovács', 'Molnár', 'Németh', 'Farkas', 'Balogh', 'Papp'])
    city, postcode = rng.choice([('Budapest', '1051'), ('Szeged', '6720'),
        ('Debrecen', '4024'), ('Pécs', '7621'), ('Győr', '9021')])
    address = {'firstname': first, 'lastname': last,
        'address1': f'Fő utca {number % 120 + 1}.', 'city': city,
        'postcode': postcode, 'countryName': 'Magyarország'}
    buyer = {'firstname': first, 'lastname': last,
        'email': f'{first}.{last}.{number}@example.hu'.lower(),
        'phone': f'+3630{number:07d}', 'payment': address}
    if number % 20 == 0:  # a company buyer
        buyer['payment'] = dict(address, company=f'{last} és Társa {number} Kft.')
        buyer['taxNumber'] = '12345676-2-06'
    return buyer


def order_intents(seed, count, rng):
    "count order intents: registered and guest buyers, a few hundred SKUs"
    taxed = {c['id'] for c in seed['taxClasses'] if c['name'] in TAXED}
    skus = [p['sku'] for p in seed['products']
        if p['taxClass']['id'] in taxed]
    customers = [c['id'] for c in seed['customers']]
    guests = [guest(rng, i + 1) for i in range(max(20, count // 4))]
    intents = []
    for _ in range(count):
        items = [{'sku': sku, 'quantity': rng.randint(1, 3)}
            for sku in rng.sample(skus, rng.choice([1, 1, 2, 2, 3, 4]))]
        if rng.random() < 0.03:
            items.append({'name': 'Ajándékcsomagolás', 'price': '500',
                'taxRate': '27', 'quantity': 1})
        intent = {'items': items,
            'shippingMode': rng.choice(['1', '2', '3', '4']),
            'paymentCode': rng.choice(['cod', 'barion', 'bank_transfer'])}
        if rng.random() < 0.5:
            intent['customer'] = rng.choice(customers)
        else:
            buyer = dict(rng.choice(guests))
            if rng.random() < 0.1:  # typed differently: same party
                buyer['email'] = ' ' + buyer['email'].upper() + ' '
            intent.update(buyer)
        draw = rng.random()
        if draw < 0.08:
            intent['coupon'] = 'NYAR10'
        elif draw < 0.12:
            intent['coupon'] = 'HUSEG2000'
        if rng.random() < 0.1:
            intent['comment'] = 'Kérem, délután hozzák.'
        intents.append(intent)
    return intents, len(skus)


def build_seed(count):
    """demo_seed() without its orders, then count orders placed by checkout.

    checkout.next_number scans every stored order, line and total for the
    next key; to keep generating 10,000 orders linear, each order is placed
    on a view of the data whose order lists hold only the last item."""
    from shoprenter.sandbox.checkout import place_order
    from shoprenter.sandbox.demo import demo_seed
    seed = demo_seed()
    placed = {c: [] for c in ('orders', 'orderProducts', 'orderTotals')}
    rng = random.Random(RNG_SEED)
    intents, skus = order_intents(seed, count, rng)
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(
        seconds=count + 60)
    for number, intent in enumerate(intents):
        for collection, items in placed.items():
            seed[collection] = items[-1:]
        place_order(seed, intent, start + dt.timedelta(seconds=number))
        for collection, items in placed.items():
            items.extend(seed[collection][len(items[-1:]):])
    seed.update(placed)
    return seed, skus


# --- the sandbox, timed ------------------------------------------------------

def timed_sandbox(seed):
    from shoprenter.sandbox import Sandbox

    class TimedSandbox(Sandbox):
        "Adds up the time the sandbox spends answering (server side)"
        busy = 0.0
        _busy_lock = threading.Lock()

        def __call__(self, environ, start_response):
            start = time.perf_counter()
            try:
                return super().__call__(environ, start_response)
            finally:
                with self._busy_lock:
                    self.busy += time.perf_counter() - start

    return TimedSandbox(seed, rate_limit=None)


# --- the children: they run trytond ----------------------------------------

def child_setup(arguments):
    "Company, account category and shop in the template database (proteus)"
    from proteus import config as proteus_config
    proteus_config.set_trytond(arguments.database,
        config_file=str(arguments.config))
    from web_shop_shoprenter.demo import (
        setup_account_category, setup_company, setup_shop)
    setup_company()
    category = setup_account_category()
    shop = setup_shop(api_url=arguments.api_url,
        token_url=arguments.token_url, account_category=category)
    mapped = sorted(m.name for m in shop.shoprenter_taxes if m.tax)
    return {'shop': shop.id, 'mapped': mapped}


def instrument_client():
    "Time the client's HTTP calls and its rate-limit waits (no behaviour change)"
    from shoprenter import client
    spent = {'http': 0.0, 'rate_wait': 0.0, 'calls': 0}
    send, acquire = client.Client._send, client.RateLimiter.acquire

    def timed_send(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return send(self, *args, **kwargs)
        finally:
            spent['http'] += time.perf_counter() - start
            spent['calls'] += 1

    def timed_acquire(self, rate):
        start = time.perf_counter()
        try:
            return acquire(self, rate)
        finally:
            spent['rate_wait'] += time.perf_counter() - start

    client.Client._send = timed_send
    client.RateLimiter.acquire = timed_acquire
    return spent


def start_pool(arguments):
    from trytond import config
    config.update_etc(str(arguments.config))
    from trytond.pool import Pool
    Pool.start()
    pool = Pool(arguments.database)
    pool.init()
    return pool


def run_sync(pool, database, profile=None):
    "What `shoprenter sync` runs (cli.sync), without the progress bar"
    from trytond.transaction import Transaction
    with Transaction().start(
            database, 0, context={'_skip_warnings': True}) as transaction:
        Shop = pool.get('web.shop')
        shops = Shop.search([('type', '=', 'shoprenter')])
        start = time.perf_counter()
        if profile:
            profile.enable()
        logs = Shop.shoprenter_sync_orders(shops)
        if profile:
            profile.disable()
        elapsed = time.perf_counter() - start
        transaction.commit()
        log, = logs
        return elapsed, dict(log.counts), log.error, list(log.errors)[:3]


def sale_copies(pool, database):
    "The imported sales as plain create() values (read before any timing)"
    from trytond.transaction import Transaction
    with Transaction().start(database, 0):
        Sale = pool.get('sale.sale')
        sales = Sale.search([('web_shop', '!=', None)], order=[('id', 'ASC')])
        has_cost_method = 'shipment_cost_method' in Sale._fields
        copies = []
        for sale in sales:
            values = {
                'company': sale.company.id,
                'currency': sale.currency.id,
                'party': sale.party.id,
                'invoice_address': sale.invoice_address.id,
                'shipment_address': sale.shipment_address.id,
                'warehouse': sale.warehouse.id,
                'sale_date': sale.sale_date,
                'payment_term': (
                    sale.payment_term.id if sale.payment_term else None),
                'reference': sale.reference,
                'description': sale.description,
                'comment': sale.comment,
                'lines': [('create', [{
                                'type': line.type,
                                'product': line.product.id,
                                'quantity': line.quantity,
                                'unit': line.unit.id,
                                'unit_price': line.unit_price,
                                'description': line.description,
                                'taxes': [('add', [t.id for t in line.taxes])],
                                } for line in sale.lines])],
                }
            if 'carrier' in Sale._fields:
                values['carrier'] = sale.carrier.id if sale.carrier else None
            if has_cost_method:
                values['shipment_cost_method'] = None  # as the import does
            copies.append(values)
        company = sales[0].company.id if sales else None
    return copies, company


def orm_create(pool, database, copies, company):
    """The same sales with the plain ORM: create, quote, confirm, one
    transaction per sale committed as the import does (no shop, no mapping)"""
    from trytond.transaction import Transaction
    with Transaction().start(
            database, 0, context={'_skip_warnings': True}) as outer:
        with outer.set_context(company=company):
            Sale = pool.get('sale.sale')
            start = time.perf_counter()
            for values in copies:
                with outer.new_transaction() as work:
                    sale, = Sale.create([values])
                    Sale.quote([sale])
                    Sale.confirm([sale])
                    work.commit()
            return time.perf_counter() - start


def child_import(arguments):
    result = {}
    spent = instrument_client()
    pool = start_pool(arguments)
    result['rss_before_sync_kb'] = resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss
    profile = None
    if arguments.profile_out:
        import cProfile
        profile = cProfile.Profile()
    elapsed, counts, error, errors = run_sync(
        pool, arguments.database, profile)
    result['maxrss_kb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.update(sync_s=elapsed, counts=counts, error=error, errors=errors,
        http_s=spent['http'], rate_wait_s=spent['rate_wait'],
        client_calls=spent['calls'])
    if profile:
        import io
        import pstats
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats(
            'cumulative').print_stats(arguments.profile_top)
        Path(arguments.profile_out).write_text(text.getvalue())
    if arguments.orm:
        copies, company = sale_copies(pool, arguments.database)
        result['orm_sales'] = len(copies)
        result['orm_lines'] = sum(len(c['lines'][0][1]) for c in copies)
        result['orm_s'] = orm_create(pool, arguments.database, copies, company)
    return result


def child_main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('--child', choices=['setup', 'import'])
    parser.add_argument('--config', type=Path)
    parser.add_argument('--database')
    parser.add_argument('--api-url')
    parser.add_argument('--token-url')
    parser.add_argument('--orm', action='store_true')
    parser.add_argument('--profile-out')
    parser.add_argument('--profile-top', type=int, default=40)
    arguments = parser.parse_args(argv)
    run = child_setup if arguments.child == 'setup' else child_import
    result = run(arguments)
    print('BENCH-RESULT ' + json.dumps(result, default=str), flush=True)


# --- the parent -------------------------------------------------------------

class Bench:

    def __init__(self, directory, quiet=False):
        from web_shop_shoprenter.cli import create_database, write_demo_config
        self.directory = directory
        self.config = write_demo_config(directory)
        self.template = 'template'
        (directory / f'{self.template}.sqlite').touch()
        say(f"creating the database (trytond-admin) in {directory} …")
        start = time.perf_counter()
        with open(directory / 'trytond-admin.log', 'w') as log:
            stdout, stderr = sys.stdout, sys.stderr
            # create_database runs trytond-admin; keep its chatter in a file
            sys.stdout.flush()
            saved = os.dup(1), os.dup(2)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                create_database(self.config, self.template)
            finally:
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                sys.stdout, sys.stderr = stdout, stderr
        self.admin_s = time.perf_counter() - start
        from shoprenter.sandbox import SandboxServer
        self.sandbox = timed_sandbox(build_seed(0)[0])
        self.server = SandboxServer(self.sandbox).start()
        say("setting up the company and the shop (proteus) …")
        setup = self.child('setup', self.template,
            '--api-url', self.server.api_url,
            '--token-url', self.server.token_url)
        self.mapped = setup['mapped']

    def child(self, kind, database, *options):
        command = [sys.executable, str(HERE), '--child', kind,
            '--config', str(self.config), '--database', database, *options]
        process = subprocess.run(command, capture_output=True, text=True,
            cwd=str(PROJECT))
        lines = [l for l in process.stdout.splitlines()
            if l.startswith('BENCH-RESULT ')]
        if process.returncode or not lines:
            sys.stderr.write(process.stdout[-4000:] + process.stderr[-4000:])
            raise SystemExit(f'child {kind} {database} failed')
        return json.loads(lines[-1][len('BENCH-RESULT '):])

    def database(self, name):
        "A copy of the template (company and shop, nothing synced yet)"
        shutil.copyfile(self.directory / f'{self.template}.sqlite',
            self.directory / f'{name}.sqlite')
        return name

    def serve(self, count):
        "The sandbox with count fresh orders; the seed's build time"
        start = time.perf_counter()
        seed, skus = build_seed(count)
        built = time.perf_counter() - start
        self.sandbox.reset(seed)
        self.sandbox.reset_stats()
        self.sandbox.busy = 0.0
        self.tokens_before = self.sandbox.tokens
        return {'seed_s': built, 'skus': skus, 'orders': len(seed['orders']),
            'lines': len(seed['orderProducts'])}

    def sync(self, count, *options):
        served = self.serve(count)
        database = self.database(f'run{count}')
        result = self.child('import', database, *options)
        result.update(served)
        result['stats'] = self.sandbox.stats()
        result['sandbox_s'] = self.sandbox.busy
        (self.directory / f'{database}.sqlite').unlink()
        return result

    def stop(self):
        self.server.stop()


def say(text):
    print(f'[{time.strftime("%H:%M:%S")}] {text}', file=sys.stderr, flush=True)


def machine():
    model = ''
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    return (f'{os.cpu_count()} cores {model}, Python '
        f'{platform.python_version()}, {platform.system()} '
        f'{platform.release()}')


def parent_main(arguments):
    import trytond
    directory = Path(tempfile.mkdtemp(prefix='bench-shoprenter-'))
    started = time.perf_counter()
    print(f"ShopRenter order import benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(f"machine: {machine()}; trytond {trytond.__version__}; SQLite in "
        f"{directory}")
    bench = Bench(directory)
    print(f"database created in {bench.admin_s:.0f} s; VAT mapped: "
        f"{', '.join(bench.mapped)}")
    rows = []
    try:
        # 1 + 2: the import of N orders, then the plain ORM copies
        n = arguments.orders
        say(f"importing {n} orders, then the plain ORM copies …")
        main = bench.sync(n, '--orm')
        report_main(main, n, rows)
        # 3: peak memory, one subprocess per size
        memory = {}
        for size in arguments.sizes:
            say(f"memory: importing {size} orders in a subprocess …")
            memory[size] = bench.sync(size)
        report_memory(memory, arguments.sizes, rows)
        if arguments.profile:
            say(f"profiling the import of {arguments.profile} orders …")
            out = directory / 'profile.txt'
            bench.sync(arguments.profile, '--profile-out', str(out),
                '--profile-top', '35')
            print(f"\ncProfile of the sync of {arguments.profile} orders, "
                "top entries by cumulative time:")
            print(trim_profile(out.read_text()))
    finally:
        bench.stop()
        if not arguments.keep:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"\nSummary (whole run {time.perf_counter() - started:.0f} s)")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'measured':>14}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>14}  {target}")


def report_main(main, n, rows):
    stats = main['stats']
    requests = stats['requests']
    counts = main['counts']
    print(f"\n1. API calls: {n} orders ({main['lines']} lines, "
        f"{main['skus']} SKUs), imported {counts.get('created')}, "
        f"stopped {counts.get('failed')}")
    if main.get('error') or main.get('errors'):
        print(f"   sync error: {main.get('error')} {main.get('errors')}")
    print(f"   sandbox API requests: {requests} {dict(stats['calls'])} "
        f"(+ OAuth token requests, not API calls)")
    constant = requests - n / 200
    print(f"   calls/order = {requests / n:.5f}  (1/190 = {1 / 190:.5f}; "
        f"calls - N/200 = {constant:.0f})")
    rows.append((f'API calls for {n} orders', f'{requests}',
        f'<= N/190 + c = {n / 190:.1f} + c'))
    rows.append(('API calls per order', f'{requests / n:.5f}',
        f'<= {1 / 190:.5f} + c/N'))

    sync, orm = main['sync_s'], main['orm_s']
    http, wait, server = main['http_s'], main['rate_wait_s'], main['sandbox_s']
    erp = sync - http
    print(f"\n2. ERP-side time, {n} sales, same database:")
    print(f"   import (Shop.shoprenter_sync_orders): {sync:7.1f} s wall "
        f"= {1000 * sync / n:.1f} ms/order. Includes the HTTP calls "
        f"({http:.1f} s, of which {wait:.1f} s waiting for the client's "
        f"3 req/s and {server:.1f} s the in-process sandbox answering), "
        "JSON normalising, status update, per order: sale search, party "
        "find/create with addresses and contacts, product/carrier/payment "
        "mode lookup, lines with on_change_product, save, total check, "
        "quote, confirm, log entry, commit; the sync log.")
    print(f"   plain ORM: {orm:7.1f} s wall = {1000 * orm / n:.1f} ms/sale for "
        f"{main['orm_sales']} sales / {main['orm_lines']} lines: "
        "Sale.create with lines (party, addresses, products, taxes, carrier "
        "existing), quote, confirm, commit per sale; no shop, no HTTP, no "
        "lookups, no log.")
    print(f"   ratio sync/ORM = {sync / orm:.2f}x (target <= 1.5x); "
        f"without the HTTP time ({erp:.1f} s) = {erp / orm:.2f}x")
    rows.append(('import wall time', f'{sync:.1f} s', ''))
    rows.append(('plain ORM wall time', f'{orm:.1f} s', ''))
    rows.append(('import / ORM', f'{sync / orm:.2f}x', '<= 1.5x'))
    rows.append(('(import - HTTP) / ORM', f'{erp / orm:.2f}x', '(info)'))


def report_memory(memory, sizes, rows):
    small, large = sizes
    print(f"\n3. Peak memory of the sync (ru_maxrss of one subprocess per "
        "size; the sandbox is in the parent, not counted):")
    for size in sizes:
        m = memory[size]
        print(f"   {size:>6} orders: peak {m['maxrss_kb'] / 1024:7.1f} MiB, "
            f"before the sync {m['rss_before_sync_kb'] / 1024:7.1f} MiB, "
            f"growth {(m['maxrss_kb'] - m['rss_before_sync_kb']) / 1024:6.1f}"
            f" MiB; sync {m['sync_s']:.0f} s, imported "
            f"{m['counts'].get('created')}, {m['stats']['requests']} API calls")
    a, b = memory[small], memory[large]
    ratio = b['maxrss_kb'] / a['maxrss_kb']
    growth_a = a['maxrss_kb'] - a['rss_before_sync_kb']
    growth_b = b['maxrss_kb'] - b['rss_before_sync_kb']
    print(f"   peak ratio {large}/{small} = {ratio:.2f}x (target <= 1.3x); "
        f"growth ratio = {growth_b / max(growth_a, 1):.2f}x")
    rows.append((f'peak RSS {small} orders',
        f"{a['maxrss_kb'] / 1024:.0f} MiB", ''))
    rows.append((f'peak RSS {large} orders',
        f"{b['maxrss_kb'] / 1024:.0f} MiB", ''))
    rows.append((f'peak RSS {large}/{small}', f'{ratio:.2f}x', '<= 1.3x'))
    rows.append((f'RSS growth {large}/{small}',
        f'{growth_b / max(growth_a, 1):.2f}x', '(info)'))


def trim_profile(text):
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith('ncalls'):
            return '\n'.join(lines[index:])
    return text


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if '--child' in argv:
        return child_main(argv)
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--orders', type=int, default=2000,
        help="orders of the API-call and time measure (default 2000)")
    parser.add_argument('--sizes', type=int, nargs=2, default=[1000, 5000],
        metavar=('SMALL', 'LARGE'),
        help="order counts of the memory measure (default 1000 5000; "
        "10000 takes long on 2 cores)")
    parser.add_argument('--profile', type=int, default=0, metavar='N',
        help="also profile (cProfile) the sync of N orders")
    parser.add_argument('--keep', action='store_true',
        help="keep the temporary folder")
    parent_main(parser.parse_args(argv))


if __name__ == '__main__':
    main()
