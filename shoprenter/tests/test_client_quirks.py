"""The client against answers our sandbox does not give but ShopRenter may.

A tiny werkzeug app stands in for ShopRenter's quirks (a lone item sent as an object, a
{"response": …} wrapper, XML, a batch answer with a single object and int status codes, …).
It is a stand-in for the real shop's oddities, not for the sandbox.
"""
import json
import logging
import threading
from decimal import Decimal

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from shoprenter.client import Client, Page
from shoprenter.errors import (
    AuthenticationError, ConnectionFailed, NotFoundError, ResponseFormatError, ServerError,
    ShopRenterError, ValidationError)


class QuirkShop:
    "A WSGI app with one route per quirk"

    def __init__(self):
        self.hits = {}
        self.lock = threading.Lock()
        self.tokens = 0
        self.base = None

    def json(self, data, status=200, headers=None):
        return Response(
            json.dumps(data), status=status, headers=headers,
            content_type='application/json')

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            hits = self.hits[path]
        if path == '/token':
            body = request.get_json(force=True)
            if body.get('client_secret') != 'quirk-secret':
                response = self.json(
                    {'error': 'invalid_client', 'message': 'Client authentication failed'},
                    401)
            else:
                with self.lock:
                    self.tokens += 1
                response = self.json({
                        'token_type': 'Bearer', 'expires_in': 3600,
                        'access_token': f'quirk-token-{self.tokens}'})
            return response(environ, start_response)
        if not request.headers.get('Authorization', '').startswith('Bearer quirk-token-'):
            return self.json({'error': 40101, 'message': 'no token'}, 401)(
                environ, start_response)
        route = getattr(self, 'route_' + path.removeprefix('/api/'), None)
        if route is None:
            response = self.json({'error': 40401, 'message': 'Resource not found'}, 404)
        else:
            response = route(request, hits)
        return response(environ, start_response)

    def envelope(self, request, items, next_=None, **extra):
        page = request.args.get('page', '0')
        href = f'{self.base}{request.path}?page={page}'
        return dict(
            href=href, page=page, limit=request.args.get('limit'), first={'href': href},
            previous=None, next=next_, last={'href': href}, items=items, **extra)

    def route_taxRates(self, request, hits):
        # tax_rate/response/json/get_taxclass.json: one item, serialised as an object.
        return self.json(self.envelope(request, {
                    'href': f'{self.base}/taxRates/dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA=='}))

    def route_nextless(self, request, hits):
        # No next link at all; only pageCount tells where the end is.
        page = int(request.args['page'])
        body = self.envelope(request, [{'id': str(page)}], pageCount='3')
        del body['next']
        return self.json(body)

    def route_countless(self, request, hits):
        # Neither next nor pageCount: a short page is the last one.
        page, limit = int(request.args['page']), int(request.args['limit'])
        items = [{'id': str(number)} for number in range(5)][page * limit:(page + 1) * limit]
        body = self.envelope(request, items)
        del body['next']
        return self.json(body)

    def route_numbered(self, request, hits):
        # Numbers instead of strings, and a next link to follow.
        page = int(request.args['page'])
        body = self.envelope(request, [{'id': str(page)}], pageCount=2,
            next_={'href': f'{self.base}/numbered?page=1'} if page == 0 else None)
        body.update(page=page, limit=int(request.args['limit']))
        return self.json(body)

    def route_emptyItems(self, request, hits):
        return self.json(self.envelope(request, []))

    def route_outOfRange(self, request, hits):
        return self.json(
            {'error': 40008, 'message': 'minimum page is 0 and maximum page is 0'}, 400)

    def route_wrapped(self, request, hits):
        return self.json({'response': {'id': 'x', 'price': '1.5000', 'fax': {}}})

    def route_xml(self, request, hits):
        return Response('<response><id>x</id></response>', content_type='application/xml')

    def route_list(self, request, hits):
        return self.json([{'id': 'x'}])

    def route_flaky(self, request, hits):
        if hits <= 2:
            return self.json(
                {'error': 503, 'message': 'busy'}, 503, headers={'Retry-After': '0'})
        return self.json({'id': 'flaky', 'hits': str(hits)})

    def route_broken(self, request, hits):
        return Response('<html>Bad gateway</html>', status=502, content_type='text/html')

    def route_created(self, request, hits):
        return self.json({'error': 500, 'message': 'oops'}, 500)

    def route_batch(self, request, hits):
        operations = request.get_json()['data']['requests']
        if any(operation['uri'].endswith('/short') for operation in operations):
            return self.json({'requests': {'request': []}})
        if len(operations) == 1:
            operation, = operations
            # A one-operation batch serialised as an object, an int status code.
            return self.json({'requests': {'request': {
                            'method': operation['method'], 'uri': operation['uri'],
                            'response': {'header': {'statusCode': 404},
                                'body': {'message': 'Resource matching URI not found'}}}}})
        return self.json({'requests': {'request': [{
                            'method': operation['method'], 'uri': operation['uri'],
                            'response': {'header': {'statusCode': '200'},
                                'body': {'response': {'id': 'a', 'price': '2.0000'}}}}
                        for operation in operations]}})

    def route_refused(self, request, hits):
        return self.json({'error': 40101, 'message': 'Permission denied'}, 401)



@pytest.fixture(scope='module')
def quirk_shop():
    app = QuirkShop()
    server = make_server('127.0.0.1', 0, app, threaded=True)
    app.base = f'http://127.0.0.1:{server.server_port}/api'
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app
    server.shutdown()


@pytest.fixture
def client(quirk_shop):
    with Client(
            'quirk', 'quirk-client', 'quirk-secret', api_url=quirk_shop.base,
            token_url=quirk_shop.base.removesuffix('/api') + '/token', rate_limit=None,
            max_retries=3, backoff_factor=0.01) as client:
        yield client


def test_lone_item_as_object(client):
    pages = list(client.iter_pages('taxRates', full=False))
    assert pages == [Page(number=0, count=None, items=[
                {'href': client.api_url + '/taxRates/dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA=='}])]
    assert list(client.iter_collection('taxRates', full=False)) == pages[0].items


def test_page_count_without_next(client):
    assert [item['id'] for item in client.iter_collection('nextless')] == ['0', '1', '2']


def test_neither_next_nor_page_count(client):
    pages = list(client.iter_pages('countless', limit=2))
    assert [(page.number, page.count) for page in pages] == [(0, None), (1, None), (2, None)]
    assert [item['id'] for page in pages for item in page.items] == ['0', '1', '2', '3', '4']


def test_number_counters(client):
    pages = list(client.iter_pages('numbered'))
    assert [(page.number, page.count) for page in pages] == [(0, 2), (1, 2)]


def test_empty_items(client):
    assert list(client.iter_collection('emptyItems')) == []


def test_page_out_of_range_on_first_page_is_empty(client):
    assert list(client.iter_pages('outOfRange')) == []


def test_response_wrapper_unwrapped(client):
    assert client.get('wrapped') == {'id': 'x', 'price': Decimal('1.5'), 'fax': None}


def test_not_json(client):
    with pytest.raises(ResponseFormatError) as info:
        client.get('xml')
    assert info.value.status == 200


def test_not_an_object(client):
    with pytest.raises(ResponseFormatError):
        client.get('list')


def test_retry_after_then_success(client, quirk_shop):
    before = client.request_count
    assert client.get('flaky')['id'] == 'flaky'
    assert client.request_count - before == 3


def test_html_error_page(client):
    with pytest.raises(ServerError) as info:
        client.get('broken')
    assert info.value.status == 502
    assert 'Bad gateway' in info.value.message
    assert client.request_count == 4


def test_post_create_not_retried_on_server_error(client):
    with pytest.raises(ServerError) as info:
        client.post('created', {'name': 'x'})
    assert info.value.status == 500
    assert client.request_count == 1


def test_not_found_error(client):
    with pytest.raises(NotFoundError) as info:
        client.get('nothing/abc', params={'full': 1})
    error = info.value
    assert (error.status, error.inner_code, error.method) == (404, 40401, 'GET')
    assert str(error) == 'GET /nothing/abc: HTTP 404 (40401) Resource not found'
    assert error.url.startswith(client.api_url + '/nothing/abc')


def test_error_text():
    error = ValidationError(
        'page out of range', status=400, inner_code=40008, method='GET',
        url='https://demo.api2.myshoprenter.hu/api/orderExtend?page=9&access_token=x',
        path='/orderExtend')
    assert str(error) == 'GET /orderExtend: HTTP 400 (40008) page out of range'
    assert 'access_token' not in error.url and 'page=9' in error.url
    assert isinstance(error, ShopRenterError)


def test_batch_lone_result_int_status(client):
    result, = client.batch([('put', 'products/abc', {'stock1': '1'})])
    assert (result.method, result.path, result.status, result.ok) == (
        'PUT', 'products/abc', 404, False)
    assert isinstance(result.error, NotFoundError)
    assert result.error.message == 'Resource matching URI not found'
    assert str(result.error).startswith('PUT /products/abc: HTTP 404')


def test_batch_bodies_unwrapped(client):
    results = client.batch([('GET', 'products/a', None), ('GET', 'products/b', None)])
    assert [r.body for r in results] == [{'id': 'a', 'price': Decimal(2)}] * 2
    assert all(r.ok and r.error is None for r in results)


def test_absolute_url_elsewhere_refused(client):
    with pytest.raises(ValueError):
        client.get('https://evil.example/api/orders')
    # Our own base is fine.
    assert client.get(client.api_url + '/wrapped')['id'] == 'x'


def test_second_401_raises(client, quirk_shop):
    tokens = quirk_shop.tokens
    with pytest.raises(AuthenticationError) as info:
        client.get('refused')
    assert (info.value.status, info.value.inner_code) == (401, 40101)
    # The first refusal renews the token and repeats the call once.
    assert client.request_count == 2
    assert quirk_shop.tokens - tokens == 2


def test_batch_answer_of_wrong_length(client):
    with pytest.raises(ResponseFormatError):
        client.batch([('GET', 'short', None)] * 2)


def test_wrong_secret(quirk_shop):
    with Client(
            'quirk', 'quirk-client', 'wrong', api_url=quirk_shop.base,
            token_url=quirk_shop.base.removesuffix('/api') + '/token',
            rate_limit=None) as client:
        with pytest.raises(AuthenticationError) as info:
            client.get('wrapped')
    assert info.value.status == 401
    assert 'Client authentication failed' in str(info.value)
    assert client.request_count == 0


def test_connect_refused_post_retried(quirk_shop, caplog):
    # Nothing was sent: even a create may be tried again.
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    with Client(
            'quirk', 'quirk-client', 'quirk-secret', api_url=f'http://127.0.0.1:{port}/api',
            token_url=quirk_shop.base.removesuffix('/api') + '/token', rate_limit=None,
            max_retries=2, backoff_factor=0.01) as client:
        with caplog.at_level(logging.WARNING, logger='shoprenter.client'):
            with pytest.raises(ConnectionFailed) as info:
                client.post('orders', {'firstname': 'x'})
    assert info.value.status is None
    assert client.request_count == 3
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2
