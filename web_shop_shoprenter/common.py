"""Small helpers shared by the ShopRenter models."""
import gc
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

# ShopRenter's stock statuses for orders that no longer stand, in the
# languages merchants use.
CANCEL_WORDS = ('törölve', 'törölt', 'visszavon', 'storno', 'sztornó',
    'cancel', 'deleted', 'annul')

PRICE_DIGITS = Decimal('0.0001')

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


def status_action(name):
    "The default action for an order status of that name"
    name = (name or '').casefold()
    if any(word in name for word in CANCEL_WORDS):
        return 'cancel'
    return 'import'


def parse_decimal(value):
    "Return value as a Decimal or None; raise ValueError when it is not one"
    if value is None or value == '':
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'not a number: {value!r}')


def normalise_email(email):
    return (email or '').strip().casefold()


def normalise_text(text):
    return ' '.join((text or '').split()).casefold()


def net_from_gross(gross, rate):
    "The net amount of a gross amount at a VAT rate (percent)"
    return (gross / (1 + rate / 100)).quantize(PRICE_DIGITS)


def split_by_rate(amount, weights):
    """Split amount over the keys of weights in proportion to their values.

    The rounding rest goes to the largest share so the parts add up."""
    total = sum(weights.values())
    if not total:
        return {}
    shares = {
        key: (amount * weight / total).quantize(PRICE_DIGITS)
        for key, weight in weights.items()}
    largest = max(weights, key=lambda key: abs(weights[key]))
    shares[largest] += amount - sum(shares.values())
    return shares


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
