"""The sale lines an order makes, before any ERP record exists.

Goods and services come from orderProducts at their net unit price; the
shipping and payment fees from the totals, whose gross amounts ShopRenter
gives with the mode's VAT rate; the coupon is one discount line per VAT rate
of the goods, its gross amount split in proportion so the invoice's VAT is
right.  An ERP maps each line to its product and tax, in this order:
goods, coupon, shipping, payment."""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from .. import rounding
from .keys import carrier_name, product_key, product_name
from .money import net_from_gross, parse_decimal, split_by_rate
from .order import line_quantity, totals_by_type

__all__ = ['GoodsLine', 'FeeLine', 'CouponLine', 'goods_lines', 'fee_lines', 'coupon_code',
           'coupon_lines', 'goods_gross', 'whole_coupon_lines']


@dataclass(frozen=True)
class GoodsLine:
    "An orderProduct: goods when it has a SKU, else a ShopRenter service"
    item: dict
    key: tuple          # keys.product_key
    name: str           # the product's name (keys.product_name)
    description: str    # the line's text: the item's name, '' without one
    quantity: int
    unit_price: Decimal  # net
    rate: Decimal       # VAT %

    @property
    def sku(self):
        return self.key[1] if self.key[0] == 'code' else ''


@dataclass(frozen=True)
class FeeLine:
    "The shipping or payment fee: kind 'shipping' or 'payment'"
    kind: str
    name: str
    gross: Decimal
    rate: Decimal
    unit_price: Decimal  # net, quantity 1


@dataclass(frozen=True)
class CouponLine:
    code: str
    rate: Decimal
    unit_price: Decimal  # net, negative, quantity 1
    gross: Decimal = None  # whole_coupon_lines: the gross share, in the currency's units


def goods_lines(order):
    "The order's product lines, in the order's order"
    lines = []
    for item in order.get('orderProducts') or []:
        lines.append(GoodsLine(
                item=item, key=product_key(item), name=product_name(item),
                description=item.get('name') or '',
                quantity=line_quantity(item),
                unit_price=parse_decimal(item.get('price')) or Decimal(0),
                rate=parse_decimal(item.get('taxRate')) or Decimal(0)))
    return lines


def _fee(kind, gross, rate, name):
    rate = parse_decimal(rate) or Decimal(0)
    gross = parse_decimal(gross)
    return FeeLine(kind, name or '', gross, rate, net_from_gross(gross, rate))


def fee_lines(order):
    """The shipping fee (when the order has a shipping mode) and the payment fee, each
    when its total is in the order"""
    totals = totals_by_type(order)
    lines = []
    if 'SHIPPING' in totals and carrier_name(order):
        lines.append(_fee('shipping', totals['SHIPPING'],
                order.get('shippingMethodTaxRate'), order.get('shippingMethodName')))
    if 'PAYMENT' in totals:
        lines.append(_fee('payment', totals['PAYMENT'],
                order.get('paymentMethodTaxRate'), order.get('paymentMethodName')))
    return lines


def coupon_code(order):
    totals = totals_by_type(order)
    coupon = order.get('coupon')
    code = coupon.get('code') if isinstance(coupon, dict) else None
    return code or totals.get('COUPON_CODE') or ''


def coupon_lines(order, goods):
    """One discount line per VAT rate of the goods (goods_lines), the coupon's gross
    amount split in proportion to their gross amounts"""
    coupon = parse_decimal(totals_by_type(order).get('COUPON'))
    if not coupon:
        return []
    discount = -abs(coupon)
    gross_by_rate = defaultdict(Decimal)
    for line in goods:
        gross_by_rate[line.rate] += (
            Decimal(str(line.quantity)) * line.unit_price * (1 + line.rate / 100))
    code = coupon_code(order)
    return [CouponLine(code, rate, net_from_gross(gross, rate))
        for rate, gross in split_by_rate(discount, gross_by_rate).items()]


def goods_gross(line, places):
    """The gross a GoodsLine charges in the shop: its gross unit price rounded to the currency
    (places, shoprenter.rounding) x quantity"""
    return rounding.line_gross(line.unit_price, line.quantity, line.rate, places)


def whole_coupon_lines(order, goods, places):
    """As coupon_lines, but each rate's gross share is an amount of the currency (places
    decimals, adding up to the COUPON exactly), in proportion to the goods' gross as the shop
    charged it, and carried as CouponLine.gross: what an ERP that charges the shop's TOTAL
    to the unit needs"""
    coupon = parse_decimal(totals_by_type(order).get('COUPON'))
    if not coupon:
        return []
    gross_by_rate = defaultdict(Decimal)
    for line in goods:
        gross_by_rate[line.rate] += goods_gross(line, places)
    code = coupon_code(order)
    shares = rounding.split_whole(-abs(coupon), gross_by_rate, places)
    return [CouponLine(code, rate, net_from_gross(gross, rate), gross)
        for rate, gross in shares.items() if gross]
