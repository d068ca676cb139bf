"Sandbox: the collection envelope, paging and full=1."
import re
import urllib.parse

import pytest

from shoprenter.sandbox.ids import make_id
from shoprenter.sandbox.paging import NUMBERS, STRINGS, STRINGS_COUNTED, STRINGS_TIMED
from shoprenter.sandbox.resources import RESOURCES

TAX_CLASS = make_id('taxClass', tax_class_id=10)


def query_of(href):
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))


def test_envelope(sandbox_api):
    page = sandbox_api.get('products', params={'limit': 2}).json()
    assert list(page) == ['href', 'page', 'pageCount', 'limit', 'first', 'previous',
        'next', 'last', 'items']
    assert (page['page'], page['pageCount'], page['limit']) == ('0', '2', '2')
    assert page['previous'] is None
    assert query_of(page['next']['href']) == {'page': '1', 'limit': '2'}
    assert query_of(page['last']['href']) == {'page': '1', 'limit': '2'}
    assert page['items'] == [{'href': f'{sandbox_api.server.api_url}/products/'
        + make_id('product', product_id=number)} for number in (1, 2)]


def test_walk_pages_following_next(sandbox_api):
    href, seen = f'{sandbox_api.server.api_url}/products?limit=1', []
    while href:
        page = sandbox_api.get(href).json()
        seen += page['items']
        href = page['next'] and page['next']['href']
    assert len(seen) == 3
    assert page['previous'] is not None and page['page'] == '2'


def test_hrefs_keep_filters(sandbox_api):
    page = sandbox_api.get('orders', params={'excludeAbandonedCart': 1, 'full': 1,
        'limit': 1}).json()
    assert query_of(page['last']['href'])['page'] == '1'  # two pages
    for key in ('href', 'first', 'next', 'last'):
        href = page[key] if key == 'href' else page[key]['href']
        assert query_of(href)['excludeAbandonedCart'] == '1'
        assert query_of(href)['full'] == '1'
    # an id with '=' padding survives the round trip
    page = sandbox_api.get('taxRates', params={'taxClassId': TAX_CLASS}).json()
    assert query_of(page['first']['href'])['taxClassId'] == TAX_CLASS
    assert sandbox_api.get(page['first']['href']).json()['items'] == page['items']


def test_page_out_of_range(sandbox_api):
    answer = sandbox_api.get('products', params={'page': 5, 'limit': 2})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40008
    assert 'maximum page is 1' in answer.json()['message']
    assert sandbox_api.get('products', params={'page': -1}).status_code == 400


def test_empty_collection_has_page_zero(sandbox_api):
    page = sandbox_api.get('orderHistories').json()
    assert (page['page'], page['pageCount'], page['items']) == (0, 0, [])


def test_limit_above_200_is_refused(sandbox_api):
    assert sandbox_api.get('products', params={'limit': 200}).status_code == 200
    answer = sandbox_api.get('products', params={'limit': 201})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40005


def test_default_limit(sandbox_api):
    assert sandbox_api.get('products').json()['limit'] == '25'
    assert sandbox_api.get('orderExtend').json()['limit'] == 25


def test_unknown_filter(sandbox_api):
    answer = sandbox_api.get('products', params={'colour': 'red'})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40010
    # a filter of another resource is unknown here too
    assert sandbox_api.get('products', params={'email': 'x'}).json()['error'] == 40010


def test_full(sandbox_api):
    page = sandbox_api.get('orderExtend', params={'full': 1}).json()
    first = page['items'][0]
    assert first['innerId'] == '1'
    assert first == sandbox_api.get(f'orderExtend/{first["id"]}').json()
    assert isinstance(first['orderProducts'], list) and first['orderProducts']
    assert set(sandbox_api.get('orderExtend').json()['items'][0]) == {'href'}


def test_orders_sorted_by_inner_id(sandbox_api):
    items = sandbox_api.get('orders', params={'full': 1}).json()['items']
    assert [item['innerId'] for item in items] == ['1', '2', '3']


# Each resource spells the envelope as its official get_page example does.
SPELLINGS = {
    'orders': STRINGS, 'customers': STRINGS, 'orderProducts': STRINGS,
    'webHooks': STRINGS, 'coupons': STRINGS, 'taxRates': STRINGS,
    'products': STRINGS_COUNTED, 'addresses': STRINGS_COUNTED,
    'productExtend': STRINGS_TIMED,
    'orderExtend': NUMBERS, 'orderHistories': NUMBERS, 'paymentModes': NUMBERS,
    'taxClasses': NUMBERS, 'shippingModeExtend': NUMBERS,
}


@pytest.mark.parametrize('path', sorted(SPELLINGS))
def test_resources_declare_their_envelope(path):
    assert RESOURCES[path].envelope == SPELLINGS[path]


def test_strings_without_page_count(sandbox_api):
    page = sandbox_api.get('orders', params={'limit': 2, 'page': 1}).json()
    assert list(page) == ['href', 'page', 'limit', 'first', 'previous', 'next', 'last',
        'items']
    assert (page['page'], page['limit']) == ('1', '2')
    assert page['next'] is None and query_of(page['previous']['href'])['page'] == '0'
    assert len(page['items']) == 1


def test_numbers_with_page_count(sandbox_api):
    page = sandbox_api.get('orderExtend', params={'limit': 2}).json()
    assert list(page) == ['href', 'page', 'pageCount', 'limit', 'first', 'previous',
        'next', 'last', 'items']
    assert (page['page'], page['pageCount'], page['limit']) == (0, 2, 2)


def test_product_extend_tells_the_request_time(sandbox_api):
    page = sandbox_api.get('productExtend', params={'limit': 1}).json()
    assert list(page)[-2:] == ['items', 'requestTime']
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d', page['requestTime'])
    assert (page['page'], page['pageCount'], page['limit']) == ('0', '3', '1')
    assert 'requestTime' not in sandbox_api.get('products').json()
