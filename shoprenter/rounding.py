"""How ShopRenter rounds an order's money, and what an ERP's total should be for it.

The rule (the sandbox's checkout writes orders by it, the ERPs' total check expects it):

- a line's gross unit price is its net unit price x (1 + rate), rounded half up to the order
  currency's decimal places (whole forints for HUF): the orderProduct ``grossPrice``;
- a line's gross is that unit price x quantity (quantity = stock1 + ... + stock4);
- SUB_TOTAL_WITH_TAX is the sum of the lines' gross; one TAX row per rate, the gross of the rate's
  lines minus their net (price x quantity, 4 decimals), rounded; SUB_TOTAL is SUB_TOTAL_WITH_TAX
  minus the TAX rows, so that SUB_TOTAL + TAX rows = SUB_TOTAL_WITH_TAX;
- SHIPPING, PAYMENT (gross fees) and COUPON (a negative gross discount) are whole amounts;
  TOTAL = SUB_TOTAL_WITH_TAX + SHIPPING + PAYMENT + COUPON.

Evidence (shoprenter/tests/test_rounding.py checks it against the official fixtures):

- orderExtend get_id: lines 400.0000 and 6000.0000 net at 27 %, one each; grossPriceCurrency 508
  and 7620; SUB_TOTAL 6400, TAX (27%) 1728, SUB_TOTAL_WITH_TAX 8128, SHIPPING 0, TOTAL 8128.
- orderExtend get_page: 2400.0000 net at 27 %, one; gross 3048; SUB_TOTAL 2400, TAX 648,
  SUB_TOTAL_WITH_TAX 3048, SHIPPING 990 (so fees are gross), TOTAL 4038. Its second line (a
  "Deleted product" copy of the first) is in none of its totals.
- orderProduct get_id.xml: 2400.0000 net at 25 %, grossPrice 3000.0000 (get_id.json says 3048 at
  25 %, which is 27 %: the JSON example is inconsistent); the JSON ``grossPrice`` is "3048", a
  whole-forint string where every other amount has 4 decimals: the gross unit price is rounded.
- The order-webhook example of the API documentation: 945 net at 27 % and 9000 at 0 %, one each,
  taxPrice 255 (945 x 0.27 = 255.15), totalGross 11206 = 9945 + 255 + 1006 shipping, while the same
  payload writes shippingNetPrice with 4 decimals (970.0714): the VAT and totals are rounded to
  whole forints, not kept exact as OpenCart (ShopRenter's ancestor) keeps them.
- Every example has quantity 1 and whole-forint net prices, and every total row holds
  SUB_TOTAL + TAX = SUB_TOTAL_WITH_TAX. So the examples cannot tell rounding per unit (this rule)
  from rounding per line (net x quantity x (1 + rate)) or per rate (VAT on the rate's net sum):
  all three reproduce every example; only keeping the amounts unrounded does not fit the webhook.
  Rounding per unit is chosen because the rounded unit price is what ShopRenter stores on the line.
  For merchants' round gross prices (9 990 Ft, stored as net = 9990 / 1.27 = 7866.1417) the three
  agree to the forint up to 7 800 units of a rate in one order, so the choice only matters for
  net-priced catalogs.

An ERP prices the same lines at their net unit price x quantity and adds VAT without rounding each
unit, so its total differs from TOTAL by exactly ``unit_rounding(lines)``; ``erp_total`` and
``total_tolerance`` are what the ERPs' total check compares with.
"""
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

__all__ = ['currency_places', 'round_money', 'gross_price', 'line_gross', 'order_totals',
           'OrderTotals', 'unit_rounding', 'erp_total', 'total_tolerance', 'net_of_gross',
           'split_whole']

HUNDRED = Decimal(100)
# Decimal places of a currency whose decimalPlace the order does not carry
DEFAULT_PLACES = 2
PLACES_BY_CODE = {'HUF': 0}

OrderTotals = namedtuple('OrderTotals', 'sub_total taxes sub_total_with_tax total')
OrderTotals.__doc__ = ("The order's totals: SUB_TOTAL, {rate: TAX}, SUB_TOTAL_WITH_TAX, TOTAL "
                       "(Decimals)")


def currency_places(currency):
    "The decimal places of an order's currency (its decimalPlace; 0 for HUF when not given)"
    currency = currency if isinstance(currency, dict) else {}
    places = currency.get('decimalPlace')
    if places not in (None, ''):
        return int(places)
    return PLACES_BY_CODE.get(str(currency.get('code') or '').upper(), DEFAULT_PLACES)


def round_money(amount, places):
    "amount rounded half up to places decimals"
    return Decimal(amount).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exact_gross(net, rate):
    return Decimal(net) * (1 + Decimal(rate) / HUNDRED)


def gross_price(net, rate, places):
    "The gross of one unit (or of a fee given net): net x (1 + rate %), rounded to the currency"
    return round_money(exact_gross(net, rate), places)


def line_gross(net, quantity, rate, places):
    "The gross of a line: its rounded gross unit price x quantity"
    return gross_price(net, rate, places) * quantity


def order_totals(lines, places, shipping=0, payment=0, coupon=0):
    """The totals of an order of lines, (net unit price, quantity, rate %) each.

    shipping and payment are the gross fees, coupon the gross discount as the COUPON row has it
    (negative)."""
    gross_by_rate, net_by_rate = {}, {}
    for net, quantity, rate in lines:
        rate = Decimal(rate)
        gross_by_rate[rate] = gross_by_rate.get(rate, 0) + line_gross(net, quantity, rate, places)
        net_by_rate[rate] = net_by_rate.get(rate, 0) + Decimal(net) * quantity
    taxes = {rate: round_money(gross_by_rate[rate] - net_by_rate[rate], places)
             for rate in gross_by_rate}
    sub_total_with_tax = sum(gross_by_rate.values(), Decimal(0))
    sub_total = sub_total_with_tax - sum(taxes.values(), Decimal(0))
    total = sub_total_with_tax + Decimal(shipping) + Decimal(payment) + Decimal(coupon)
    return OrderTotals(sub_total, taxes, sub_total_with_tax, total)


def unit_rounding(lines, places):
    """How much rounding each unit's gross price adds to the lines' exact gross
    (sum of net x quantity x (1 + rate)); lines as for order_totals"""
    return sum((line_gross(net, quantity, rate, places) - exact_gross(net, rate) * quantity
                for net, quantity, rate in lines), Decimal(0))


def erp_total(shop_total, lines, places):
    """The total an ERP should reach for an order whose TOTAL is shop_total when it prices the
    order's lines at their net unit price and the fees and coupon at their gross amounts: the
    ERP rounds no unit's gross price, so ShopRenter's per-unit rounding is not in its total."""
    return Decimal(shop_total) - unit_rounding(lines, places)


def total_tolerance(places, erp_rounding=0, erp_amounts=0):
    """How far an ERP's total may be from erp_total: half a unit of the order's currency, plus
    half the ERP's own rounding (its currency's) for each amount it rounds (line amounts, taxes).
    With forints rounded to 0.01 in the ERP, 1 Ft is beyond it for up to 99 rounded amounts."""
    return Decimal(1).scaleb(-places) / 2 + Decimal(str(erp_rounding)) / 2 * erp_amounts


def net_of_gross(gross, rate, places):
    """The net amount, rounded half up to places decimals, of a gross amount at a VAT rate (%):
    where an ERP starts when it must charge the gross exactly (its VAT is rounded from the net)"""
    return round_money(Decimal(gross) / (1 + Decimal(rate) / HUNDRED), places)


def split_whole(amount, weights, places):
    """Split amount over the keys of weights in proportion to their values, each part rounded
    to places decimals and the parts adding up to amount exactly (largest remainders get the
    units left over), so each part is an amount the currency can charge"""
    total = sum(weights.values(), Decimal(0))
    if not total:
        return {}
    unit = Decimal(1).scaleb(-places)
    amount = Decimal(amount)
    exact = {key: amount * Decimal(weight) / total for key, weight in weights.items()}
    # Rounded toward zero first, then one unit more to the largest remainders
    sign = 1 if amount >= 0 else -1
    parts = {key: (abs(value) // unit) * unit * sign for key, value in exact.items()}
    left = int((amount - sum(parts.values(), Decimal(0))) / unit) * sign
    for key in sorted(exact, key=lambda k: (-(abs(exact[k]) - abs(parts[k])), str(k)))[:left]:
        parts[key] += unit * sign
    return parts
