"""The document an order webhook sends: ``{"orders": {"order": [{…}]}}``.

The keys and which event carries them follow ShopRenter's webhook field table
(REFERENCE §6, api/webhook.md).  A webhook's ``fields`` names them with a
prefix (``order_total``, ``orderHistory_status``, ``orderProduct_sku``); the
document drops it.  Without ``fields`` a webhook gets every key of its event.

Sandbox choices where the docs are silent: money is written like the API's
own values (4 decimals), ``couponGrossPrice`` is the COUPON total as stored
(negative) or null without a coupon; what the sandbox has no data for (cart
token, credit card, product options and add-ons, categories) is empty or left
out; volume and weight units are cm and kg in every shop language.
"""
import decimal
import hashlib

from . import dates
from .ids import make_id, parse_id
from .links import link_id
from .resources import PRIMARY

CONFIRM, STATUS, CART = 'order_confirm', 'order_status_change', 'abandoned_cart'
ORDER_EVENTS = (CONFIRM, STATUS, CART)
EVERY = frozenset(ORDER_EVENTS)
PLACED = frozenset((CONFIRM, STATUS))  # not in an abandoned cart
ONLY_CONFIRM = frozenset((CONFIRM,))
ONLY_STATUS = frozenset((STATUS,))

_ADDRESS = ('Firstname', 'Lastname', 'Company', 'Address1', 'Address2', 'City',
    'CountryName', 'ZoneName', 'Postcode')
# (payload key, events that send it), in the docs' order
ORDER_KEYS = (
    *[(key, EVERY) for key in ('storeName', 'innerId', 'innerResourceId',
        'outerResourceId', 'firstname', 'lastname', 'phone', 'fax', 'email',
        'email_hash', 'cart_token')],
    *[('shipping' + key, EVERY) for key in _ADDRESS],
    ('expectedDeliveryDate', ONLY_CONFIRM),
    *[('payment' + key, EVERY) for key in _ADDRESS + ('Taxnumber',)],
    ('shippingMethodName', EVERY), ('shippingMethodCode', ONLY_CONFIRM),
    ('shippingNetPrice', EVERY), ('shippingGrossPrice', EVERY),
    ('shippingAdditionalCostNet', PLACED), ('shippingAdditionalCostGross', PLACED),
    ('shippingInnerResourceId', PLACED),
    ('shippingCountryIsoCode2', PLACED), ('shippingCountryIsoCode3', PLACED),
    ('paymentCountryIsoCode2', PLACED), ('paymentCountryIsoCode3', PLACED),
    ('paymentMethodName', EVERY), ('paymentMethodCode', ONLY_CONFIRM),
    ('paymentNetPrice', EVERY), ('paymentGrossPrice', EVERY),
    ('couponCode', EVERY), ('couponGrossPrice', EVERY), ('cartAmountDiscount', PLACED),
    ('languageId', EVERY), ('languageCode', EVERY), ('comment', EVERY),
    ('total', EVERY), ('totalGross', EVERY), ('taxPrice', EVERY), ('currency', EVERY),
    ('newsletterChecked', ONLY_STATUS), ('reloadLink', EVERY),
    ('customerId', ONLY_CONFIRM), ('shippingId', ONLY_CONFIRM),
    ('shippingCountryId', ONLY_CONFIRM), ('paymentCountryId', ONLY_CONFIRM),
    ('loyaltyPoints', EVERY), ('loyaltyPointsUsed', EVERY),
)
HISTORY_KEYS = tuple((key, EVERY) for key in ('status', 'statusText', 'comment', 'dateAdded'))
PRODUCT_KEYS = (
    *[(key, EVERY) for key in ('innerId', 'innerResourceId', 'outerResourceId', 'name',
        'sku', 'price', 'currency', 'taxRate', 'quantity', 'image', 'category',
        'volume', 'weight')],
    ('durableMediaDevice', PLACED), ('grossPrice', PLACED), ('productId', ONLY_CONFIRM),
    ('gtin', PLACED), ('model', PLACED),
)
# selection prefix -> the keys it selects from
PREFIXES = {'order': ORDER_KEYS, 'orderHistory': HISTORY_KEYS, 'orderProduct': PRODUCT_KEYS}
ZERO = decimal.Decimal(0)


def order_document(store, order, event, shop, fields=None):
    "The webhook document of one order event; fields: the webhook's selection, if any"
    keys = {prefix: _chosen(table, prefix, event, fields) for prefix, table in PREFIXES.items()}
    facts = _OrderFacts(store, order, shop)
    entry = {key: facts.order_value(key) for key in keys['order']}
    if keys['orderHistory']:
        entry['orderHistory'] = {key: facts.history_value(key) for key in keys['orderHistory']}
    if keys['orderProduct']:
        entry['orderProducts'] = {'orderProduct': [
            {key: facts.line_value(line, key) for key in keys['orderProduct']}
            for line in facts.lines]}
    return {'orders': {'order': [entry]}}


def _chosen(table, prefix, event, fields):
    "The keys of table this event sends and the selection (if any) names"
    keys = [key for key, events in table if event in events]
    if fields:
        keys = [key for key in keys if f'{prefix}_{key}' in fields]
    return keys


def _money(amount):
    return f'{decimal.Decimal(amount):.4f}'


def _net(gross, rate_text):
    "The net of a gross fee at a stored rate ('27.0000'), 4 decimals"
    rate = decimal.Decimal(rate_text or 0)
    return _money((gross * 100 / (100 + rate)).quantize(decimal.Decimal('0.0001')))


def _text(value):
    "Stored empty values ({}, None) as the webhook's ''"
    return value if isinstance(value, str) else ''


def resource_ids(collection, item):
    "(innerResourceId, outerResourceId) of an item: '<collection>/<id>'"
    try:
        parse_id(item['id'])
    except ValueError:  # an outer id: the inner one is still built from the number
        resource = PRIMARY[collection]
        inner = make_id(resource.entity, **{resource.key[0]: item.get('innerId', '')})
        return f'{collection}/{inner}', f'{collection}/{item["id"]}'
    return f'{collection}/{item["id"]}', ''


def _key_number(item):
    "The number in an item's id (countries have no innerId): 'country_id=97' -> '97'"
    try:
        _, columns = parse_id((item or {}).get('id', ''))
    except ValueError:
        return ''
    return next(iter(columns.values()), '') if len(columns) == 1 else ''


class _OrderFacts:
    "What the payload says about one order, read from the store once"

    def __init__(self, store, order, shop):
        self.store, self.order, self.shop = store, order, shop
        self.totals = {}
        for total in store.related('orderTotals', 'order', order['id']):
            kind = (total.get('type') or '').strip()
            self.totals[kind] = self.totals.get(kind, ZERO) + decimal.Decimal(
                total.get('value') or 0)
        self.coupon_total = next((total for total in store.related(
            'orderTotals', 'order', order['id']) if total.get('type') == 'COUPON'), None)
        self.language = self._linked('languages', 'language') or {}
        self.currency = self._linked('currencies', 'currency') or {}
        self.status = self._linked('orderStatuses', 'orderStatus')
        self.lines = sorted(store.related('orderProducts', 'order', order['id']),
            key=lambda line: int(line['innerId']) if line['innerId'].isdigit() else 0)

    def _linked(self, collection, field):
        return self.store.get(collection, link_id(self.order.get(field)))

    def _country(self, prefix):
        return self._linked('countries', f'{prefix}Country') or {}

    def order_value(self, key):
        order = self.order
        if key == 'storeName':
            return self.shop
        if key in ('innerResourceId', 'outerResourceId'):
            inner, outer = resource_ids('orders', order)
            return inner if key == 'innerResourceId' else outer
        if key == 'email_hash':
            email = _text(order.get('email')).strip().lower()
            return hashlib.sha256(email.encode()).hexdigest() if email else ''
        if key == 'paymentTaxnumber':
            return _text(order.get('taxNumber'))
        if key == 'shippingMethodCode':
            return _text(order.get('shippingMethodExtension'))
        if key in ('shippingGrossPrice', 'paymentGrossPrice'):
            return _money(self.totals.get(key[:-len('GrossPrice')].upper(), ZERO))
        if key in ('shippingNetPrice', 'paymentNetPrice'):
            kind = key[:-len('NetPrice')]
            return _net(self.totals.get(kind.upper(), ZERO), order.get(f'{kind}MethodTaxRate'))
        if key in ('shippingAdditionalCostNet', 'shippingAdditionalCostGross',
                'cartAmountDiscount'):
            return _money(ZERO)  # the sandbox has no such costs or discounts
        if key in ('newsletterChecked', 'loyaltyPoints', 'loyaltyPointsUsed'):
            return '0'
        if key == 'shippingInnerResourceId':
            mode = link_id(order.get('shippingMode'))
            return f'shippingModeExtend/{mode}' if mode else ''
        if key.endswith(('IsoCode2', 'IsoCode3')):  # shippingCountryIsoCode2 -> isoCode2
            country = self._country(key[:-len('CountryIsoCode2')])
            return _text(country.get('isoCode' + key[-1]))
        if key in ('shippingCountryId', 'paymentCountryId'):
            return _key_number(self._country(key[:-len('CountryId')]))
        if key == 'couponCode':
            total = self.coupon_total or {}
            coupon = self._linked('coupons', 'coupon') or {}
            return _text(total.get('description')) or _text(coupon.get('code'))
        if key == 'couponGrossPrice':
            return _money(self.totals['COUPON']) if self.coupon_total else None
        if key == 'languageId':
            return _text(self.language.get('innerId'))
        if key == 'languageCode':
            return _text(self.language.get('code'))
        if key == 'total':  # net: the lines' net sum
            return _money(self.totals.get('SUB_TOTAL', ZERO))
        if key == 'totalGross':
            return _money(self.totals.get('TOTAL', decimal.Decimal(order.get('total') or 0)))
        if key == 'taxPrice':
            return _money(self.totals.get('TAX', ZERO))
        if key == 'currency':
            return _text(self.currency.get('code'))
        if key == 'customerId':
            customer = self._linked('customers', 'customer')
            return customer['innerId'] if customer else '0'  # 0: a guest
        if key == 'shippingId':
            mode = self._linked('shippingModes', 'shippingMode') or {}
            return _text(mode.get('innerId'))
        return _text(order.get(key))  # stored as is (names, addresses, comment, …)

    def history_value(self, key):
        if key == 'status':
            return self.status['innerId'] if self.status else '0'
        if key == 'statusText':
            return self._status_text()
        history = self._last_history()
        if key == 'comment':
            return _text((history or {}).get('comment'))
        if history is not None and _text(history.get('dateAdded')):
            return history['dateAdded']
        created = dates.comparable(self.order.get('dateCreated'))
        return created.replace('T', ' ')  # the space format of orderHistory dates

    def _last_history(self):
        "The order's latest history row, if it is about the current status"
        rows = self.store.related('orderHistories', 'order', self.order['id'])
        if rows and link_id(rows[-1].get('orderStatus')) == link_id(
                self.order.get('orderStatus')):
            return rows[-1]
        return None

    def _status_text(self):
        if self.status is None:
            return ''
        names = {link_id(description.get('language')): _text(description.get('name'))
            for description in self.store.related(
                'orderStatusDescriptions', 'orderStatus', self.status['id'])}
        return names.get(self.language.get('id')) or next(iter(names.values()), '')

    def line_value(self, line, key):
        product = self.store.get('products', link_id(line.get('product'))) or {}
        if key in ('innerResourceId', 'outerResourceId'):
            inner, outer = resource_ids('orderProducts', line)
            return inner if key == 'innerResourceId' else outer
        if key == 'currency':
            return _text(self.currency.get('code'))
        if key == 'quantity':  # ShopRenter stores what each warehouse gave
            return str(sum(int(line.get(f'stock{number}') or 0) for number in range(1, 5)))
        if key == 'image':
            return _text(product.get('mainPicture'))
        if key == 'volume':
            return {**{side: _text(line.get(side)) or '0.00'
                for side in ('height', 'width', 'length')},
                'volumeUnit': self._units('cm')}
        if key == 'weight':
            return {'weight': _text(line.get('weight')) or '0.00',
                'weightUnit': self._units('kg')}
        if key == 'productId':
            return _text(line.get('productInnerId')) or _text(product.get('innerId'))
        if key == 'model':
            return _text(line.get('modelNumber'))
        if key == 'durableMediaDevice':
            return _text(line.get(key)) or '0'
        return _text(line.get(key))  # name, sku, price (net), taxRate, grossPrice, gtin, …

    def _units(self, unit):
        codes = [_text(language.get('code')) for language in self.store.items('languages')]
        return [{'unit': unit, 'language': code} for code in codes if code]
