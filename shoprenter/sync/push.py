"""What a stock and price push must send to ShopRenter.

Both ERPs keep, per shop and product, what the shop holds (the quantity and
net price last sent or read); these rules turn the ERP's figures into the
ShopRenter operations that bring the shop in step: only the values that
differ, in batch calls of at most 200 operations."""
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ..values import resource_id
from .money import PRICE_DIGITS

__all__ = [
    'BATCH_SIZE', 'STOCK_FIELDS', 'DEFAULT_STOCK_FIELD', 'Held', 'Wanted', 'Operation',
    'promisable_quantity', 'shop_quantity', 'shop_price', 'held_from_item', 'changes',
    'plan', 'batches', 'applied', 'tax_consistent', 'product_language', 'new_product']

BATCH_SIZE = 200
STOCK_FIELDS = ('stock1', 'stock2', 'stock3', 'stock4')
DEFAULT_STOCK_FIELD = 'stock1'
# Quantities a hair under a whole unit are unit-conversion noise, not a missing unit
QUANTITY_NOISE = 1e-9


@dataclass(frozen=True)
class Held:
    "What the shop holds for a product, as last sent or read"
    shoprenter_id: str
    quantity: int = None
    price: Decimal = None
    tax_class: str = None


@dataclass(frozen=True)
class Wanted:
    """What the ERP wants the shop to show: the promisable quantity, the net price (None:
    leave the shop's) and whether that price is consistent with the shop's VAT class"""
    quantity: int
    price: Decimal = None
    tax_ok: bool = True


@dataclass(frozen=True)
class Operation:
    "One batch operation of a push: the key of its product and the fields it sends"
    key: object
    shoprenter_id: str
    data: dict

    def request(self):
        "As Client.batch takes it"
        return ('PUT', f'products/{self.shoprenter_id}', self.data)


def promisable_quantity(on_hand, reserved):
    """What the warehouse can still promise: on hand minus what open orders reserve, never
    below 0, in the whole units the shop's stock fields hold"""
    return max(0, math.floor(float(on_hand or 0) - float(reserved or 0) + QUANTITY_NOISE))


def shop_quantity(value):
    "A stock field the shop sent as an int: 0 when empty, None when it is not a number"
    if value is None:
        return 0
    try:
        return int(Decimal(str(value)))
    except (ArithmeticError, InvalidOperation, ValueError):
        return None


def shop_price(price):
    "A net price as the shop holds it (4 decimals); None stays None"
    if price is None:
        return None
    return Decimal(str(price)).quantize(PRICE_DIGITS)


def held_from_item(item, stock_field=DEFAULT_STOCK_FIELD, tax_classes=None):
    """What the shop holds, from one of its products (a normalised dict of the client);
    tax_classes: {tax class id: name}"""
    price = item.get('price')
    return Held(
        shoprenter_id=item['id'],
        quantity=shop_quantity(item.get(stock_field or DEFAULT_STOCK_FIELD)),
        price=Decimal(str(price)) if price not in (None, '') else None,
        tax_class=(tax_classes or {}).get(resource_id(item.get('taxClass'))))


def tax_consistent(mapped_tax, product_taxes):
    """Whether a net price may be sent: the shop's VAT class of the product maps (mapped_tax,
    None when unmapped) to the product's only sale tax. A net price under another VAT would
    show the buyer a wrong gross; nothing known against it counts as consistent."""
    if mapped_tax is None:
        return True
    product_taxes = set(product_taxes or ())
    return not product_taxes or product_taxes == {mapped_tax}


def changes(held, wanted, stock_field=DEFAULT_STOCK_FIELD):
    """The ShopRenter fields to send ({} when the shop is in step) and whether a price change
    was held back for a VAT mismatch"""
    data = {}
    if wanted.quantity != held.quantity:
        data[stock_field or DEFAULT_STOCK_FIELD] = str(wanted.quantity)
    mismatch = False
    if wanted.price is not None and wanted.price != held.price:
        if wanted.tax_ok:
            data['price'] = str(wanted.price)
        else:
            mismatch = True
    return data, mismatch


@dataclass
class Plan:
    operations: list  # [Operation]
    unchanged: list  # keys already in step
    vat_mismatches: list  # keys whose price was held back


def plan(items, stock_field=DEFAULT_STOCK_FIELD):
    "items: [(key, Held, Wanted)] → the Plan of the push, in the items' order"
    result = Plan([], [], [])
    for key, held, wanted in items:
        data, mismatch = changes(held, wanted, stock_field)
        if mismatch:
            result.vat_mismatches.append(key)
        if data:
            result.operations.append(Operation(key, held.shoprenter_id, data))
        else:
            result.unchanged.append(key)
    return result


def batches(operations, size=BATCH_SIZE):
    "The operations in chunks of at most size (ShopRenter's batch limit)"
    if not 1 <= size <= BATCH_SIZE:
        raise ValueError(f'a batch holds 1 to {BATCH_SIZE} operations')
    operations = list(operations)
    for start in range(0, len(operations), size):
        yield operations[start:start + size]


def applied(held, data, stock_field=DEFAULT_STOCK_FIELD):
    "What the shop holds once it accepted data"
    field = stock_field or DEFAULT_STOCK_FIELD
    return Held(
        shoprenter_id=held.shoprenter_id,
        quantity=int(data[field]) if field in data else held.quantity,
        price=Decimal(data['price']) if 'price' in data else held.price,
        tax_class=held.tax_class)


def product_language(client):
    "The id of the shop's language new products are described in: Hungarian, else the first"
    languages = list(client.iter_collection('languages', {'code': 'hu'})) or list(
        client.iter_collection('languages'))
    return languages[0]['id'] if languages else None


def new_product(sku, name, description, price, quantity, stock_field=DEFAULT_STOCK_FIELD,
        language=None, tax_class=None):
    """The productExtend a product the shop lacks is created with (Create in ShopRenter):
    enabled, its net price (None: 0), promisable quantity, one description in language (an
    id), and its tax class id when the shop has one for the product's VAT"""
    data = {
        'sku': sku,
        'price': str(price if price is not None else Decimal(0)),
        stock_field or DEFAULT_STOCK_FIELD: str(quantity),
        'status': '1',
        'productDescriptions': [{
                'name': name, 'description': description or '',
                'language': {'id': language}}],
        }
    if tax_class:
        data['taxClass'] = {'id': tax_class}
    return data
