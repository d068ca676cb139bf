"""ShopRenter's rounding (shoprenter.rounding): the evidence, the sandbox's orders, the check.

The official examples are read at test time (never copied); random carts check that every order
the sandbox writes follows the rule and that the ERPs' total check, fed an ERP's way of computing
the same order, never flags it while it flags a TOTAL moved by 2 Ft."""
import random
import re
from decimal import Decimal

import pytest
import requests

from shoprenter import rounding
from shoprenter.sandbox import demo
from shoprenter.sandbox.checkout import place_order
from shoprenter.sandbox.random_carts import (
    ROUND_GROSS_PRICES, SKU_PREFIX, add_round_price_products, add_undated_coupons,
    random_intent)
from shoprenter.tests.official import load_json, read_text

NOW = demo.NOW
RANDOM_CARTS = 1000
CENT = Decimal('0.01')


# --- the hypotheses, tried on every official example with the numbers -------------------------

def per_unit(lines, places):
    "The rule: gross unit price rounded, x quantity"
    return rounding.order_totals(lines, places).sub_total_with_tax


def per_line(lines, places):
    return sum(rounding.round_money(net * quantity * (1 + rate / 100), places)
               for net, quantity, rate in lines)


def per_rate(lines, places):
    rates = {rate for _, _, rate in lines}
    return sum(rounding.round_money(sum(net * quantity for net, quantity, line_rate in lines
                                        if line_rate == rate) * (1 + rate / 100), places)
               for rate in rates)


def unrounded(lines, places):
    return sum(net * quantity * (1 + rate / 100) for net, quantity, rate in lines)


HYPOTHESES = {'per unit': per_unit, 'per line': per_line, 'per rate': per_rate,
              'unrounded': unrounded}


def official_lines(order, count=None):
    "(net, quantity, rate) of an official order's lines (quantity = stock1 + … + stock4)"
    return [(Decimal(item['price']),
             sum(int(item[f'stock{number}']) for number in range(1, 5)),
             Decimal(item['taxRate']))
            for item in order['orderProducts'][:count]]


def official_totals(order):
    totals = {}
    for row in order['orderTotals']:
        totals.setdefault(row['type'], []).append(Decimal(row['value']))
    return totals


def official_orders():
    """(label, order, line count) of the official orderExtend examples.

    The page example's second line (a "Deleted product" copy of the first) is in none of its
    totals: its totals are those of its first line."""
    page = load_json('order_extend', 'response', 'json', 'get_page.json')['items'][0]
    return [('orderExtend get_id', load_json('order_extend', 'response', 'json', 'get_id.json'),
             None),
            ('orderExtend get_page', page, 1)]


@pytest.mark.parametrize('label, order, count', official_orders(),
                         ids=[label for label, *_ in official_orders()])
def test_the_rule_reproduces_the_official_orders(label, order, count):
    places = rounding.currency_places(order.get('currency'))
    lines = official_lines(order, count)
    totals = official_totals(order)
    fees = {kind: sum(totals.get(kind, []), Decimal(0))
            for kind in ('SHIPPING', 'PAYMENT', 'COUPON')}
    expected = rounding.order_totals(lines, places, shipping=fees['SHIPPING'],
                                     payment=fees['PAYMENT'], coupon=fees['COUPON'])
    assert places == 0
    assert totals['SUB_TOTAL'] == [expected.sub_total]
    assert sorted(totals['TAX']) == sorted(expected.taxes.values())
    assert totals['SUB_TOTAL_WITH_TAX'] == [expected.sub_total_with_tax]
    assert totals['TOTAL'] == [expected.total]
    for item in order['orderProducts']:
        assert Decimal(item['grossPriceCurrency']) == rounding.gross_price(
            item['price'], item['taxRate'], places)


def test_the_page_example_counts_one_of_its_two_lines():
    _, order, _ = official_orders()[1]
    assert len(order['orderProducts']) == 2
    assert official_totals(order)['SUB_TOTAL'] == [Decimal(order['orderProducts'][0]['total'])]


def test_the_order_product_example_gross_price():
    "get_id.xml: 2400 net at 25 % is 3000 gross (the JSON twin says 3048, i.e. 27 %)"
    xml = read_text('order_product', 'response', 'xml', 'get_id.xml')

    def field(name):
        return Decimal(re.search(rf'<{name}>(?:<!\[CDATA\[)?([^<\]]*)', xml).group(1))
    assert field('grossPrice') == rounding.gross_price(field('price'), field('taxRate'), 0)
    product = load_json('order_product', 'response', 'json', 'get_id.json')
    assert re.fullmatch(r'\d+', product['grossPrice'])   # whole forints, no decimals


# The order-webhook example of the API documentation (numbers only): 945 net at 27 % and 9000
# net at 0 %, one each, 1006 Ft gross shipping; taxPrice 255, totalGross 11206.
WEBHOOK_LINES = [(Decimal(945), 1, Decimal(27)), (Decimal(9000), 1, Decimal(0))]
WEBHOOK_SHIPPING, WEBHOOK_TAX, WEBHOOK_TOTAL = Decimal(1006), Decimal(255), Decimal(11206)


@pytest.mark.parametrize('name, fits', [
    ('per unit', True), ('per line', True), ('per rate', True), ('unrounded', False)])
def test_which_hypotheses_fit_the_examples(name, fits):
    "Every example has quantity 1: only the webhook's rounded totals rule one hypothesis out"
    hypothesis = HYPOTHESES[name]
    for _, order, count in official_orders():
        lines = official_lines(order, count)
        assert hypothesis(lines, 0) == official_totals(order)['SUB_TOTAL_WITH_TAX'][0]
    webhook_total = hypothesis(WEBHOOK_LINES, 0) + WEBHOOK_SHIPPING
    assert (webhook_total == WEBHOOK_TOTAL) is fits
    if fits:
        assert rounding.order_totals(WEBHOOK_LINES, 0).taxes[Decimal(27)] == WEBHOOK_TAX


# --- the rule ----------------------------------------------------------------------------------

def test_gross_price_rounds_half_up_to_the_currency():
    assert rounding.gross_price(Decimal('1050'), 27, 0) == 1334        # 1333.5
    assert rounding.gross_price(Decimal('7866.1417'), 27, 0) == 9990   # 9989.99996
    assert rounding.gross_price(Decimal('10.125'), 0, 2) == Decimal('10.13')
    assert rounding.line_gross(Decimal('2490'), 3, 5, 0) == 3 * 2615  # 2614.5 -> 2615


def test_currency_places():
    assert rounding.currency_places({'code': 'HUF', 'decimalPlace': '0'}) == 0
    assert rounding.currency_places({'code': 'EUR', 'decimalPlace': '2'}) == 2
    assert rounding.currency_places({'code': 'HUF'}) == 0
    assert rounding.currency_places(None) == 2


def test_sub_total_and_taxes_add_up_across_rates():
    # 100.4 net at two rates: rounding the net sum (201) would break the identity
    lines = [(Decimal('100.4'), 1, Decimal(27)), (Decimal('100.4'), 1, Decimal(5))]
    totals = rounding.order_totals(lines, 0)
    assert totals.sub_total_with_tax == 128 + 105
    assert totals.taxes == {Decimal(27): 28, Decimal(5): 5}
    assert totals.sub_total + sum(totals.taxes.values()) == totals.sub_total_with_tax


def test_erp_total_takes_the_unit_rounding_out():
    lines = [(Decimal('2490'), 12, Decimal(5))]               # 12 x 2614.5 exact, 12 x 2615 shop
    assert rounding.unit_rounding(lines, 0) == 6
    assert rounding.erp_total(Decimal(31380), lines, 0) == Decimal(31374)
    assert rounding.total_tolerance(0) == Decimal('0.5')
    assert rounding.total_tolerance(0, CENT, 10) == Decimal('0.55')


# --- the sandbox's orders over many random carts -----------------------------------------------

@pytest.fixture(scope='module')
def random_shop():
    "The demo shop's settings and catalog, products at round gross prices and undated coupons"
    data = demo.demo_seed()
    add_round_price_products(data, random.Random(7), count=60)
    add_undated_coupons(data)
    return data


def placed_orders(data, count, seed):
    "(order, its lines, its totals rows) of count random carts, each placed in an empty order book"
    rng = random.Random(seed)
    for _ in range(count):
        for collection in ('orders', 'orderProducts', 'orderTotals'):
            data[collection] = []
        order = place_order(data, random_intent(data, rng), NOW)
        yield order, data['orderProducts'], data['orderTotals']


def rows_by_type(rows):
    totals = {}
    for row in rows:
        totals.setdefault(row['type'], []).append(Decimal(row['value']))
    return {kind: values if kind == 'TAX' else values[0] for kind, values in totals.items()}


def rule_lines(lines):
    return [(Decimal(line['price']), int(line['stock1']), Decimal(line['taxRate']))
            for line in lines]


def erp_computed_total(lines, rows):
    """An ERP's total for the order: line amounts net x quantity and VAT per line rounded to
    0.01, the fees and the coupon taken at their gross amounts (to 0.01)"""
    total = Decimal(0)
    for net, quantity, rate in rule_lines(lines):
        amount = (net * quantity).quantize(CENT)
        total += amount + (amount * rate / 100).quantize(CENT)
    fees = rows_by_type(rows)
    return total + sum(fees.get(kind, 0) for kind in ('SHIPPING', 'PAYMENT', 'COUPON'))


def test_random_carts_follow_the_rule(random_shop):
    rates, quantities, coupons = set(), set(), 0
    for order, lines, rows in placed_orders(random_shop, RANDOM_CARTS, seed=13):
        totals = rows_by_type(rows)
        expected = rounding.order_totals(
            rule_lines(lines), 0, shipping=totals.get('SHIPPING', 0),
            payment=totals.get('PAYMENT', 0), coupon=totals.get('COUPON', 0))
        for line in lines:
            assert Decimal(line['grossPrice']) == rounding.gross_price(
                line['price'], line['taxRate'], 0)
            assert Decimal(line['total']) == Decimal(line['price']) * int(line['stock1'])
        assert totals['SUB_TOTAL'] == expected.sub_total
        assert sorted(totals['TAX']) == sorted(expected.taxes.values())
        assert totals['SUB_TOTAL_WITH_TAX'] == expected.sub_total_with_tax == sum(
            Decimal(line['grossPrice']) * int(line['stock1']) for line in lines)
        assert totals['TOTAL'] == expected.total == Decimal(order['total'])
        assert totals['SUB_TOTAL'] + sum(totals['TAX']) == totals['SUB_TOTAL_WITH_TAX']
        assert all(Decimal(row['value']) % 1 == 0 for row in rows)
        rates |= {line['taxRate'] for line in lines}
        quantities |= {int(line['stock1']) for line in lines}
        coupons += 'COUPON' in totals
    # The carts did cover what they are for
    assert rates == {'27.0000', '18.0000', '5.0000', '0.0000'}
    assert quantities == set(range(1, 13))
    assert coupons > RANDOM_CARTS / 10


def test_round_gross_prices_are_paid_to_the_forint(random_shop):
    "A merchant's 9 990 Ft x 7 is 69 930 Ft, whichever of the three roundings ShopRenter does"
    skus = [product['sku'] for product in random_shop['products']
            if product['sku'].startswith(SKU_PREFIX)]
    rng = random.Random(17)
    for _ in range(200):
        for collection in ('orders', 'orderProducts', 'orderTotals'):
            random_shop[collection] = []
        place_order(random_shop, random_intent(random_shop, rng, skus=skus), NOW)
        catalog = [line for line in random_shop['orderProducts'] if line['sku']]
        for line in catalog:
            assert int(Decimal(line['grossPrice'])) in ROUND_GROSS_PRICES
        lines = rule_lines(catalog)
        assert per_unit(lines, 0) == per_line(lines, 0) == per_rate(lines, 0)


def test_the_total_check_flags_no_random_cart_but_2_ft(random_shop):
    largest_gap = Decimal(0)
    for order, lines, rows in placed_orders(random_shop, RANDOM_CARTS, seed=29):
        shop_total = Decimal(order['total'])
        erp = erp_computed_total(lines, rows)
        tolerance = rounding.total_tolerance(0, CENT, 2 * len(lines) + 4)
        for moved in (Decimal(0), Decimal(2), Decimal(-2)):
            expected = rounding.erp_total(shop_total + moved, rule_lines(lines), 0)
            assert (abs(erp - expected) > tolerance) is bool(moved), (order['innerId'], moved)
        largest_gap = max(largest_gap, abs(erp - shop_total))
    # Without the rule the check would have to allow this much (many forints)
    assert largest_gap > 2


def test_the_demo_shops_orders_follow_the_rule():
    data = demo.demo_seed()
    placed = [order for order in data['orders'] if order['orderStatus']]   # carts took no stock
    for order in placed:
        lines = [line for line in data['orderProducts'] if line['order']['id'] == order['id']]
        rows = [row for row in data['orderTotals'] if row['order']['id'] == order['id']]
        totals = rows_by_type(rows)
        expected = rounding.order_totals(
            rule_lines(lines), 0, shipping=totals.get('SHIPPING', 0),
            payment=totals.get('PAYMENT', 0), coupon=totals.get('COUPON', 0))
        assert (totals['SUB_TOTAL'], sorted(totals['TAX']), totals['SUB_TOTAL_WITH_TAX'],
                totals['TOTAL']) == (expected.sub_total, sorted(expected.taxes.values()),
                                     expected.sub_total_with_tax, expected.total)
    assert len(placed) == demo.ORDER_COUNT - 3


# --- over HTTP: what the API serves ------------------------------------------------------------

def test_orders_placed_over_http_follow_the_rule(make_sandbox, make_api_session, random_shop):
    seed = {collection: list(items) for collection, items in random_shop.items()}
    for collection in ('orders', 'orderProducts', 'orderTotals'):
        seed[collection] = []
    server = make_sandbox(seed)
    api = make_api_session(server)
    rng = random.Random(31)
    for _ in range(30):
        response = requests.post(server.url + '/_sandbox/orders',
                                 json=random_intent(random_shop, rng), timeout=10)
        assert response.status_code == 201, response.text
    orders = api.get('orderExtend', params={'full': 1, 'limit': 50}).json()['items']
    assert len(orders) == 30
    for order in orders:
        places = rounding.currency_places(order['currency'])
        lines = official_lines(order)
        totals = official_totals(order)
        expected = rounding.order_totals(
            lines, places, shipping=sum(totals.get('SHIPPING', [])),
            payment=sum(totals.get('PAYMENT', [])), coupon=sum(totals.get('COUPON', [])))
        assert totals['TOTAL'] == [expected.total] == [Decimal(order['total'])]
        assert totals['SUB_TOTAL'] == [expected.sub_total]
        assert sorted(totals['TAX']) == sorted(expected.taxes.values())
