"""Benchmark: paging a sandbox shop's orders (orderExtend, full, 200 a page) with the
store's back-link index against the linear scan it replaced, side by side in one run.

    .venv/bin/python bench/bench_sandbox_paging.py [--orders 2000 4000 10000]

Each size: the demo shop with that many random checkouts (1-4 lines each), then every
page of GET /orderExtend?full=1&limit=200 read over real HTTP, once with the index and
once with Store.related scanning every stored line and total for each order (the old
way, on the same data).  Nothing here asserts a time: benchmarks report.
"""
import argparse
import random
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from shoprenter import Client  # noqa: E402
from shoprenter.sandbox import Sandbox, SandboxServer  # noqa: E402
from shoprenter.sandbox.demo import seed_without_orders  # noqa: E402
from shoprenter.sandbox.links import link_id  # noqa: E402
from shoprenter.sandbox.random_carts import random_intent  # noqa: E402
from shoprenter.sandbox.store import Store  # noqa: E402


def scanning_related(self, collection, field, resource_id):
    "Store.related before the index: every item of the collection looked at"
    return [item for item in self.data.get(collection, ())
        if link_id(item.get(field)) == resource_id]


def make_shop(orders):
    seed = seed_without_orders()
    sandbox = Sandbox(seed, rate_limit=None)
    rng = random.Random(orders)
    data = sandbox.store.data
    for customer in range(orders):
        intent = random_intent(data, rng)
        intent['customer'] = seed['customers'][customer % len(seed['customers'])]['id']
        sandbox.place_order(intent)
    return sandbox


def read_all_pages(server):
    "Seconds to read every page, and the orders read"
    with Client('demo', 'demo-client', 'demo-secret', api_url=server.api_url,
            token_url=server.token_url, rate_limit=None) as client:
        client.get('orderStatuses')  # the token, outside the timing
        started = time.perf_counter()
        count = sum(len(page.items) for page in client.iter_pages('orderExtend'))
        return time.perf_counter() - started, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--orders', type=int, nargs='+', default=[2000, 4000, 10000])
    arguments = parser.parse_args(argv)
    indexed_related = Store.related
    print(f"{'orders':>7} {'pages':>6} {'indexed s':>10} {'scan s':>9} {'scan/indexed':>13}")
    for orders in arguments.orders:
        sandbox = make_shop(orders)
        with SandboxServer(sandbox) as server:
            Store.related = indexed_related
            indexed, count = read_all_pages(server)
            Store.related = scanning_related
            try:
                scanned, _ = read_all_pages(server)
            finally:
                Store.related = indexed_related
        pages = -(-count // 200)
        print(f"{orders:>7} {pages:>6} {indexed:>10.2f} {scanned:>9.2f} "
            f"{scanned / indexed:>12.1f}x", flush=True)


if __name__ == '__main__':
    main()
