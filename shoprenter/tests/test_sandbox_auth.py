"Sandbox: the token endpoint and bearer tokens."
import requests

from shoprenter.sandbox.ids import make_id

ORDER_1 = make_id('order', order_id=1)


def token_request(server, **overrides):
    body = {'grant_type': 'client_credentials', 'client_id': 'demo-client',
        'client_secret': 'demo-secret', **overrides}
    return requests.post(server.token_url, json=body, timeout=10)


def test_token_issued(sandbox_server):
    answer = token_request(sandbox_server)
    assert answer.status_code == 200
    body = answer.json()
    assert body['token_type'] == 'Bearer'
    assert body['expires_in'] == 3600
    assert body['access_token']


def test_token_rejected(sandbox_server):
    answer = token_request(sandbox_server, client_secret='wrong')
    assert answer.status_code == 401
    assert answer.json()['error'] == 'invalid_client'
    answer = token_request(sandbox_server, grant_type='password')
    assert answer.status_code == 400
    assert answer.json()['error'] == 'invalid_request'


def test_token_url_names_the_shop(make_sandbox):
    server = make_sandbox(shop='myshop', client_id='id', client_secret='secret')
    assert server.token_url.endswith('/oauth/myshop/app/token')
    assert token_request(server, client_id='id', client_secret='secret').status_code == 200
    wrong = requests.post(server.url + '/oauth/demo/app/token', json={}, timeout=10)
    assert wrong.status_code == 404


def test_bearer_required(sandbox_server):
    url = f'{sandbox_server.api_url}/orders'
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 401
    assert answer.json()['error'] == 40101
    answer = requests.get(url, headers={'Authorization': 'Bearer nonsense'}, timeout=10)
    assert answer.status_code == 401
    token = token_request(sandbox_server).json()['access_token']
    answer = requests.get(url, headers={'Authorization': f'Bearer {token}'}, timeout=10)
    assert answer.status_code == 200


def test_expired_token(sandbox_api):
    assert sandbox_api.get(f'orders/{ORDER_1}').status_code == 200
    control = requests.post(sandbox_api.server.url + '/_sandbox/expire-tokens', timeout=10)
    assert control.status_code == 200
    answer = sandbox_api.get(f'orders/{ORDER_1}')
    assert answer.status_code == 401
    assert answer.json() == {'error': 40101, 'message': 'Access token expired'}
