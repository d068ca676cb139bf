"Sandbox: writes — create 201, update, delete 204 then 404, read-only 40002."
from shoprenter.sandbox.ids import make_id

TAX_CLASS = make_id('taxClass', tax_class_id=10)
LANGUAGE = make_id('language', language_id=1)
ORDER_1 = make_id('order', order_id=1)


def test_product_crud(sandbox_api):
    created = sandbox_api.post('products', json={'data': {
        'sku': 'NEW-1', 'price': 1234.5, 'stock1': 7, 'taxClass': {'id': TAX_CLASS}}})
    assert created.status_code == 201, created.text
    product = created.json()
    assert (product['innerId'], product['price'], product['stock1']) == ('4', '1234.5000', '7')
    assert product['id'] == make_id('product', product_id=4)
    url = f'products/{product["id"]}'
    # bare body (no data wrapper) works too
    changed = sandbox_api.put(url, json={'stock1': '3', 'price': '2000'})
    assert changed.status_code == 200
    assert (changed.json()['stock1'], changed.json()['price']) == ('3', '2000.0000')
    assert changed.json()['dateUpdated'] >= product['dateUpdated']
    assert sandbox_api.get(url).json()['stock1'] == '3'
    assert sandbox_api.delete(url).status_code == 204
    gone = sandbox_api.delete(url)
    assert gone.status_code == 404
    assert gone.json()['error'] == 40401
    assert sandbox_api.get(url).status_code == 404


def test_customer_crud(sandbox_api):
    answer = sandbox_api.post('customers', json={'firstname': 'Cecil', 'lastname': 'Tóth',
        'email': 'cecil@example.hu', 'telephone': '+3611', 'password': 'secret'})
    assert answer.status_code == 201
    customer = answer.json()
    assert customer['innerId'] == '3'
    url = f'customers/{customer["id"]}'
    assert sandbox_api.put(url, json={'data': {'newsletter': '1'}}).json()['newsletter'] == '1'
    assert sandbox_api.delete(url).status_code == 204
    assert sandbox_api.get(url).status_code == 404


def test_read_only_and_required(sandbox_api):
    product = make_id('product', product_id=1)
    answer = sandbox_api.put(f'products/{product}', json={'innerId': '9', 'stock1': '1'})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40002
    assert 'innerId' in answer.json()['message']
    assert sandbox_api.put(f'products/{product}', json={'dateUpdated': 'x'}).json()['error'] \
        == 40002
    answer = sandbox_api.post('customers', json={'firstname': 'No', 'lastname': 'Mail'})
    assert answer.status_code == 400 and answer.json()['error'] == 40003
    answer = sandbox_api.put(f'products/{product}', json={'colour': 'red'})
    assert answer.status_code == 400 and answer.json()['error'] == 40005
    answer = sandbox_api.put(f'products/{product}', json={'taxClass': {'id': 'bm9wZQ=='}})
    assert answer.status_code == 400 and answer.json()['error'] == 40005
    # read-only resources refuse writes
    assert sandbox_api.post('orderExtend', json={'comment': 'x'}).status_code == 405
    assert sandbox_api.delete(f'orders/{ORDER_1}').status_code == 405


def test_product_extend_by_sku(sandbox_api):
    answer = sandbox_api.put('productExtend', params={'sku': 'TEE-1'},
        json={'data': {'stock1': '42', 'price': '5000'}})
    assert answer.status_code == 200, answer.text
    assert (answer.json()['sku'], answer.json()['stock1']) == ('TEE-1', '42')
    # the description written with the product on creation is embedded
    assert [d['name'] for d in answer.json()['productDescriptions']] == ['Póló']
    missing = sandbox_api.put('productExtend', params={'sku': 'NOPE'}, json={'stock1': '1'})
    assert missing.status_code == 404
    assert missing.json()['error'] == 40033
    created = sandbox_api.post('productExtend', json={'sku': 'BAG-1', 'price': '100',
        'productDescriptions': [{'name': 'Táska', 'language': {'id': LANGUAGE}}]})
    assert created.status_code == 201, created.text
    descriptions = created.json()['productDescriptions']
    assert [d['name'] for d in descriptions] == ['Táska']
    assert sandbox_api.get(descriptions[0]['href']).json()['name'] == 'Táska'
    assert sandbox_api.delete('productExtend', params={'sku': 'BAG-1'}).status_code == 204
    assert sandbox_api.get(descriptions[0]['href']).status_code == 404


def test_order_status_change_bumps_date_updated(sandbox_api):
    before = sandbox_api.get(f'orders/{ORDER_1}').json()
    status = make_id('orderStatus', order_status_id=6)
    answer = sandbox_api.put(f'orders/{ORDER_1}', json={'data': {'orderStatus': {'id': status}}})
    assert answer.status_code == 200
    after = answer.json()
    assert after['orderStatus']['href'].endswith(status)
    assert after['dateUpdated'] > before['dateUpdated']
    found = sandbox_api.get('orders', params={'updatedAtMin': after['dateUpdated']}).json()
    assert [item['href'] for item in found['items']] == [after['href']]
    history = sandbox_api.get('orderHistories', params={'orderId': ORDER_1, 'full': 1}).json()
    assert history['items'][0]['orderStatus']['href'].endswith(status)


def test_empty_body_and_bad_json(sandbox_api):
    customer = make_id('customer', customer_id=1)
    answer = sandbox_api.put(f'customers/{customer}', params={'emptyBody': 1},
        json={'fax': '1'})
    assert (answer.status_code, answer.json()) == (200, [])
    answer = sandbox_api.put(f'customers/{customer}', data='{not json',
        headers={'Content-Type': 'application/json'})
    assert answer.status_code == 400


def test_outer_id(sandbox_api):
    answer = sandbox_api.post('coupons/MY-COUPON', json={'code': 'OUTER'})
    assert answer.status_code == 201
    assert answer.json()['id'] == 'MY-COUPON'
    assert sandbox_api.get('coupons/MY-COUPON').json()['code'] == 'OUTER'
    assert sandbox_api.post('coupons/MY-COUPON', json={'code': 'AGAIN'}).status_code == 200
