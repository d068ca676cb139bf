"""What an order's status does, and what a download does with an order.

Each shop keeps an action per ShopRenter order status: 'import' (the order
becomes a confirmed sale), 'cancel' (its sale is cancelled, or flagged once
shipped or invoiced), 'ignore' (left alone)."""
from ..values import resource_id
from .errors import MalformedOrder
from .order import order_number

__all__ = ['ACTIONS', 'CANCEL_WORDS', 'status_action', 'order_status', 'SKIP', 'CANCEL',
           'UNCHANGED', 'UPDATE', 'CREATE', 'decide']

ACTIONS = ('import', 'cancel', 'ignore')

# ShopRenter's stock statuses for orders that no longer stand, in the
# languages merchants use.
CANCEL_WORDS = ('törölve', 'törölt', 'visszavon', 'storno', 'sztornó',
    'cancel', 'deleted', 'annul')

# What the download does with one order
SKIP, CANCEL, UNCHANGED, UPDATE, CREATE = 'skip', 'cancel', 'unchanged', 'update', 'create'


def status_action(name):
    "The default action for an order status of that name"
    name = (name or '').casefold()
    if any(word in name for word in CANCEL_WORDS):
        return 'cancel'
    return 'import'


def order_status(order):
    "The ShopRenter id of the order's status; None for an abandoned cart"
    return resource_id(order.get('orderStatus'))


def decide(order, action, has_sale, sale_updated=None):
    """What to do with an order whose status has action (None: the shop does not
    know the status) given whether its sale exists and when it was last updated:
    SKIP, CANCEL, UNCHANGED, UPDATE (compare its content) or CREATE.

    Raise MalformedOrder for a status the shop does not know."""
    status_id = order_status(order)
    if not status_id:
        return SKIP  # an abandoned cart
    if action is None:
        raise MalformedOrder(order_number(order), f'its status {status_id} is not in the shop')
    if action == 'ignore' or (action == 'cancel' and not has_sale):
        return SKIP
    if action == 'cancel':
        return CANCEL
    if has_sale:
        if sale_updated == order.get('dateUpdated'):
            return UNCHANGED
        return UPDATE
    return CREATE
