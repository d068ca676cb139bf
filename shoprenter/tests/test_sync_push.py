"The shared push rules: promisable quantity, only what differs, batches of 200, VAT."
from decimal import Decimal

import pytest

from shoprenter import Client
from shoprenter.sync import push
from shoprenter.sync.push import Held, Wanted


def test_promisable_quantity_is_on_hand_minus_reserved_never_below_zero():
    assert push.promisable_quantity(10, 3) == 7
    assert push.promisable_quantity(2, 5) == 0
    assert push.promisable_quantity(None, None) == 0


def test_promisable_quantity_is_whole_units_down():
    "A shop's stock is an integer: half a unit left cannot be promised"
    assert push.promisable_quantity(Decimal('4.5'), 0) == 4
    # unit conversion noise just under a whole unit still counts as the unit
    assert push.promisable_quantity(2.9999999999, 0) == 3


def test_shop_quantity_reads_the_shops_strings():
    assert push.shop_quantity('12') == 12
    assert push.shop_quantity('3.0000') == 3
    assert push.shop_quantity(None) == 0
    assert push.shop_quantity('lots') is None


def test_shop_price_has_four_decimals():
    assert push.shop_price(Decimal('1000')) == Decimal('1000.0000')
    assert str(push.shop_price(787.401574)) == '787.4016'
    assert push.shop_price(None) is None


def test_only_what_differs_is_sent():
    held = Held('cHJvZHVjdC1wcm9kdWN0X2lkPTE=', 5, Decimal('100.0000'))
    assert push.changes(held, Wanted(5, Decimal('100.0000'))) == ({}, False)
    assert push.changes(held, Wanted(4, Decimal('100.0000'))) == ({'stock1': '4'}, False)
    assert push.changes(held, Wanted(5, Decimal('120.0000'))) == (
        {'price': '120.0000'}, False)
    # held.quantity is the configured field's: that field receives the quantity
    assert push.changes(held, Wanted(6, None), 'stock2') == ({'stock2': '6'}, False)


def test_no_price_leaves_the_shops_price():
    held = Held('x', 5, Decimal('100.0000'))
    assert push.changes(held, Wanted(5, None)) == ({}, False)


def test_a_price_under_another_vat_is_held_back():
    held = Held('x', 5, Decimal('100.0000'), '27 %')
    data, mismatch = push.changes(held, Wanted(6, Decimal('90.0000'), tax_ok=False))
    assert data == {'stock1': '6'}
    assert mismatch


def test_tax_consistent():
    assert push.tax_consistent(None, {1})
    assert push.tax_consistent(1, {1})
    assert push.tax_consistent(1, ())
    assert not push.tax_consistent(1, {2})
    assert not push.tax_consistent(1, {1, 2})


def test_plan_splits_operations_unchanged_and_mismatches():
    items = [
        ('a', Held('ida', 1, Decimal(10)), Wanted(1, Decimal(10))),
        ('b', Held('idb', 1, Decimal(10)), Wanted(2, Decimal(10))),
        ('c', Held('idc', 1, Decimal(10)), Wanted(1, Decimal(11), tax_ok=False)),
    ]
    result = push.plan(items)
    assert [o.key for o in result.operations] == ['b']
    assert result.operations[0].request() == ('PUT', 'products/idb', {'stock1': '2'})
    assert result.unchanged == ['a', 'c']
    assert result.vat_mismatches == ['c']


def test_batches_of_at_most_200():
    chunks = list(push.batches(range(401)))
    assert [len(c) for c in chunks] == [200, 200, 1]
    with pytest.raises(ValueError):
        list(push.batches([1], size=201))


def test_applied_is_what_the_shop_holds_after():
    held = Held('x', 1, Decimal(10), '27 %')
    after = push.applied(held, {'stock1': '4', 'price': '12.5000'})
    assert (after.quantity, after.price, after.tax_class) == (4, Decimal('12.5000'), '27 %')


def test_held_from_a_shop_product(make_sandbox):
    "Read over HTTP from the sandbox: the shop's strings become what it holds"
    server = make_sandbox()
    with Client('demo', 'demo-client', 'demo-secret', api_url=server.api_url,
            token_url=server.token_url) as client:
        tax_classes = {c['id']: c.get('name') for c in client.iter_collection('taxClasses')}
        item = next(client.iter_collection('products'))
        held = push.held_from_item(item, 'stock1', tax_classes)
        assert held.shoprenter_id == item['id']
        assert held.quantity == int(Decimal(str(item['stock1'])))
        assert held.price == Decimal(str(item['price']))
        # a plan sent as a batch lands in the shop
        result = push.plan([('p', held, Wanted(held.quantity + 3, held.price))])
        [answer] = client.batch([o.request() for o in result.operations])
        assert answer.ok
        again = push.held_from_item(client.get(f'products/{item["id"]}'), 'stock1')
        assert again.quantity == held.quantity + 3


def test_new_product_carries_what_create_in_shoprenter_sends():
    data = push.new_product('SKU-1', 'Bögre', None, Decimal('786.6142'), 4, 'stock2', 'bGFuZz0x',
        'dGF4Q2xhc3M9MQ==')
    assert data == {
        'sku': 'SKU-1', 'price': '786.6142', 'stock2': '4', 'status': '1',
        'productDescriptions': [{'name': 'Bögre', 'description': '',
            'language': {'id': 'bGFuZz0x'}}],
        'taxClass': {'id': 'dGF4Q2xhc3M9MQ=='}}
    # No price: 0; no tax class for the product's VAT: none sent, the shop's default applies
    data = push.new_product('SKU-2', 'Tál', 'Mély', None, 0)
    assert (data['price'], data['stock1'], 'taxClass' in data) == ('0', '0', False)
    assert data['productDescriptions'][0]['description'] == 'Mély'


def test_product_language_is_hungarian_else_the_first(sandbox_server):
    sandbox = sandbox_server.sandbox
    with Client('demo', sandbox.tokens.client_id, sandbox.tokens.client_secret,
            api_url=sandbox_server.api_url, token_url=sandbox_server.token_url,
            rate_limit=None) as client:
        languages = list(client.iter_collection('languages'))
        hungarian = [lang['id'] for lang in languages if lang.get('code') == 'hu']
        assert push.product_language(client) == (hungarian or [languages[0]['id']])[0]
