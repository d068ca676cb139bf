"""Sandbox: request bodies as ShopRenter takes them (JSON, or PHP-array form fields).

The official PHP client (Shoprenter/api-client) hands curl an array of
`data[...]` fields, so curl posts multipart/form-data (its Expect header is
overwritten by the Accept one, so curl sends `Expect: 100-continue` on bigger
bodies); other public clients post the same keys urlencoded.  Every write here
is sent once as JSON and once as such a form to two fresh sandboxes, and the
answers and the read-back must be the same."""
import json
import secrets
import urllib.parse

import pytest

from shoprenter.sandbox.bodies import php_array
from shoprenter.sandbox.ids import make_id

TAX_CLASS = make_id('taxClass', tax_class_id=10)
LANGUAGE = make_id('language', language_id=1)
PRODUCT_1 = make_id('product', product_id=1)
PRODUCT_3 = make_id('product', product_id=3)
ORDER_1 = make_id('order', order_id=1)
STATUS_6 = make_id('orderStatus', order_status_id=6)
CURL_EXPECT_FROM = 1024  # curl sends Expect: 100-continue on bodies above this
DATES = ('dateCreated', 'dateUpdated', 'dateAdded')


def php_fields(value, prefix=None):
    "[(name, value)] as the PHP client's processLevel flattens ['data' => $data]"
    items = enumerate(value) if isinstance(value, list) else value.items()
    fields = []
    for key, item in items:
        name = f'{prefix}[{key}]' if prefix else str(key)
        if isinstance(item, (dict, list)):
            fields.extend(php_fields(item, name))
        else:
            fields.append((name, str(item)))
    return fields


def multipart(fields):
    "(body, headers) as curl posts an array of fields, plus the client's Accept"
    boundary = '-' * 24 + secrets.token_hex(8)
    body = b''.join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        .encode() + value.encode() + b'\r\n' for name, value in fields)
    body += f'--{boundary}--\r\n'.encode()
    headers = {'Accept': 'application/json',
        'Content-Type': f'multipart/form-data; boundary={boundary}'}
    if len(body) > CURL_EXPECT_FROM:
        headers['Expect'] = '100-continue'
    return body, headers


def urlencoded(fields):
    "Brackets left as they are (the C# client builds its query so)"
    body = '&'.join(f'{name}={urllib.parse.quote(value, safe="")}'
        for name, value in fields)
    return body.encode(), {'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded'}


def http_build_query(fields):
    "Brackets percent-encoded, as PHP's http_build_query writes them"
    return urllib.parse.urlencode(fields).encode(), {'Accept': 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8'}


ENCODINGS = {'multipart': multipart, 'urlencoded': urlencoded,
    'http_build_query': http_build_query}


def comparable(answer, server):
    "An answer without its host/port and clock-dependent dates"
    def strip(value):
        if isinstance(value, dict):
            return {key: strip(item) for key, item in value.items() if key not in DATES}
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value
    return strip(json.loads(json.dumps(answer).replace(server.url, 'SANDBOX')))


def write_both_ways(make_sandbox, make_api_session, encoding, method, path, data, read):
    """Send data as JSON to one fresh sandbox and as a form to another.

    read(api, answer) names the path to read back.  Returns the two
    (status, answer, read-back) triples, comparable."""
    results = []
    for as_form in (False, True):
        server = make_sandbox()
        api = make_api_session(server)
        if as_form:
            body, headers = ENCODINGS[encoding](php_fields({'data': data}))
            answer = api.request(method, path, data=body, headers=headers)
        else:
            answer = api.request(method, path, json={'data': data})
        assert answer.status_code in (200, 201), answer.text
        again = api.get(read(answer.json()))
        assert again.status_code == 200, again.text
        results.append((answer.status_code, comparable(answer.json(), server),
            comparable(again.json(), server)))
    return results


def own_href(answer):
    return answer['href']


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_post_product(make_sandbox, make_api_session, encoding):
    data = {'sku': 'FORM-1', 'price': '1234.5', 'stock1': '7', 'status': '1',
        'taxClass': {'id': TAX_CLASS}}
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'POST', 'products', data, own_href)
    assert by_form == by_json
    status, _, product = by_form
    assert status == 201
    assert (product['sku'], product['price'], product['stock1']) == (
        'FORM-1', '1234.5000', '7')
    assert product['taxClass']['href'].endswith(TAX_CLASS)


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_put_product_stock(make_sandbox, make_api_session, encoding):
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'PUT', f'products/{PRODUCT_1}', {'stock1': '77'}, own_href)
    assert by_form == by_json
    assert by_form[2]['stock1'] == '77'


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_post_product_description_with_nested_links(
        make_sandbox, make_api_session, encoding):
    data = {'name': 'Sapka', 'description': 'Gyapjú <b>sapka</b> & sál',
        'product': {'id': PRODUCT_3}, 'language': {'id': LANGUAGE}}
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'POST', 'productDescriptions', data, own_href)
    assert by_form == by_json
    status, _, description = by_form
    assert status == 201
    assert description['description'] == 'Gyapjú <b>sapka</b> & sál'
    assert description['language']['href'].endswith(LANGUAGE)
    assert description['product']['href'].endswith(PRODUCT_3)


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_post_product_extend_with_description_list(
        make_sandbox, make_api_session, encoding):
    data = {'sku': 'BAG-1', 'price': '100', 'productDescriptions': [
        {'name': 'Táska', 'language': {'id': LANGUAGE}}]}
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'POST', 'productExtend', data, own_href)
    assert by_form == by_json
    assert [d['name'] for d in by_form[2]['productDescriptions']] == ['Táska']


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_put_order_status(make_sandbox, make_api_session, encoding):
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'PUT', f'orders/{ORDER_1}', {'orderStatus': {'id': STATUS_6}}, own_href)
    assert by_form == by_json
    assert by_form[2]['orderStatus']['href'].endswith(STATUS_6)


@pytest.mark.parametrize('encoding', sorted(ENCODINGS))
def test_batch(make_sandbox, make_api_session, encoding):
    requests = [
        {'method': 'GET', 'uri': f'/products/{PRODUCT_1}'},
        {'method': 'PUT', 'uri': f'/products/{PRODUCT_1}', 'data': {'stock1': '79'}},
        {'method': 'POST', 'uri': '/productDescriptions', 'data': {
            'name': 'Sapka', 'product': {'id': PRODUCT_3}, 'language': {'id': LANGUAGE}}},
        {'method': 'GET', 'uri': '/category/Y2F0ZWdvcnk='},  # no such resource
    ]
    by_json, by_form = write_both_ways(make_sandbox, make_api_session, encoding,
        'POST', 'batch', {'requests': requests}, lambda answer: f'products/{PRODUCT_1}')
    assert by_form == by_json
    _, answer, product = by_form
    results = answer['requests']['request']
    assert [r['method'] for r in results] == ['GET', 'PUT', 'POST', 'GET']
    assert [r['response']['header']['statusCode'] for r in results] == [
        '200', '200', '201', '404']
    assert results[0]['response']['body']['stock1'] == '10'  # read before the PUT
    assert product['stock1'] == '79'


def test_big_multipart_batch_with_expect_continue(sandbox_api):
    "200 sub-requests, 1200 fields: more than werkzeug's default form limits allow"
    requests = [{'method': 'PUT', 'uri': f'/products/{PRODUCT_1}', 'data': {
        'stock1': str(number), 'stock2': '1', 'stock3': '2', 'stock4': '3'}}
        for number in range(200)]
    body, headers = multipart(php_fields({'data': {'requests': requests}}))
    assert headers['Expect'] == '100-continue' and len(body) > 100_000
    answer = sandbox_api.post('batch', data=body, headers=headers)
    assert answer.status_code == 200, answer.text
    statuses = {r['response']['header']['statusCode']
        for r in answer.json()['requests']['request']}
    assert statuses == {'200'}
    assert sandbox_api.get(f'products/{PRODUCT_1}').json()['stock1'] == '199'


def test_gets_need_no_content_type(sandbox_api):
    answer = sandbox_api.get(f'products/{PRODUCT_1}', headers={'Content-Type': None})
    assert answer.request.headers.get('Content-Type') is None
    assert answer.status_code == 200
    assert answer.json()['sku'] == 'MUG-1'
    assert sandbox_api.get('products').json()['items']


@pytest.mark.parametrize('content_type, body, code', [
    ('application/json', b'{not json', 40005),
    ('application/json', '{"stock1": "á"}'.encode('latin-1'), 40016),
    ('multipart/form-data', None, 40001),  # fields, but none named data[...]
    ('application/x-www-form-urlencoded', b'stock1=5', 40001),
    ('text/xml', b'<data><stock1>5</stock1></data>', 40001),
    ('application/xml', b'<data><stock1>5</stock1></data>', 40001),
    ('text/plain', b'{"stock1": "5"}', 40001),
    (None, b'{"stock1": "5"}', 40001),
])
def test_unreadable_bodies(sandbox_api, content_type, body, code):
    headers = {'Content-Type': content_type}
    if content_type == 'multipart/form-data':
        body, headers = multipart([('stock1', '5')])
    answer = sandbox_api.put(f'products/{PRODUCT_1}', data=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json()['error'] == code
    assert sandbox_api.get(f'products/{PRODUCT_1}').json()['stock1'] == '10'


def test_batch_form_without_data(sandbox_api):
    body, headers = urlencoded([('requests[0][method]', 'GET')])
    answer = sandbox_api.post('batch', data=body, headers=headers)
    assert answer.status_code == 400
    assert answer.json()['error'] == 40001


def test_empty_write_body(sandbox_api):
    answer = sandbox_api.put(f'products/{PRODUCT_1}', data=b'',
        headers={'Content-Type': 'multipart/form-data; boundary=x'})
    assert answer.status_code == 400 and answer.json()['error'] == 40001


# PHP's reading of form names, unit by unit

def test_php_lists_follow_index_order():
    fields = [('data[items][10][n]', 'ten'), ('data[items][2][n]', 'two'),
        ('data[items][0][n]', 'zero')]
    assert php_array(fields) == {'data': {'items': [{'n': 'zero'}, {'n': 'two'},
        {'n': 'ten'}]}}


def test_php_append_repeat_and_mixed_keys():
    fields = [('tags[]', 'a'), ('tags[]', 'b'), ('x', '1'), ('x', '2'),
        ('mixed[0]', 'a'), ('mixed[name]', 'b'), ('code[01]', 'kept as text')]
    assert php_array(fields) == {'tags': ['a', 'b'], 'x': '2',
        'mixed': {'0': 'a', 'name': 'b'}, 'code': {'01': 'kept as text'}}


def test_php_odd_names():
    # a scalar is replaced by a deeper key; text after ']' is ignored; an
    # unclosed first bracket stays in the name; dots and spaces become '_'
    fields = [('a', '1'), ('a[b]', '2'), ('c[d]tail', '3'), ('e[f', '4'),
        ('g.h i', '5'), ('[nameless]', '6')]
    assert php_array(fields) == {'a': {'b': '2'}, 'c': {'d': '3'}, 'e_f': '4',
        'g_h_i': '5'}
