"""Small pure helpers shared by the ShopRenter models."""
from decimal import Decimal, InvalidOperation

# ShopRenter's stock statuses for orders that no longer stand, in the
# languages merchants use.
CANCEL_WORDS = ('törölve', 'törölt', 'visszavon', 'storno', 'sztornó',
    'cancel', 'deleted', 'annul')

PRICE_DIGITS = Decimal('0.0001')


def status_action(name):
    "The default action for an order status of that name"
    name = (name or '').casefold()
    if any(word in name for word in CANCEL_WORDS):
        return 'cancel'
    return 'import'


def parse_decimal(value):
    "Return value as a Decimal or None; raise ValueError when it is not one"
    if value is None or value == '':
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'not a number: {value!r}')


def normalise_email(email):
    return (email or '').strip().casefold()


def normalise_text(text):
    return ' '.join((text or '').split()).casefold()


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
