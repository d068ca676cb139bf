"""Benchmark: from an order placed in the shop to its confirmed sale, by
webhook on SQLite (no worker), by webhook on PostgreSQL with trytond-worker,
and by the 5-minute download alone.

    .venv/bin/python bench/bench_webhook_latency.py [--orders 10]
        [--database bench_webhook_<pid>] [--keep]

One run, in a temporary folder, with the demo shop in two in-process
sandboxes (their orders removed), one per database, so the two shops'
webhooks never meet:

* SQLite: `shoprenter demo` makes the database, a real trytond server
  serves it.  The route answers the webhook and imports the order right
  after, in the server (SQLite has no queue worker: the inline fallback).
* PostgreSQL: the demo's pieces (its configuration with the local server's
  URI, create_database with trytond-admin, setup_demo_shop and the first
  download; tests/tryton_server.py make_postgresql_demo) make the database
  `--database` on 127.0.0.1:5432, dropped at the end.  trytond serves it with
  `[queue] worker = True`, and trytond-worker runs beside it: the route only
  queues the fetch of the order (the ir.queue row is committed before the
  answer), the worker imports it, then processes the sale (a second task).
  With DB_CACHE set (a folder) what trytond-admin made is kept there.

Each shop registers its webhooks with its server.  Each order is placed as
a buyer would (/_sandbox/orders), on the SQLite and PostgreSQL shops in
turn, so both share the machine's load of the moment; the time is from the
order placed until its sale is confirmed and processed in the database
(read every 20 ms).  One order per path first warms the server (and the
worker's processes) up and is not counted: a merchant's server has long
been running when an order comes.

Polling: without webhooks the order waits for the next run of the cron,
every 5 minutes: on average half the interval, at worst all of it, and then
the run's own time, measured as `shoprenter sync --orders` runs it for one
new order on the SQLite demo (the log row's start to end; the command's
start-up is not the cron's and is left out).

Nothing here asserts a time: benchmarks report.
"""
import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

CRON_INTERVAL = 5 * 60  # seconds: ir.cron "Download ShopRenter Orders"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orders', type=int, default=10,
        help="orders placed on each path (default: 10)")
    parser.add_argument('--database', default=f'bench_webhook_{os.getpid()}',
        help="the PostgreSQL database made (and dropped) on 127.0.0.1:5432")
    parser.add_argument('--keep', action='store_true',
        help="keep the temporary folder (the PostgreSQL database is "
        "dropped all the same)")
    arguments = parser.parse_args(argv)

    from shoprenter.sandbox import Sandbox, SandboxServer
    from shoprenter.sandbox.demo import seed_without_orders
    from web_shop_shoprenter.tests.tryton_server import (
        TrytonServer, TrytonWorker, drop_postgresql, make_demo,
        make_postgresql_demo, postgresql_problem)

    problem = postgresql_problem()
    if problem:
        raise SystemExit(problem)
    seed = seed_without_orders()
    taxed = [p for p in seed['products']
        if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
    directory = Path(tempfile.mkdtemp(prefix='bench-webhook-'))
    lite, pg = directory / 'sqlite', directory / 'postgresql'
    for path in [lite, pg]:
        path.mkdir()
    # One sandbox per shop: both shops are web.shop 1, each would take the
    # other's webhooks for stale ones of its own
    sandboxes = [Sandbox(seed), Sandbox(seed)]
    servers = [SandboxServer(sandbox).start() for sandbox in sandboxes]
    started = []
    try:
        say("making the SQLite demo database (shoprenter demo) …")
        make_demo(lite, servers[0])

        def place(sandbox, number):
            return sandbox.place_order({
                    'customer': seed['customers'][number % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': taxed[number % len(taxed)]['sku'],
                            'quantity': 1}]})

        say("polling: one download per order (shoprenter sync --orders) …")
        runs = [poll_run(lite, place(sandboxes[0], i)) for i in range(
                arguments.orders)]

        lite_server = TrytonServer(lite)
        pg_server = TrytonServer(pg, worker=True, database=arguments.database,
            log=pg / 'trytond.log')
        say(f"making the PostgreSQL database {arguments.database} "
            "(the demo's pieces) …")
        started.append(lambda: drop_postgresql(arguments.database))
        make_postgresql_demo(pg, servers[1], arguments.database,
            server_url=pg_server.url)
        worker = TrytonWorker(pg_server.config_files, arguments.database,
            pg / 'worker.log')
        for process in [lite_server, pg_server, worker]:
            process.start()
            started.append(process.stop)
        register(lite, lite_server.url)

        paths = [
            (sandboxes[0], lambda order: sqlite_state(lite, order)),
            (sandboxes[1], lambda order: postgresql_state(
                    arguments.database, order)),
            ]
        say("webhooks: warming up, one order per path …")
        for sandbox, state in paths:
            webhook_wait(state, place(sandbox, 999))
        say("webhooks: orders placed one after another, each path in turn …")
        waits = [[], []]
        for i in range(arguments.orders):
            for (sandbox, state), path_waits in zip(paths, waits):
                path_waits.append(
                    webhook_wait(state, place(sandbox, 1000 + i)))
        report(arguments.orders, waits, runs,
            [sandbox.stats() for sandbox in sandboxes])
        report_queue(arguments.database)
    finally:
        for stop in reversed(started):
            stop()
        for server in servers:
            server.stop()
        if arguments.keep:
            say(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


def say(text):
    print(text, file=sys.stderr, flush=True)


def register(directory, url):
    "The administrator gives the server's URL and registers the webhooks"
    from web_shop_shoprenter.tests.tryton_server import proteus
    proteus(directory, f"""
        Shop = Model.get('web.shop')
        shop, = Shop.find([('type', '=', 'shoprenter')])
        shop.shoprenter_server_url = {url!r}
        shop.save()
        shop.click('shoprenter_register_webhooks')
        """)


def sqlite_state(directory, order):
    from web_shop_shoprenter.tests.tryton_server import query
    rows = query(directory,
        'SELECT state FROM sale_sale WHERE shoprenter_id = ?', order['id'])
    return rows[0][0] if rows else None


def postgresql_state(database, order):
    from web_shop_shoprenter.tests.tryton_server import pg_query
    rows = pg_query(database,
        'SELECT state FROM sale_sale WHERE shoprenter_id = %s', order['id'])
    return rows[0][0] if rows else None


def webhook_wait(state, order, timeout=300):
    "Seconds from the order placed to its sale processing, by its webhook"
    placed = time.monotonic()
    while state(order) != 'processing':
        if time.monotonic() - placed > timeout:
            raise SystemExit(f"order {order['innerId']} never came in")
        time.sleep(0.02)
    return time.monotonic() - placed


def poll_run(directory, order):
    "Seconds the download run took to import the one new order"
    from web_shop_shoprenter.tests.tryton_server import command, query
    result = command('sync', '-c', str(directory / 'trytond.conf'),
        '-d', 'demo', '--orders')
    if result.returncode or sqlite_state(directory, order) != 'processing':
        raise SystemExit(result.stdout + result.stderr[-2000:])
    (started, finished, created), = query(directory,
        "SELECT started, finished, created FROM web_shop_shoprenter_log "
        "WHERE kind = 'orders' ORDER BY id DESC LIMIT 1")
    assert created == 1, created
    return (dt.datetime.fromisoformat(finished)
        - dt.datetime.fromisoformat(started)).total_seconds()


def report(count, waits, runs, stats):
    run = statistics.median(runs)
    average_poll = CRON_INTERVAL / 2 + run
    worst_poll = CRON_INTERVAL + max(runs)
    lite, pg = (statistics.median(w) for w in waits)
    rows = [
        ("webhook, SQLite, inline", lite, max(waits[0])),
        ("webhook, PostgreSQL + worker", pg, max(waits[1])),
        ("polling, 5-minute cron", average_poll, worst_poll),
        ]
    print(f"\nOrder placed -> confirmed and processed sale, {count} orders "
        "per path (after one uncounted warm-up order per webhook path)")
    print(f"{'':30}{'median':>9}{'max':>9}{'÷ SQLite':>10}{'polling ÷':>11}")
    for name, median, worst in rows:
        print(f"{name:30}{median:>8.2f}s{worst:>8.2f}s"
            f"{median / lite:>9.2f}x{average_poll / median:>10.0f}x")
    print(f"{'  the download run alone':30}{run:>8.2f}s{max(runs):>8.2f}s"
        "   (polling: interval/2 or interval + the run)")
    for name, stat in zip(['SQLite', 'PostgreSQL'], stats):
        webhooks = stat.get('webhooks', {})
        print(f"webhooks to the {name} server: "
            f"{webhooks.get('delivered', 0)} delivered, "
            f"{webhooks.get('failed', 0)} failed")


def report_queue(database):
    """What the worker did, from ir.queue: per task kind, the wait from
    queued to taken (pickup) and the run (taken to finished)"""
    import json
    from web_shop_shoprenter.tests.tryton_server import pg_query
    kinds = {}
    for name, data, enqueued, dequeued, finished in pg_query(database,
            'SELECT name, data, enqueued_at, dequeued_at, finished_at '
            'FROM ir_queue ORDER BY id'):
        data = json.loads(data) if isinstance(data, str) else data
        kind = f"{name}: {data['model']}.{data['method']}"
        if dequeued and finished:
            kinds.setdefault(kind, []).append((
                    (dequeued - enqueued).total_seconds(),
                    (finished - dequeued).total_seconds()))
    print("\ntrytond-worker's tasks (ir.queue, warm-up included)"
        f"\n{'':52}{'tasks':>6}{'pickup':>9}{'run':>9}  (medians)")
    for kind, times in kinds.items():
        pickups, durations = zip(*times)
        print(f"{kind:52}{len(times):>6}{statistics.median(pickups):>8.2f}s"
            f"{statistics.median(durations):>8.2f}s")


if __name__ == '__main__':
    main()
