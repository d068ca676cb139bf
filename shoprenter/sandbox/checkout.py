"""Placing an order in the sandbox the way a shop customer would.

``place_order(data, intent, now)`` turns an order intent (see the shared contract) into the stored
items ShopRenter itself would write: one ``orders`` item, its ``orderProducts`` and ``orderTotals``,
and it takes the sold quantities off the products' ``stock1``.

Money follows ShopRenter's rounding, ``shoprenter.rounding`` (the ERPs' total check expects
the same rule):

- order lines carry the NET unit price; the gross unit price is rounded to the currency
  (whole forints for HUF) and a line's gross is gross unit price x quantity;
- SHIPPING and PAYMENT totals are GROSS fees, COUPON is a NEGATIVE gross discount;
- one TAX row per VAT rate of the lines (the VAT of the lines only), SUB_TOTAL is
  SUB_TOTAL_WITH_TAX less the TAX rows, TOTAL = SUB_TOTAL_WITH_TAX + SHIPPING + PAYMENT + COUPON
  = order ``total``.
All amounts are rounded half-up to the currency's decimal places but written with 4 decimals.
"""
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .. import rounding
from .ids import make_id, parse_id

__all__ = ['CheckoutError', 'place_order']

DATETIME_FORMAT = '%Y-%m-%dT%H:%M:%S'
ADDRESS_KEYS = ('company', 'firstname', 'lastname', 'address1', 'address2', 'city',
                'postcode', 'countryName')
DEFAULT_STATUS = '1'
# A ShopRenter shop sells in forints by default; used when the data has no currencies at all.
DEFAULT_CURRENCY_CODE = 'HUF'
DEFAULT_LANGUAGE_CODE = 'hu'
NO_RATE = '-1.0000'   # couponTaxRate / loyaltyPointsTaxRate of an order without them (fixture)
HUNDRED = Decimal(100)


class CheckoutError(ValueError):
    "The intent cannot be placed as an order (the sandbox answers 400 with the message)"


# --- small helpers ---------------------------------------------------------------------------

def four_decimals(amount):
    "The API's money/rate string: '1490.0000'"
    return f'{Decimal(amount):.4f}'


def to_decimal(value, what):
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise CheckoutError(f'{what} is not a number: {value!r}') from None
    if not amount.is_finite():
        raise CheckoutError(f'{what} is not a number: {value!r}')
    return amount


def link(item):
    return {'id': item['id']} if item else None


def link_id(value):
    "The id a stored link points to, or None for an empty link ({}, null, '')"
    if isinstance(value, dict):
        if value.get('id'):
            return value['id']
        href = value.get('href')
        if href:
            return href.rstrip('/').rsplit('/', 1)[-1]
    return None


def find_by_id(data, collection, item_id):
    for item in data.get(collection) or []:
        if item.get('id') == item_id:
            return item
    return None


def find_by_id_or_inner_id(data, collection, key):
    key = str(key).strip()
    for item in data.get(collection) or []:
        if item.get('id') == key or str(item.get('innerId')) == key:
            return item
    return None


def format_time(now):
    "The API's datetime text; now may be a datetime or already such a text"
    if isinstance(now, datetime):
        return now.strftime(DATETIME_FORMAT)
    return str(now)


def parse_day(text):
    "A coupon date ('2026-06-30'), or None for an unset one ('0000-00-00', '', None)"
    if not text or not isinstance(text, str) or text.startswith('0000'):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def next_number(items, entity, column):
    """The next free numeric key of a collection: 1 + the largest innerId or id key.

    Ids that are not ShopRenter ids (outer ids) carry no number and are skipped."""
    largest = 0
    for item in items:
        numbers = []
        if str(item.get('innerId', '')).isdigit():
            numbers.append(int(item['innerId']))
        try:
            item_entity, columns = parse_id(item.get('id', ''))
        except ValueError:
            item_entity, columns = None, {}
        if item_entity == entity and str(columns.get(column, '')).isdigit():
            numbers.append(int(columns[column]))
        largest = max([largest] + numbers)
    return largest + 1


def rate_label(rate):
    "27.0000 -> '27', 5.5000 -> '5.5' (as in 'ÁFA (27%):')"
    return f'{rate.normalize():f}'


# --- shop context: currency, language, tax rates ---------------------------------------------

class Money:
    "Rounds amounts to the order currency's decimal places and writes them as the API does"

    def __init__(self, currency):
        currency = currency or {}
        # A shop's currency always has its decimalPlace; without one, the shop's forints
        self.places = int(str(currency.get('decimalPlace') or '0'))
        symbol_right = currency.get('symbolRight')
        self.symbol_right = symbol_right if isinstance(symbol_right, str) else ''
        symbol_left = currency.get('symbolLeft')
        self.symbol_left = symbol_left if isinstance(symbol_left, str) else ''

    def round(self, amount):
        return rounding.round_money(amount, self.places)

    def gross(self, net, rate):
        "The gross of a net unit price or fee at a VAT rate (percent)"
        return rounding.gross_price(net, rate, self.places)

    def text(self, amount):
        "valueText like the shop shows it: '1.892 Ft' (Hungarian thousands separator '.')"
        amount = self.round(amount)
        sign = '-' if amount < 0 else ''
        whole, _, fraction = f'{abs(amount):f}'.partition('.')
        grouped = f'{int(whole):,}'.replace(',', '.')
        if fraction:
            grouped += ',' + fraction
        return f'{sign}{self.symbol_left}{grouped}{self.symbol_right}'


def default_currency(data):
    currencies = data.get('currencies') or []
    for currency in currencies:
        if currency.get('code') == DEFAULT_CURRENCY_CODE:
            return currency
    return currencies[0] if currencies else None


def default_language(data):
    languages = data.get('languages') or []
    for language in languages:
        if language.get('code') == DEFAULT_LANGUAGE_CODE:
            return language
    return languages[0] if languages else None


def tax_class_rate(data, tax_class_id):
    """The VAT rate (Decimal) of a tax class, 0 when it has none.

    The sandbox has one shop geo zone (Hungary), so the class's highest-priority rate is it."""
    rates = [rate for rate in data.get('taxRates') or []
             if link_id(rate.get('taxClass')) == tax_class_id]
    if not rates:
        return Decimal(0)
    rates.sort(key=lambda rate: int(str(rate.get('priority') or '1')))
    return to_decimal(rates[0].get('rate') or '0', 'tax rate')


def tax_class_name(data, tax_class_id):
    tax_class = find_by_id(data, 'taxClasses', tax_class_id)
    return (tax_class or {}).get('name') or ''


def description_name(data, collection, owner_field, owner_id, language):
    "The name of an item in the order language from its description collection"
    names = {}
    for description in data.get(collection) or []:
        if link_id(description.get(owner_field)) == owner_id:
            names[link_id(description.get('language'))] = description.get('name') or ''
    if language and names.get(language['id']):
        return names[language['id']]
    return next((name for name in names.values() if name), '')


# --- buyer and addresses ----------------------------------------------------------------------

def find_customer(data, intent):
    key = intent.get('customer')
    if key in (None, '', {}):
        return None
    if isinstance(key, dict):
        key = link_id(key)
    customer = find_by_id_or_inner_id(data, 'customers', key)
    if customer is None:
        raise CheckoutError(f'unknown customer: {key!r}')
    return customer


def country_name(data, country_id):
    country = find_by_id(data, 'countries', country_id)
    return (country or {}).get('name') or ''


def find_country(data, name):
    "The country item for an address's country name (or ISO code); the shop's first when blank"
    countries = data.get('countries') or []
    if not name:
        return countries[0] if countries else None
    wanted = name.strip().casefold()
    for country in countries:
        names = (country.get('name'), country.get('isoCode2'), country.get('isoCode3'))
        if wanted in {str(value).casefold() for value in names if value}:
            return country
    return None


def customer_address(data, customer):
    "The registered customer's default address as intent address keys"
    if customer is None:
        return {}
    address = find_by_id(data, 'addresses', link_id(customer.get('defaultAddress')))
    if address is None:
        return {'firstname': customer.get('firstname'), 'lastname': customer.get('lastname')}
    values = {key: address.get(key) for key in ADDRESS_KEYS if key != 'countryName'}
    values['countryName'] = country_name(data, link_id(address.get('country')))
    return values


def text_value(value):
    "Empty API values ({} / None) become '' on the order, like the order fixture's"
    return value.strip() if isinstance(value, str) else ''


def complete_address(given, fallback, data):
    "An address as intent keys: given values win, the rest comes from the fallback"
    given = given or {}
    address = {key: text_value(given.get(key, fallback.get(key))) for key in ADDRESS_KEYS}
    if not address['countryName']:
        country = find_country(data, '')
        address['countryName'] = (country or {}).get('name') or ''
    return address


def buyer(data, intent, customer):
    "Name, e-mail, phone and tax number: given values win, else the registered customer's"
    registered = customer or {}
    default_address = find_by_id(
        data, 'addresses', link_id(registered.get('defaultAddress'))) or {}

    def pick(key, customer_key):
        if intent.get(key) is not None:
            # E-mails are kept exactly as typed: shops do, and the ERP must cope with it.
            return intent[key] if isinstance(intent[key], str) else str(intent[key])
        return text_value(registered.get(customer_key))

    return {
        'firstname': pick('firstname', 'firstname'),
        'lastname': pick('lastname', 'lastname'),
        'email': pick('email', 'email'),
        'phone': pick('phone', 'telephone'),
        'taxNumber': (intent['taxNumber'] if intent.get('taxNumber') is not None
                      else text_value(default_address.get('taxNumber'))),
    }


# --- cart lines -------------------------------------------------------------------------------

def quantity_of(item):
    quantity = item.get('quantity', 1)
    if isinstance(quantity, str) and quantity.strip().isdigit():
        quantity = int(quantity.strip())
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise CheckoutError(f'quantity must be a positive integer, not {quantity!r}')
    return quantity


def find_product(data, sku):
    for product in data.get('products') or []:
        if product.get('sku') == sku:
            return product
    return None


def catalog_line(data, item, language):
    "A cart line of a catalog product, priced from the product"
    sku = str(item['sku']).strip()
    product = find_product(data, sku)
    if product is None:
        raise CheckoutError(f'unknown sku: {sku!r}')
    tax_class_id = link_id(product.get('taxClass'))
    name = item.get('name') or description_name(
        data, 'productDescriptions', 'product', product['id'], language) or sku
    return {
        'product': product,
        'sku': sku,
        'name': name,
        'price': to_decimal(product.get('price') or '0', f'price of {sku}'),
        'taxRate': tax_class_rate(data, tax_class_id),
        'quantity': quantity_of(item),
    }


def custom_line(item):
    """A line not tied to a catalog product: a service (no sku, e.g. gift wrapping) or a
    product no longer in the catalog (sku given). It brings its own name, net price and rate."""
    for key in ('name', 'price', 'taxRate'):
        if item.get(key) in (None, ''):
            raise CheckoutError(f'a line without a catalog product needs {key!r}: {item!r}')
    price = to_decimal(item['price'], f'price of {item["name"]!r}')
    rate = to_decimal(item['taxRate'], f'taxRate of {item["name"]!r}')
    if price < 0 or rate < 0:
        raise CheckoutError(f'price and taxRate must not be negative: {item!r}')
    return {
        'product': None,
        'sku': str(item.get('sku') or '').strip(),
        'name': str(item['name']),
        'price': price,
        'taxRate': rate,
        'quantity': quantity_of(item),
    }


def cart_lines(data, intent, language, money):
    items = intent.get('items')
    if not items or not isinstance(items, list):
        raise CheckoutError('the order has no items')
    lines = []
    for item in items:
        if not isinstance(item, dict):
            raise CheckoutError(f'an item must be an object: {item!r}')
        # A price in the item means "not priced from the catalog" (service or discontinued).
        if item.get('price') is None and item.get('sku'):
            line = catalog_line(data, item, language)
        elif item.get('price') is None:
            raise CheckoutError(f'an item needs a sku or a name, price and taxRate: {item!r}')
        else:
            line = custom_line(item)
        line['net_total'] = line['price'] * line['quantity']
        line['gross_price'] = money.gross(line['price'], line['taxRate'])
        line['gross_total'] = line['gross_price'] * line['quantity']
        lines.append(line)
    return lines


# --- shipping, payment, coupon ----------------------------------------------------------------

def find_shipping_mode(data, key):
    if key in (None, ''):
        raise CheckoutError('the order needs a shippingMode')
    if isinstance(key, dict):
        key = link_id(key)
    mode = find_by_id_or_inner_id(data, 'shippingModes', key)
    if mode is not None:
        return mode
    wanted = str(key).strip().casefold()
    for description in data.get('shippingModeDescriptions') or []:
        if (description.get('name') or '').strip().casefold() == wanted:
            mode = find_by_id(data, 'shippingModes', link_id(description.get('shippingMode')))
            if mode is not None:
                return mode
    raise CheckoutError(f'unknown shipping mode: {key!r}')


def shipping_fee(mode, rate, cart_gross, money, free_by_coupon):
    """The gross shipping fee: the first lane fitting the gross cart, its net cost plus VAT;
    nothing from the mode's free-shipping threshold on or with a free-shipping coupon."""
    free_from = to_decimal(mode.get('freeShippingFrom') or '0', 'freeShippingFrom')
    if free_by_coupon or (free_from > 0 and cart_gross >= free_from):
        return Decimal(0)
    for lane in mode.get('shippingLanes') or []:
        minimum = to_decimal(lane.get('cartMinimumGross') or '0', 'cartMinimumGross')
        maximum = to_decimal(lane.get('cartMaximumGross') or '99999999999.9999',
                             'cartMaximumGross')
        if minimum <= cart_gross <= maximum:
            cost_net = to_decimal(lane.get('costNet') or '0', 'costNet')
            return money.gross(cost_net, rate)
    return Decimal(0)


def find_payment_mode(data, code):
    if not code:
        raise CheckoutError('the order needs a paymentCode')
    wanted = str(code).strip().casefold()
    for mode in data.get('paymentModes') or []:
        if (mode.get('code') or '').casefold() == wanted:
            return mode
    raise CheckoutError(f'unknown payment code: {code!r}')


def payment_name(mode, language):
    descriptions = mode.get('paymentDescription') or mode.get('paymentDescriptions') or []
    if isinstance(descriptions, dict):
        descriptions = [descriptions]
    names = {link_id(description.get('language')): description.get('name') or ''
             for description in descriptions}
    if language and names.get(language['id']):
        return names[language['id']]
    return next((name for name in names.values() if name), mode.get('code') or '')


def find_coupon(data, code, today):
    "The usable coupon of the code (case-insensitive), None without a code"
    if not code:
        return None
    wanted = str(code).strip().casefold()
    coupon = next((coupon for coupon in data.get('coupons') or []
                   if (coupon.get('code') or '').casefold() == wanted), None)
    if coupon is None:
        raise CheckoutError(f'unknown coupon: {code!r}')
    if str(coupon.get('status', '1')) != '1':
        raise CheckoutError(f'coupon {coupon["code"]!r} is disabled')
    start, end = parse_day(coupon.get('dateStart')), parse_day(coupon.get('dateEnd'))
    if today is not None and ((start and today < start) or (end and today > end)):
        raise CheckoutError(f'coupon {coupon["code"]!r} is not valid on {today.isoformat()}')
    return coupon


def coupon_discount(coupon, cart_gross, money):
    "The gross discount of a coupon, never more than the gross cart"
    if coupon is None:
        return Decimal(0)
    if coupon.get('discountType') == 'FIXED':
        discount = to_decimal(coupon.get('fixDiscountValue') or '0', 'fixDiscountValue')
    else:
        percent = to_decimal(coupon.get('percentDiscountValue') or '0', 'percentDiscountValue')
        discount = cart_gross * percent / HUNDRED
    return min(money.round(discount), cart_gross)


def find_status(data, intent):
    "The order status item; None (abandoned cart) when the intent says orderStatus: null"
    if 'orderStatus' in intent and intent['orderStatus'] in (None, '', {}, '0', 0):
        return None
    key = intent.get('orderStatus', DEFAULT_STATUS)
    if isinstance(key, dict):
        key = link_id(key)
    status = find_by_id_or_inner_id(data, 'orderStatuses', key)
    if status is None:
        raise CheckoutError(f'unknown order status: {key!r}')
    return status


# --- building the stored items ----------------------------------------------------------------

def order_totals_rows(lines, shipping, payment, coupon, money, names):
    "The (type, name, value, sortOrder, description) rows of the order's totals"
    totals = rounding.order_totals(
        [(line['price'], line['quantity'], line['taxRate']) for line in lines], money.places,
        shipping=shipping['fee'], payment=payment['fee'], coupon=-coupon['discount'])
    rows = [('SUB_TOTAL', 'Nettó részösszeg:', totals.sub_total, 1, None)]
    for rate in sorted(totals.taxes, reverse=True):
        rows.append(('TAX', f'ÁFA ({rate_label(rate)}%):', totals.taxes[rate], 3, None))
    rows.append(('SUB_TOTAL_WITH_TAX', 'Bruttó részösszeg:', totals.sub_total_with_tax, 4, None))
    if coupon['discount'] > 0:
        rows.append(('COUPON', f'Kupon ({coupon["code"]}):', -coupon['discount'], 5,
                     coupon['code']))
    if shipping['fee'] > 0:
        rows.append(('SHIPPING', f'{names["shipping"]}:', shipping['fee'], 6, None))
    if payment['fee'] > 0:
        rows.append(('PAYMENT', f'{names["payment"]} díja:', payment['fee'], 7, None))
    rows.append(('TOTAL', 'Bruttó végösszeg:', totals.total, 10, None))
    return rows


def order_item(order_number, context):
    "The stored order: every field of the official order fixture, links as {'id': …}"
    buyer_data, payment_address, shipping_address = (
        context['buyer'], context['payment_address'], context['shipping_address'])
    order = {
        'id': make_id('order', order_id=order_number),
        'innerId': str(order_number),
        'invoiceId': '0',
        'invoicePrefix': '',
        'firstname': buyer_data['firstname'],
        'lastname': buyer_data['lastname'],
        'phone': buyer_data['phone'],
        'fax': '',
        'email': buyer_data['email'],
    }
    for prefix, address in (('shipping', shipping_address), ('payment', payment_address)):
        order.update({
            f'{prefix}Firstname': address['firstname'],
            f'{prefix}Lastname': address['lastname'],
            f'{prefix}Company': address['company'],
            f'{prefix}Address1': address['address1'],
            f'{prefix}Address2': address['address2'],
            f'{prefix}City': address['city'],
            f'{prefix}Postcode': address['postcode'],
            f'{prefix}ZoneName': '',
            f'{prefix}CountryName': address['countryName'],
            f'{prefix}AddressFormat': '',
        })
        if prefix == 'shipping':
            order.update(context['shipping_fields'])
        else:
            order.update(context['payment_fields'])
    order.update({
        'taxNumber': buyer_data['taxNumber'],
        'comment': context['comment'],
        'total': four_decimals(context['total']),
        'value': '1.00000000',
        'couponTaxRate': context['coupon_tax_rate'],
        'dateCreated': context['now'],
        'dateUpdated': context['now'],
        'ip': context['ip'],
        'pickPackPontShopCode': '',
        'loyaltyPointsTaxRate': NO_RATE,
        'customer': link(context['customer']),
        'customerGroup': link(context['customer_group']),
        'shippingZone': None,
        'shippingCountry': link(context['shipping_country']),
        'paymentZone': None,
        'paymentCountry': link(context['payment_country']),
        'orderStatus': link(context['status']),
        'language': link(context['language']),
        'currency': link(context['currency']),
        'shippingMode': link(context['shipping_mode']),
        # Sandbox extension: which coupon was used, so orderExtend can embed it.
        'coupon': link(context['coupon']),
        'externalInfo': {'partner_order_id': '', 'partner_prefix': ''},
    })
    # orderTotals / orderProducts / orderGiftWrappings / orderProductAddons are collection
    # links ("?orderId="): the sandbox derives them, they are not stored.
    return order


def order_product_item(number, line, order, abandoned):
    product = line['product'] or {}
    gross_price = line['gross_price']
    # An abandoned cart took nothing from the warehouse: ShopRenter stores stock1..4 = 0.
    taken = '0' if abandoned else str(line['quantity'])
    return {
        'id': make_id('orderProduct', order_product_id=number),
        'innerId': str(number),
        'name': line['name'],
        'sku': line['sku'],
        'productInnerId': str(product.get('innerId') or '0'),
        'modelNumber': product.get('modelNumber') or {},
        'originalPrice': four_decimals(line['price']),
        'price': four_decimals(line['price']),
        'grossPrice': f'{gross_price:f}',
        'originalGrossPrice': f'{gross_price:f}',
        'originalPriceCurrency': four_decimals(line['price']),
        'priceCurrency': four_decimals(line['price']),
        'grossPriceCurrency': four_decimals(gross_price),
        'originalGrossPriceCurrency': four_decimals(gross_price),
        'total': four_decimals(line['net_total']),
        'taxRate': four_decimals(line['taxRate']),
        'stock1': taken,
        'stock2': '0',
        'stock3': '0',
        'stock4': '0',
        'subtractStock': str(product.get('subtractStock') or '0'),
        'dateCreated': order['dateCreated'],
        'dateUpdated': order['dateCreated'],
        'width': product.get('width') or '0.00',
        'height': product.get('height') or '0.00',
        'length': product.get('length') or '0.00',
        'weight': product.get('weight') or '0.00',
        'parentProduct': link(line['product']),
        'gtin': product.get('gtin') or '',
        'durableMediaDevice': str(product.get('durableMediaDevice') or '0'),
        'order': {'id': order['id']},
        'product': link(line['product']),
    }


def order_total_item(number, row, order, money):
    total_type, name, value, sort_order, description = row
    return {
        'id': make_id('orderTotal', order_total_id=number),
        'name': name,
        'valueText': money.text(value),
        'value': four_decimals(value),
        'sortOrder': str(sort_order),
        'type': total_type,
        'key': {},
        'description': description if description else {},
        'dateCreated': order['dateCreated'],
        'dateUpdated': order['dateCreated'],
        'order': {'id': order['id']},
    }


def take_stock(lines, now):
    "Sold quantities leave warehouse 1; ShopRenter lets the stock go negative"
    for line in lines:
        product = line['product']
        if product is None or str(product.get('subtractStock', '1')) != '1':
            continue
        stock = int(str(product.get('stock1') or '0'))
        product['stock1'] = str(stock - line['quantity'])
        product['dateUpdated'] = now


def as_date(now):
    if isinstance(now, datetime):
        return now.date()
    try:
        return datetime.strptime(str(now)[:19], DATETIME_FORMAT).date()
    except ValueError:
        return None


# --- the checkout -----------------------------------------------------------------------------

def shipping_charge(data, intent, cart_gross, coupon, money, language):
    "The shipping mode, its gross fee and the order's shipping method fields"
    mode = find_shipping_mode(data, intent.get('shippingMode'))
    tax_class = link_id(mode.get('taxClass'))
    rate = tax_class_rate(data, tax_class)
    free_by_coupon = bool(coupon) and str(coupon.get('freeShipping', '0')) == '1'
    name = description_name(data, 'shippingModeDescriptions', 'shippingMode', mode['id'],
                            language)
    return {'mode': mode, 'name': name,
            'fee': shipping_fee(mode, rate, cart_gross, money, free_by_coupon),
            'fields': {
                'shippingMethodName': name,
                'shippingMethodTaxRate': four_decimals(rate),
                'shippingMethodTaxName': tax_class_name(data, tax_class),
                'shippingMethodExtension': mode.get('extension') or '',
                'shippingReceivingPointId': str(intent.get('shippingReceivingPointId') or '0'),
            }}


def payment_charge(data, intent, money, language):
    "The payment mode, its gross handling fee and the order's payment method fields"
    mode = find_payment_mode(data, intent.get('paymentCode'))
    # Sandbox extension fields on paymentModes (the API shows no fees): see demo.py.
    fee = money.round(to_decimal(mode.get('sandboxFeeGross') or '0', 'sandboxFeeGross'))
    rate = to_decimal(mode.get('sandboxFeeTaxRate') or '0', 'sandboxFeeTaxRate')
    name = payment_name(mode, language)
    return {'mode': mode, 'name': name, 'fee': fee,
            'fields': {
                'paymentMethodName': name,
                'paymentMethodCode': (mode.get('code') or '').upper(),
                'paymentMethodTaxRate': four_decimals(rate),
                'paymentMethodTaxName': f'{rate_label(rate)} %' if rate else '',
                'paymentMethodAfter': '1',
            }}


def order_addresses(data, intent, customer, buyer_data):
    "The billing and the shipping address (intent keys) of the order"
    fallback = (customer_address(data, customer) if customer else
                {'firstname': buyer_data['firstname'], 'lastname': buyer_data['lastname']})
    payment_address = complete_address(intent.get('payment'), fallback, data)
    if not intent.get('shipping'):
        return payment_address, dict(payment_address)
    # Another recipient: nothing of the billing address but the names carries over.
    names = {key: payment_address[key] for key in ('firstname', 'lastname')}
    return payment_address, complete_address(intent['shipping'], names, data)


def order_customer_group(data, customer):
    group = None
    if customer:
        group = find_by_id(data, 'customerGroups', link_id(customer.get('customerGroup')))
    if group is None and data.get('customerGroups'):
        group = data['customerGroups'][0]   # guests get the shop's default group
    return group


def place_order(data, intent, now):
    """Place the intent as a new order in data and return the stored order item.

    Appends to data's orders, orderProducts and orderTotals, takes the sold quantities off the
    products' stock1 (not for an abandoned cart) and sets their dateUpdated to now.
    Raise CheckoutError (before changing anything) when the intent is not valid."""
    if not isinstance(intent, dict):
        raise CheckoutError('the order intent must be an object')
    currency, language = default_currency(data), default_language(data)
    money = Money(currency)

    customer = find_customer(data, intent)
    lines = cart_lines(data, intent, language, money)
    status = find_status(data, intent)
    coupon = find_coupon(data, intent.get('coupon'), as_date(now))
    cart_gross = sum((line['gross_total'] for line in lines), Decimal(0))
    shipping = shipping_charge(data, intent, cart_gross, coupon, money, language)
    payment = payment_charge(data, intent, money, language)
    discount = {'discount': coupon_discount(coupon, cart_gross, money),
                'code': (coupon or {}).get('code')}
    rows = order_totals_rows(lines, shipping, payment, discount, money,
                             {'shipping': shipping['name'], 'payment': payment['name']})

    buyer_data = buyer(data, intent, customer)
    payment_address, shipping_address = order_addresses(data, intent, customer, buyer_data)
    context = {
        'now': format_time(now), 'buyer': buyer_data, 'customer': customer,
        'customer_group': order_customer_group(data, customer), 'status': status,
        'language': language, 'currency': currency, 'shipping_mode': shipping['mode'],
        'coupon': coupon,
        'payment_address': payment_address, 'shipping_address': shipping_address,
        'payment_country': find_country(data, payment_address['countryName']),
        'shipping_country': find_country(data, shipping_address['countryName']),
        'comment': str(intent.get('comment') or ''),
        'ip': str(intent.get('ip') or ''),
        'total': rows[-1][2],
        'coupon_tax_rate': (four_decimals(tax_class_rate(data, link_id(coupon.get('taxClass'))))
                            if coupon else NO_RATE),
        'shipping_fields': shipping['fields'],
        'payment_fields': payment['fields'],
    }
    return store_order(data, context, lines, rows, money, abandoned=status is None)


def store_order(data, context, lines, rows, money, abandoned):
    "Append the order, its lines and totals to data; take the stock unless a cart was abandoned"
    for collection in ('orders', 'orderProducts', 'orderTotals'):
        data.setdefault(collection, [])
    order = order_item(next_number(data['orders'], 'order', 'order_id'), context)
    data['orders'].append(order)
    line_number = next_number(data['orderProducts'], 'orderProduct', 'order_product_id')
    for offset, line in enumerate(lines):
        data['orderProducts'].append(
            order_product_item(line_number + offset, line, order, abandoned))
    total_number = next_number(data['orderTotals'], 'orderTotal', 'order_total_id')
    for offset, row in enumerate(rows):
        data['orderTotals'].append(order_total_item(total_number + offset, row, order, money))
    if not abandoned:
        take_stock(lines, context['now'])
    return order
