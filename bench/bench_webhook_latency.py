"""Benchmark: from an order placed in the shop to its confirmed sale, with
webhooks and with the 5-minute download alone.

    /work/venv/bin/python bench/bench_webhook_latency.py [--orders 10]

One run, in a temporary folder: the demo shop in an in-process sandbox (its
orders removed), `shoprenter demo` makes the SQLite database, a real trytond
server serves it and the shop registers its webhooks with that server.

* Webhooks: each order is placed as a buyer would (/_sandbox/orders); the
  sandbox posts order_confirm to trytond's route, which answers and imports
  the order right after (SQLite has no queue worker: the inline fallback).
  The time is from the order placed until its sale is confirmed and
  processed in the database (read every 20 ms).
* Polling: without webhooks the order waits for the next run of the cron,
  every 5 minutes: on average half the interval, at worst all of it, and
  then the run's own time, measured as `shoprenter sync --orders` runs it
  for one new order (the log row's start to end; the command's start-up is
  not the cron's and is left out).

Nothing here asserts a time: benchmarks report.
"""
import argparse
import datetime as dt
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
    parser.add_argument('--keep', action='store_true',
        help="keep the temporary folder")
    arguments = parser.parse_args(argv)

    from shoprenter.sandbox import Sandbox, SandboxServer
    from shoprenter.sandbox.demo import demo_seed
    from web_shop_shoprenter.tests.tryton_server import TrytonServer, make_demo

    seed = demo_seed()
    for collection in ['orders', 'orderProducts', 'orderTotals']:
        seed[collection] = []
    taxed = [p for p in seed['products']
        if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
    directory = Path(tempfile.mkdtemp(prefix='bench-webhook-'))
    sandbox = Sandbox(seed)
    server = SandboxServer(sandbox).start()
    tryton = None
    try:
        say("making the demo database (shoprenter demo) …")
        make_demo(directory, server)

        def place(number):
            return sandbox.place_order({
                    'customer': seed['customers'][number % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': taxed[number % len(taxed)]['sku'],
                            'quantity': 1}]})

        say("polling: one download per order (shoprenter sync --orders) …")
        runs = [poll_run(directory, place(i)) for i in range(
                arguments.orders)]

        tryton = TrytonServer(directory).start()
        register(directory, tryton.url)
        say("webhooks: orders placed one after another …")
        waits = [webhook_wait(directory, place(1000 + i))
            for i in range(arguments.orders)]
        report(arguments.orders, waits, runs, sandbox.stats())
    finally:
        if tryton:
            tryton.stop()
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


def sale_state(directory, order):
    from web_shop_shoprenter.tests.tryton_server import query
    rows = query(directory,
        'SELECT state FROM sale_sale WHERE shoprenter_id = ?', order['id'])
    return rows[0][0] if rows else None


def webhook_wait(directory, order, timeout=300):
    "Seconds from the order placed to its sale processing, by its webhook"
    placed = time.monotonic()
    while sale_state(directory, order) != 'processing':
        if time.monotonic() - placed > timeout:
            raise SystemExit(f"order {order['innerId']} never came in")
        time.sleep(0.02)
    return time.monotonic() - placed


def poll_run(directory, order):
    "Seconds the download run took to import the one new order"
    from web_shop_shoprenter.tests.tryton_server import command, query
    result = command('sync', '-c', str(directory / 'trytond.conf'),
        '-d', 'demo', '--orders')
    if result.returncode or sale_state(directory, order) != 'processing':
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
    webhooks = stats.get('webhooks', {})
    print(f"\nOrder placed -> confirmed sale, {count} orders per path "
        "(SQLite, trytond server, no queue worker: the import runs right "
        "after the webhook's answer)")
    print(f"{'':28}{'median':>10}{'max':>10}")
    print(f"{'webhook':28}{statistics.median(waits):>9.2f}s"
        f"{max(waits):>9.2f}s")
    print(f"{'polling, 5-minute cron':28}{average_poll:>9.2f}s"
        f"{worst_poll:>9.2f}s   (interval/2 or interval + the run)")
    print(f"{'  the download run alone':28}{run:>9.2f}s{max(runs):>9.2f}s")
    print(f"webhook is {average_poll / statistics.median(waits):.0f}x faster "
        f"on average; deliveries {webhooks.get('delivered', 0)} delivered, "
        f"{webhooks.get('failed', 0)} failed")


if __name__ == '__main__':
    main()
