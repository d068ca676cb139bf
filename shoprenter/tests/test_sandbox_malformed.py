"""The malformed-order proxy both ERPs' tests put in front of the sandbox."""
from shoprenter import Client
from shoprenter.sandbox.malformed import malformations, malformed_orders, serve_malformed


def test_each_way_in_turn_on_copies(sandbox_api):
    good = [order for order in sandbox_api.get('orderExtend', params={'full': 1}).json()['items']
        if order['orderProducts']]
    assert good
    bad = malformed_orders(good, 2 * len(malformations()) + 1)
    assert [order.get('id') for order in bad[:3]] == ['bad-0', None, 'bad-2']
    assert 'innerId' not in bad[0] and 'innerId' not in bad[len(malformations())]
    assert bad[1]['innerId'] == '100001' and 'id' not in bad[1]
    assert bad[2]['orderProducts'] == "not a list"
    # The good orders are left as they were
    assert all(isinstance(order['orderProducts'], list) for order in good)


def test_proxy_pages_the_orders_and_forwards_the_rest(sandbox_server):
    sandbox = sandbox_server.sandbox
    orders = [{'id': f'o-{n}', 'innerId': str(n)} for n in range(7)]
    proxy = serve_malformed(sandbox_server.url, orders)
    try:
        with Client('demo', sandbox.tokens.client_id, sandbox.tokens.client_secret,
                api_url=f'http://127.0.0.1:{proxy.server_port}/api',
                token_url=sandbox_server.token_url, rate_limit=None) as client:
            pages = list(client.iter_pages('orderExtend', limit=3))
            assert [len(page.items) for page in pages] == [3, 3, 1]
            assert [o['id'] for page in pages for o in page.items] == [o['id'] for o in orders]
            # Anything else is the sandbox's own answer
            assert list(client.iter_collection('taxClasses'))
    finally:
        proxy.shutdown()
        proxy.server_close()
