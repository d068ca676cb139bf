"""Which orders a download asks for, and how far a download got.

The cursor is ShopRenter's time of the last order change downloaded.  Orders
are re-read from CURSOR_OVERLAP before it: ShopRenter's clock and paging by
innerId give no strict order of dateUpdated, and re-reading is harmless.  It
moves only when a run completes, and never past the time the run started: an
order dated in the future would make every later change older than it."""
import datetime as dt
from zoneinfo import ZoneInfo

__all__ = ['CURSOR_OVERLAP', 'DATETIME_FORMAT', 'FUTURE_TOLERANCE', 'shop_now', 'in_future',
           'order_query', 'advance', 'dated_in_future']

CURSOR_OVERLAP = dt.timedelta(minutes=10)
DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%S'
# An order changed later than this after now has a wrong date: the shop's
# clock may run some hours ahead of ours (its time zone), not days.
FUTURE_TOLERANCE = dt.timedelta(days=1)


def shop_now(zone=None):
    """The time now as ShopRenter writes its dates (naive, in the shop's zone): in zone
    (a time zone name, the company's), else the server's"""
    moment = dt.datetime.now(ZoneInfo(zone)) if zone else dt.datetime.now().astimezone()
    return moment.replace(tzinfo=None, microsecond=0)


def in_future(cursor, now):
    """A cursor left past now (before it was capped): the download starts instead from
    the ERP's last order change up to now"""
    return bool(cursor and cursor > now)


def order_query(cursor):
    "The orderExtend parameters of a download from cursor (None: from the start)"
    params = {'excludeAbandonedCart': 1}
    if cursor:
        params['updatedAtMin'] = (cursor - CURSOR_OVERLAP).strftime(DATETIME_FORMAT)
    return params


def advance(cursor, updated, now=None):
    "The cursor once an order updated then went through, the order's time capped at now"
    if isinstance(updated, dt.datetime):
        if now is not None:
            updated = min(updated, now)
        if not cursor or updated > cursor:
            cursor = updated
    return cursor


def dated_in_future(order, outcome, now):
    "Whether an order that changed its sale (outcome) is dated too far after now"
    updated = order.get('dateUpdated')
    return (outcome in {'created', 'updated', 'cancelled'}
        and isinstance(updated, dt.datetime) and updated > now + FUTURE_TOLERANCE)
