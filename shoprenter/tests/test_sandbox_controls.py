"Sandbox: the /_sandbox/ controls (no auth) and the Python API they mirror."
import requests

from shoprenter.sandbox.ids import make_id

ORDER_1 = make_id('order', order_id=1)
CUSTOMER_1 = make_id('customer', customer_id=1)


def control(server, method, path, **kwargs):
    return requests.request(method, f'{server.url}/_sandbox/{path}', timeout=10, **kwargs)


def test_place_order(sandbox_server, sandbox_api):
    intent = {'customer': CUSTOMER_1, 'items': [{'sku': 'MUG-1', 'quantity': 2}],
        'shippingMode': '1', 'paymentCode': 'cod'}
    answer = control(sandbox_server, 'POST', 'orders', json=intent)
    assert answer.status_code == 201, answer.text
    order = answer.json()
    assert order['innerId'] == '4'
    assert order['href'].endswith('/orderExtend/' + order['id'])
    assert [line['sku'] for line in order['orderProducts']] == ['MUG-1']
    assert order['orderProducts'][0]['stock1'] == '2'
    # the new order is found by the sync's query, and the stock went down
    found = sandbox_api.get('orderExtend', params={'innerIdMin': 4, 'full': 1,
        'excludeAbandonedCart': 1}).json()['items']
    assert found == [order]
    mug = sandbox_api.get('products', params={'sku': 'MUG-1', 'full': 1}).json()['items'][0]
    assert mug['stock1'] == '8'


def test_place_bad_order(sandbox_server):
    answer = control(sandbox_server, 'POST', 'orders',
        json={'items': [{'sku': 'NOPE', 'quantity': 1}], 'shippingMode': '1',
            'paymentCode': 'cod', 'email': 'x@example.hu'})
    assert answer.status_code == 400
    assert answer.json()['message']


def test_update_product(sandbox_server, sandbox_api):
    answer = control(sandbox_server, 'PUT', 'products/TEE-1', json={'price': '5990'})
    assert answer.status_code == 200
    assert answer.json()['price'] == '5990.0000'
    assert answer.json()['dateUpdated'] > '2024-05-01T08:00:00'
    changed = sandbox_api.get('productExtend', params={
        'updatedAfter': answer.json()['dateUpdated'], 'full': 1}).json()['items']
    assert [product['sku'] for product in changed] == ['TEE-1']
    assert control(sandbox_server, 'PUT', 'products/NOPE', json={}).status_code == 404


def test_reset(sandbox_server, sandbox_api):
    assert sandbox_api.put(f'orders/{ORDER_1}', json={'comment': 'changed'}).ok
    assert control(sandbox_server, 'POST', 'reset').status_code == 200
    assert sandbox_api.get(f'orders/{ORDER_1}').json()['comment'] == ''
    # a new seed replaces the data (and is what later resets go back to)
    seed = {'products': [{'sku': 'ONLY-1', 'price': '1'}]}
    assert control(sandbox_server, 'POST', 'reset', json={'seed': seed}).ok
    assert sandbox_api.get('products').json()['pageCount'] == '1'
    assert sandbox_api.get(f'orders/{ORDER_1}').status_code == 404


def test_info_and_unknown_control(sandbox_server):
    info = control(sandbox_server, 'GET', '').json()
    assert info['api_url'] == sandbox_server.api_url
    assert info['token_url'] == sandbox_server.token_url
    assert control(sandbox_server, 'POST', 'nothing').status_code == 404


def test_python_api_mirrors_the_controls(make_sandbox):
    sandbox = make_sandbox().sandbox
    product = sandbox.update_product('MUG-1', {'stock1': 3})
    assert product['stock1'] == '3'
    sandbox.set_faults(seed=1, rates={'500': 0.5}, drop=0.1, latency=0.0)
    sandbox.clear_faults()
    sandbox.expire_tokens()
    assert sandbox.stats() == {'requests': 0, 'calls': {}, 'statuses': {}}
    sandbox.reset()
    assert sandbox.store.get('products', make_id('product', product_id=1))['stock1'] == '10'


def test_seed_from_file_and_defaults(tmp_path, make_sandbox, make_api_session):
    path = tmp_path / 'seed.json'
    path.write_text('{"customers": [{"email": "a@b.hu"}], "orders": [{"email": "a@b.hu"}]}')
    server = make_sandbox(str(path))
    api = make_api_session(server)
    order = api.get('orders', params={'full': 1}).json()['items'][0]
    assert order['innerId'] == '1' and order['id'] == ORDER_1
    assert order['orderStatus'] == {}  # no status: an abandoned cart
    assert api.get('orders', params={'excludeAbandonedCart': 1}).json()['items'] == []
    assert order['dateCreated'] == order['dateUpdated'] != ''
    assert order['total'] == '0.0000'
