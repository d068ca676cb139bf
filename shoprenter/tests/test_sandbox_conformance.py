"""Sandbox: every resource answers with every field of its official example.

The examples are the official get_id.json files (tests/fixtures/<resource>/);
languages and shippingModes have none, so the objects the official orderExtend
example embeds for them stand in.  Types must match (string, object, list),
except where the example shows null or {} ("empty": any type is fine)."""
import json
import pathlib

import pytest

FIXTURES = pathlib.Path(__file__).with_name('fixtures')
RESOURCES = [
    'orders', 'orderExtend', 'orderProducts', 'orderTotals', 'orderStatuses',
    'orderStatusDescriptions', 'orderHistories', 'customers', 'customerExtend',
    'customerGroups', 'addresses', 'products', 'productExtend', 'productDescriptions',
    'taxClasses', 'taxClassExtend', 'taxRates', 'paymentModes', 'shippingModes',
    'shippingModeExtend', 'shippingModeDescriptions', 'coupons', 'currencies',
    'countries', 'languages', 'webHooks']


def kind(value):
    if value is None:
        return 'null'
    return {str: 'string', dict: 'object', list: 'list', int: 'int', bool: 'bool',
        float: 'float'}[type(value)]


def mismatches(example, answer, path=''):
    "Paths where answer lacks a key of example or has another value type"
    found = []
    for key, value in example.items():
        where = f'{path}.{key}'
        if key not in answer:
            found.append(f'{where}: missing')
            continue
        if value is None or value == {}:
            continue  # the example shows an empty value: any type will do
        expected, got = kind(value), kind(answer[key])
        if expected != got:
            found.append(f'{where}: {got} instead of {expected}')
        elif expected == 'object' and answer[key]:  # {} = an empty link
            found += mismatches(value, answer[key], where)
        elif expected == 'list' and value and answer[key] \
                and isinstance(value[0], dict) and isinstance(answer[key][0], dict):
            found += mismatches(value[0], answer[key][0], f'{where}[0]')
    return found


class Answers(dict):
    "resource -> its first seeded item fetched by id (fetched when first asked for)"

    def __init__(self, api):
        super().__init__()
        self.api = api

    def __missing__(self, resource):
        api = self.api
        page = api.get(resource).json()
        if resource == 'orderHistories':  # none seeded: a status change makes one
            order = api.get('orders').json()['items'][0]['href']
            status = api.get('orderStatuses').json()['items'][-1]['href']
            api.put(order, json={'orderStatus': {'href': status}})
            page = api.get(resource).json()
        assert page['items'], f'nothing seeded for {resource}'
        answer = api.get(page['items'][0]['href'])
        assert answer.status_code == 200, answer.text
        self[resource] = answer.json()
        return self[resource]


@pytest.fixture
def answers(sandbox_api):
    return Answers(sandbox_api)


@pytest.mark.parametrize('resource', RESOURCES)
def test_fields_and_types_match_the_official_example(answers, resource):
    with open(FIXTURES / resource / 'get_id.json', encoding='utf-8') as file:
        example = json.load(file)
    answer = answers[resource]
    assert mismatches(example, answer) == []
    assert answer['href'].endswith(f'/api/{resource}/{answer["id"]}')


def test_scalars_are_strings_with_the_example_decimals(answers):
    order, product = answers['orderExtend'], answers['products']
    assert (order['total'], order['value'], order['couponTaxRate']) == (
        '2540.0000', '1.00000000', '-1.0000')
    assert (product['price'], product['stock1'], product['width']) == (
        '1000.0000', '10', '0.00')
    assert answers['taxRates']['rate'] == '27.0000'
    assert answers['currencies']['value'] == '1.00000000'
    assert answers['coupons']['percentDiscountValue'] == '10.0000'


def test_order_extend_embeds(answers):
    order = answers['orderExtend']
    assert [line['sku'] for line in order['orderProducts']] == ['MUG-1']
    assert order['orderProducts'][0]['productInnerId'] == '1'
    assert len(order['orderTotals']) == 4
    assert order['currency']['code'] == 'HUF'
    assert order['shippingCountry']['isoCode2'] == 'HU'
    assert order['language']['code'] == 'hu'
    assert order['shippingMode']['innerId'] == '1'
    assert order['shippingMode']['shippingModeDescriptions']['href'].endswith(
        'shippingModeDescriptions?shippingModeId=' + order['shippingMode']['id'])
    assert order['coupon']['code'] == 'NYAR10'
    assert order['orderStatus'] == answers['orders']['orderStatus']
    assert order['customer']['href'].endswith('/customers/' + answers['customers']['id'])


def test_extends_embed_their_lists(answers):
    assert [d['name'] for d in answers['productExtend']['productDescriptions']] == ['Bögre']
    assert answers['productExtend']['productPrices'][0]['gross'] == '1270'
    assert [a['city'] for a in answers['customerExtend']['addresses']] == ['Budapest']
    assert answers['taxClassExtend']['taxRates'][0]['rate'] == '27.0000'
    mode = answers['shippingModeExtend']
    assert [d['name'] for d in mode['shippingModeDescriptions']] == ['GLS futár']
    assert mode['shippingLanes'][0]['costNet'] == '1000.0000'
