"""Reading a ShopRenter order (orderExtend, as the client normalises it).

The shop's data is checked here, at the edge, so that a malformed order
stops with a message that names it instead of failing deep in the ERP."""
import datetime as dt
import hashlib
import json
from decimal import Decimal

from .errors import BadQuantity, FieldTooLong, MalformedOrder

__all__ = ['ADDRESS_LIMITS', 'ORDER_LIMITS', 'LINE_LIMITS', 'check_order', 'order_number',
           'line_quantity', 'totals_by_type', 'CONTENT_FIELDS', 'LINE_FIELDS', 'content_digest']

# The longest value the import takes, per field of an order and of its lines: the one table
# of these limits.  ShopRenter documents no column sizes, so they are our own: room to spare
# for anything a buyer types or a merchant names (names 128, addresses 255, a postcode 10, a
# SKU 128), and far below what breaks a form, a PDF or a URL.  A longer value stops its order
# with a message saying which field to correct in the shop.
ADDRESS_LIMITS = {
    'Firstname': 128, 'Lastname': 128, 'Company': 255, 'Address1': 255,
    'Address2': 255, 'City': 128, 'Postcode': 10, 'CountryName': 128,
    'ZoneName': 128,
    }
ORDER_LIMITS = {
    'firstname': 128, 'lastname': 128, 'email': 254, 'phone': 64, 'fax': 64,
    'taxNumber': 32, 'comment': 10_000,
    'shippingMethodName': 255, 'paymentMethodName': 255,
    'paymentMethodCode': 128,
    **{prefix + field: limit for prefix in ['payment', 'shipping']
        for field, limit in ADDRESS_LIMITS.items()},
    }
LINE_LIMITS = {'name': 255, 'sku': 128, 'modelNumber': 128}


def order_number(order):
    "How the log names an order: its innerId, else its id, else '?'"
    if not isinstance(order, dict):
        return '?'
    return order.get('innerId') or order.get('id', '?')


def _error(order, problem):
    return MalformedOrder(order_number(order), problem)


def check_order(order, max_quantity=None):
    """Raise an OrderError (MalformedOrder, FieldTooLong, BadQuantity) when the order cannot
    be read safely, or has a line of more than max_quantity units"""
    if not isinstance(order, dict):
        raise MalformedOrder('?', f'not an object: {type(order).__name__}')
    for key in ['id', 'innerId']:
        if not isinstance(order.get(key), str) or not order[key]:
            raise _error(order, f'missing {key}')
    for key in ['dateCreated', 'dateUpdated']:
        if order.get(key) is not None and not isinstance(order[key], dt.datetime):
            raise _error(order, f'{key} is not a date: {order[key]!r}')
    for key, limit in ORDER_LIMITS.items():
        _check_text(order, order, key, limit)
    items = order.get('orderProducts') or []
    if not isinstance(items, list):
        raise _error(order, 'orderProducts is not a list')
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise _error(order, 'an order line is not an object')
        for key, limit in LINE_LIMITS.items():
            _check_text(order, item, key, limit, position)
        name = item.get('sku') or item.get('name') or '?'
        _check_quantity(order, item, position, max_quantity)
        for key in ['price', 'taxRate']:
            if not isinstance(item.get(key), (Decimal, type(None))):
                raise _error(order, f'line {name}: {key} is not a number')
        if item.get('price') is not None and item['price'] < 0:
            raise _error(order, f'line {name}: negative price')
    totals = order.get('orderTotals') or []
    if not isinstance(totals, list) or not all(isinstance(t, dict) for t in totals):
        raise _error(order, 'orderTotals is not a list of objects')
    for total in totals:
        if not isinstance(total.get('value'), (Decimal, type(None))):
            raise _error(order, f'total {total.get("type")} is not a number')


def _check_text(order, record, key, limit, position=None):
    "Stop the order when a text of it (or of its line) is not a sane one"
    value = record.get(key)
    if value is None:
        return
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        value = str(value)  # a postcode or a SKU that reads as a number
    if not isinstance(value, str):
        raise _error(order, f'{key} is not a text')
    if len(value) <= limit:
        return
    raise FieldTooLong(_number(order), key, len(value), limit, ' '.join(value[:40].split()),
        line=position)


def _check_quantity(order, item, position, maximum):
    "Stop the order unless the line's quantity is a whole number in 1..maximum"
    try:
        quantity = _stock_sum(item)
    except (TypeError, ValueError, ArithmeticError):
        quantity = None
    if (quantity is not None and quantity.is_finite()
            and quantity == quantity.to_integral_value()
            and quantity >= 1
            and (not maximum or quantity <= maximum)):
        return
    given = '+'.join(str(item.get(f'stock{i}')) for i in range(1, 5)
        if item.get(f'stock{i}') not in (None, '', '0', 0))
    raise BadQuantity(_number(order), position, item.get('sku') or item.get('name') or '?',
        given or '0', maximum or '-')


def _number(order):
    return order.get('innerId') or order.get('id') or '?'


def _stock_sum(item):
    "The sum of the line's stock1..stock4 as a Decimal"
    total = Decimal(0)
    for i in range(1, 5):
        value = item.get(f'stock{i}')
        if value is None or value == '':
            continue
        if isinstance(value, (bool, float)) or not isinstance(value, (str, int, Decimal)):
            raise TypeError(f'stock{i} is not a number: {value!r}')
        total += Decimal(str(value).strip())
    return total


def line_quantity(item):
    """ShopRenter has no quantity: it is what each warehouse gave, a whole number
    (check_order stops any other)"""
    return int(_stock_sum(item))


def totals_by_type(order):
    "The order's totals keyed by type, summed when a type repeats"
    totals = {}
    for total in order.get('orderTotals') or []:
        kind = (total.get('type') or '').strip().upper()
        if kind:
            totals[kind] = totals.get(kind, Decimal(0)) + (total.get('value') or Decimal(0))
            if kind == 'COUPON' and total.get('description'):
                totals['COUPON_CODE'] = total['description']
    return totals


# What a sale is made of; the status and dates are not.
CONTENT_FIELDS = ['customer', 'firstname', 'lastname', 'email', 'phone',
    'taxNumber', 'comment', 'shippingMethodName', 'paymentMethodCode',
    'total'] + [
    prefix + field for prefix in ['payment', 'shipping']
    for field in ['Company', 'Firstname', 'Lastname', 'Address1',
        'Address2', 'City', 'Postcode', 'CountryName']]
LINE_FIELDS = ['sku', 'name', 'price', 'taxRate', 'stock1', 'stock2', 'stock3', 'stock4']


def content_digest(order):
    "A fingerprint of what the order's sale is made of"
    content = {
        'order': [order.get(key) for key in CONTENT_FIELDS],
        'lines': [[item.get(key) for key in LINE_FIELDS]
            for item in order.get('orderProducts') or []],
        'totals': sorted(
            [t.get('type'), t.get('value')]
            for t in order.get('orderTotals') or []),
        }
    text = json.dumps(content, default=str, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()
