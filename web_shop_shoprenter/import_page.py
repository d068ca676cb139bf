"""A page of ShopRenter orders imported a group at a time.

Each group is one unit of work: its sales are created, quoted, confirmed
and processed with one call each on the list (Sale.import_shoprenter_group),
its counts and notes written to the sync log in the same transaction, so a
run killed half way keeps exactly the groups it committed.  A group that
fails is rolled back whole and split (shoprenter.sync.groups) down to the
single order, which then runs as every order did before: alone, its failure
logged with its message.

Sale and shipment numbers come from ir.sequence; on PostgreSQL a plain
sequence is a database sequence, whose numbers a rolled-back group does not
give back, so a failed group leaves a gap in them.  That is harmless: those
numbers only have to be unique (nothing requires a sale or a delivery note
to be numbered without gaps).  Invoice numbers must be gapless, and are:
the import leaves its invoices in draft, unnumbered; they are numbered when
posted, from the strict sequence, which rolls back with its transaction."""
import gc
import logging
import time
from collections import Counter

from trytond import backend
from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError

from shoprenter.sync.groups import GroupFailed, GroupSize, run_groups

from .common import run_cache

logger = logging.getLogger(__name__)

# The largest group per backend.  SQLite: web_shop checks its unique web id
# in Python with one OR clause per sale, and Sale.create of more than about
# 80 sales fails with "parser stack overflow"; a group's transaction also
# holds SQLite's only write lock (other writers wait, then get "database is
# locked"), so its groups stay short.  PostgreSQL takes a whole page.
GROUP_SIZES = {'sqlite': 40, 'postgresql': 100}
DEFAULT_GROUP_SIZE = 40
# A unit of work that met another transaction's writes (PostgreSQL's
# serialization failures, deadlocks; SQLite's busy database) is tried again
# this many times, waiting a little longer each time, before it counts as
# failed; a failed group is then split as any other.
CONFLICT_RETRIES = 5
CONFLICT_WAIT = 0.2  # seconds, doubled on each retry
CONFLICT_STATES = {'40001', '40P01', '55P03'}


def group_size():
    "The adaptive size of the groups of a run, its maximum per backend"
    return GroupSize(GROUP_SIZES.get(backend.name, DEFAULT_GROUP_SIZE))


def is_conflict(exception):
    "Whether the database refused the unit of work for another's writes"
    state = getattr(exception, 'sqlstate', None) or getattr(
        exception, 'pgcode', None)
    if state in CONFLICT_STATES:
        return True
    return (isinstance(exception, backend.DatabaseOperationalError)
        and 'database is locked' in str(exception))


def import_unit(shop, orders, log, now):
    """Import the orders in one transaction of their own and count them in
    the log, retried on conflicts; return their outcomes once committed.

    On failure everything of the unit is undone (the sales, the log's
    counts, the run cache's new entries and the tasks it queued, e.g. the
    processing and the stock push) and the exception is raised."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    transaction = Transaction()
    cache = run_cache()
    extras = {}
    conflicts = 0
    while True:
        queued = len(transaction.tasks)
        try:
            with transaction.new_transaction(**extras) as work:
                with work.set_context(_skip_warnings=True):
                    results = Sale.import_shoprenter_group(
                        shop.__class__(shop.id), orders)
                for order, (outcome, notes) in zip(orders, results):
                    notes = list(notes) + shop._shoprenter_date_notes(
                        order, outcome, now)
                    # Counted with the order: a run cut short keeps the
                    # counts of the orders it committed.
                    log.write_outcome(
                        *order_keys(order), outcome, notes)
                work.commit()
        except TransactionError as error:
            # Records to lock from the start (e.g. a sale processed again):
            # restart with the locks, as Tryton's dispatcher does
            _undo(transaction, queued, cache)
            error.fix(extras)
            continue
        except Exception as exception:
            _undo(transaction, queued, cache)
            if is_conflict(exception) and conflicts < CONFLICT_RETRIES:
                logger.info("ShopRenter orders: %s, trying again", exception)
                time.sleep(CONFLICT_WAIT * 2 ** conflicts)
                conflicts += 1
                continue
            raise
        if cache:
            cache.commit()  # what the orders found or created
        outcomes = [outcome for outcome, _ in results]
        for outcome in outcomes:
            log.counted(outcome)
        return outcomes


def _undo(transaction, queued, cache):
    del transaction.tasks[queued:]  # rolled back with the unit
    if cache:
        cache.rollback()


def order_keys(order):
    "The order's ShopRenter id and number, as the log keeps them"
    return tuple(value if isinstance(value, str) else None
        for value in [order.get('id'), order.get('innerId')])


def import_orders(shop, orders, log, now, size, progress=None):
    """Import a page of orders in groups of at most size.current; an order
    known to be bad (Sale.shoprenter_groupable) and the last one left of a
    failed group are imported alone by shop._shoprenter_import_order"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    transaction = Transaction()
    # Checked without writing, in a transaction that sees the shop's
    # statuses and mapping as the run just saved them
    with transaction.new_transaction(readonly=True):
        current = shop.__class__(shop.id)
        ids = Counter(order.get('id') for order in orders)
        groupable = {}
        for position, order in enumerate(orders):
            # An order twice on the page (it changed while the pages were
            # read) would make its sale twice in one group
            groupable[position] = ids[order.get('id')] == 1 and (
                Sale.shoprenter_groupable(current, order))

    def done(count):
        if progress is not None:
            progress.update(count)

    def run_group(group):
        try:
            import_unit(shop, [orders[p] for p in group], log, now)
        except Exception as exception:
            index = getattr(exception, 'shoprenter_group_index', None)
            logger.info("ShopRenter orders: a group of %d failed (%s: %s), "
                "split", len(group), type(exception).__name__, exception)
            raise GroupFailed(index, exception)
        done(len(group))
        # The finished transactions hold their caches until collected
        gc.collect()

    def run_alone(position):
        shop._shoprenter_import_order(orders[position], log)
        done(1)

    run_groups(range(len(orders)), size, run_group, run_alone,
        alone=lambda position: not groupable[position])
