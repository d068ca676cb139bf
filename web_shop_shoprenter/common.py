"""Small helpers shared by the ShopRenter models."""
import gc
from contextlib import contextmanager
from contextvars import ContextVar

# The rules shared with the Odoo addon, used here under their old names
from shoprenter.sync.keys import normalise_email, normalise_text  # noqa: F401
from shoprenter.sync.money import (  # noqa: F401
    PRICE_DIGITS, net_from_gross, parse_decimal, split_by_rate)
from shoprenter.sync.status import status_action  # noqa: F401

# A finished Tryton transaction refers to itself through its record caches,
# so only Python's cycle collector frees it.  At the collector's own pace a
# loop running many units of work, each in a transaction of its own (the
# order sync, the invoicing basket, the tasks `shoprenter sync` runs after
# the download), holds the caches of many finished units at once: tens of
# MiB, and the heap grows with the run.  Collecting every few units keeps
# memory flat for about 3 % of the time.
COLLECT_EVERY = 10


def collect_finished(units):
    "After the units-th unit of work: free the finished transactions"
    if units % COLLECT_EVERY == 0:
        gc.collect()


class RunCache:
    """What one sync run has looked up, kept from one order to the next.

    Each order is a transaction of its own, so a value found or created
    while importing an order is pending until that order commits; the
    order's rollback forgets it.  Only ids and plain values are kept, never
    records, so the cache does not hold the ORM's caches alive."""

    # Entries kept per kind, the oldest dropped first: a long run's memory
    # stays flat whatever the number of orders.
    size_limit = 4096

    def __init__(self):
        self._values = {}
        self._pending = {}

    def __bool__(self):
        return True

    def get(self, kind, key, default=None):
        pending = self._pending.get(kind)
        if pending and key in pending:
            return pending[key]
        return self._values.get(kind, {}).get(key, default)

    def __contains__(self, kind_key):
        kind, key = kind_key
        return (key in self._pending.get(kind, ())
            or key in self._values.get(kind, ()))

    def set(self, kind, key, value):
        self._pending.setdefault(kind, {})[key] = value

    def commit(self):
        for kind, values in self._pending.items():
            kept = self._values.setdefault(kind, {})
            for key, value in values.items():
                kept.pop(key, None)  # the most recent last
                kept[key] = value
            while len(kept) > self.size_limit:
                del kept[next(iter(kept))]
        self._pending.clear()

    def rollback(self):
        self._pending.clear()

    def clear(self):
        self._values.clear()
        self._pending.clear()


_run_cache = ContextVar('shoprenter_run_cache', default=None)


def run_cache():
    "The cache of the sync run going on, or None outside a sync run"
    return _run_cache.get()


@contextmanager
def new_run_cache():
    cache = RunCache()
    token = _run_cache.set(cache)
    try:
        yield cache
    finally:
        _run_cache.reset(token)
        cache.clear()
