"""What an order's status does, and what a download does with an order.

Each shop keeps an action per ShopRenter order status:

- 'import': an open order; it becomes a confirmed sale that reserves stock;
- 'done': done in the shop (completed or shipped outside the ERP); a sale
  made from the order ships its goods in the ERP, so its reservation ends
  and the stock leaves; an order first seen in that status becomes a sale
  only when it is not older than the shop's history date, and then a
  shipped one: it never reserves stock;
- 'cancel': its sale is cancelled (or flagged once shipped or invoiced);
- 'ignore': left alone.

An ERP may offer only some actions (an ERP without 'done' gets 'import' for a
completed status, as before 'done' existed): status_action takes the actions
it offers."""
import datetime as dt

from ..values import resource_id
from .errors import MalformedOrder
from .order import order_number

__all__ = ['ACTIONS', 'BASIC_ACTIONS', 'CANCEL_WORDS', 'DONE_WORDS', 'status_action',
           'status_kind', 'default_status', 'order_status', 'in_history', 'SKIP', 'CANCEL',
           'UNCHANGED', 'UPDATE', 'CREATE', 'DONE', 'CREATE_DONE', 'decide']

ACTIONS = ('import', 'done', 'cancel', 'ignore')
BASIC_ACTIONS = ('import', 'cancel', 'ignore')

# Words in the names of the statuses of orders that no longer stand, in the
# languages merchants use (ShopRenter's defaults: Törölve / Cancelled,
# Visszavont, Sztornó / Storno; Visszautasítva / Denied).
CANCEL_WORDS = ('törölve', 'törölt', 'visszavon', 'storno', 'sztornó',
    'cancel', 'deleted', 'annul', 'visszautasít', 'elutasít', 'denied')
# ... and of orders whose goods left the shop: completed, shipped, delivered
# (Teljesítve / Complete, Kiszállítva / Shipped, Szállítás alatt / Shipping).
DONE_WORDS = ('teljesít', 'kiszállít', 'szállítás alatt', 'kézbesít', 'átvéve',
    'complete', 'shipped', 'in transit', 'delivered', 'fulfilled')
DONE_NAMES = ('shipping',)  # a whole name only: "Awaiting shipping" is open

# The status the ERP writes back to the shop, first match wins: the one
# that says most exactly what happened in the ERP.
DEFAULT_NAMES = {
    'shipped': ('kiszállítva', 'shipped', 'teljesítve', 'completed', 'complete'),
    'cancelled': ('törölve', 'cancelled', 'canceled', 'visszavont', 'sztornó', 'storno'),
    }

# What the download does with one order
SKIP, CANCEL, UNCHANGED, UPDATE, CREATE = 'skip', 'cancel', 'unchanged', 'update', 'create'
DONE = 'done'                # ship the sale's goods in the ERP
CREATE_DONE = 'create_done'  # make the sale and ship it at once


def status_kind(name):
    "'cancel', 'done' or 'open': what an order status of that name says"
    name = ' '.join((name or '').casefold().split())
    if any(word in name for word in CANCEL_WORDS):
        return 'cancel'
    if name in DONE_NAMES or any(word in name for word in DONE_WORDS):
        return 'done'
    return 'open'


def status_action(name, actions=BASIC_ACTIONS):
    "The default action, among those the ERP offers, for an order status of that name"
    kind = status_kind(name)
    if kind == 'cancel':
        return 'cancel'
    if kind == 'done' and 'done' in actions:
        return 'done'
    return 'import'


def default_status(statuses, role):
    """The id of the status (statuses: {id: name}) the ERP writes back for role
    ('shipped' or 'cancelled'); None when the shop has none of those names"""
    names = {status_id: ' '.join((name or '').casefold().split())
        for status_id, name in statuses.items()}
    for wanted in DEFAULT_NAMES[role]:
        for status_id, name in names.items():
            if name == wanted:
                return status_id
    for wanted in DEFAULT_NAMES[role]:
        for status_id, name in names.items():
            if wanted in name and status_kind(name) == status_kind(wanted):
                return status_id
    return None


def order_status(order):
    "The ShopRenter id of the order's status; None for an abandoned cart"
    return resource_id(order.get('orderStatus'))


def in_history(order, history_from):
    """Whether the order belongs to the history the shop brings in: placed on
    or after history_from (a date; None: no history is brought in)"""
    created = order.get('dateCreated')
    if history_from is None or not isinstance(created, dt.datetime):
        return False
    if isinstance(history_from, dt.datetime):
        history_from = history_from.date()
    return created.date() >= history_from


def decide(order, action, has_sale, sale_updated=None, history_from=None,
        written_status=None):
    """What to do with an order whose status has action (None: the shop does not
    know the status) given whether its sale exists and when it was last updated:
    SKIP, CANCEL, UNCHANGED, UPDATE (compare its content), CREATE, DONE (ship the
    sale in the ERP) or CREATE_DONE (make the sale, shipped).

    history_from: the date from which an order first seen done in the shop becomes
    a (shipped) sale; before it, or None, it is history and skipped.
    written_status: the status the ERP last wrote to this order; met again, it is
    the ERP's own work coming back, never an instruction to undo it.

    Raise MalformedOrder for a status the shop does not know."""
    status_id = order_status(order)
    if not status_id:
        return SKIP  # an abandoned cart
    if action is None:
        raise MalformedOrder(order_number(order), f'its status {status_id} is not in the shop')
    if action == 'ignore':
        return SKIP
    if not has_sale:
        if action == 'cancel':
            return SKIP
        if action == 'done':
            return CREATE_DONE if in_history(order, history_from) else SKIP
        return CREATE
    if written_status is not None and status_id == written_status:
        action = 'import'  # only the content can have changed
    if action == 'cancel':
        return CANCEL
    if action == 'done':
        return DONE
    if sale_updated == order.get('dateUpdated'):
        return UNCHANGED
    return UPDATE
