"""Collection filters: query parameter name -> predicate on stored items.

One meaning per name across resources; each resource lists the names it takes
(resources.py).  A factory gets (store, value) and returns item -> bool; it
raises ApiError for a malformed value.
"""
from . import dates
from .errors import ApiError, bad_data
from .links import link_id


def _int(name, value):
    try:
        return int(value)
    except ValueError:
        raise bad_data(f'{name}: an integer is expected') from None


def equals(field, fold=False):
    def factory(store, name, value):
        want = value.casefold() if fold else value
        def test(item):
            have = item.get(field)
            if not isinstance(have, str):
                return False
            return (have.casefold() if fold else have) == want
        return test
    return factory


def links_to(field):
    def factory(store, name, value):
        return lambda item: link_id(item.get(field)) == value
    return factory


def inner_id_min(store, name, value):
    minimum = _int(name, value)
    return lambda item: int(item.get('innerId') or 0) >= minimum


def date_bound(field, at_least):
    "Inclusive bound on a datetime field (…Min/…After are >=, …Max/…Before <=)"
    def factory(store, name, value):
        bound = dates.parse_datetime_param(name, value)
        def test(item):
            have = dates.comparable(item.get(field))
            if not have:
                return False
            return have >= bound if at_least else have <= bound
        return test
    return factory


def on_day(field):
    def factory(store, name, value):
        day = dates.parse_day_param(name, value)
        return lambda item: dates.comparable(item.get(field))[:10] == day
    return factory


def flag(test_factory):
    "A 0/1 switch: 1 applies the test, 0 lets everything through"
    def factory(store, name, value):
        if value not in ('0', '1'):
            raise bad_data(f'{name}: 0 or 1 is expected')
        if value == '0':
            return lambda item: True
        return test_factory(store)
    return factory


def is_cart(store, order):
    "An order without status is an abandoned cart"
    status = store.get('orderStatuses', link_id(order.get('orderStatus')))
    return not link_id(order.get('orderStatus')) or (
        status is not None and status.get('innerId') == '0')


def not_cart(store):
    return lambda order: not is_cart(store, order)


def not_storno(store):
    storno = {link_id(description.get('orderStatus'))
        for description in store.items('orderStatusDescriptions')
        if 'storno' in str(description.get('name', '')).casefold()}
    return lambda order: link_id(order.get('orderStatus')) not in storno


def shipping_mode_inner_id(store, name, value):
    def test(order):
        mode = store.get('shippingModes', link_id(order.get('shippingMode')))
        return mode is not None and mode.get('innerId') == value
    return test


def parent_product_id(store, name, value):
    "parentProductId is the parent's innerId (a product is its own parent)"
    def test(product):
        parent = store.get('products', link_id(product.get('parentProduct'))) or product
        return parent.get('innerId') == value
    return test


def external_info(store, name, value):
    def test(order):
        info = order.get('externalInfo')
        return isinstance(info, dict) and value in info.values()
    return test


def published(store, name, value):
    if value not in ('0', '1', '2'):
        raise bad_data(f'{name}: 0, 1 or 2 is expected')
    return lambda product: product.get('status') == value


FILTERS = {
    'innerId': equals('innerId'),
    'innerIdMin': inner_id_min,
    'email': equals('email', fold=True),
    'sku': equals('sku'),
    'code': equals('code'),
    'name': equals('name', fold=True),
    'orderId': links_to('order'),
    'customerId': links_to('customer'),
    'productId': links_to('product'),
    'languageId': links_to('language'),
    'taxClassId': links_to('taxClass'),
    'orderStatusId': links_to('orderStatus'),
    'stockStatusId': links_to('stockStatus'),
    'shippingModeId': links_to('shippingMode'),
    'createdAtMin': date_bound('dateCreated', True),
    'createdAtMax': date_bound('dateCreated', False),
    'updatedAtMin': date_bound('dateUpdated', True),
    'updatedAtMax': date_bound('dateUpdated', False),
    'createdAfter': date_bound('dateCreated', True),
    'createdBefore': date_bound('dateCreated', False),
    'updatedAfter': date_bound('dateUpdated', True),
    'updatedBefore': date_bound('dateUpdated', False),
    'createdAt': on_day('dateCreated'),
    'updatedAt': on_day('dateUpdated'),
    'excludeAbandonedCart': flag(not_cart),
    'excludeStorno': flag(not_storno),
    'shippingModeInnerId': shipping_mode_inner_id,
    'parentProductId': parent_product_id,
    'externalInfo': external_info,
    'published': published,
}


def predicates(store, resource, params):
    "[(name, test)] for the filter parameters; unknown parameter -> 400/40010"
    tests = []
    for name, value in params:
        if name not in resource.filters:
            raise ApiError(400, 40010, f'Parameter not available: {name}')
        tests.append(FILTERS[name](store, name, value))
    return tests
