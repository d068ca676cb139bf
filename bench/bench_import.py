"""Benchmark of the ShopRenter order import (web_shop_shoprenter).

One command, SQLite in a temporary folder, or the local PostgreSQL server
(--backend postgresql: postgresql://postgres@127.0.0.1:5432/, its databases
created and dropped by the bench):

    .venv/bin/python bench/bench_import.py [--backend sqlite|postgresql]
        [--orders 2000] [--sizes 1000 5000] [--parts time memory]
        [--no-orm-each] [--profile 500] [--keep]

It measures, in one run:

1. API calls per order: N sandbox orders imported through the real sync path
   (web.shop.shoprenter_sync_orders, as `shoprenter sync` runs it), the
   sandbox's request counter against the target N/190 + a small constant.
2. ERP-side time: the sync's wall time (it imports a page a group at a
   time) next to the time to create the same sales (same parties,
   addresses, products, lines, taxes, carrier) with the plain Tryton ORM,
   in the same database after each page of the import: in bulk (Sale.create,
   quote, confirm, process on chunks of the import's largest group: 40
   sales on SQLite, 100 on PostgreSQL; one transaction a page;
   target: the import within 2x of it) and, unless --no-orm-each, one sale
   per transaction (for information).
3. Peak memory of the sync for two sizes (default 1000 vs 5000 orders), each
   in its own subprocess (VmHWM), the sandbox living in this process.
   Ratio target <= 1.3x.

The parent process only builds the seeds, serves the sandbox (rate_limit=None:
the sandbox never answers 429; the client still keeps its own 3 requests/s per
shop) and starts one child process per measurement; the children run trytond.
Benchmarks report: nothing here asserts a time.

Debugging memory: BENCH_OBJECTS=FILE appends, after each page of the sync,
the RSS, the C heap (glibc mallinfo2), the object types that grew and the
fullest trytond caches to FILE (it scans every object: not for measuring).
"""
import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import random
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
    config = proteus_config.set_trytond(arguments.database,
        config_file=str(arguments.config))
    from web_shop_shoprenter.demo import setup_demo_shop
    _, shop = setup_demo_shop(config, api_url=arguments.api_url,
        token_url=arguments.token_url)
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


def rss_kb():
    "The current resident set size of this process, in KiB"
    with open('/proc/self/statm') as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') // 1024


def peak_rss_kb():
    """The peak resident set size of this process, in KiB: VmHWM.

    Not ru_maxrss: Linux keeps that across execve, so a child started by a
    parent holding the sandbox's orders would report the parent's size."""
    with open('/proc/self/status') as status:
        for line in status:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])


def malloc_info():
    "glibc's mallinfo2(): the C heap in use and free (debugging only)"
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
                'arena', 'ordblks', 'smblks', 'hblks', 'hblkhd', 'usmblks',
                'fsmblks', 'uordblks', 'fordblks', 'keepcost')]
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = MallInfo2
    return mallinfo2()


def clocks():
    "(wall, CPU of this process) in seconds"
    return time.perf_counter(), time.process_time()


class PageHook:
    """Runs after each page of orders the sync has imported (wrapping
    Client.iter_pages): notes the RSS, and with an ORM side runs the plain
    ORM copies of the sales that page created.  The time spent here is taken
    out of the sync's time."""

    def __init__(self, orm=None, bulk=None):
        self.orm = orm
        self.bulk = bulk
        self.rss = []           # (orders so far, current RSS in KiB)
        # (orders, import wall, ORM wall, bulk ORM wall) per page
        self.pages = []
        self.spent = (0.0, 0.0)  # wall, CPU spent in the hook
        self.orders = 0
        self._last = None

    def install(self):
        from shoprenter import client
        iter_pages = client.Client.iter_pages
        hook = self

        def hooked(self, path, *args, **kwargs):
            for page in iter_pages(self, path, *args, **kwargs):
                if path == 'orderExtend' and hook._last is None:
                    hook._last = clocks()
                yield page
                if path == 'orderExtend':
                    hook.after_page(len(page.items or ()))
        client.Client.iter_pages = hooked

    def after_page(self, count):
        wall, cpu = start = clocks()
        import_wall = wall - self._last[0]
        self.orders += count
        self.rss.append((self.orders, rss_kb()))
        if os.environ.get('BENCH_OBJECTS'):
            self.note_growth(os.environ['BENCH_OBJECTS'])
        orm_wall = self.orm.copy_new() if self.orm else None
        bulk_wall = self.bulk.copy_new() if self.bulk else None
        self.pages.append((count, import_wall, orm_wall, bulk_wall))
        end = clocks()
        self.spent = tuple(
            total + e - s for total, e, s in zip(self.spent, end, start))
        self._last = end

    def note_growth(self, path):
        """Debugging what grows: the object types whose count changed since
        the last page and the fullest trytond caches, appended to path"""
        import collections
        import gc
        from trytond.cache import BaseCache
        counts = collections.Counter(
            type(o).__name__ for o in gc.get_objects())
        growth = counts.copy()
        growth.subtract(getattr(self, '_objects', {}))
        self._objects = counts
        filled = sorted(((sum(map(len, getattr(
                                c, '_database_cache', {}).values())), name)
                for name, c in BaseCache._instances.items()), reverse=True)
        info = malloc_info()
        with open(path, 'a') as out:
            print(self.orders, rss_kb() // 1024, 'MiB RSS;',
                sys.getallocatedblocks(), 'Python blocks; malloc in use',
                info.uordblks >> 20, 'MiB, free', info.fordblks >> 20,
                'MiB, mmap', info.hblkhd >> 20, 'MiB; objects',
                growth.most_common(12), '; caches', filled[:12], file=out)


def run_sync(pool, database, profile=None):
    "What `shoprenter sync` runs (cli.sync), without the progress bar"
    from trytond.transaction import Transaction
    with Transaction().start(
            database, 0, context={'_skip_warnings': True}) as transaction:
        Shop = pool.get('web.shop')
        shops = Shop.search([('type', '=', 'shoprenter')])
        start = clocks()
        if profile:
            profile.enable()
        logs = Shop.shoprenter_sync_orders(shops)
        if profile:
            profile.disable()
        end = clocks()
        transaction.commit()
        log, = logs
        return ([e - s for e, s in zip(end, start)], dict(log.counts),
            log.error, list(log.errors)[:3])


def sale_values(sale, has_cost_method, has_carrier):
    "The imported sale as plain create() values"
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
    if has_carrier:
        values['carrier'] = sale.carrier.id if sale.carrier else None
    if has_cost_method:
        values['shipment_cost_method'] = None  # as the import does
    return values


class OrmSide:
    """The same sales with the plain ORM: Sale.create with the lines, quote,
    confirm, process (as the import does), one committed transaction per
    sale; no shop, no lookups, no log.  Run page by page, interleaved with
    the import, so both sides share the machine's load and the size of the
    tables."""

    def __init__(self, pool, bulk=False):
        from trytond import backend
        from web_shop_shoprenter.import_page import (
            DEFAULT_GROUP_SIZE, GROUP_SIZES)
        self.pool = pool
        # Sales per ORM call in bulk: the import's largest group (SQLite's
        # parser refuses Sale.create of more than about 80 sales: web_shop's
        # unique check, an OR per record), so both make the same calls
        self.chunk = GROUP_SIZES.get(backend.name, DEFAULT_GROUP_SIZE)
        # bulk: the page's sales in one transaction, created, quoted,
        # confirmed and processed with one call per chunk of sales
        self.bulk = bulk
        self.last_id = 0
        self.sales = self.lines = 0
        self.wall = self.cpu = 0.0

    def copy_new(self):
        "Copy the sales imported since the last call; return the wall time"
        from trytond.transaction import Transaction
        Sale = self.pool.get('sale.sale')
        has_cost_method = 'shipment_cost_method' in Sale._fields
        has_carrier = 'carrier' in Sale._fields
        transaction = Transaction()
        # The sale data is read before the timing starts.
        with transaction.new_transaction(readonly=True):
            sales = Sale.search([
                    ('web_shop', '!=', None),
                    ('id', '>', self.last_id),
                    ], order=[('id', 'ASC')])
            copies = [sale_values(s, has_cost_method, has_carrier)
                for s in sales]
            if sales:
                self.last_id = sales[-1].id
        queued = len(transaction.tasks)
        wall, cpu = clocks()
        if self.bulk and copies:
            with transaction.new_transaction() as work:
                for start in range(0, len(copies), self.chunk):
                    sales = Sale.create(copies[start:start + self.chunk])
                    Sale.quote(sales)
                    Sale.confirm(sales)
                    Sale.process(sales)
                work.commit()
        else:
            for values in copies:
                with transaction.new_transaction() as work:
                    sale, = Sale.create([values])
                    Sale.quote([sale])
                    Sale.confirm([sale])
                    Sale.process([sale])
                    work.commit()
        end_wall, end_cpu = clocks()
        del transaction.tasks[queued:]  # the queued process, as not run
        self.sales += len(copies)
        self.lines += sum(len(c['lines'][0][1]) for c in copies)
        self.wall += end_wall - wall
        self.cpu += end_cpu - cpu
        return end_wall - wall


def child_import(arguments):
    result = {}
    spent = instrument_client()
    pool = start_pool(arguments)
    result['rss_before_sync_kb'] = peak_rss_kb()
    result['rss_now_before_sync_kb'] = rss_kb()
    profile = None
    if arguments.profile_out:
        import cProfile
        profile = cProfile.Profile()
    orm = OrmSide(pool) if arguments.orm else None
    bulk = OrmSide(pool, bulk=True) if arguments.orm_bulk else None
    hook = PageHook(orm, bulk)
    hook.install()
    (wall, cpu), counts, error, errors = run_sync(
        pool, arguments.database, profile)
    result['maxrss_kb'] = peak_rss_kb()
    result.update(
        sync_s=wall - hook.spent[0], sync_cpu_s=cpu - hook.spent[1],
        counts=counts, error=error, errors=errors,
        http_s=spent['http'], rate_wait_s=spent['rate_wait'],
        client_calls=spent['calls'], rss_pages=hook.rss, pages=hook.pages)
    if profile:
        import io
        import pstats
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats(
            'cumulative').print_stats(arguments.profile_top)
        Path(arguments.profile_out).write_text(text.getvalue())
        # The raw statistics too, for pstats (kept with --keep)
        profile.dump_stats(arguments.profile_out + '.pstats')
    if orm:
        result.update(orm_sales=orm.sales, orm_lines=orm.lines,
            orm_s=orm.wall, orm_cpu_s=orm.cpu)
    if bulk:
        result.update(bulk_sales=bulk.sales, bulk_s=bulk.wall,
            bulk_cpu_s=bulk.cpu, bulk_chunk=bulk.chunk)
    return result


def child_main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('--child', choices=['setup', 'import'])
    parser.add_argument('--config', type=Path)
    parser.add_argument('--database')
    parser.add_argument('--api-url')
    parser.add_argument('--token-url')
    parser.add_argument('--orm', action='store_true')
    parser.add_argument('--orm-bulk', action='store_true')
    parser.add_argument('--profile-out')
    parser.add_argument('--profile-top', type=int, default=40)
    arguments = parser.parse_args(argv)
    run = child_setup if arguments.child == 'setup' else child_import
    result = run(arguments)
    print('BENCH-RESULT ' + json.dumps(result, default=str), flush=True)


# --- the parent -------------------------------------------------------------

@contextlib.contextmanager
def output_to(path):
    "This process's and its children's output (file descriptors 1, 2) to path"
    with open(path, 'a') as log:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


class Bench:
    """The template database (company and shop, nothing synced), the
    sandbox serving it, and a fresh copy of the template per measurement"""

    def __init__(self, directory, backend='sqlite'):
        from shoprenter.sandbox import SandboxServer
        self.directory = directory
        self.backend = backend
        self.sandbox = timed_sandbox(build_seed(0)[0])
        self.server = SandboxServer(self.sandbox).start()
        start = time.perf_counter()
        try:
            if backend == 'postgresql':
                self.make_postgresql_template()
            else:
                self.make_sqlite_template()
        except BaseException:
            self.stop()  # the sandbox, and what was made on PostgreSQL
            raise
        self.admin_s = time.perf_counter() - start

    def make_sqlite_template(self):
        from web_shop_shoprenter.cli import create_database, write_demo_config
        self.config = write_demo_config(self.directory)
        self.template = 'template'
        (self.directory / f'{self.template}.sqlite').touch()
        say(f"creating the database (trytond-admin) in {self.directory} …")
        # create_database runs trytond-admin; keep its chatter in a file
        with output_to(self.directory / 'trytond-admin.log'):
            create_database(self.config, self.template)
        say("setting up the company and the shop (proteus) …")
        setup = self.child('setup', self.template,
            '--api-url', self.server.api_url,
            '--token-url', self.server.token_url)
        self.mapped = setup['mapped']

    def make_postgresql_template(self):
        """The demo's database on the local PostgreSQL server, as the
        webhook test makes it (make_postgresql_demo: trytond-admin, or its
        DB_CACHE dump, then the demo's shop on this bench's sandbox and a
        first download, of no orders)"""
        from web_shop_shoprenter.tests.tryton_server import (
            make_postgresql_demo, pg_query, postgresql_problem)
        problem = postgresql_problem()
        if problem:
            raise SystemExit(problem)
        self.template = f'bench_import_{os.getpid()}'
        self.made = [self.template]  # the databases to drop at the end
        say(f"creating the PostgreSQL database {self.template} "
            "(make_postgresql_demo) …")
        with output_to(self.directory / 'trytond-admin.log'):
            self.config = make_postgresql_demo(
                self.directory, self.server, self.template)
        self.mapped = sorted(name for name, in pg_query(self.template,
                'SELECT name FROM web_shop_shoprenter_tax '
                'WHERE tax IS NOT NULL'))

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
        if self.backend == 'postgresql':
            from web_shop_shoprenter.tests.tryton_server import _PG_OPTIONS
            name = f'{self.template}_{name}'
            self.made.append(name)
            subprocess.run(['createdb', *_PG_OPTIONS, '-T', self.template,
                    name], check=True)
        else:
            shutil.copyfile(self.directory / f'{self.template}.sqlite',
                self.directory / f'{name}.sqlite')
        return name

    def drop(self, database):
        if self.backend == 'postgresql':
            from web_shop_shoprenter.tests.tryton_server import (
                drop_postgresql)
            drop_postgresql(database)
        else:
            (self.directory / f'{database}.sqlite').unlink()

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
        self.drop(database)
        return result

    def stop(self):
        self.server.stop()
        if self.backend == 'postgresql':
            for database in getattr(self, 'made', []):
                self.drop(database)


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


def postgresql_version():
    from web_shop_shoprenter.tests.tryton_server import pg_query
    try:
        (version,), = pg_query('postgres', 'SHOW server_version')
    except Exception:
        return '(not answering)'
    return version


def parent_main(arguments):
    import trytond
    directory = Path(tempfile.mkdtemp(prefix='bench-shoprenter-'))
    started = time.perf_counter()
    print(f"ShopRenter order import benchmark, {dt.datetime.now():%Y-%m-%d %H:%M}")
    where = ('PostgreSQL ' + postgresql_version()
        if arguments.backend == 'postgresql' else 'SQLite')
    print(f"machine: {machine()}; trytond {trytond.__version__}; {where}, "
        f"files in {directory}")
    bench = Bench(directory, arguments.backend)
    print(f"database created in {bench.admin_s:.0f} s; VAT mapped: "
        f"{', '.join(bench.mapped)}")
    rows = []
    parts = set(arguments.parts)
    try:
        if 'time' in parts:
            # 1 + 2: the import of N orders and the plain ORM copies, page
            # by page in turn
            n = arguments.orders
            sides = ['--orm-bulk'] + ([] if arguments.no_orm_each else ['--orm'])
            say(f"importing {n} orders, each page followed by its plain "
                "ORM copies …")
            main = bench.sync(n, *sides)
            report_main(main, n, rows)
        if 'memory' in parts:
            # 3: peak memory, one subprocess per size, no ORM pass
            memory = {}
            for size in arguments.sizes:
                say(f"memory: importing {size} orders in a subprocess …")
                memory[size] = bench.sync(size)
                say(f"  {size} orders: peak "
                    f"{memory[size]['maxrss_kb'] / 1024:.1f} MiB, sync "
                    f"{memory[size]['sync_s']:.0f} s")
            report_memory(memory, arguments.sizes, rows)
        if arguments.profile:
            say(f"profiling the import of {arguments.profile} orders …")
            out = directory / 'profile.txt'
            bench.sync(arguments.profile, '--profile-out', str(out),
                '--profile-top', '35')
            print(f"\ncProfile of the sync of {arguments.profile} orders, "
                "top entries by cumulative time:")
            print(trim_profile(out.read_text()))
            print(f"(raw statistics: {out}.pstats, kept with --keep)")
    finally:
        bench.stop()
        if not arguments.keep:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"\nSummary (whole run {time.perf_counter() - started:.0f} s)")
    width = max([len(r[0]) for r in rows] + [7])
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

    sync, sync_cpu = main['sync_s'], main['sync_cpu_s']
    http, wait, server = main['http_s'], main['rate_wait_s'], main['sandbox_s']
    erp = sync - http
    print(f"\n2. ERP-side time, {n} sales, same database:")
    print(f"   import (Shop.shoprenter_sync_orders): {sync:7.1f} s wall "
        f"= {1000 * sync / n:.1f} ms/order = {n / sync:.2f} orders/s. "
        f"Includes the HTTP calls ({http:.1f} s, of which {wait:.1f} s "
        f"waiting for the client's 3 req/s and {server:.1f} s the "
        "in-process sandbox answering), JSON normalising, status update, "
        "the checks made without writing, per group of orders: party "
        "find/create with addresses and contacts, product/carrier/payment "
        "mode lookup (the group's products at once), lines, then save, quote, "
        "confirm and process on the group's list, total check, log "
        "entries, commit; the sync log.")
    rows.append(('import wall time', f'{sync:.1f} s',
        f'{n / sync:.2f} orders/s'))
    sides = []
    if 'bulk_s' in main:
        sides.append(('bulk', 'plain ORM in bulk', main['bulk_s'],
            main['bulk_cpu_s'], main['bulk_sales'], '<= 2x',
            "Sale.create with lines, quote, confirm, process on chunks of "
            f"{main.get('bulk_chunk', 40)} sales, one transaction and "
            "commit per page"))
    if 'orm_s' in main:
        sides.append(('orm', 'plain ORM, one sale per transaction',
            main['orm_s'], main['orm_cpu_s'], main['orm_sales'], '(info)',
            "Sale.create with lines, quote, confirm, process, commit per "
            "sale"))
    for key, title, wall, cpu, count, target, how in sides:
        index = 3 if key == 'bulk' else 2
        page_ratios = sorted(p[1] / p[index] for p in main['pages']
            if p[index])
        print(f"   {title}: {wall:7.1f} s wall = {1000 * wall / n:.1f} "
            f"ms/sale = {count / wall:.2f} sales/s for {count} sales: "
            f"{how}; no shop, no HTTP, no lookups, no log; run after each "
            "page of the import, on that page's sales.")
        print(f"     ratio import/{key} = {sync / wall:.2f}x wall (target "
            f"{target}); without the HTTP time ({erp:.1f} s) "
            f"{erp / wall:.2f}x; CPU {sync_cpu:.1f} s vs {cpu:.1f} s = "
            f"{sync_cpu / cpu:.2f}x")
        if page_ratios:
            print(f"     per page of {max(p[0] for p in main['pages'])} "
                f"orders, import/{key} wall: min {page_ratios[0]:.2f}x, "
                f"median {page_ratios[len(page_ratios) // 2]:.2f}x, max "
                f"{page_ratios[-1]:.2f}x over {len(page_ratios)} pages")
        rows.append((f'{title} wall time', f'{wall:.1f} s',
            f'{count / wall:.2f} sales/s'))
        rows.append((f'import / {key} (wall)', f'{sync / wall:.2f}x', target))
        rows.append((f'import / {key} (CPU)', f'{sync_cpu / cpu:.2f}x',
            '(info)'))
        rows.append((f'(import - HTTP) / {key}', f'{erp / wall:.2f}x',
            '(info)'))


def report_memory(memory, sizes, rows):
    small, large = sizes
    print("\n3. Peak memory of the sync (VmHWM of one subprocess per "
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
    for size in sizes:
        pages = memory[size]['rss_pages']
        if len(pages) >= 3:
            # from the end of the second page on, past the warm-up
            (o1, r1), (o2, r2) = pages[1], pages[-1]
            slope = (r2 - r1) / 1024 / max(o2 - o1, 1) * 1000
            print(f"   {size:>6} orders: RSS after page 2 "
                f"{r1 / 1024:.1f} MiB, at the end {r2 / 1024:.1f} MiB: "
                f"{slope:+.2f} MiB per 1000 orders")
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
    parser.add_argument('--parts', nargs='*', choices=['time', 'memory'],
        default=['time', 'memory'],
        help="what to measure: time (API calls and import vs plain ORM, "
        "--orders), memory (peak RSS, --sizes, no ORM pass); default both; "
        "none (`--parts --profile N`): only the profile")
    parser.add_argument('--profile', type=int, default=0, metavar='N',
        help="also profile (cProfile) the sync of N orders")
    parser.add_argument('--backend', choices=['sqlite', 'postgresql'],
        default='sqlite',
        help="the database: SQLite in the temporary folder (default), or "
        "the local PostgreSQL server (postgresql://postgres@127.0.0.1:5432/"
        "; its databases are made and dropped by the bench)")
    parser.add_argument('--keep', action='store_true',
        help="keep the temporary folder (PostgreSQL databases are dropped "
        "all the same)")
    parser.add_argument('--no-orm-each', action='store_true',
        help="compare with the plain ORM in bulk only, not one sale per "
        "transaction too (halves the time measure's run)")
    parent_main(parser.parse_args(argv))


if __name__ == '__main__':
    main()
