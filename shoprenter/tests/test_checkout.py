"Placing orders in the sandbox: totals, stock, defaults and refused intents"
import copy
from datetime import datetime
from decimal import Decimal

import pytest

from shoprenter.sandbox import demo
from shoprenter.sandbox.checkout import CheckoutError, place_order
from shoprenter.sandbox.ids import make_id, parse_id

NOW = datetime(2026, 11, 20, 10, 0, 0)
NOW_TEXT = '2026-11-20T10:00:00'

# Every field of the official order fixture (orders get_id.json) except the href and the
# collection links (orderTotals, orderProducts, …) that the sandbox derives.
ORDER_FIXTURE_FIELDS = {
    'id', 'innerId', 'invoiceId', 'invoicePrefix', 'firstname', 'lastname', 'phone', 'fax',
    'email', 'shippingFirstname', 'shippingLastname', 'shippingCompany', 'shippingAddress1',
    'shippingAddress2', 'shippingCity', 'shippingPostcode', 'shippingZoneName',
    'shippingCountryName', 'shippingAddressFormat', 'shippingMethodName',
    'shippingMethodTaxRate', 'shippingMethodTaxName', 'shippingMethodExtension',
    'shippingReceivingPointId', 'paymentFirstname', 'paymentLastname', 'paymentCompany',
    'paymentAddress1', 'paymentAddress2', 'paymentCity', 'paymentPostcode', 'paymentZoneName',
    'paymentCountryName', 'paymentAddressFormat', 'paymentMethodName', 'paymentMethodCode',
    'paymentMethodTaxRate', 'paymentMethodTaxName', 'paymentMethodAfter', 'taxNumber',
    'comment', 'total', 'value', 'couponTaxRate', 'dateCreated', 'dateUpdated', 'ip',
    'pickPackPontShopCode', 'loyaltyPointsTaxRate', 'customer', 'customerGroup',
    'shippingZone', 'shippingCountry', 'paymentZone', 'paymentCountry', 'orderStatus',
    'language', 'currency', 'shippingMode', 'externalInfo'}

PRODUCTS = (   # sku, net price, tax class, stock1
    ('P-1000', '1000.0000', demo.TAX_27, '5'),
    ('P-490', '490.0000', demo.TAX_27, '1'),
    ('P-1050', '1050.0000', demo.TAX_27, '10'),
    ('B-3000', '3000.0000', demo.TAX_5, '7'),
    ('F-800', '800.0000', demo.TAX_18, '3'),
    ('X-20000', '20000.0000', demo.TAX_27, '2'),
)


def add_product(data, number, sku, price, tax_class, stock):
    product_id = make_id('product', product_id=number)
    data['products'].append({
        'id': product_id, 'innerId': str(number), 'sku': sku, 'price': price,
        'stock1': stock, 'stock2': '0', 'stock3': '0', 'stock4': '0', 'subtractStock': '1',
        'dateCreated': '2026-01-01T08:00:00', 'dateUpdated': '2026-01-01T08:00:00',
        'taxClass': {'id': demo.tax_class_id(tax_class)}, 'parentProduct': {'id': product_id}})
    data['productDescriptions'].append({
        'id': make_id('productDescription', product_id=number, language_id=demo.HU),
        'name': f'Termék {sku}', 'product': {'id': product_id},
        'language': {'id': make_id('language', language_id=demo.HU)}})


@pytest.fixture
def shop():
    "A small shop: the demo's settings, a handful of products and one company customer"
    data = {collection: [] for collection in demo.COLLECTIONS}
    for add in (demo.add_languages, demo.add_currencies, demo.add_countries,
                demo.add_customer_groups, demo.add_taxes, demo.add_order_statuses,
                demo.add_payment_modes, demo.add_shipping_modes, demo.add_coupons):
        add(data)
    for number, (sku, price, tax_class, stock) in enumerate(PRODUCTS, 1):
        add_product(data, number, sku, price, tax_class, stock)
    customer_id = make_id('customer', customer_id=7)
    address_id = make_id('address', address_id=9)
    data['customers'].append({
        'id': customer_id, 'innerId': '7', 'firstname': 'Gábor', 'lastname': 'Nagy',
        'email': 'gabor.nagy@example.hu', 'telephone': '+36301234567', 'fax': {},
        'defaultAddress': {'id': address_id},
        'customerGroup': {'id': make_id('customerGroup', customer_group_id=demo.DEFAULT_GROUP)}})
    data['addresses'].append({
        'id': address_id, 'innerId': '9', 'company': 'Nagy és Fia Kft.', 'firstname': 'Gábor',
        'lastname': 'Nagy', 'taxNumber': '12345676-2-41', 'type': 'business',
        'address1': 'Fő utca 1.', 'address2': '', 'postcode': '1011', 'city': 'Budapest',
        'customer': {'id': customer_id},
        'country': {'id': make_id('country', country_id=97)}, 'zone': None})
    return data


def intent(*items, **fields):
    values = {'firstname': 'Éva', 'lastname': 'Tóth', 'email': 'eva@example.hu',
              'phone': '+36201111111',
              'payment': {'firstname': 'Éva', 'lastname': 'Tóth', 'address1': 'Kossuth utca 2.',
                          'city': 'Szeged', 'postcode': '6720',
                          'countryName': 'Magyarország'},
              'items': list(items), 'shippingMode': 'GLS futárszolgálat',
              'paymentCode': 'barion'}
    values.update(fields)
    return values


def totals_of(data, order):
    "{type: Decimal value} of an order's totals (TAX rows keyed by their name)"
    totals = {}
    for row in data['orderTotals']:
        if row['order']['id'] == order['id']:
            key = row['name'] if row['type'] == 'TAX' else row['type']
            assert key not in totals
            totals[key] = Decimal(row['value'])
    return totals


def lines_of(data, order):
    return [line for line in data['orderProducts'] if line['order']['id'] == order['id']]


def product(data, sku):
    return next(item for item in data['products'] if item['sku'] == sku)


def assert_totals_add_up(data, order):
    totals = totals_of(data, order)
    lines = lines_of(data, order)
    assert totals['SUB_TOTAL'] == sum(Decimal(line['total']) for line in lines)
    lines_gross = sum(Decimal(line['grossPrice']) * int(line['stock1']) for line in lines)
    assert totals['SUB_TOTAL_WITH_TAX'] == lines_gross
    taxes = sum(value for key, value in totals.items() if key.startswith('ÁFA'))
    assert totals['SUB_TOTAL'] + taxes == totals['SUB_TOTAL_WITH_TAX']
    assert totals['TOTAL'] == (totals['SUB_TOTAL_WITH_TAX'] + totals.get('SHIPPING', 0)
                               + totals.get('PAYMENT', 0) + totals.get('COUPON', 0))
    assert Decimal(order['total']) == totals['TOTAL']
    return totals


def test_one_line_courier_cash_on_delivery(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 2}, paymentCode='cod'), NOW)
    totals = assert_totals_add_up(shop, order)
    assert totals == {
        'SUB_TOTAL': Decimal(2000), 'ÁFA (27%):': Decimal(540),
        'SUB_TOTAL_WITH_TAX': Decimal(2540),
        'SHIPPING': Decimal(1892),          # 1490 net + 27 % = 1892.3 -> whole forints
        'PAYMENT': Decimal(390), 'TOTAL': Decimal(4822)}
    [line] = lines_of(shop, order)
    assert (line['price'], line['total'], line['taxRate'], line['grossPrice']) == (
        '1000.0000', '2000.0000', '27.0000', '1270')
    assert (line['stock1'], line['stock2'], line['sku'], line['name']) == (
        '2', '0', 'P-1000', 'Termék P-1000')
    assert order['total'] == '4822.0000'
    assert order['paymentMethodCode'] == 'COD'
    assert order['paymentMethodName'] == 'Utánvét'
    assert order['paymentMethodTaxRate'] == '27.0000'
    assert order['shippingMethodName'] == 'GLS futárszolgálat'
    assert order['shippingMethodTaxRate'] == '27.0000'
    assert order['shippingMethodExtension'] == 'GLS'


def test_totals_rows_are_api_strings(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 2}), NOW)
    rows = [row for row in shop['orderTotals'] if row['order']['id'] == order['id']]
    assert [row['type'] for row in rows] == [
        'SUB_TOTAL', 'TAX', 'SUB_TOTAL_WITH_TAX', 'SHIPPING', 'TOTAL']
    assert rows[1]['name'] == 'ÁFA (27%):'
    assert rows[-1]['valueText'] == '4.432 Ft'
    assert all(row['value'].endswith('.0000') for row in rows)
    assert all(parse_id(row['id'])[0] == 'orderTotal' for row in rows)
    assert all(row['dateCreated'] == NOW_TEXT for row in rows)


def test_gross_unit_price_rounds_half_up(shop):
    order = place_order(shop, intent({'sku': 'P-1050', 'quantity': 3},
                                     {'sku': 'P-490', 'quantity': 1}), NOW)
    gross = {line['sku']: line['grossPrice'] for line in lines_of(shop, order)}
    assert gross == {'P-1050': '1334', 'P-490': '622'}   # 1333.5 -> 1334, 622.3 -> 622
    totals = assert_totals_add_up(shop, order)
    assert totals['SUB_TOTAL_WITH_TAX'] == 3 * 1334 + 622


def test_one_tax_row_per_rate(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                     {'sku': 'B-3000', 'quantity': 1},
                                     {'sku': 'F-800', 'quantity': 2}), NOW)
    totals = assert_totals_add_up(shop, order)
    assert totals['ÁFA (27%):'] == 270
    assert totals['ÁFA (18%):'] == 288
    assert totals['ÁFA (5%):'] == 150
    assert {line['taxRate'] for line in lines_of(shop, order)} == {
        '27.0000', '5.0000', '18.0000'}


def test_sub_total_is_the_gross_less_the_vat_of_each_rate(shop):
    "100.4 net at 27 % and at 5 %: rounding the net sum (200.8) instead would make 201"
    order = place_order(shop, intent(
        {'name': 'Szolgáltatás A', 'price': '100.4', 'taxRate': '27', 'quantity': 1},
        {'name': 'Szolgáltatás B', 'price': '100.4', 'taxRate': '5', 'quantity': 1}), NOW)
    totals = totals_of(shop, order)
    assert (totals['SUB_TOTAL'], totals['ÁFA (27%):'], totals['ÁFA (5%):'],
            totals['SUB_TOTAL_WITH_TAX']) == (200, 28, 5, 128 + 105)


def test_percent_coupon_takes_percent_of_gross_lines(shop):
    order = place_order(shop, intent({'sku': 'P-1050', 'quantity': 1}, coupon='nyar10'), NOW)
    totals = assert_totals_add_up(shop, order)
    assert totals['COUPON'] == Decimal(-133)   # 10 % of 1334 = 133.4
    row = next(row for row in shop['orderTotals']
               if row['order']['id'] == order['id'] and row['type'] == 'COUPON')
    assert row['description'] == 'NYAR10'
    assert row['name'] == 'Kupon (NYAR10):'
    assert order['coupon'] == {'id': make_id('coupon', coupon_id=1)}
    assert order['couponTaxRate'] == '27.0000'


def test_fixed_coupon_and_its_cap(shop):
    order = place_order(shop, intent({'sku': 'B-3000', 'quantity': 1}, coupon='HUSEG2000'), NOW)
    assert assert_totals_add_up(shop, order)['COUPON'] == -2000
    small = place_order(shop, intent({'sku': 'P-490', 'quantity': 1}, coupon='HUSEG2000'), NOW)
    # The discount never exceeds the goods: only the shipping is left to pay.
    totals = assert_totals_add_up(shop, small)
    assert totals['COUPON'] == -622
    assert totals['TOTAL'] == totals['SHIPPING']


def test_no_coupon_means_no_coupon_row(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}), NOW)
    assert 'COUPON' not in totals_of(shop, order)
    assert order['coupon'] is None and order['couponTaxRate'] == '-1.0000'


def test_expired_coupon_is_refused(shop):
    with pytest.raises(CheckoutError, match='TAVASZ15'):
        place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}, coupon='TAVASZ15'), NOW)


def test_free_shipping_from_threshold(shop):
    below = place_order(shop, intent({'sku': 'X-20000', 'quantity': 1}), NOW)   # 25 400 gross
    assert totals_of(shop, below)['SHIPPING'] == 1892
    above = place_order(shop, intent({'sku': 'X-20000', 'quantity': 1},
                                     {'sku': 'B-3000', 'quantity': 2}), NOW)   # 31 700 gross
    totals = assert_totals_add_up(shop, above)
    assert 'SHIPPING' not in totals


def test_shipping_lane_follows_the_gross_cart(shop):
    small = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                     shippingMode=str(demo.MPL)), NOW)
    assert totals_of(shop, small)['SHIPPING'] == 2146    # 1690 net lane
    large = place_order(shop, intent({'sku': 'X-20000', 'quantity': 1},
                                     shippingMode=str(demo.MPL)), NOW)
    assert totals_of(shop, large)['SHIPPING'] == 1511    # 1190 net lane from 15 000 gross
    assert large['shippingMethodName'] == 'MPL házhozszállítás'


def test_personal_pickup_is_free(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                     shippingMode='Személyes átvétel'), NOW)
    totals = assert_totals_add_up(shop, order)
    assert 'SHIPPING' not in totals and totals['TOTAL'] == 1270


def test_parcel_locker_keeps_receiving_point(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                     shippingMode=str(demo.FOXPOST),
                                     shippingReceivingPointId='1014'), NOW)
    assert order['shippingReceivingPointId'] == '1014'
    assert order['shippingMethodExtension'] == 'FOXPOST'
    assert order['shippingMode'] == {'id': make_id('shippingMode', id=demo.FOXPOST)}


def test_service_line_is_not_a_product(shop):
    stocks = {item['sku']: item['stock1'] for item in shop['products']}
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                     {'name': 'Ajándékcsomagolás', 'price': '500',
                                      'taxRate': '27', 'quantity': 1}), NOW)
    totals = assert_totals_add_up(shop, order)
    assert totals['SUB_TOTAL'] == 1500
    service = lines_of(shop, order)[1]
    assert (service['sku'], service['name'], service['price'], service['grossPrice']) == (
        '', 'Ajándékcsomagolás', '500.0000', '635')
    assert service['product'] is None and service['productInnerId'] == '0'
    assert product(shop, 'P-1000')['stock1'] == str(int(stocks['P-1000']) - 1)


def test_discontinued_sku_as_custom_line(shop):
    order = place_order(shop, intent({'sku': 'OLD-1', 'name': 'Régi kávéfőző', 'price': '5900',
                                      'taxRate': '27', 'quantity': 1}), NOW)
    [line] = lines_of(shop, order)
    assert (line['sku'], line['name'], line['price'], line['product']) == (
        'OLD-1', 'Régi kávéfőző', '5900.0000', None)
    assert_totals_add_up(shop, order)


def test_stock_decreases_and_may_go_negative(shop):
    before = product(shop, 'P-490')['dateUpdated']
    place_order(shop, intent({'sku': 'P-490', 'quantity': 3}, {'sku': 'P-1000', 'quantity': 2}),
                NOW)
    assert product(shop, 'P-490')['stock1'] == '-2'
    assert product(shop, 'P-1000')['stock1'] == '3'
    assert product(shop, 'P-490')['dateUpdated'] == NOW_TEXT != before
    assert product(shop, 'B-3000')['stock1'] == '7'   # not sold: untouched


def test_abandoned_cart_takes_no_stock(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 2}, orderStatus=None), NOW)
    assert order['orderStatus'] is None
    assert product(shop, 'P-1000')['stock1'] == '5'
    assert [line['stock1'] for line in lines_of(shop, order)] == ['0']


def test_status_defaults_to_pending_and_can_be_given(shop):
    pending = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}), NOW)
    assert pending['orderStatus'] == {'id': make_id('orderStatus', order_status_id=1)}
    storno = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}, orderStatus='6'), NOW)
    assert storno['orderStatus'] == {'id': make_id('orderStatus', order_status_id=6)}


def test_registered_customer_defaults(shop):
    order = place_order(shop, {'customer': '7', 'items': [{'sku': 'P-1000', 'quantity': 1}],
                               'shippingMode': '1', 'paymentCode': 'BANK_TRANSFER'}, NOW)
    assert (order['firstname'], order['lastname'], order['email'], order['phone']) == (
        'Gábor', 'Nagy', 'gabor.nagy@example.hu', '+36301234567')
    assert order['taxNumber'] == '12345676-2-41'
    assert order['paymentCompany'] == order['shippingCompany'] == 'Nagy és Fia Kft.'
    assert order['paymentCity'] == order['shippingCity'] == 'Budapest'
    assert order['paymentCountryName'] == 'Magyarország'
    assert order['customer'] == {'id': make_id('customer', customer_id=7)}
    assert order['customerGroup'] == {
        'id': make_id('customerGroup', customer_group_id=demo.DEFAULT_GROUP)}
    assert order['paymentMethodCode'] == 'BANK_TRANSFER'
    assert 'PAYMENT' not in totals_of(shop, order)


def test_other_shipping_address_does_not_inherit_the_company(shop):
    order = place_order(shop, {'customer': '7', 'items': [{'sku': 'P-1000', 'quantity': 1}],
                               'shippingMode': '1', 'paymentCode': 'cod',
                               'shipping': {'firstname': 'Gizella', 'address1': 'Fő tér 3.',
                                            'city': 'Kaposvár', 'postcode': '7400'}}, NOW)
    assert (order['shippingFirstname'], order['shippingLastname']) == ('Gizella', 'Nagy')
    assert (order['shippingCompany'], order['shippingCity']) == ('', 'Kaposvár')
    assert order['shippingCountryName'] == 'Magyarország'
    assert order['paymentCompany'] == 'Nagy és Fia Kft.'


def test_guest_order_fields(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}, email=' Eva@Example.HU ',
                                     shipping={'address1': 'Rákóczi út 5.', 'city': 'Pécs',
                                               'postcode': '7621'},
                                     comment='Délután jöjjenek.'), NOW)
    assert set(order) == ORDER_FIXTURE_FIELDS | {'coupon'}
    assert order['customer'] is None
    assert order['email'] == ' Eva@Example.HU '   # kept as typed
    assert (order['shippingCity'], order['shippingFirstname']) == ('Pécs', 'Éva')
    assert order['paymentCity'] == 'Szeged'
    assert order['shippingCountry'] == order['paymentCountry'] == {
        'id': make_id('country', country_id=97)}
    assert order['comment'] == 'Délután jöjjenek.'
    assert (order['fax'], order['shippingZone'], order['value']) == ('', None, '1.00000000')
    assert order['dateCreated'] == order['dateUpdated'] == NOW_TEXT
    assert order['currency'] == {'id': make_id('currency', currency_id=demo.HUF)}
    assert order['language'] == {'id': make_id('language', language_id=demo.HU)}


def test_ids_and_inner_ids_continue_after_the_largest(shop):
    first = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}), NOW)
    assert first['innerId'] == '1'
    # An older order with a large number already stored (e.g. from a custom seed)
    first['innerId'], first['id'] = '171', make_id('order', order_id=171)
    second = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1},
                                      {'sku': 'B-3000', 'quantity': 1}), NOW)
    assert second['innerId'] == '172'
    assert second['id'] == make_id('order', order_id=172) == 'b3JkZXItb3JkZXJfaWQ9MTcy'
    inner_ids = [line['innerId'] for line in shop['orderProducts']]
    assert inner_ids == ['1', '2', '3']
    assert [parse_id(line['id'])[1]['order_product_id'] for line in shop['orderProducts']] == [
        '1', '2', '3']
    total_numbers = [int(parse_id(row['id'])[1]['order_total_id'])
                     for row in shop['orderTotals']]
    assert total_numbers == list(range(1, len(total_numbers) + 1))


def test_now_may_be_given_as_text(shop):
    order = place_order(shop, intent({'sku': 'P-1000', 'quantity': 1}), NOW_TEXT)
    assert order['dateCreated'] == NOW_TEXT


@pytest.mark.parametrize('bad_intent, message', [
    (intent(), 'no items'),
    ({**intent(), 'items': None}, 'no items'),
    (intent({'sku': 'NOPE', 'quantity': 1}), 'unknown sku'),
    (intent({'sku': 'P-1000', 'quantity': 0}), 'positive integer'),
    (intent({'sku': 'P-1000', 'quantity': -1}), 'positive integer'),
    (intent({'sku': 'P-1000', 'quantity': 1.5}), 'positive integer'),
    (intent({'sku': 'P-1000', 'quantity': 'two'}), 'positive integer'),
    (intent({'sku': 'P-1000', 'quantity': True}), 'positive integer'),
    (intent({'name': 'Csomagolás', 'price': '500', 'quantity': 1}), 'taxRate'),
    (intent({'name': 'Csomagolás', 'price': 'sok', 'taxRate': '27'}), 'not a number'),
    (intent({'quantity': 1}), 'needs a sku'),
    (intent({'sku': 'P-1000', 'quantity': 1}, shippingMode='Drón'), 'unknown shipping mode'),
    (intent({'sku': 'P-1000', 'quantity': 1}, shippingMode=None), 'shippingMode'),
    (intent({'sku': 'P-1000', 'quantity': 1}, paymentCode='paypal'), 'unknown payment code'),
    (intent({'sku': 'P-1000', 'quantity': 1}, paymentCode=None), 'paymentCode'),
    (intent({'sku': 'P-1000', 'quantity': 1}, coupon='INGYEN'), 'unknown coupon'),
    (intent({'sku': 'P-1000', 'quantity': 1}, customer='999'), 'unknown customer'),
    (intent({'sku': 'P-1000', 'quantity': 1}, orderStatus='42'), 'unknown order status'),
    ('not an intent', 'object'),
])
def test_bad_intent_is_refused_without_changes(shop, bad_intent, message):
    before = copy.deepcopy(shop)
    with pytest.raises(CheckoutError, match=message):
        place_order(shop, bad_intent, NOW)
    assert shop == before


def test_checkout_error_is_a_value_error():
    assert issubclass(CheckoutError, ValueError)
