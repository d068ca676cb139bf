"Sandbox: the 3 requests/s rate limit, fault injection and stats."
import time

import pytest
import requests

from shoprenter.sandbox.ids import make_id

PRODUCT_1 = make_id('product', product_id=1)


def test_rate_limit(make_sandbox, make_api_session):
    server = make_sandbox(rate_limit=3)
    api = make_api_session(server)
    start = time.monotonic()
    statuses = [api.get(f'products/{PRODUCT_1}') for _ in range(4)]
    assert time.monotonic() - start < 1.0, 'too slow to test the limit'
    assert [answer.status_code for answer in statuses] == [200, 200, 200, 429]
    # ShopRenter promises no Retry-After: the client's own backoff must do
    assert 'Retry-After' not in statuses[3].headers
    assert statuses[3].json() == {'error': 429, 'message': 'Too Many Requests'}
    # controls are never limited
    assert requests.get(server.url + '/_sandbox/stats', timeout=10).status_code == 200
    time.sleep(1.05)
    assert api.get(f'products/{PRODUCT_1}').status_code == 200


def run_faulted(server, api, count=60, **settings):
    control = requests.post(server.url + '/_sandbox/faults', json=settings, timeout=10)
    assert control.status_code == 200, control.text
    outcomes = []
    for _ in range(count):
        try:
            outcomes.append(api.get(f'products/{PRODUCT_1}', timeout=5).status_code)
        except requests.ConnectionError:
            outcomes.append('drop')
    return outcomes


def test_faults_are_seeded_and_each_kind_happens(sandbox_server, make_api_session):
    api = make_api_session(sandbox_server)
    settings = {'seed': 7, 'rates': {'429': 0.15, '500': 0.15, '503': 0.15}, 'drop': 0.15}
    first = run_faulted(sandbox_server, api, **settings)
    assert {200, 429, 500, 503, 'drop'} <= set(first)
    assert run_faulted(sandbox_server, api, **settings) == first  # same seed, same faults
    stats = sandbox_server.sandbox.stats()
    assert stats['statuses']['dropped'] == 2 * first.count('drop')
    assert requests.delete(sandbox_server.url + '/_sandbox/faults', timeout=10).ok
    assert set(run_faulted(sandbox_server, api, count=5)) == {200}


def test_faulted_answers(sandbox_server, make_api_session):
    api = make_api_session(sandbox_server)
    sandbox_server.sandbox.set_faults(seed=1, rates={'503': 1.0})
    answer = api.get(f'products/{PRODUCT_1}')
    assert (answer.status_code, answer.json()['error']) == (503, 503)
    sandbox_server.sandbox.set_faults(seed=1, rates={'429': 1.0})
    answer = api.get('products')
    assert answer.status_code == 429 and 'Retry-After' not in answer.headers


def test_drop_closes_the_connection(sandbox_server, make_api_session):
    api = make_api_session(sandbox_server)
    sandbox_server.sandbox.set_faults(seed=3, drop=1.0)
    with pytest.raises(requests.ConnectionError):
        api.get(f'products/{PRODUCT_1}', timeout=5)
    sandbox_server.sandbox.clear_faults()
    assert api.get(f'products/{PRODUCT_1}').status_code == 200


def test_latency(sandbox_server, make_api_session):
    api = make_api_session(sandbox_server)
    sandbox_server.sandbox.set_faults(latency=0.2)
    start = time.monotonic()
    assert api.get(f'products/{PRODUCT_1}').status_code == 200
    assert time.monotonic() - start >= 0.2


def test_bad_fault_settings(sandbox_server):
    answer = requests.post(sandbox_server.url + '/_sandbox/faults',
        json={'rates': {'418': 0.5}}, timeout=10)
    assert answer.status_code == 400


def test_stats(sandbox_server, make_api_session):
    api = make_api_session(sandbox_server)
    api.get('orderExtend')
    api.get('orderExtend', params={'page': 9})
    api.get(f'products/{PRODUCT_1}')
    stats = requests.get(sandbox_server.url + '/_sandbox/stats', timeout=10).json()
    assert stats == {'requests': 3,
        'calls': {'GET /orderExtend': 2, 'GET /products/{id}': 1},
        'statuses': {'200': 2, '400': 1}}
    cleared = requests.delete(sandbox_server.url + '/_sandbox/stats', timeout=10).json()
    assert cleared['requests'] == 0
