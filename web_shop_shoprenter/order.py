"""Reading a ShopRenter order: the shared rules (shoprenter.sync.order), in
Tryton's words.

The rules decide what an order may be (its shape, the length of its texts,
its quantities); this module only says it in the user's language, with the
messages of message.xml."""
from trytond.i18n import gettext

from shoprenter.sync import order as rules
from shoprenter.sync.errors import (
    BadQuantity, FieldTooLong, MalformedOrder, OrderWithoutLines, UnmappedVat)

from .exceptions import ShopRenterOrderError

__all__ = ['check_order', 'content_digest', 'line_quantity', 'totals_by_type',
    'order_error']

content_digest = rules.content_digest
line_quantity = rules.line_quantity
totals_by_type = rules.totals_by_type


def check_order(order, max_quantity=None):
    """Raise ShopRenterOrderError when the order cannot be read safely, or
    has a line of more than max_quantity units"""
    try:
        rules.check_order(order, max_quantity)
    except (MalformedOrder, FieldTooLong, BadQuantity) as error:
        raise order_error(error) from None


def order_error(error):
    "The ShopRenterOrderError saying a shared rule's OrderError in Tryton's words"
    number = error.number
    if isinstance(error, FieldTooLong):
        values = dict(number=number, field=error.field, length=error.length,
            limit=error.limit, start=error.start)
        if error.line is None:
            message = gettext('web_shop_shoprenter.msg_order_field_too_long', **values)
        else:
            message = gettext('web_shop_shoprenter.msg_order_line_field_too_long',
                line=error.line, **values)
    elif isinstance(error, BadQuantity):
        message = gettext('web_shop_shoprenter.msg_order_line_quantity',
            number=number, line=error.line, name=error.name,
            quantity=error.quantity, maximum=error.maximum)
    elif isinstance(error, OrderWithoutLines):
        message = gettext('web_shop_shoprenter.msg_order_without_lines', number=number)
    elif isinstance(error, UnmappedVat):
        raise TypeError('an unmapped VAT is said with its shop: see Sale')
    else:
        message = gettext('web_shop_shoprenter.msg_order_malformed',
            number=number, problem=error.problem)
    return ShopRenterOrderError(message)
