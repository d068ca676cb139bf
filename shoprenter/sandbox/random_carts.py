"""Random buyers' carts for a sandbox shop: many plausible checkouts for tests and load runs.

``add_round_price_products(data, rng)`` adds products priced the way merchants price them: a
round gross price (9 990 Ft) that ShopRenter stores as net = gross / (1 + rate) with 4 decimals.
``add_undated_coupons(data)`` adds coupons valid on any day, so carts do not depend on the date.
``random_intent(data, rng)`` is a checkout: 1-4 lines of any catalog product (and now and then a
gift-wrapping service), quantities 1-12, any shipping and payment mode, sometimes a coupon.
"""
from decimal import Decimal

from .checkout import tax_class_rate
from .ids import make_id

__all__ = ['ROUND_GROSS_PRICES', 'add_round_price_products', 'add_undated_coupons',
           'random_intent']

ROUND_GROSS_PRICES = (190, 290, 490, 990, 1290, 1990, 2490, 3990, 4990, 7990, 9990, 12990,
                      14900, 24900, 39900, 89900)
SKU_PREFIX = 'KEREK-'
# Odd percentages on purpose: a 7 % discount of a gross cart is rarely whole forints.
UNDATED_COUPONS = (('VELETLEN7', 'PERCENT', '7.0000', '0.0000'),
                   ('VELETLEN13', 'PERCENT', '13.0000', '0.0000'),
                   ('VELETLEN990', 'FIXED', '0.0000', '990.0000'))
SERVICE = {'name': 'Ajándékcsomagolás', 'price': '393.7008', 'taxRate': '27'}  # 500 Ft gross


def net_of_gross(gross, rate):
    "ShopRenter's stored net price of a gross price: 4 decimals"
    return (Decimal(gross) / (1 + rate / 100)).quantize(Decimal('0.0001'))


def add_round_price_products(data, rng, count=40):
    "Add count products with round gross prices, one of the shop's tax classes each"
    tax_classes = [item['id'] for item in data.get('taxClasses') or []]
    numbers = [int(item['innerId']) for item in data['products'] if str(item.get('innerId', '')
                                                                           ).isdigit()]
    first = max(numbers, default=0) + 1
    language = (data.get('languages') or [{}])[0].get('id')
    for number in range(first, first + count):
        tax_class = rng.choice(tax_classes)
        rate = tax_class_rate(data, tax_class)
        gross = rng.choice(ROUND_GROSS_PRICES)
        product_id = make_id('product', product_id=number)
        sku = f'{SKU_PREFIX}{number}'
        data['products'].append({
            'id': product_id, 'innerId': str(number), 'sku': sku,
            'price': f'{net_of_gross(gross, rate):f}', 'stock1': '1000', 'stock2': '0',
            'stock3': '0', 'stock4': '0', 'subtractStock': '1', 'status': '1',
            'dateCreated': '2026-01-05T08:00:00', 'dateUpdated': '2026-01-05T08:00:00',
            'taxClass': {'id': tax_class}, 'parentProduct': {'id': product_id}})
        data.setdefault('productDescriptions', []).append({
            'id': make_id('productDescription', product_id=number, language_id=1),
            'name': f'Kerek árú termék {number} ({gross} Ft)', 'product': {'id': product_id},
            'language': {'id': language}})


def add_undated_coupons(data):
    "Add the percent and fixed coupons of UNDATED_COUPONS (the shop's first tax class)"
    coupons = data.setdefault('coupons', [])
    first = len(coupons) + 100
    tax_class = (data.get('taxClasses') or [{}])[0].get('id')
    for offset, (code, kind, percent, fixed) in enumerate(UNDATED_COUPONS):
        coupons.append({
            'id': make_id('coupon', coupon_id=first + offset), 'code': code,
            'discountType': kind, 'percentDiscountValue': percent, 'fixDiscountValue': fixed,
            'freeShipping': '0', 'dateStart': '0000-00-00', 'dateEnd': '0000-00-00',
            'status': '1', 'taxClass': {'id': tax_class}})


def random_intent(data, rng, skus=None):
    """A random checkout in the shop of data (an order intent for place_order).

    skus: the catalog to choose from (default: every product); coupons are the undated ones."""
    skus = skus or [product['sku'] for product in data['products']]
    items = [{'sku': sku, 'quantity': rng.randint(1, 12)}
             for sku in rng.sample(skus, rng.randint(1, 4))]
    if rng.random() < .1:
        items.append(dict(SERVICE, quantity=rng.randint(1, 3)))
    customers = data.get('customers') or []
    intent = {
        'items': items,
        'shippingMode': rng.choice(data['shippingModes'])['id'],
        'paymentCode': rng.choice(data['paymentModes'])['code'],
    }
    if customers:
        intent['customer'] = rng.choice(customers)['id']
    else:
        intent.update(firstname='Véletlen', lastname='Vevő', email='vevo@example.hu',
                      payment={'firstname': 'Véletlen', 'lastname': 'Vevő',
                               'address1': 'Fő utca 1.', 'city': 'Szeged',
                               'postcode': '6720', 'countryName': 'Magyarország'})
    undated = [coupon['code'] for coupon in data.get('coupons') or []
               if coupon['code'] in {code for code, *_ in UNDATED_COUPONS}]
    if undated and rng.random() < .3:
        intent['coupon'] = rng.choice(undated)
    return intent

