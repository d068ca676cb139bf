"Sandbox: the collection filters the sync uses."
from shoprenter.sandbox.ids import make_id

ORDER_1 = make_id('order', order_id=1)
ORDER_3 = make_id('order', order_id=3)


def inner_ids(api, path, **params):
    answer = api.get(path, params={'full': 1, **params})
    assert answer.status_code == 200, answer.text
    return [item['innerId'] for item in answer.json()['items']]


def test_updated_at_min_is_inclusive(sandbox_api):
    # order 1 dateUpdated 2024-05-02T10:00:00, 2: 05-03, 3: 05-05
    assert inner_ids(sandbox_api, 'orderExtend', updatedAtMin='2024-05-02T10:00:00') \
        == ['1', '2', '3']
    assert inner_ids(sandbox_api, 'orderExtend', updatedAtMin='2024-05-02T10:00:01') \
        == ['2', '3']
    assert inner_ids(sandbox_api, 'orders', updatedAtMax='2024-05-03T10:00:00') == ['1', '2']
    assert inner_ids(sandbox_api, 'orders', createdAtMin='2024-05-04T10:00:00') == ['3']


def test_bad_datetime(sandbox_api):
    answer = sandbox_api.get('orders', params={'updatedAtMin': '2024-05-02'})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40009
    answer = sandbox_api.get('products', params={'updatedAt': 'yesterday'})
    assert answer.json()['error'] == 40017


def test_exclude_abandoned_cart_and_storno(sandbox_api):
    assert inner_ids(sandbox_api, 'orderExtend', excludeAbandonedCart=1) == ['1', '3']
    assert inner_ids(sandbox_api, 'orderExtend', excludeStorno=1) == ['1', '2']
    assert inner_ids(sandbox_api, 'orders', excludeAbandonedCart=1, excludeStorno=1) == ['1']
    assert inner_ids(sandbox_api, 'orders', excludeAbandonedCart=0) == ['1', '2', '3']


def test_inner_id_filters(sandbox_api):
    assert inner_ids(sandbox_api, 'orders', innerIdMin=2) == ['2', '3']
    assert inner_ids(sandbox_api, 'orders', innerId=3) == ['3']
    assert inner_ids(sandbox_api, 'customers', innerId=2) == ['2']


def test_order_id(sandbox_api):
    lines = sandbox_api.get('orderProducts', params={'orderId': ORDER_1, 'full': 1}).json()
    assert [line['sku'] for line in lines['items']] == ['MUG-1']
    totals = sandbox_api.get('orderTotals', params={'orderId': ORDER_1, 'full': 1}).json()
    assert [total['type'] for total in totals['items']] == [
        'SUB_TOTAL', 'TAX', 'SUB_TOTAL_WITH_TAX', 'TOTAL']
    assert sandbox_api.get('orderTotals', params={'orderId': ORDER_3}).json()['items'] == []


def test_sku(sandbox_api):
    page = sandbox_api.get('products', params={'sku': 'TEE-1', 'full': 1}).json()
    assert [item['sku'] for item in page['items']] == ['TEE-1']
    assert sandbox_api.get('productExtend', params={'sku': 'NOPE'}).json()['items'] == []


def test_email(sandbox_api):
    # case-insensitive, as shop e-mail addresses are
    assert inner_ids(sandbox_api, 'orders', email='bela@example.hu') == ['3']
    assert inner_ids(sandbox_api, 'customers', email='ANNA@example.hu') == ['1']


def test_other_filters(sandbox_api):
    status = make_id('orderStatus', order_status_id=6)
    assert inner_ids(sandbox_api, 'orders', orderStatusId=status) == ['3']
    assert inner_ids(sandbox_api, 'orders', shippingModeInnerId=1) == ['1']
    assert inner_ids(sandbox_api, 'productExtend', updatedAfter='2024-05-01T08:00:00') \
        == ['2', '3']
    assert inner_ids(sandbox_api, 'products', updatedAt='2024-06-01') == ['3']
    assert inner_ids(sandbox_api, 'productExtend', published=0) == ['3']
    customer = make_id('customer', customer_id=1)
    assert inner_ids(sandbox_api, 'addresses', customerId=customer) == ['1']
    coupons = sandbox_api.get('coupons', params={'code': 'NYAR10', 'full': 1}).json()
    assert [coupon['code'] for coupon in coupons['items']] == ['NYAR10']
    descriptions = sandbox_api.get('productDescriptions', params={
        'productId': make_id('product', product_id=2), 'full': 1}).json()['items']
    assert [description['name'] for description in descriptions] == ['Póló']
