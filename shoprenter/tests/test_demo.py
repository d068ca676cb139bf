"The bundled demo shop: deterministic, consistent, and holding every scenario the ERP must meet"
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from shoprenter.sandbox import demo
from shoprenter.sandbox.demo import SCENARIOS, demo_seed
from shoprenter.sandbox.ids import make_id, parse_id

# Entity of an id (ids.parse_id) -> the seed collection holding such items.
COLLECTION_OF_ENTITY = {
    'product': 'products', 'productDescription': 'productDescriptions',
    'customer': 'customers', 'address': 'addresses', 'order': 'orders',
    'orderProduct': 'orderProducts', 'orderTotal': 'orderTotals',
    'orderStatus': 'orderStatuses', 'orderStatusDescription': 'orderStatusDescriptions',
    'taxClass': 'taxClasses', 'taxRate': 'taxRates', 'paymentMode': 'paymentModes',
    'shippingMode': 'shippingModes', 'shippingModeDescription': 'shippingModeDescriptions',
    'coupon': 'coupons', 'currency': 'currencies', 'country': 'countries',
    'language': 'languages', 'webHook': 'webHooks', 'customerGroup': 'customerGroups'}


@pytest.fixture(scope='module')
def seed():
    return demo_seed()


def status_id(number):
    return make_id('orderStatus', order_status_id=number)


def by_id(seed, collection):
    return {item['id']: item for item in seed[collection]}


def lines_of(seed, order):
    return [line for line in seed['orderProducts'] if line['order']['id'] == order['id']]


def totals_of(seed, order):
    return [row for row in seed['orderTotals'] if row['order']['id'] == order['id']]


def order_by_inner_id(seed, inner_id):
    return next(order for order in seed['orders'] if order['innerId'] == str(inner_id))


def links_in(value):
    "Every stored link ({'id': …} and nothing else) inside an item"
    if isinstance(value, dict):
        if set(value) == {'id'}:
            yield value['id']
            return
        for inner in value.values():
            yield from links_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from links_in(inner)


def test_seed_is_deterministic_and_fresh():
    first, second = demo_seed(), demo_seed()
    assert first == second
    first['products'][0]['stock1'] = 'changed'
    assert second['products'][0]['stock1'] != 'changed'


def test_seed_without_orders(seed):
    "The shop as it stands, with an empty order book: the catalogue, customers, stock"
    empty = demo.seed_without_orders()
    for collection in ('orders', 'orderProducts', 'orderTotals'):
        assert seed[collection] and empty[collection] == []
    for collection in ('products', 'customers', 'taxClasses', 'orderStatuses'):
        assert empty[collection] == seed[collection]


def test_every_collection_of_the_contract(seed):
    assert set(seed) == set(COLLECTION_OF_ENTITY.values())
    assert 280 <= len(seed['products']) <= 320
    assert len(seed['productDescriptions']) == len(seed['products'])
    assert 35 <= len(seed['customers']) <= 45 and len(seed['addresses']) == len(seed['customers'])
    assert 70 <= len(seed['orders']) <= 90


def test_ids_are_unique_and_match_inner_ids(seed):
    for collection, items in seed.items():
        ids = [item['id'] for item in items]
        assert len(ids) == len(set(ids)), collection
        for item in items:
            entity, columns = parse_id(item['id'])
            assert COLLECTION_OF_ENTITY[entity] == collection
            if 'innerId' in item:
                assert list(columns.values())[0] == item['innerId']


def test_every_link_points_to_an_existing_item(seed):
    ids_by_collection = {collection: {item['id'] for item in items}
                         for collection, items in seed.items()}
    # geoZones are no seed collection: countries list them inline.
    geo_zones = {zone['id'] for country in seed['countries'] for zone in country['geoZones']}
    checked = 0
    for collection, items in seed.items():
        for item in items:
            for target in links_in({key: value for key, value in item.items() if key != 'id'}):
                entity, _ = parse_id(target)
                if entity == 'geoZone':
                    assert target in geo_zones
                else:
                    assert target in ids_by_collection[COLLECTION_OF_ENTITY[entity]], (
                        collection, item['id'], target)
                checked += 1
    assert checked > 1000


def test_every_order_has_lines_and_totals_that_add_up(seed):
    for order in seed['orders']:
        lines = lines_of(seed, order)
        rows = totals_of(seed, order)
        assert lines, order['innerId']
        values = {}
        for row in rows:
            values.setdefault(row['type'], []).append(Decimal(row['value']))
            assert row['value'] == f'{Decimal(row["value"]):.4f}'
            assert Decimal(row['value']) == Decimal(row['value']).to_integral_value()
        single = {kind: sum(amounts) for kind, amounts in values.items()}
        quantities = [Decimal(line['total']) / Decimal(line['price']) for line in lines]
        assert single['SUB_TOTAL'] == sum(Decimal(line['total']) for line in lines)
        assert single['SUB_TOTAL_WITH_TAX'] == sum(
            Decimal(line['grossPrice']) * quantity for line, quantity in zip(lines, quantities))
        assert len(values['TAX']) == len({line['taxRate'] for line in lines})
        assert single['SUB_TOTAL'] + single['TAX'] == single['SUB_TOTAL_WITH_TAX']
        assert single['TOTAL'] == (single['SUB_TOTAL_WITH_TAX'] + single.get('SHIPPING', 0)
                                   + single.get('PAYMENT', 0) + single.get('COUPON', 0))
        assert Decimal(order['total']) == single['TOTAL']
        assert all(len(amounts) == 1 for kind, amounts in values.items() if kind != 'TAX')
        assert single.get('SHIPPING', 1) > 0 and single.get('PAYMENT', 1) > 0
        assert single.get('COUPON', -1) < 0


def test_orders_spread_over_sixty_days_in_innerid_order(seed):
    times = [datetime.fromisoformat(order['dateCreated']) for order in seed['orders']]
    assert times == sorted(times)
    assert min(times) >= demo.NOW - timedelta(days=60) and max(times) < demo.NOW
    assert max(times) - min(times) > timedelta(days=45)
    assert [order['innerId'] for order in seed['orders']] == [
        str(number) for number in range(1, len(seed['orders']) + 1)]
    for order in seed['orders']:
        assert order['dateCreated'] == order['dateUpdated']
        for line in lines_of(seed, order):
            assert line['dateCreated'] == order['dateCreated']


def test_statuses_mostly_pending_or_processing(seed):
    statuses = [order['orderStatus'] and order['orderStatus']['id'] for order in seed['orders']]
    open_orders = statuses.count(status_id(1)) + statuses.count(status_id(2))
    assert open_orders > len(statuses) / 2


# --- the scenarios the ERP import must meet ----------------------------------------------------

def test_same_guest_twice_with_differently_typed_email(seed):
    orders = [order for order in seed['orders']
              if order['customer'] is None
              and order['email'].strip().lower() == 'kiss.anna@example.hu']
    assert len(orders) == 2
    assert {order['email'] for order in orders} == {' Kiss.Anna@Example.HU ',
                                                    'kiss.anna@example.hu'}
    assert {(order['firstname'], order['lastname']) for order in orders} == {('Anna', 'Kiss')}
    assert {order['innerId'] for order in orders} == {
        str(SCENARIOS['guest_kiss_anna_messy_email']),
        str(SCENARIOS['guest_kiss_anna_clean_email'])}


def test_company_buyers(seed):
    company_orders = [order for order in seed['orders']
                      if order['paymentCompany'] and order['taxNumber']]
    assert any(order['customer'] for order in company_orders)        # registered company
    assert any(order['customer'] is None for order in company_orders)  # guest company
    for name in ('company_registered', 'company_guest'):
        assert order_by_inner_id(seed, SCENARIOS[name]) in company_orders
    for order in company_orders:
        assert re.fullmatch(r'\d{8}-[1-5]-\d{2}', order['taxNumber'])


def test_coupons_of_both_kinds(seed):
    coupon_rows = [row for row in seed['orderTotals'] if row['type'] == 'COUPON']
    assert {row['description'] for row in coupon_rows} >= {'NYAR10', 'HUSEG2000'}
    fixed = order_by_inner_id(seed, SCENARIOS['coupon_fixed'])
    assert [row['value'] for row in totals_of(seed, fixed) if row['type'] == 'COUPON'] == [
        '-2000.0000']
    percent = order_by_inner_id(seed, SCENARIOS['coupon_percent'])
    assert any(row['description'] == 'NYAR10' for row in totals_of(seed, percent))


def test_service_line_without_sku(seed):
    order = order_by_inner_id(seed, SCENARIOS['service_line'])
    service = [line for line in lines_of(seed, order) if not line['sku']]
    assert [(line['name'], line['price'], line['taxRate'], line['product']) for line in service] \
        == [('Ajándékcsomagolás', '500.0000', '27.0000', None)]
    assert order['comment']


def test_line_with_sku_not_in_the_catalog(seed):
    skus = {product['sku'] for product in seed['products']}
    unknown = [line for line in seed['orderProducts'] if line['sku'] and line['sku'] not in skus]
    assert [line['sku'] for line in unknown] == ['OLD-1']
    assert unknown[0]['order']['id'] == order_by_inner_id(seed, SCENARIOS['discontinued_sku'])['id']
    assert unknown[0]['product'] is None


def test_tax_exempt_aam_line(seed):
    aam_class = next(item for item in seed['taxClasses'] if item['name'] == 'AAM')
    aam_rate = next(rate for rate in seed['taxRates'] if rate['taxClass']['id'] == aam_class['id'])
    assert aam_rate['rate'] == '0.0000'
    aam_products = {product['id'] for product in seed['products']
                    if product['taxClass']['id'] == aam_class['id']}
    assert len(aam_products) == 3
    aam_lines = [line for line in seed['orderProducts']
                 if line['product'] and line['product']['id'] in aam_products]
    assert aam_lines and all(line['taxRate'] == '0.0000' for line in aam_lines)
    order = order_by_inner_id(seed, SCENARIOS['aam_line'])
    assert any(line in aam_lines for line in lines_of(seed, order))


def test_cancelled_and_storno(seed):
    assert order_by_inner_id(seed, SCENARIOS['cancelled'])['orderStatus'] == {
        'id': status_id(5)}
    assert order_by_inner_id(seed, SCENARIOS['storno'])['orderStatus'] == {'id': status_id(6)}


def test_three_abandoned_carts(seed):
    carts = [order for order in seed['orders'] if not order.get('orderStatus')]
    assert [order['innerId'] for order in carts] == [
        str(SCENARIOS[f'abandoned_cart_{number}']) for number in (1, 2, 3)]
    for cart in carts:
        assert all(line['stock1'] == '0' for line in lines_of(seed, cart))


def test_parcel_locker_courier_and_pickup(seed):
    lockers = [order for order in seed['orders'] if order['shippingMethodExtension'] == 'FOXPOST']
    assert lockers and all(order['shippingReceivingPointId'] != '0' for order in lockers)
    assert order_by_inner_id(seed, SCENARIOS['parcel_locker']) in lockers
    extensions = {order['shippingMethodExtension'] for order in seed['orders']}
    assert extensions >= {'GLS', 'MPL', 'FOXPOST', 'WSESHIP'}
    pickup = order_by_inner_id(seed, SCENARIOS['personal_pickup'])
    assert pickup['shippingMethodName'] == 'Személyes átvétel'
    assert 'SHIPPING' not in {row['type'] for row in totals_of(seed, pickup)}


def test_free_shipping_over_the_threshold(seed):
    order = order_by_inner_id(seed, SCENARIOS['free_shipping'])
    rows = {row['type']: Decimal(row['value']) for row in totals_of(seed, order)}
    assert order['shippingMethodExtension'] == 'GLS'
    assert rows['SUB_TOTAL_WITH_TAX'] >= 30000 and 'SHIPPING' not in rows


def test_cash_on_delivery_and_card(seed):
    codes = {order['paymentMethodCode'] for order in seed['orders']}
    assert codes == {'COD', 'BARION', 'BANK_TRANSFER'}
    for order in seed['orders']:
        has_fee = any(row['type'] == 'PAYMENT' for row in totals_of(seed, order))
        assert has_fee == (order['paymentMethodCode'] == 'COD')


def test_multi_line_orders_comments_and_other_addresses(seed):
    assert len(lines_of(seed, order_by_inner_id(seed, SCENARIOS['multi_line']))) >= 4
    assert sum(1 for order in seed['orders'] if order['comment']) >= 5
    other = order_by_inner_id(seed, SCENARIOS['different_shipping_address'])
    assert other['shippingCity'] != other['paymentCity']
    foreign = order_by_inner_id(seed, SCENARIOS['foreign_address'])
    assert foreign['paymentCountry'] == {'id': make_id('country', country_id=14)}


def test_registered_and_guest_buyers(seed):
    registered = [order for order in seed['orders'] if order['customer']]
    guests = [order for order in seed['orders'] if order['customer'] is None]
    assert len(registered) > 20 and len(guests) > 10


# --- the shop's settings and catalog ---------------------------------------------------------

def test_languages_currencies_countries(seed):
    assert {language['code'] for language in seed['languages']} == {'hu', 'en'}
    huf = next(currency for currency in seed['currencies'] if currency['code'] == 'HUF')
    assert (huf['value'], huf['decimalPlace']) == ('1.00000000', '0')
    assert {currency['code'] for currency in seed['currencies']} == {'HUF', 'EUR'}
    hungary = next(country for country in seed['countries'] if country['isoCode2'] == 'HU')
    assert (hungary['name'], hungary['isoCode3']) == ('Magyarország', 'HUN')
    assert len(seed['countries']) > 1


def test_tax_classes_and_rates(seed):
    rates = {rate['taxClass']['id']: rate['rate'] for rate in seed['taxRates']}
    names = {tax_class['name']: rates[tax_class['id']] for tax_class in seed['taxClasses']}
    assert names == {'27 %': '27.0000', '18 %': '18.0000', '5 %': '5.0000', 'AAM': '0.0000'}


def test_order_statuses_in_two_languages(seed):
    assert [status['innerId'] for status in seed['orderStatuses']] == [
        '1', '2', '3', '4', '5', '6']
    hungarian = make_id('language', language_id=demo.HU)
    names = {(parse_id(item['orderStatus']['id'])[1]['order_status_id'],
              item['language']['id'] == hungarian): item['name']
             for item in seed['orderStatusDescriptions']}
    assert [names[str(number), True] for number in range(1, 7)] == [
        'Függőben', 'Feldolgozás alatt', 'Szállítás alatt', 'Teljesítve', 'Törölve', 'Storno']
    assert [names[str(number), False] for number in range(1, 7)] == [
        'Pending', 'Processing', 'Shipping', 'Completed', 'Cancelled', 'Storno']


def test_payment_and_shipping_modes(seed):
    payment = {mode['code']: mode for mode in seed['paymentModes']}
    assert set(payment) == {'cod', 'barion', 'bank_transfer'}
    assert payment['cod']['sandboxFeeGross'] == '390.0000'
    assert payment['cod']['paymentDescription'][0]['name'] == 'Utánvét'
    names = {item['name'] for item in seed['shippingModeDescriptions']}
    assert names >= {'GLS futárszolgálat', 'MPL házhozszállítás', 'Foxpost csomagautomata',
                     'Személyes átvétel'}
    gls = next(mode for mode in seed['shippingModes'] if mode['extension'] == 'GLS')
    assert (gls['shippingType'], gls['freeShippingFrom']) == ('COURIER_SERVICE', '30000.0000')
    assert gls['shippingLanes'][0]['costNet'] == '1490.0000'


def test_coupons(seed):
    coupons = {coupon['code']: coupon for coupon in seed['coupons']}
    assert coupons['NYAR10']['discountType'] == 'PERCENT'
    assert coupons['NYAR10']['percentDiscountValue'] == '10.0000'
    assert coupons['HUSEG2000']['discountType'] == 'FIXED'
    assert coupons['HUSEG2000']['fixDiscountValue'] == '2000.0000'
    expired = [coupon for coupon in coupons.values()
               if coupon['dateEnd'] != '0000-00-00' and coupon['dateEnd'] < '2026-11-20']
    assert expired


def test_products(seed):
    descriptions = {item['product']['id']: item['name'] for item in seed['productDescriptions']}
    for product in seed['products']:
        assert re.fullmatch(r'HU-1\d{3}', product['sku'])
        assert re.fullmatch(r'\d+\.0000', product['price'])
        assert 490 <= Decimal(product['price']) <= 89900
        assert descriptions[product['id']]
    initial_stock = [int(product['stock1']) for product in seed['products']]
    assert max(initial_stock) <= 60
    classes = {tax_class['id']: tax_class['name'] for tax_class in seed['taxClasses']}
    counts = {}
    for product in seed['products']:
        name = classes[product['taxClass']['id']]
        counts[name] = counts.get(name, 0) + 1
    assert counts['27 %'] > len(seed['products']) / 2
    assert counts['5 %'] > 0 and counts['18 %'] > 0 and counts['AAM'] == 3


def test_customers_and_companies(seed):
    addresses = by_id(seed, 'addresses')
    groups = {group['name'] for group in seed['customerGroups']}
    assert groups == {'Alapértelmezett'}
    emails = [customer['email'] for customer in seed['customers']]
    assert len(set(emails)) == len(emails)
    companies = 0
    for customer in seed['customers']:
        assert re.fullmatch(r'[a-z0-9.]+@[a-z.]+', customer['email'])
        assert customer['telephone'].startswith('+36')
        address = addresses[customer['defaultAddress']['id']]
        assert address['customer']['id'] == customer['id']
        if address['type'] == 'business':
            companies += 1
            assert address['company']
            anum, vat_code, county = address['taxNumber'].split('-')
            weights = (9, 7, 3, 1, 9, 7, 3, 1)
            assert sum(w * int(d) for w, d in zip(weights, anum)) % 10 == 0   # ANUM checksum
            assert vat_code in '12345' and len(county) == 2
        else:
            assert address['type'] == 'private' and not address['taxNumber']
    assert companies == 8
