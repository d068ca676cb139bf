"""Amounts an ERP charges to the unit: the coupon split in whole forints, the
gross each line charged in the shop, the net a gross starts from."""
import random
from decimal import Decimal

from shoprenter import rounding
from shoprenter.sync import lines



def make_order(**values):
    "A small normalised orderExtend in forints"
    order = {'id': 'b3JkZXI=', 'innerId': '1042', 'currency': {'code': 'HUF'},
             'orderProducts': [], 'orderTotals': []}
    order.update(values)
    return order


def test_split_whole_adds_up_in_whole_units():
    rng = random.Random(7)
    for _ in range(500):
        weights = {rate: Decimal(rng.randint(1, 90000))
                   for rate in rng.sample([Decimal(27), Decimal(18), Decimal(5), Decimal(0)],
                                          rng.randint(1, 4))}
        amount = -Decimal(rng.randint(1, 20000))
        parts = rounding.split_whole(amount, weights, 0)
        assert sum(parts.values()) == amount
        assert all(part == part.to_integral_value() for part in parts.values())
        total = sum(weights.values())
        # Each part is its exact share, rounded one way or the other
        assert all(abs(parts[k] - amount * w / total) < 1 for k, w in weights.items())


def test_split_whole_in_cents_and_without_weights():
    parts = rounding.split_whole(Decimal('10.00'), {'a': 1, 'b': 1, 'c': 1}, 2)
    assert sorted(parts.values()) == [Decimal('3.33'), Decimal('3.33'), Decimal('3.34')]
    assert rounding.split_whole(Decimal(5), {'a': 0}, 0) == {}


def test_net_of_gross():
    assert rounding.net_of_gross(9990, 27, 2) == Decimal('7866.14')
    assert rounding.net_of_gross(-770, 27, 2) == Decimal('-606.30')
    assert rounding.net_of_gross(500, 0, 2) == Decimal('500.00')


def test_goods_gross_is_the_rounded_unit_price_times_quantity():
    order = make_order(orderProducts=[{
        'sku': 'K-1', 'name': 'Kerek', 'price': Decimal('7866.1417'),
        'taxRate': Decimal(27), 'stock1': '3'}])
    good, = lines.goods_lines(order)
    assert lines.goods_gross(good, 0) == Decimal(29970)


def test_whole_coupon_lines_add_up_to_the_coupon():
    order = make_order(orderProducts=[
            {'sku': 'A', 'name': 'A', 'price': Decimal('7866.1417'), 'taxRate': Decimal(27),
             'stock1': '1'},
            {'sku': 'B', 'name': 'B', 'price': Decimal('2847.6190'), 'taxRate': Decimal(5),
             'stock1': '2'}],
        coupon={'code': 'NYAR7'},
        orderTotals=[{'type': 'COUPON', 'value': Decimal(-1118)},
                     {'type': 'TOTAL', 'value': Decimal(14852)}])
    goods = lines.goods_lines(order)
    coupons = lines.whole_coupon_lines(order, goods, 0)
    assert sum(c.gross for c in coupons) == Decimal(-1118)
    assert all(c.gross == c.gross.to_integral_value() and c.code == 'NYAR7' for c in coupons)
    # 9 990 of 15 970 Ft at 27 %: its share of the coupon
    by_rate = {c.rate: c for c in coupons}
    assert by_rate[Decimal(27)].gross == Decimal(-699)
    assert by_rate[Decimal(27)].unit_price == lines.net_from_gross(Decimal(-699), Decimal(27))
    # The existing split is unchanged: no gross, 4 decimals
    assert all(c.gross is None for c in lines.coupon_lines(order, goods))
