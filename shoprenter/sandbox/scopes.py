"""Which app scope each API call needs, as ShopRenter's scope list gives it.

A scope is ``<area>:read`` for GET and ``<area>:write`` for the writes.  The
table below holds the area of each path the sandbox serves; a path missing
here needs no scope (``batch``: each of its requests is checked on its own).
"""
from .errors import ApiError

AREAS = {
    'orders': 'order.order', 'orderExtend': 'order.order',
    'orderProducts': 'order.order', 'orderTotals': 'order.order',
    'orderHistories': 'order.order',
    'orderStatuses': 'order.status', 'orderStatusDescriptions': 'order.status',
    'customers': 'customer.customer', 'customerExtend': 'customer.customer',
    'addresses': 'customer.customer', 'customerGroups': 'customer.customerGroup',
    'products': 'product.product', 'productExtend': 'product.product',
    'productDescriptions': 'product.product',
    'taxClasses': 'taxClass.taxClass', 'taxClassExtend': 'taxClass.taxClass',
    'taxRates': 'taxClass.taxClass',
    'paymentModes': 'payment.paymentMethod',
    'shippingModes': 'shipping.shippingMethod',
    'shippingModeExtend': 'shipping.shippingMethod',
    'shippingModeDescriptions': 'shipping.shippingMethod',
    'stockStatuses': 'product.stockStatus',
    'stockStatusDescriptions': 'product.stockStatus',
    'coupons': 'marketing.coupon',
    'currencies': 'localization.currency',
    'countries': 'localization.location',
    'languages': 'localization.language',
    'webHooks': 'store.webhook',
}
ALL_SCOPES = tuple(sorted({f'{area}:{access}' for area in AREAS.values()
    for access in ('read', 'write')}))


def required_scope(method, path):
    "The scope a call needs ('GET', 'orders/…' -> 'order.order:read'), or None"
    area = AREAS.get(path.strip('/').split('/')[0])
    if area is None:
        return None
    return f'{area}:{"read" if method == "GET" else "write"}'


def parse_scopes(text):
    "A comma or space separated list of scopes; ValueError naming an unknown one"
    scopes = tuple(part for part in text.replace(',', ' ').split() if part)
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown:
        raise ValueError(f'unknown scope(s): {", ".join(unknown)}; '
            f'known: {", ".join(ALL_SCOPES)}')
    return scopes


def check_scope(scopes, method, path):
    "403 when the token's scopes lack the one the call needs"
    scope = required_scope(method, path)
    if scope is not None and scope not in scopes:
        raise ApiError(403, 403, f'Forbidden: the access token lacks the scope {scope}')
