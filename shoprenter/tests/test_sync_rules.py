"""The sync's ERP-free rules (shoprenter.sync): small orders written here, and the demo
shop's orders read from a sandbox over HTTP."""
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shoprenter import Client
from shoprenter.sandbox.demo import demo_seed
from shoprenter.sync import cursor, keys, lines, money, order as orders, status, totals, vat
from shoprenter.sync.errors import BadQuantity, FieldTooLong, MalformedOrder, UnmappedVat
from shoprenter.sync.settings import local_name, read_shop_settings

UPDATED = dt.datetime(2026, 11, 20, 10, 0, 0)


def make_order(**values):
    "A small normalised orderExtend: one line of 2 x 1000 net at 27 %, 990 Ft shipping"
    order = {
        'id': 'b3JkZXI=', 'innerId': '1042',
        'dateCreated': UPDATED, 'dateUpdated': UPDATED,
        'orderStatus': {'href': 'http://shop/api/orderStatuses/c3RhdHVz'},
        'firstname': 'Anna', 'lastname': 'Kiss', 'email': 'kiss.anna@example.hu',
        'shippingMethodName': 'GLS futárszolgálat', 'shippingMethodTaxRate': Decimal(27),
        'paymentMethodCode': 'COD', 'paymentMethodName': 'Utánvét',
        'paymentMethodTaxRate': Decimal(27),
        'currency': {'code': 'HUF', 'decimalPlace': '0'},
        'orderProducts': [{'sku': 'HU-1001', 'name': 'Lábas', 'price': Decimal('1000.0000'),
                'taxRate': Decimal('27.0000'), 'stock1': '2', 'stock2': '0'}],
        'orderTotals': [
            {'type': 'SUB_TOTAL', 'value': Decimal(2000)},
            {'type': 'TAX', 'value': Decimal(540)},
            {'type': 'SUB_TOTAL_WITH_TAX', 'value': Decimal(2540)},
            {'type': 'SHIPPING', 'value': Decimal(990)},
            {'type': 'TOTAL', 'value': Decimal(3530)}],
        }
    order.update(values)
    return order


def problem_of(order):
    with pytest.raises(MalformedOrder) as info:
        orders.check_order(order)
    return info.value


# Reading an order

def test_check_order_accepts_a_sound_order():
    orders.check_order(make_order())


@pytest.mark.parametrize('change, problem', [
    ({'innerId': None}, 'missing innerId'),
    ({'dateUpdated': '2026-11-20'}, 'dateUpdated is not a date'),
    ({'email': {'address': 'x'}}, 'email is not a text'),
    ({'orderProducts': {'sku': 'A'}}, 'orderProducts is not a list'),
    ({'phone': ['+36']}, 'phone is not a text'),
    ({'orderProducts': [{'sku': 'A', 'stock1': '1', 'price': '10'}]}, 'price is not a number'),
    ({'orderProducts': [{'sku': 'A', 'stock1': '1', 'price': Decimal(-1)}]}, 'negative price'),
    ({'orderTotals': [{'type': 'TOTAL', 'value': 'many'}]}, 'total TOTAL is not a number'),
    ])
def test_check_order_names_the_problem(change, problem):
    error = problem_of(make_order(**change))
    assert problem in error.problem
    assert error.number == (change.get('innerId', '1042') or 'b3JkZXI=')
    assert f'#{error.number} cannot be read' in str(error)


def test_too_long_texts_stop_the_order():
    with pytest.raises(FieldTooLong) as info:
        orders.check_order(make_order(paymentCity='Szeged ' * 30))
    error = info.value
    assert (error.field, error.length, error.limit, error.line) == ('paymentCity', 210, 128, None)
    assert error.start == ('Szeged ' * 6)[:40]
    order = make_order()
    order['orderProducts'][0]['sku'] = 'X' * 129
    with pytest.raises(FieldTooLong) as info:
        orders.check_order(order)
    assert (info.value.field, info.value.line) == ('sku', 1)
    # A postcode that reads as a number is a text
    orders.check_order(make_order(paymentPostcode=6720))


@pytest.mark.parametrize('stock, maximum, given', [
    ({'stock1': '0'}, None, '0'),
    ({'stock1': 'two'}, None, 'two'),
    ({'stock1': '1.5'}, None, '1.5'),
    ({'stock1': 1.0}, None, '1.0'),
    ({'stock1': '600', 'stock2': '500'}, 1000, '600+500'),
    ])
def test_quantities_are_whole_numbers_up_to_the_maximum(stock, maximum, given):
    order = make_order(orderProducts=[dict({'sku': 'A'}, **stock)])
    with pytest.raises(BadQuantity) as info:
        orders.check_order(order, maximum)
    assert (info.value.line, info.value.name, info.value.quantity) == (1, 'A', given)
    orders.check_order(make_order(orderProducts=[{'sku': 'A', 'stock1': '999', 'stock3': 1}]),
        1000)


def test_check_order_of_something_else():
    assert problem_of(['not', 'an', 'order']).number == '?'


def test_quantity_is_the_sum_of_the_warehouses():
    assert orders.line_quantity({'stock1': '2', 'stock2': '1', 'stock4': '3'}) == 6
    assert orders.line_quantity({}) == 0


def test_totals_by_type_sums_repeated_rows_and_keeps_the_coupon_code():
    order = make_order(orderTotals=[
            {'type': 'shipping ', 'value': Decimal(500)},
            {'type': 'SHIPPING', 'value': Decimal(490)},
            {'type': 'COUPON', 'value': Decimal(-300), 'description': 'NYAR10'},
            {'type': None, 'value': Decimal(1)}])
    assert orders.totals_by_type(order) == {
        'SHIPPING': Decimal(990), 'COUPON': Decimal(-300), 'COUPON_CODE': 'NYAR10'}


def test_digest_follows_content_not_status_or_dates():
    digest = orders.content_digest(make_order())
    assert orders.content_digest(make_order(
            orderStatus={'id': 'other'}, dateUpdated=UPDATED + dt.timedelta(hours=1))) == digest
    changed = make_order()
    changed['orderProducts'][0]['stock1'] = '3'
    assert orders.content_digest(changed) != digest
    assert orders.content_digest(make_order(shippingCity='Szeged')) != digest


# Money and VAT

def test_net_from_gross_and_split():
    assert money.net_from_gross(Decimal(1270), Decimal(27)) == Decimal('1000.0000')
    assert money.net_from_gross(Decimal(990), Decimal(27)) == Decimal('779.5276')
    shares = money.split_by_rate(Decimal(-100), {Decimal(27): 2, Decimal(5): 1})
    assert sum(shares.values()) == Decimal(-100)
    assert shares == {Decimal(27): Decimal('-66.6667'), Decimal(5): Decimal('-33.3333')}
    assert money.split_by_rate(Decimal(10), {}) == {}
    with pytest.raises(ValueError):
        money.parse_decimal('ten')
    assert money.parse_decimal('') is None


def mapping(name, rate, tax=None):
    return SimpleNamespace(name=name, rate=rate, tax=tax)


def test_vat_by_name_first_then_by_rate():
    mappings = [mapping('27 %', Decimal(27), 'T27'), mapping('AAM', Decimal(0)),
        mapping('0 % export', 0.0, 'T0')]
    assert vat.find_mapping(mappings, Decimal(27)).tax == 'T27'
    assert vat.find_mapping(mappings, Decimal('27.0000'), name='AAM').name == 'AAM'
    # An ERP's float rate is its decimal
    assert vat.find_mapping([mapping('5,5 %', 5.5)], Decimal('5.5000')).name == '5,5 %'
    assert vat.find_mapping(mappings, Decimal(18)) is None
    with pytest.raises(UnmappedVat) as info:
        vat.mapped_tax(mappings, Decimal(0), '62', lambda m: m.tax)
    assert (info.value.tax, info.value.number) == ('AAM', '62')
    with pytest.raises(UnmappedVat) as info:
        vat.mapped_tax(mappings, Decimal('18.0000'), '63', lambda m: m.tax)
    assert info.value.tax == '18 %'


def test_new_tax_classes_with_their_rates():
    classes = [{'id': 'c27', 'name': '27 %'}, {'id': 'c0', 'name': 'AAM'}, {'id': 'cx'}]
    rates = [{'taxClass': {'id': 'c27'}, 'rate': Decimal(27)},
        {'taxClass': {'href': 'http://x/taxClasses/c27'}, 'rate': Decimal(5)},
        {'taxClass': {'id': 'c0'}, 'rate': Decimal(0)}]
    assert vat.new_tax_classes(classes, rates, {'AAM'}) == [('27 %', Decimal(27))]
    assert vat.sole(['tax']) == 'tax'
    assert vat.sole(['one', 'two']) is None


# Matching keys

def test_guest_key_ignores_spacing_and_case():
    typed = make_order(email=' Kiss.Anna@Example.HU ', lastname=' kiss ')
    assert keys.guest_key(typed) == keys.guest_key(make_order())
    assert keys.guest_key(make_order(email=None)) is None
    assert keys.guest_key(make_order(firstname='Béla')) != keys.guest_key(make_order())
    assert keys.customer_id(make_order()) is None
    assert keys.customer_id(make_order(
            customer={'href': 'http://shop/api/customers/Y3VzdA=='})) == 'Y3VzdA=='


def test_a_company_buyer_needs_a_tax_number():
    company = make_order(paymentCompany=' Kiss és Társa Kft. ', taxNumber='12345676-2-06')
    assert keys.is_company(company)
    assert keys.buyer_name(company) == 'Kiss és Társa Kft.'
    assert keys.buyer_name(make_order(paymentCompany='Kiss Kft.')) == 'Kiss Anna'
    assert keys.buyer_name(make_order(firstname=None, lastname=' ')) == 'kiss.anna@example.hu'


def test_hungarian_tax_number():
    assert keys.tax_identifiers('12345676-2-06') == [
        {'type': 'hu_vat', 'code': 'HU12345676'}, {'type': None, 'code': '12345676-2-06'}]
    # A wrong check digit keeps only the number as given
    assert keys.tax_identifiers('12345678-2-06') == [{'type': None, 'code': '12345678-2-06'}]
    assert keys.eu_vat_number('1234567') is None


def test_address_values_and_identity():
    order = make_order(paymentCompany='Kiss Kft.', paymentFirstname='Anna',
        paymentLastname='Kiss', paymentAddress1='Fő utca 1.', paymentAddress2='2. em.',
        paymentCity='Szeged', paymentPostcode='6720',
        paymentCountry={'isoCode2': 'hu'}, paymentCountryName='Magyarország')
    values = keys.address_values(order, 'payment')
    assert values == {'party_name': 'Kiss Kft. Kiss Anna', 'street': 'Fő utca 1.\n2. em.',
        'postal_code': '6720', 'city': 'Szeged', 'country': ('HU', 'Magyarország')}
    same = dict(values, street='fő  utca 1.\n2. EM.', city=' szeged')
    assert keys.address_key(same) == keys.address_key(values)
    assert keys.address_key(dict(values, postal_code='6721')) != keys.address_key(values)
    assert keys.address_values(order, 'shipping') is None
    assert keys.order_country(make_order(shippingCountryName='Ausztria'), 'shipping') == (
        '', 'Ausztria')


def test_products_by_sku_services_by_name():
    assert keys.product_key({'sku': ' HU-1 ', 'name': 'Lábas'}) == ('code', 'HU-1')
    assert keys.product_key({'sku': None, 'name': ' Ajándékcsomagolás '}) == (
        'service', 'Ajándékcsomagolás')
    assert keys.product_name({'sku': 'HU-1', 'name': None}) == 'HU-1'
    assert keys.payment_mode_code(make_order()) == 'cod'


# Lines

def test_goods_and_fee_lines():
    order = make_order()
    order['orderTotals'].append({'type': 'PAYMENT', 'value': Decimal(390)})
    goods = lines.goods_lines(order)
    assert [(g.sku, g.quantity, g.unit_price, g.rate) for g in goods] == [
        ('HU-1001', 2, Decimal(1000), Decimal(27))]
    fees = lines.fee_lines(order)
    assert [(f.kind, f.name, f.unit_price) for f in fees] == [
        ('shipping', 'GLS futárszolgálat', Decimal('779.5276')),
        ('payment', 'Utánvét', Decimal('307.0866'))]
    # No shipping mode, no shipping line
    assert [f.kind for f in lines.fee_lines(make_order(shippingMethodName=' '))] == []
    service, = lines.goods_lines(make_order(orderProducts=[
                {'name': 'Ajándékcsomagolás', 'price': Decimal(500), 'stock1': '1'}]))
    assert (service.sku, service.key, service.rate) == ('', ('service', 'Ajándékcsomagolás'),
        Decimal(0))


def test_coupon_split_in_proportion_of_the_gross_by_rate():
    order = make_order(
        coupon={'code': 'NYAR10'},
        orderProducts=[
            {'sku': 'A', 'price': Decimal(1000), 'taxRate': Decimal(27), 'stock1': '2'},
            {'sku': 'B', 'price': Decimal(2000), 'taxRate': Decimal(5), 'stock1': '1'}],
        orderTotals=[{'type': 'COUPON', 'value': Decimal('-464.0000'),
                'description': 'other'}])
    coupons = lines.coupon_lines(order, lines.goods_lines(order))
    assert [c.code for c in coupons] == ['NYAR10', 'NYAR10']
    gross = {c.rate: c.unit_price * (1 + c.rate / 100) for c in coupons}
    # 2540 and 2100 gross: the discount splits 254 : 210
    assert gross[Decimal(27)].quantize(Decimal(1)) == Decimal(-254)
    assert gross[Decimal(5)].quantize(Decimal(1)) == Decimal(-210)
    del order['coupon']
    assert lines.coupon_lines(order, lines.goods_lines(order))[0].code == 'other'
    assert lines.coupon_lines(make_order(), lines.goods_lines(make_order())) == []


# Statuses

def test_status_actions_by_name():
    assert [status.status_action(n) for n in ['Törölve', 'Storno', 'Teljesítve', None]] == [
        'cancel', 'cancel', 'import', 'import']


def test_what_a_download_does_with_an_order():
    order = make_order()
    assert status.decide(make_order(orderStatus=None), None, False) == status.SKIP
    assert status.decide(order, 'ignore', True) == status.SKIP
    assert status.decide(order, 'cancel', False) == status.SKIP
    assert status.decide(order, 'cancel', True) == status.CANCEL
    assert status.decide(order, 'import', True, UPDATED) == status.UNCHANGED
    assert status.decide(order, 'import', True, UPDATED - dt.timedelta(1)) == status.UPDATE
    assert status.decide(order, 'import', False) == status.CREATE
    with pytest.raises(MalformedOrder) as info:
        status.decide(order, None, False)
    assert 'c3RhdHVz is not in the shop' in info.value.problem


def test_local_name():
    assert local_name([('en', 'Cancelled'), ('hu', 'Törölve')], {'hu'}) == 'Törölve'
    assert local_name([('en', None), ('de', 'Storniert')], {'hu'}) == 'Storniert'
    assert local_name([], {'hu'}) is None


# The cursor

def test_cursor_overlaps_and_never_passes_now():
    assert cursor.order_query(None) == {'excludeAbandonedCart': 1}
    assert cursor.order_query(UPDATED)['updatedAtMin'] == '2026-11-20T09:50:00'
    later = UPDATED + dt.timedelta(minutes=5)
    assert cursor.advance(UPDATED, later) == later
    assert cursor.advance(later, UPDATED) == later
    assert cursor.advance(None, None) is None
    assert cursor.advance(UPDATED, dt.datetime(2030, 1, 1), now=later) == later
    assert cursor.in_future(later, UPDATED) and not cursor.in_future(UPDATED, later)
    assert not cursor.in_future(None, UPDATED)


def test_orders_dated_in_the_future():
    now = UPDATED - dt.timedelta(days=2)
    assert cursor.dated_in_future(make_order(), 'created', now)
    assert not cursor.dated_in_future(make_order(), 'unchanged', now)
    assert not cursor.dated_in_future(make_order(), 'updated', UPDATED - dt.timedelta(hours=5))


def test_shop_now_in_a_zone():
    budapest = cursor.shop_now('Europe/Budapest')
    utc = cursor.shop_now('UTC')
    assert budapest.tzinfo is None and budapest.microsecond == 0
    # Budapest is one or two hours ahead of UTC
    assert round((budapest - utc).total_seconds() / 3600) in {1, 2}


# The total check

def test_total_check_with_rounding():
    order = make_order()
    goods = [(Decimal(1000), 2, Decimal(27))]
    check = totals.check_total(order, Decimal('3530.00'), goods, Decimal('0.01'), 4)
    assert check.ok and check.shop_total == Decimal(3530)
    assert not totals.check_total(order, Decimal('3532.00'), goods, Decimal('0.01'), 4).ok
    assert not totals.check_total(make_order(orderTotals=[], total=None), Decimal(0), []).ok


# The demo shop over HTTP

@pytest.fixture(scope='module')
def demo_orders():
    from shoprenter.sandbox import Sandbox, SandboxServer
    server = SandboxServer(Sandbox(demo_seed(), rate_limit=None)).start()
    try:
        with Client('demo', 'demo-client', 'demo-secret', api_url=server.api_url,
                token_url=server.token_url, rate_limit=None) as client:
            found = list(client.iter_collection('orderExtend', {'excludeAbandonedCart': 1}))
            settings = read_shop_settings(client)
        yield found, settings
    finally:
        server.stop()


def erp_total_of(order):
    "What an ERP reaches with the rules' lines, at 4 decimals and without rounding"
    goods = lines.goods_lines(order)
    priced = [(g.unit_price, g.quantity, g.rate) for g in goods]
    priced += [(line.unit_price, 1, line.rate)
        for line in lines.fee_lines(order) + lines.coupon_lines(order, goods)]
    return sum((net * quantity * (1 + rate / 100) for net, quantity, rate in priced),
        Decimal(0))


def test_demo_orders_read_and_total(demo_orders):
    found, _ = demo_orders
    assert len(found) == 77
    for order in found:
        orders.check_order(order)
    checks = {}
    for order in found:
        goods = [(g.unit_price, g.quantity, g.rate) for g in lines.goods_lines(order)]
        checks[order['innerId']] = totals.check_total(
            order, erp_total_of(order), goods, Decimal('0.0001'), 100)
    assert [number for number, check in checks.items() if not check.ok] == []
    one = found[0]
    moved = dict(one, orderTotals=[dict(t, value=t['value'] + 2) if t['type'] == 'TOTAL'
            else t for t in one['orderTotals']])
    goods = [(g.unit_price, g.quantity, g.rate) for g in lines.goods_lines(one)]
    assert not totals.check_total(moved, erp_total_of(one), goods, Decimal('0.0001'), 100).ok
    # The demo's coupons and fees are there to be checked
    assert any(lines.coupon_lines(o, lines.goods_lines(o)) for o in found)
    assert any(len(lines.fee_lines(o)) == 2 for o in found)


def test_demo_shop_settings_in_hungarian(demo_orders):
    _, (statuses, modes) = demo_orders
    actions = {name: status.status_action(name) for name in statuses.values()}
    assert actions['Törölve'] == actions['Storno'] == 'cancel'
    assert actions['Teljesítve'] == 'import'
    assert modes['cod'] == 'Utánvét'
