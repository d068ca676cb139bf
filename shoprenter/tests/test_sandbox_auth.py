"Sandbox: the token endpoint, JWT access tokens and the app's scopes."
import base64
import json

import pytest
import requests

from shoprenter.sandbox.ids import make_id
from shoprenter.sandbox.scopes import ALL_SCOPES, parse_scopes, required_scope

ORDER_1 = make_id('order', order_id=1)
PRODUCT_1 = make_id('product', product_id=1)


def token_request(server, **overrides):
    body = {'grant_type': 'client_credentials', 'client_id': 'demo-client',
        'client_secret': 'demo-secret', **overrides}
    body = {key: value for key, value in body.items() if value is not None}
    return requests.post(server.token_url, json=body, timeout=10)


def claims_of(token):
    "The JWT's payload, decoded as any client could"
    head, payload, signature = token.split('.')
    assert signature, 'a JWT has a signature part'
    header = json.loads(base64.urlsafe_b64decode(head + '=' * (-len(head) % 4)))
    assert header['typ'] == 'JWT'
    return json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))


def bearer(server, **overrides):
    token = token_request(server, **overrides).json()['access_token']
    return {'Authorization': f'Bearer {token}', 'Accept': 'application/json'}


def test_token_issued_as_a_jwt(sandbox_server):
    answer = token_request(sandbox_server)
    assert answer.status_code == 200
    body = answer.json()
    assert body['token_type'] == 'Bearer'
    assert body['expires_in'] == 3600
    claims = claims_of(body['access_token'])
    assert claims['aud'] == 'demo-client'
    assert claims['exp'] - claims['iat'] == pytest.approx(3600)
    assert set(claims['scopes']) == set(ALL_SCOPES)
    assert 'order.order:read' in claims['scopes']


def test_token_refused(sandbox_server):
    answer = token_request(sandbox_server, client_secret='wrong')
    assert answer.status_code == 401
    assert answer.json()['error'] == 'invalid_client'
    assert answer.json()['message'] == 'Client authentication failed'


def test_token_request_without_client_id(sandbox_server):
    answer = token_request(sandbox_server, client_id=None)
    assert answer.status_code == 400
    body = answer.json()
    assert body['error'] == 'invalid_request'
    assert 'client_id' in body['hint']
    assert set(body) == {'error', 'error_description', 'hint', 'message'}


def test_token_request_with_another_grant(sandbox_server):
    answer = token_request(sandbox_server, grant_type='password')
    assert answer.status_code == 400
    assert answer.json()['error'] == 'unsupported_grant_type'


def test_token_request_as_a_form(sandbox_server):
    "OAuth clients commonly post the credentials as a form"
    answer = requests.post(sandbox_server.token_url, data={
        'grant_type': 'client_credentials', 'client_id': 'demo-client',
        'client_secret': 'demo-secret'}, timeout=10)
    assert answer.status_code == 200
    assert claims_of(answer.json()['access_token'])['aud'] == 'demo-client'


def test_token_url_names_the_shop(make_sandbox):
    server = make_sandbox(shop='myshop', client_id='id', client_secret='secret')
    assert server.token_url.endswith('/oauth/myshop/app/token')
    assert token_request(server, client_id='id', client_secret='secret').status_code == 200
    wrong = requests.post(server.url + '/oauth/demo/app/token', json={}, timeout=10)
    assert wrong.status_code == 404


def test_bearer_required(sandbox_server):
    url = f'{sandbox_server.api_url}/orders'
    json_only = {'Accept': 'application/json'}
    answer = requests.get(url, headers=json_only, timeout=10)
    assert answer.status_code == 401
    assert answer.json()['error'] == 40101
    answer = requests.get(url, headers={**json_only,
        'Authorization': 'Bearer nonsense'}, timeout=10)
    assert answer.status_code == 401
    answer = requests.get(url, headers=bearer(sandbox_server), timeout=10)
    assert answer.status_code == 200


def test_altered_token_refused(sandbox_server):
    "A token whose claims were edited (say, more scopes or a later expiry) is refused"
    token = token_request(sandbox_server).json()['access_token']
    head, payload, signature = token.split('.')
    claims = claims_of(token)
    claims['exp'] += 10 ** 6
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b'=').decode()
    answer = requests.get(f'{sandbox_server.api_url}/orders', headers={
        'Accept': 'application/json',
        'Authorization': f'Bearer {head}.{forged}.{signature}'}, timeout=10)
    assert answer.status_code == 401
    other = requests.get(f'{sandbox_server.api_url}/orders', headers={
        'Accept': 'application/json',
        'Authorization': f'Bearer {head}.{payload}.{signature}'}, timeout=10)
    assert other.status_code == 200


def test_expired_token(sandbox_api):
    assert sandbox_api.get(f'orders/{ORDER_1}').status_code == 200
    control = requests.post(sandbox_api.server.url + '/_sandbox/expire-tokens', timeout=10)
    assert control.status_code == 200
    answer = sandbox_api.get(f'orders/{ORDER_1}')
    assert answer.status_code == 401
    assert answer.json() == {'error': 40101, 'message': 'Access token expired'}


def test_token_expires_with_its_ttl(make_sandbox):
    server = make_sandbox(token_ttl=0)
    answer = requests.get(f'{server.api_url}/orders', headers=bearer(server), timeout=10)
    assert answer.status_code == 401
    assert answer.json()['message'] == 'Access token expired'


def test_required_scopes():
    assert required_scope('GET', 'orderExtend') == 'order.order:read'
    assert required_scope('PUT', f'products/{PRODUCT_1}') == 'product.product:write'
    assert required_scope('GET', 'orderStatusDescriptions') == 'order.status:read'
    assert required_scope('POST', 'webHooks') == 'store.webhook:write'
    assert required_scope('POST', 'batch') is None  # each sub-request is checked
    with pytest.raises(ValueError, match='order.everything:read'):
        parse_scopes('order.order:read, order.everything:read')


def test_app_without_a_scope_gets_403(make_sandbox):
    server = make_sandbox(scopes=('order.order:read', 'product.product:read'))
    headers = bearer(server)
    assert set(claims_of(headers['Authorization'][7:])['scopes']) == {
        'order.order:read', 'product.product:read'}
    api = server.api_url
    assert requests.get(f'{api}/orderExtend', headers=headers, timeout=10).status_code == 200
    refused = requests.put(f'{api}/products/{PRODUCT_1}', json={'stock1': '5'},
        headers=headers, timeout=10)
    assert refused.status_code == 403
    assert 'product.product:write' in refused.json()['message']
    assert requests.get(f'{api}/customers', headers=headers,
        timeout=10).status_code == 403
    product = requests.get(f'{api}/products/{PRODUCT_1}', headers=headers, timeout=10)
    assert product.json()['stock1'] != '5'  # the refused write changed nothing


def test_batch_checks_each_request_scope(make_sandbox):
    server = make_sandbox(scopes=('product.product:read',))
    api = server.api_url
    answer = requests.post(f'{api}/batch', headers=bearer(server), timeout=10, json={
        'data': {'requests': [
            {'method': 'GET', 'uri': f'{api}/products/{PRODUCT_1}'},
            {'method': 'PUT', 'uri': f'{api}/products/{PRODUCT_1}', 'data': {'stock1': '9'}},
        ]}})
    assert answer.status_code == 200
    statuses = [request['response']['header']['statusCode']
        for request in answer.json()['requests']['request']]
    assert [int(status) for status in statuses] == [200, 403]
