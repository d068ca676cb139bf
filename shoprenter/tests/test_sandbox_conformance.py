"""Sandbox: every resource answers like its official example, in JSON and in XML.

The official examples are read at test time (official.py), never copied here:
``<folder>/response/json/get_id.json`` and ``get_page.json``, and their XML
twins.  languages and shippingModes have no folder of their own; the objects
the orderExtend example embeds for them stand in.  Values differ (the sandbox
answers with its own seed); keys, value types and element structure must not.
"""
import urllib.parse
import xml.etree.ElementTree as ElementTree

import pytest

from shoprenter.sandbox.ids import make_id
from shoprenter.sandbox.resources import PRIMARY, RESOURCES
from shoprenter.sandbox.schema import FIELDS
from shoprenter.tests.official import FIXTURES, load_json, read_text

# API path -> the folder of its official examples
OFFICIAL = {
    'addresses': 'address', 'countries': 'country', 'coupons': 'coupon',
    'currencies': 'currency', 'customers': 'customer', 'customerExtend': 'customer_extend',
    'customerGroups': 'customer_group', 'orders': 'order', 'orderExtend': 'order_extend',
    'orderHistories': 'order_history', 'orderProducts': 'order_product',
    'orderStatuses': 'order_status', 'orderStatusDescriptions': 'order_status_description',
    'orderTotals': 'order_total', 'paymentModes': 'payment_mode', 'products': 'product',
    'productDescriptions': 'product_description', 'productExtend': 'product_extend',
    'shippingModeDescriptions': 'shipping_mode_description',
    'shippingModeExtend': 'shipping_mode_extend', 'stockStatuses': 'stock_status',
    'stockStatusDescriptions': 'stock_status_description', 'taxClasses': 'tax_class',
    'taxClassExtend': 'tax_class_extend', 'taxRates': 'tax_rate', 'webHooks': 'webhook',
}
# API path -> the key of orderExtend's example that embeds one of its items
EMBEDDED = {'languages': 'language', 'shippingModes': 'shippingMode'}
JSON_ONLY = {'Accept': 'application/json'}
XML_ONLY = {'Accept': 'application/xml'}


def official_item(path):
    if path in EMBEDDED:
        return load_json('order_extend', 'response', 'json', 'get_id.json')[EMBEDDED[path]]
    return load_json(OFFICIAL[path], 'response', 'json', 'get_id.json')


def official_page(path):
    return load_json(OFFICIAL[path], 'response', 'json', 'get_page.json')


def page_params(page):
    "The query of an official page's href, without the page number"
    query = urllib.parse.urlsplit(page['href']).query
    return [(name, value) for name, value in urllib.parse.parse_qsl(query)
        if name != 'page']


# --- JSON: keys and value types ---------------------------------------------------

def category(value):
    "string, object, list (or int, bool, ...) — or empty: the shop's blanks"
    if value is None or value == '' or value == {} or value == []:
        return 'empty'
    return {str: 'string', dict: 'object', list: 'list'}.get(type(value),
        type(value).__name__)


def fits(blank, shown):
    "Whether a blank of the sandbox fits a value the shop shows non-blank"
    if blank is None or blank == {}:
        return shown in ('string', 'object')  # the shop spells blank text and links so
    return (blank == '' and shown == 'string') or (blank == [] and shown == 'list')


def mismatches(example, answer, where):
    "'<where>.<key>: …' for each key of example that answer lacks or types otherwise"
    found = []
    for key, shown in example.items():
        at = f'{where}.{key}'
        if key not in answer:
            found.append(f'{at}: missing')
            continue
        value = answer[key]
        expected, got = category(shown), category(value)
        if expected == 'empty':
            continue  # a blank example says nothing of the type
        if got == 'empty':
            if not fits(value, expected):
                found.append(f'{at}: blank {value!r} instead of {expected}')
        elif got != expected:
            found.append(f'{at}: {got} instead of {expected}')
        elif expected == 'object':
            found += mismatches(shown, value, at)
        elif expected == 'list' and isinstance(shown[0], dict) \
                and isinstance(value[0], dict):
            found += mismatches(shown[0], value[0], f'{at}[0]')
    return found


def envelope_mismatches(example, answer, where):
    "The page envelope: the same keys in the same order, each of the same JSON type"
    found = []
    if [key for key in answer if key in example] != list(example) \
            or set(answer) - set(example):
        found.append(f'{where}: keys {list(answer)} instead of {list(example)}')
    for key, shown in example.items():
        if key not in answer:
            continue
        value = answer[key]
        if key in ('previous', 'next'):  # null at the ends, a link elsewhere
            good = value is None or isinstance(value, dict) and 'href' in value
        else:
            good = type(value) is type(shown)
        if not good:
            found.append(f'{where}.{key}: {type(value).__name__} {value!r} instead of '
                f'{type(shown).__name__}')
    return found


# --- XML: element structure --------------------------------------------------------

def structure(element):
    "'text', 'empty' or {child tag: structure} (repeated children merged)"
    children = list(element)
    if not children:
        return 'text' if (element.text or '').strip() else 'empty'
    merged = {}
    for child in children:
        merged[child.tag] = merge(merged.get(child.tag, 'empty'), structure(child))
    return merged


def merge(one, other):
    if isinstance(one, dict) and isinstance(other, dict):
        return {tag: merge(one.get(tag, 'empty'), other.get(tag, 'empty'))
            for tag in {**one, **other}}
    if one == 'empty':
        return other
    if other == 'empty':
        return one
    return one if isinstance(one, dict) else other


def xml_mismatches(example, answer, where):
    "Elements of example the answer lacks, or that hold text where children are due"
    found = []
    for tag, shown in example.items():
        at = f'{where}/{tag}'
        if tag not in answer:
            found.append(f'{at}: missing')
            continue
        got = answer[tag]
        if shown == 'empty' or got == 'empty':
            continue  # <tag/>: a blank, of any type
        if isinstance(shown, dict) != isinstance(got, dict):
            found.append(f'{at}: holds {"children" if isinstance(got, dict) else "text"}'
                f' instead of {"children" if isinstance(shown, dict) else "text"}')
        elif isinstance(shown, dict):
            found += xml_mismatches(shown, got, at)
    return found


def xml_structure(text, where):
    root = ElementTree.fromstring(text)
    assert root.tag == 'response', f'{where}: root <{root.tag}>'
    return structure(root)


# --- the sandbox's answers ---------------------------------------------------------

@pytest.fixture
def seed(small_seed):
    "The small seed, with the stock statuses it lacks"
    seed = small_seed
    status = make_id('stockStatus', stock_status_id=5)
    seed['stockStatuses'] = [{'id': status}]
    seed['stockStatusDescriptions'] = [{'name': 'Rendelhető', 'color': '#00a000',
        'stockStatus': {'id': status}, 'language': {'id': seed['languages'][0]['id']}}]
    return seed


@pytest.fixture
def api(make_sandbox, make_api_session, seed):
    return make_api_session(make_sandbox(seed))


class Answers(dict):
    "path -> the href of its first seeded item (found when first asked for)"

    def __init__(self, api):
        super().__init__()
        self.api = api

    def __missing__(self, path):
        api = self.api
        page = api.get(path).json()
        if path == 'orderHistories' and not page['items']:
            # none seeded: a status change makes one
            order = api.get('orders').json()['items'][0]['href']
            status = api.get('orderStatuses').json()['items'][-1]['href']
            api.put(order, json={'orderStatus': {'href': status}})
            page = api.get(path).json()
        assert page['items'], f'{path}: nothing seeded'
        self[path] = page['items'][0]['href']
        return self[path]

    def json(self, path):
        answer = self.api.get(self[path], headers=JSON_ONLY)
        assert answer.status_code == 200, f'{path}: {answer.text}'
        return answer.json()


@pytest.fixture
def answers(api):
    return Answers(api)


ALL_PATHS = sorted([*OFFICIAL, *EMBEDDED])


def test_every_official_folder_is_mapped():
    folders = {folder.name for folder in FIXTURES.iterdir()
        if (folder / 'response' / 'json' / 'get_id.json').exists()}
    assert folders - set(OFFICIAL.values()) == set(), 'an official resource has no path'
    assert set(OFFICIAL) <= set(RESOURCES)


@pytest.mark.parametrize('path', ALL_PATHS)
def test_item_json_matches_the_official_example(answers, path):
    answer = answers.json(path)
    assert mismatches(official_item(path), answer, path) == []
    assert answer['href'].endswith(f'/api/{path}/{answer["id"]}')


@pytest.mark.parametrize('path', sorted(OFFICIAL))
def test_page_json_matches_the_official_example(answers, path):
    example = official_page(path)
    answers[path]  # seeds orderHistories
    answer = answers.api.get(path, params=page_params(example), headers=JSON_ONLY)
    assert answer.status_code == 200, f'{path}: {answer.text}'
    page = answer.json()
    assert envelope_mismatches(example, page, path) == []
    shown = example['items'][0] if example['items'] else {}
    assert page['items'], f'{path}: an empty page'
    assert mismatches(shown, page['items'][0], f'{path}.items[0]') == []


@pytest.mark.parametrize('path', sorted(OFFICIAL))
def test_item_xml_matches_the_official_example(answers, path):
    example = xml_structure(read_text(OFFICIAL[path], 'response', 'xml', 'get_id.xml'),
        f'official {path}')
    answer = answers.api.get(answers[path], headers=XML_ONLY)
    assert answer.status_code == 200, f'{path}: {answer.text}'
    assert answer.headers['Content-Type'].startswith('application/xml')
    assert xml_mismatches(example, xml_structure(answer.content, path), path) == []


@pytest.mark.parametrize('path', sorted(OFFICIAL))
def test_page_xml_matches_the_official_example(answers, path):
    text = read_text(OFFICIAL[path], 'response', 'xml', 'get_page.xml')
    example = xml_structure(text, f'official {path}')
    answers[path]  # seeds orderHistories
    params = page_params(official_page(path))
    answer = answers.api.get(path, params=params, headers=XML_ONLY)
    assert answer.status_code == 200, f'{path}: {answer.text}'
    assert xml_mismatches(example, xml_structure(answer.content, path), path) == []


def test_xml_is_the_default(answers):
    answer = answers.api.get(answers['orders'], headers={'Accept': None})
    assert answer.headers['Content-Type'].startswith('application/xml')
    assert ElementTree.fromstring(answer.content).find('innerId').text == '1'


# --- the declaration (schema.py) covers every official field ----------------------

def undeclared(path, example, where):
    "'<where>.<key>' for each key of an official item that path does not declare"
    fields, found = FIELDS[path], []
    for key, shown in example.items():
        at = f'{where}.{key}'
        kind = fields.get(key)
        if key in ('href', 'id'):
            continue
        if kind is None:
            found.append(at)
        elif kind.keys is not None and isinstance(shown, dict):
            found += [f'{at}.{sub}' for sub in shown if sub not in kind.keys]
        elif kind.kind in ('embed', 'list') and kind.collection in PRIMARY:
            inner = shown[0] if isinstance(shown, list) and shown else shown
            if isinstance(inner, dict) and set(inner) - {'href', 'id'}:
                found += undeclared(PRIMARY[kind.collection].path, inner, at)
    return found


@pytest.mark.parametrize('path', ALL_PATHS)
def test_the_declaration_covers_every_official_field(path):
    found = undeclared(path, official_item(path), path)
    if path in OFFICIAL:
        for number, item in enumerate(official_page(path)['items']):
            found += undeclared(path, item, f'{path}.items[{number}]')
    assert found == [], f'fields of the official example that schema.py lacks: {found}'


def test_undeclared_fields_are_named():
    product = {'href': '', 'innerId': '1', 'colour': 'red', 'allImages': {'image9': ''}}
    assert undeclared('products', product, 'products') == [
        'products.colour', 'products.allImages.image9']
    order = {'id': '', 'orderProducts': [{'sku': 'A', 'weight2': '1'}],
        'language': {'href': '', 'code': 'hu', 'script': 'Latn'}}
    assert undeclared('orderExtend', order, 'orderExtend') == [
        'orderExtend.orderProducts.weight2', 'orderExtend.language.script']


def test_mismatches_are_named():
    example = {'a': 'x', 'b': {'href': 'y'}, 'c': [{'d': 'z'}], 'e': {}, 'f': 'g'}
    answer = {'a': {}, 'b': 'y', 'c': [{'d': ['z']}], 'e': 'anything'}
    assert mismatches(example, answer, 'r') == [
        'r.b: string instead of object', 'r.c[0].d: list instead of string', 'r.f: missing']
    assert mismatches({'a': {'b': 'c'}}, {'a': ''}, 'r') == ["r.a: blank '' instead of object"]
    assert mismatches({'a': [{'b': 'c'}]}, {'a': {}}, 'r') == ["r.a: blank {} instead of list"]
    assert mismatches({'a': [{'b': 'c'}], 'd': 'e'}, {'a': [], 'd': None}, 'r') == []


# --- values as the shop writes them ------------------------------------------------

def test_scalars_are_strings_with_the_declared_decimals(answers):
    order, product = answers.json('orderExtend'), answers.json('products')
    assert (order['total'], order['value'], order['couponTaxRate']) == (
        '2540.0000', '1.00000000', '-1.0000')
    assert (product['price'], product['stock1'], product['width']) == (
        '1000.0000', '10', '0.00')
    assert answers.json('taxRates')['rate'] == '27.0000'
    assert answers.json('currencies')['value'] == '1.00000000'
    assert answers.json('coupons')['percentDiscountValue'] == '10.0000'


def test_order_extend_embeds(answers):
    order = answers.json('orderExtend')
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
    assert order['orderStatus'] == answers.json('orders')['orderStatus']
    assert order['customer']['href'].endswith('/customers/' + answers.json('customers')['id'])


def test_extends_embed_their_lists(answers):
    product = answers.json('productExtend')
    assert [d['name'] for d in product['productDescriptions']] == ['Bögre']
    assert product['productPrices'][0]['gross'] == '1270'
    assert [a['city'] for a in answers.json('customerExtend')['addresses']] == ['Budapest']
    assert answers.json('taxClassExtend')['taxRates'][0]['rate'] == '27.0000'
    mode = answers.json('shippingModeExtend')
    assert [d['name'] for d in mode['shippingModeDescriptions']] == ['GLS futár']
    assert mode['shippingLanes'][0]['costNet'] == '1000.0000'


def test_stock_statuses(answers):
    status = answers.json('stockStatuses')
    assert status['stockStatusDescriptions']['href'].endswith(
        '/stockStatusDescriptions?stockStatusId=' + status['id'])
    description = answers.json('stockStatusDescriptions')
    assert description['stockStatus']['href'] == status['href']
    assert (description['name'], description['color']) == ('Rendelhető', '#00a000')
