"""The total check: is the ERP's total of a sale the shop's TOTAL?

ShopRenter rounds each unit's gross price to the currency (shoprenter.rounding);
an ERP prices the same lines at their net unit price and rounds its own
amounts.  The ERP's total is compared with rounding.erp_total within
rounding.total_tolerance; a larger difference flags the sale for a person."""
from collections import namedtuple

from .. import rounding
from .money import parse_decimal
from .order import totals_by_type

__all__ = ['shop_total', 'TotalCheck', 'check_total']

TotalCheck = namedtuple('TotalCheck', 'ok shop_total expected tolerance')
TotalCheck.__doc__ = ("ok: the ERP's total is the shop's; shop_total: TOTAL; expected: what the "
                      "ERP's total should be; tolerance: how far it may be from expected")


def shop_total(order):
    "The order's gross TOTAL (its total when the TOTAL row is missing), None without"
    totals = totals_by_type(order)
    return parse_decimal(totals['TOTAL'] if 'TOTAL' in totals else order.get('total'))


def check_total(order, erp_total, goods, erp_rounding=0, erp_amounts=0):
    """Check the ERP's total of the order's sale.

    goods: the (net unit price, quantity, VAT %) of the goods lines as the ERP priced
    them (the fees and the coupon are priced from their gross amounts: no unit rounding);
    erp_rounding: the smallest unit of the ERP's amounts; erp_amounts: how many amounts
    it rounds (line amounts and taxes)."""
    total = shop_total(order)
    if total is None:
        return TotalCheck(False, None, None, None)
    places = rounding.currency_places(order.get('currency'))
    expected = rounding.erp_total(total, goods, places)
    tolerance = rounding.total_tolerance(places, erp_rounding, erp_amounts)
    return TotalCheck(abs(erp_total - expected) <= tolerance, total, expected, tolerance)
