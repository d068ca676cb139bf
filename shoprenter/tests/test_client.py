"""The client against the sandbox, over real HTTP.

Each test starts its own sandbox server (the seed is small and made here), so the fault,
token and rate-limit settings of one test never leak into another.
"""
import logging
import threading
import time
from decimal import Decimal

import pytest
import requests

from shoprenter.client import BatchResult, Client
from shoprenter.errors import (
    AuthenticationError, BatchError, ConnectionFailed, NotFoundError, RateLimitError,
    ServerError)
from shoprenter.sandbox.ids import make_id
from shoprenter.values import resource_id

SHOP = 'demo'
CLIENT_ID = 'test-client'
SECRET = 'test-secret-do-not-log'
PRODUCT_COUNT = 450


def product_id(number):
    return make_id('product', product_id=number)


def make_seed(count=PRODUCT_COUNT):
    return {'products': [{
                'id': product_id(number),
                'innerId': str(number),
                'sku': f'SKU-{number:04d}',
                'price': f'{1000 + number}.0000',
                'stock1': '5',
                'status': '1',
                } for number in range(1, count + 1)]}


@pytest.fixture
def start_shop(make_sandbox):
    "Start a sandbox server (conftest's make_sandbox) with our seed and credentials"
    def start(seed=None, **options):
        return make_sandbox(
            make_seed() if seed is None else seed, shop=SHOP, client_id=CLIENT_ID,
            client_secret=SECRET, **options)
    return start


def connect(server, **options):
    options.setdefault('rate_limit', None)
    options.setdefault('backoff_factor', 0.01)
    return Client(
        SHOP, CLIENT_ID, options.pop('secret', SECRET), api_url=server.api_url,
        token_url=server.token_url, **options)


def control(server, method, path, body=None):
    "Call a /_sandbox/ control over HTTP"
    response = requests.request(
        method, f'{server.url}/_sandbox/{path}', json=body, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


def stats(server):
    return control(server, 'GET', 'stats')


def statuses(server):
    "{status: count} of the API requests (int statuses; 'dropped' for cut connections)"
    return {
        int(code) if code.isdigit() else code: count
        for code, count in stats(server)['statuses'].items()}


def set_faults(server, seed=1, rates=None, drop=0.0):
    control(server, 'POST', 'faults', {
            'seed': seed, 'rates': rates or {}, 'drop': drop, 'latency': 0.0})


@pytest.fixture
def shop(start_shop):
    return start_shop()


@pytest.fixture
def client(shop):
    with connect(shop) as client:
        yield client


# Reading

def test_paging_full(client, shop):
    pages = list(client.iter_pages('products', limit=200))

    assert [page.number for page in pages] == [0, 1, 2]
    assert [len(page.items) for page in pages] == [200, 200, 50]
    assert all(page.count in {None, 3} for page in pages)
    skus = [item['sku'] for page in pages for item in page.items]
    assert sorted(skus) == [f'SKU-{n:04d}' for n in range(1, PRODUCT_COUNT + 1)]
    assert client.request_count == 3
    assert stats(shop)['requests'] == 3
    item = pages[0].items[0]
    assert isinstance(item['price'], Decimal)
    assert isinstance(item['stock1'], str)


def test_paging_stubs(client):
    stubs = list(client.iter_collection('products', full=False, limit=200))

    assert len(stubs) == PRODUCT_COUNT
    assert all(set(stub) == {'href'} for stub in stubs)
    assert {resource_id(stub) for stub in stubs} == {
        product_id(n) for n in range(1, PRODUCT_COUNT + 1)}


def test_paging_small_limit_and_filter(client):
    items = list(client.iter_collection('products', {'sku': 'SKU-0007'}, limit=1))
    assert [item['sku'] for item in items] == ['SKU-0007']


def test_get_one(client):
    product = client.get(f'products/{product_id(7)}')
    assert product['sku'] == 'SKU-0007'
    assert product['price'] == Decimal('1007.0000')
    assert product['innerId'] == '7'


def test_not_found(client):
    with pytest.raises(NotFoundError) as info:
        client.get(f'products/{product_id(9999)}')
    assert info.value.status == 404
    assert str(info.value).startswith(f'GET /products/{product_id(9999)}: HTTP 404')


def test_put(client):
    answer = client.put(f'products/{product_id(3)}', {'stock1': '12', 'price': '2200'})
    assert answer['stock1'] == '12'
    assert answer['price'] == Decimal('2200')
    assert client.get(f'products/{product_id(3)}')['stock1'] == '12'


def test_empty_collection(start_shop):
    server = start_shop({'products': []})
    with connect(server) as client:
        assert list(client.iter_collection('products')) == []


# The envelope, as each resource spells it (string or number counters, pageCount or not)

@pytest.mark.parametrize('path, counts', [
    ('orders', [None, None, None]),         # "page": "0", no pageCount: next tells
    ('customers', [None, None]),
    ('products', [3, 3, 3]),                # "pageCount": "3"
    ('productExtend', [3, 3, 3]),           # and a requestTime
    ('orderExtend', [3, 3, 3]),             # numbers
    ])
def test_paging_every_envelope(start_shop, small_seed, path, counts):
    server = start_shop(small_seed)
    with connect(server) as client:
        pages = list(client.iter_pages(path, limit=1))
        assert [page.number for page in pages] == list(range(len(counts)))
        assert [page.count for page in pages] == counts
        ids = [item['id'] for page in pages for item in page.items]
        assert len(set(ids)) == len(counts)
        assert client.request_count == len(counts)  # no request past the last page


def test_paging_strings_without_page_count_on_a_full_last_page(start_shop, small_seed):
    "The last page is full: only next (null) tells that it is the last"
    server = start_shop(small_seed)
    with connect(server) as client:
        pages = list(client.iter_pages('orders', limit=3))
        assert [(page.number, page.count, len(page.items)) for page in pages] == [
            (0, None, 3)]
        assert client.request_count == 1


# Token

def test_expired_token_renewed_once(client, shop):
    client.get(f'products/{product_id(1)}')
    control(shop, 'POST', 'expire-tokens')

    assert client.get(f'products/{product_id(2)}')['sku'] == 'SKU-0002'
    assert statuses(shop).get(401) == 1
    # The refused call and its repetition are both requests.
    assert client.request_count == 3


def test_token_renewed_before_expiry(start_shop):
    server = start_shop(token_ttl=1)
    with connect(server) as client:
        client.get(f'products/{product_id(1)}')
        time.sleep(1.2)
        client.get(f'products/{product_id(1)}')
    assert 401 not in statuses(server)
    assert client.request_count == 2


def test_wrong_secret(shop):
    with connect(shop, secret='wrong') as client:
        with pytest.raises(AuthenticationError) as info:
            client.get('products')
    assert info.value.status == 401
    assert client.request_count == 0


# Rate limit and retries

def test_server_rate_limit_recovered(start_shop):
    server = start_shop(rate_limit=3)
    # ShopRenter sends no Retry-After: the client's own backoff must outlast the
    # 1-second window (0.25 + 0.5 + 1 s by the third retry).
    with connect(server, rate_limit=None, backoff_factor=0.25) as client:
        for number in range(1, 11):
            assert client.get(f'products/{product_id(number)}')['innerId'] == str(number)
    counts = statuses(server)
    assert counts[200] == 10
    assert counts.get(429, 0) > 0


def test_client_rate_limit_avoids_429(start_shop):
    server = start_shop(rate_limit=3)
    with connect(server, rate_limit=3) as client:
        for number in range(1, 11):
            client.get(f'products/{product_id(number)}')
    assert statuses(server) == {200: 10}


def test_rate_limit_shared_by_clients_of_one_shop(start_shop):
    # Two clients of one shop in two threads: alone, each would send its 3 calls at once.
    server = start_shop(rate_limit=3)
    clients = [connect(server, rate_limit=3) for _ in range(2)]
    for client in clients:
        client._token()

    def work(client):
        for number in range(1, 4):
            client.get(f'products/{product_id(number)}')
    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    assert statuses(server) == {200: 6}


def warm(client):
    "Get the token before faults are switched on, so they hit API calls only"
    client.get(f'products/{product_id(1)}')
    client.request_count = 0


def test_server_errors_recovered(client, shop):
    warm(client)
    set_faults(shop, seed=7, rates={'500': 0.2, '503': 0.2})
    control(shop, 'DELETE', 'stats')

    for number in range(1, 31):
        assert client.get(f'products/{product_id(number)}')['innerId'] == str(number)
    counts = statuses(shop)
    assert counts[200] == 30
    assert counts.get(500, 0) + counts.get(503, 0) > 0
    assert client.request_count == sum(counts.values())


def test_dropped_connections_recovered(client, shop):
    warm(client)
    set_faults(shop, seed=3, drop=0.25)

    items = [client.get(f'products/{product_id(n)}') for n in range(1, 21)]
    assert [item['innerId'] for item in items] == [str(n) for n in range(1, 21)]
    assert statuses(shop).get('dropped', 0) > 0
    assert client.request_count > 20


def test_server_error_exhausted(start_shop):
    server = start_shop()
    with connect(server, max_retries=2) as client:
        warm(client)
        set_faults(server, rates={'503': 1.0})
        with pytest.raises(ServerError) as info:
            client.get('products')
    assert info.value.status == 503
    assert client.request_count == 3


def test_rate_limit_exhausted(start_shop):
    server = start_shop()
    with connect(server, max_retries=1) as client:
        warm(client)
        set_faults(server, rates={'429': 1.0})
        with pytest.raises(RateLimitError) as info:
            client.get('products')
    assert info.value.status == 429
    assert client.request_count == 2


def test_connection_exhausted(start_shop):
    server = start_shop()
    with connect(server, max_retries=2) as client:
        warm(client)
        set_faults(server, drop=1.0)
        with pytest.raises(ConnectionFailed) as info:
            client.get('products')
    assert info.value.status is None
    assert client.request_count == 3


def test_create_not_repeated_after_server_error(client, shop):
    warm(client)
    set_faults(shop, rates={'500': 1.0})
    control(shop, 'DELETE', 'stats')

    with pytest.raises(ServerError) as info:
        client.post('products', {'sku': 'NEW-1', 'price': '100'})
    assert info.value.status == 500
    assert client.request_count == 1
    assert stats(shop)['requests'] == 1


def test_create_not_repeated_after_drop(client, shop):
    warm(client)
    set_faults(shop, drop=1.0)

    with pytest.raises(ConnectionFailed):
        client.post('products', {'sku': 'NEW-1', 'price': '100'})
    assert client.request_count == 1


def test_create_repeated_after_429(client, shop):
    warm(client)
    set_faults(shop, seed=2, rates={'429': 0.5})
    control(shop, 'DELETE', 'stats')

    for number in range(3):
        created = client.post('products', {'sku': f'NEW-{number}', 'price': '100'})
        assert created['sku'] == f'NEW-{number}'
    control(shop, 'DELETE', 'faults')
    skus = [p['sku'] for p in client.iter_collection('products', {'sku': 'NEW-0'})]
    assert skus == ['NEW-0']


# Batch

def test_batch_one_failure(client, shop):
    unknown = product_id(9999)
    results = client.batch([
            ('PUT', f'products/{product_id(1)}', {'stock1': '7'}),
            ('PUT', f'products/{unknown}', {'stock1': '7'}),
            ('PUT', f'products/{product_id(2)}', {'price': '2500'}),
            ('GET', f'products/{product_id(3)}', None),
            ])

    assert [(r.method, r.status, r.ok) for r in results] == [
        ('PUT', 200, True), ('PUT', 404, False), ('PUT', 200, True), ('GET', 200, True)]
    assert [r.path for r in results][1] == f'products/{unknown}'
    failed = results[1]
    assert isinstance(failed.error, NotFoundError)
    assert failed.error.status == 404
    assert results[0].body['stock1'] == '7'
    assert results[3].body['sku'] == 'SKU-0003'
    assert client.get(f'products/{product_id(1)}')['stock1'] == '7'
    assert client.get(f'products/{product_id(2)}')['price'] == Decimal('2500')
    with pytest.raises(BatchError) as info:
        BatchResult.check(results)
    assert info.value.failures == [failed]
    with pytest.raises(NotFoundError):
        failed.raise_for_error()


def test_batch_chunks(client, shop):
    operations = [
        ('PUT', f'products/{product_id(n)}', {'stock1': str(n % 100)})
        for n in range(1, PRODUCT_COUNT + 1)]

    results = client.batch(operations)

    assert len(results) == PRODUCT_COUNT
    assert all(r.ok for r in results)
    assert [r.path for r in results] == [path for _, path, _ in operations]
    assert client.request_count == 3
    assert stats(shop)['calls'].get('POST /batch') == 3
    assert client.get(f'products/{product_id(450)}')['stock1'] == '50'


def test_batch_retried_on_server_error(client, shop):
    warm(client)
    set_faults(shop, seed=5, rates={'503': 0.5})
    results = client.batch([
            ('PUT', f'products/{product_id(n)}', {'stock1': '1'}) for n in range(1, 11)]
        * 3, chunk_size=10)
    assert all(r.ok for r in results)
    assert len(results) == 30


def test_batch_isolated_sends_alone_what_a_refused_call_held(shop):
    # Every call may fail (no retries): a refused batch call's operations go alone
    operations = [('PUT', f'products/{product_id(n)}', {'stock1': '9'}) for n in range(1, 41)]
    with connect(shop, max_retries=0) as client:
        warm(client)
        set_faults(shop, seed=3, rates={'500': 0.5})
        calls = list(client.batch_isolated(operations, chunk_size=10))
        control(shop, 'DELETE', 'faults')
        assert [start for start, _ in calls] == [0, 10, 20, 30]
        results = [result for _, results in calls for result in results]
        assert [r.path for r in results] == [path for _, path, _ in operations]
        alone = stats(shop)['calls'].get('PUT /products/{id}', 0)
        assert 0 < alone <= len(operations)
        for operation, result in zip(operations, results):
            stock = client.get(operation[1])['stock1']
            assert result.ok == (stock == '9'), (operation, result)
            assert result.ok or isinstance(result.error, ServerError)
        assert any(r.ok for r in results) and not all(r.ok for r in results)


def test_batch_isolated_stops_on_a_run_failure(shop):
    with connect(shop, secret='wrong') as client:
        with pytest.raises(AuthenticationError):
            list(client.batch_isolated([('PUT', f'products/{product_id(1)}', {'stock1': '1'})]))


# Logging

def test_no_secret_in_logs(start_shop, caplog):
    server = start_shop()
    tokens = set()
    with caplog.at_level(logging.DEBUG):
        with connect(server) as client:
            client.get(f'products/{product_id(1)}')
            tokens.add(client._access_token)
            control(server, 'POST', 'expire-tokens')
            list(client.iter_pages('products', limit=200))
            tokens.add(client._access_token)
            client.batch([('PUT', f'products/{product_id(1)}', {'stock1': '3'})])
            with pytest.raises(NotFoundError):
                client.get(f'products/{product_id(9999)}')
    assert len(tokens) == 2 and None not in tokens
    assert any(r.name == 'shoprenter.client' for r in caplog.records)
    text = '\n'.join(
        record.getMessage() + repr(record.args) + str(record.exc_info)
        for record in caplog.records)
    assert SECRET not in text
    for token in tokens:
        assert token not in text
    assert 'Bearer' not in text
    assert 'Authorization' not in text
