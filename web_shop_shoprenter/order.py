"""Reading a ShopRenter order (orderExtend, as the client normalises it).

The shop's data is checked here, at the edge, so that a malformed order
stops with a message that names it instead of failing deep in the ERP."""
import datetime as dt
import hashlib
import json
from decimal import Decimal

from trytond.i18n import gettext

from .exceptions import ShopRenterOrderError

MAX_TEXT = 10_000  # longer texts on an order are not a buyer's input
TEXT_FIELDS = ['firstname', 'lastname', 'email', 'phone', 'comment',
    'paymentCompany', 'shippingCompany', 'taxNumber']


def _error(order, problem):
    number = order.get('innerId') if isinstance(order, dict) else None
    return ShopRenterOrderError(gettext(
            'web_shop_shoprenter.msg_order_malformed',
            number=number or order.get('id', '?')
            if isinstance(order, dict) else '?',
            problem=problem))


def check_order(order):
    "Raise ShopRenterOrderError when the order cannot be read safely"
    if not isinstance(order, dict):
        raise ShopRenterOrderError(gettext(
                'web_shop_shoprenter.msg_order_malformed',
                number='?', problem=f'not an object: {type(order).__name__}'))
    for key in ['id', 'innerId']:
        if not isinstance(order.get(key), str) or not order[key]:
            raise _error(order, f'missing {key}')
    for key in ['dateCreated', 'dateUpdated']:
        if order.get(key) is not None and not isinstance(
                order[key], dt.datetime):
            raise _error(order, f'{key} is not a date: {order[key]!r}')
    for key in TEXT_FIELDS:
        value = order.get(key)
        if value is not None and not isinstance(value, str):
            raise _error(order, f'{key} is not a text')
        if value and len(value) > MAX_TEXT:
            raise _error(order, f'{key} is longer than {MAX_TEXT} characters')
    items = order.get('orderProducts') or []
    if not isinstance(items, list):
        raise _error(order, 'orderProducts is not a list')
    for item in items:
        if not isinstance(item, dict):
            raise _error(order, 'an order line is not an object')
        name = item.get('sku') or item.get('name') or '?'
        try:
            quantity = line_quantity(item)
        except (TypeError, ValueError, ArithmeticError):
            raise _error(order, f'line {name}: quantity is not a number')
        if quantity <= 0:
            raise _error(order, f'line {name}: quantity {quantity} is not '
                'positive')
        for key in ['price', 'taxRate']:
            if not isinstance(item.get(key), (Decimal, type(None))):
                raise _error(order, f'line {name}: {key} is not a number')
        if item.get('price') is not None and item['price'] < 0:
            raise _error(order, f'line {name}: negative price')
    totals = order.get('orderTotals') or []
    if not isinstance(totals, list) or not all(
            isinstance(t, dict) for t in totals):
        raise _error(order, 'orderTotals is not a list of objects')
    for total in totals:
        if not isinstance(total.get('value'), (Decimal, type(None))):
            raise _error(order, f'total {total.get("type")} is not a number')


def line_quantity(item):
    "ShopRenter has no quantity: it is what each warehouse gave"
    return sum(int(item.get(f'stock{i}') or 0) for i in range(1, 5))


def totals_by_type(order):
    "The order's totals keyed by type, summed when a type repeats"
    totals = {}
    for total in order.get('orderTotals') or []:
        kind = (total.get('type') or '').strip().upper()
        if kind:
            totals[kind] = totals.get(kind, Decimal(0)) + (
                total.get('value') or Decimal(0))
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
LINE_FIELDS = ['sku', 'name', 'price', 'taxRate', 'stock1', 'stock2',
    'stock3', 'stock4']


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
