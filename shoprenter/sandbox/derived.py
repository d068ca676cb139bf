"""Fields computed from other stored items, not stored themselves.

Each function returns the rendered value, or None to render the stored one."""
import decimal

from .links import link_id


def order_coupon(renderer, order):
    "The order's coupon: its link, else the code of its COUPON total"
    store = renderer.store
    coupon = store.get('coupons', link_id(order.get('coupon')))
    if coupon is None:
        codes = {total.get('description') for total in
            store.related('orderTotals', 'order', order['id'])
            if total.get('type') == 'COUPON'}
        coupon = next((item for item in store.items('coupons')
            if item.get('code') in codes), None)
    if coupon is None:
        return {}  # no coupon: an empty object, as empty links are shown
    return renderer.embedded('coupons', {'id': coupon['id']})


def tax_rate(store, product):
    "The percentage of the product's tax class (its first tax rate)"
    class_id = link_id(product.get('taxClass'))
    for rate in store.related('taxRates', 'taxClass', class_id):
        return decimal.Decimal(rate.get('rate') or 0)
    return decimal.Decimal(0)


def _whole(number):
    return str(number.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def product_prices(renderer, product):
    "Net/gross price per customer group, in the default currency (read-only)"
    store = renderer.store
    net = decimal.Decimal(product.get('price') or 0)
    rate = tax_rate(store, product)
    groups = sorted(store.items('customerGroups'), key=lambda group: int(group['innerId']))
    default = next((group for group in groups if str(group.get('default')) in ('1', 'True', 'true')),
        groups[0] if groups else None)
    code = next((currency.get('code') for currency in store.items('currencies')
        if currency.get('value', '').startswith('1.0000')), 'HUF')
    prices = []
    for group in groups:
        discount = decimal.Decimal(group.get('percentDiscount') or 0)
        group_net = net * (100 - discount) / 100
        gross = group_net * (100 + rate) / 100
        prices.append({
            'customerGroup': {'id': group['id'], 'innerId': int(group['innerId']),
                'default': group is default},
            'net': _whole(group_net), 'netOriginal': _whole(group_net), 'netSpecial': None,
            'gross': _whole(gross), 'grossOriginal': _whole(gross), 'grossSpecial': None,
            'currencyCode': code})
    return prices


def product_inner_id(renderer, line):
    "An order line's productInnerId when checkout did not store it"
    if line.get('productInnerId'):
        return None
    product = renderer.store.get('products', link_id(line.get('product')))
    return product['innerId'] if product else None


def line_parent_product(renderer, line):
    "An order line's parentProduct is its product when it has no parent"
    if link_id(line.get('parentProduct')) or not link_id(line.get('product')):
        return None
    return renderer.link('products', link_id(line.get('product')))


def parent_product(renderer, product):
    "A product without parent is its own parent (as the examples show)"
    if link_id(product.get('parentProduct')):
        return None
    return renderer.link('products', product['id'])


DERIVED = {
    ('orderExtend', 'coupon'): order_coupon,
    ('productExtend', 'productPrices'): product_prices,
    ('orderProducts', 'productInnerId'): product_inner_id,
    ('orderProducts', 'parentProduct'): line_parent_product,
    ('products', 'parentProduct'): parent_product,
    ('productExtend', 'parentProduct'): parent_product,
}
