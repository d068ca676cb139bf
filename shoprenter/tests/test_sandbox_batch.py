"Sandbox: POST /api/batch."
from shoprenter.sandbox.ids import make_id

PRODUCT_1 = make_id('product', product_id=1)


def test_batch_runs_in_order_and_reports_each(sandbox_api):
    api = sandbox_api.server.api_url
    answer = sandbox_api.post('batch', json={'data': {'requests': [
        {'method': 'PUT', 'uri': f'{api}/products/{PRODUCT_1}', 'data': {'stock1': '99'}},
        {'method': 'GET', 'uri': f'{api}/products/{PRODUCT_1}'},
        {'method': 'GET', 'uri': f'{api}/products/cHJvZHVjdC1wcm9kdWN0X2lkPTk5'},
        {'method': 'PUT', 'uri': f'{api}/productExtend?sku=TEE-1', 'data': {'stock1': '1'}},
        {'method': 'POST', 'uri': f'{api}/products', 'data': {'innerId': '7'}},
    ]}})
    assert answer.status_code == 200
    results = answer.json()['requests']['request']
    assert [result['response']['header']['statusCode'] for result in results] == [
        '200', '200', '404', '200', '400']
    assert results[1]['response']['body']['stock1'] == '99'
    assert results[2]['response']['body']['error'] == 40401
    assert results[4]['response']['body']['error'] == 40002
    assert results[0]['method'] == 'PUT' and results[0]['uri'].endswith(PRODUCT_1)


def test_batch_counts_as_one_request(make_sandbox, make_api_session):
    server = make_sandbox(rate_limit=3)
    api = make_api_session(server)
    requests = [{'method': 'GET', 'uri': f'/products/{PRODUCT_1}'}] * 20
    answer = api.post('batch', json={'requests': requests})
    assert answer.status_code == 200
    assert len(answer.json()['requests']['request']) == 20
    assert server.sandbox.stats()['calls'] == {'POST /batch': 1}


def test_bad_batch(sandbox_api):
    assert sandbox_api.post('batch', json={'data': {}}).status_code == 400
    assert sandbox_api.get('batch').status_code == 405
