"""Amounts as the sync computes them: Decimals with 4 places, like ShopRenter's."""
from decimal import Decimal, InvalidOperation

__all__ = ['PRICE_DIGITS', 'parse_decimal', 'net_from_gross', 'split_by_rate', 'rate_label']

PRICE_DIGITS = Decimal('0.0001')


def parse_decimal(value):
    "Return value as a Decimal or None; raise ValueError when it is not one"
    if value is None or value == '':
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'not a number: {value!r}')


def net_from_gross(gross, rate):
    "The net amount of a gross amount at a VAT rate (percent)"
    return (gross / (1 + rate / 100)).quantize(PRICE_DIGITS)


def split_by_rate(amount, weights):
    """Split amount over the keys of weights in proportion to their values.

    The rounding rest goes to the largest share so the parts add up."""
    total = sum(weights.values())
    if not total:
        return {}
    shares = {
        key: (amount * weight / total).quantize(PRICE_DIGITS)
        for key, weight in weights.items()}
    largest = max(weights, key=lambda key: abs(weights[key]))
    shares[largest] += amount - sum(shares.values())
    return shares


def rate_label(rate):
    "A VAT rate as people write it: 27, 5.5 (no trailing zeros)"
    return f'{Decimal(rate).normalize():f}'
