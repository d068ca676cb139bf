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


# Ids: ShopRenter ids (base64 of <entity>-<column>=<value>) and outer ids (05_outer_id)

def test_unknown_ids(sandbox_api):
    unknown = make_id('product', product_id=99)
    for method in ('GET', 'DELETE', 'PUT'):
        answer = sandbox_api.request(method, f'products/{unknown}', json={'stock1': '1'})
        assert (answer.status_code, answer.json()['error']) == (404, 40401), method
    # not base64 of <entity>-<column>=<value>: a malformed id, or an unknown outer id
    for wrong in ('bm9wZQ==', 'NO-SUCH-OUTER-ID', 'LXByb2R1Y3RfaWQ9MQ=='):
        for method in ('GET', 'DELETE'):
            answer = sandbox_api.request(method, f'products/{wrong}')
            assert (answer.status_code, answer.json()['error']) == (400, 40007), \
                (method, wrong)
            assert wrong in answer.json()['message']


def test_data_id_on_post_sets_the_outer_id(sandbox_api):
    answer = sandbox_api.post('coupons', json={'data': {'id': 'SUMMER-1', 'code': 'NYAR'}})
    assert answer.status_code == 201
    coupon = answer.json()
    assert coupon['id'] == 'SUMMER-1'
    assert coupon['href'].endswith('/coupons/SUMMER-1')
    assert sandbox_api.get('coupons/SUMMER-1').json()['code'] == 'NYAR'
    assert sandbox_api.get('coupons', params={'code': 'NYAR', 'full': 1}).json()[
        'items'][0]['id'] == 'SUMMER-1'
    # the same id again names the same coupon
    again = sandbox_api.post('coupons', json={'id': 'SUMMER-1', 'status': '1'})
    assert (again.status_code, again.json()['code']) == (200, 'NYAR')
    # an id of another entity is no outer id
    answer = sandbox_api.post('coupons', json={'id': ORDER_1, 'code': 'X'})
    assert (answer.status_code, answer.json()['error']) == (400, 40007)


def test_put_to_a_new_outer_id_creates_it(sandbox_api):
    answer = sandbox_api.put('coupons/AUTUMN-1', json={'data': {'code': 'OSZ'}})
    assert answer.status_code == 201, answer.text
    assert answer.json()['id'] == 'AUTUMN-1'
    assert sandbox_api.get('coupons/AUTUMN-1').json()['code'] == 'OSZ'
    changed = sandbox_api.put('coupons/AUTUMN-1', json={'code': 'OSZ2'})
    assert (changed.status_code, changed.json()['code']) == (200, 'OSZ2')
    # creating checks what creating needs
    answer = sandbox_api.put('customers/NEW-CUSTOMER', json={'firstname': 'Ede'})
    assert (answer.status_code, answer.json()['error']) == (400, 40003)
    assert sandbox_api.get('customers/NEW-CUSTOMER').status_code == 400


def test_data_id_renames_an_item(sandbox_api):
    product = make_id('product', product_id=1)
    answer = sandbox_api.put(f'products/{product}', json={'id': 'MUG-OUTER', 'stock1': '4'})
    assert answer.status_code == 200, answer.text
    renamed = answer.json()
    assert (renamed['id'], renamed['innerId'], renamed['stock1']) == ('MUG-OUTER', '1', '4')
    assert renamed['href'].endswith('/products/MUG-OUTER')
    # the API id still names it; links to it follow the new id
    assert sandbox_api.get(f'products/{product}').json()['id'] == 'MUG-OUTER'
    assert sandbox_api.get('productExtend/MUG-OUTER').json()['productDescriptions'][0][
        'product']['href'].endswith('/products/MUG-OUTER')
    line = sandbox_api.get('orderProducts', params={'full': 1}).json()['items'][0]
    assert line['product']['href'].endswith('/products/MUG-OUTER')
    # an id another item has is refused
    other = make_id('product', product_id=2)
    answer = sandbox_api.put(f'products/{other}', json={'id': 'MUG-OUTER'})
    assert (answer.status_code, answer.json()['error']) == (409, 40901)
    assert sandbox_api.delete('products/MUG-OUTER').status_code == 204
    assert sandbox_api.get(f'products/{product}').status_code == 404


def test_outer_ids_link_items_made_in_one_batch(sandbox_api):
    api = sandbox_api.server.api_url
    answer = sandbox_api.post('batch', json={'data': {'requests': [
        {'method': 'POST', 'uri': f'{api}/products/CAP-1', 'data': {'sku': 'CAP-1'}},
        {'method': 'POST', 'uri': f'{api}/productDescriptions', 'data': {
            'name': 'Sapka', 'product': {'id': 'CAP-1'}, 'language': {'id': LANGUAGE}}},
    ]}})
    results = answer.json()['requests']['request']
    assert [r['response']['header']['statusCode'] for r in results] == ['201', '201']
    descriptions = sandbox_api.get('productExtend/CAP-1').json()['productDescriptions']
    assert [d['name'] for d in descriptions] == ['Sapka']
