"""Every change of stock or of a normal sale price marks the product as
changed for the ShopRenter push and queues the push.

One hook on stock.move covers them all: goods received or shipped (moves
done), sales confirmed (their moves are created) or cancelled (their moves
are cancelled), inventories (their moves are done)."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# Changing these on a move changes what a warehouse has or has promised.
STOCK_FIELDS = {'state', 'product', 'quantity', 'unit', 'internal_quantity',
    'from_location', 'to_location', 'effective_date', 'planned_date'}


def mark_products_changed(product_ids):
    "Mark the products for the next push and queue it"
    pool = Pool()
    Link = pool.get('web.shop.shoprenter.product')
    Shop = pool.get('web.shop')
    if not product_ids:
        return
    Link.mark_changed(product_ids)
    # Bulk jobs (imports, benchmarks) push once at their end instead.
    if not Transaction().context.get('shoprenter_no_push'):
        Shop.shoprenter_queue_push()


class Move(metaclass=PoolMeta):
    __name__ = 'stock.move'

    @classmethod
    def on_modification(cls, mode, moves, field_names=None):
        super().on_modification(mode, moves, field_names=field_names)
        if mode == 'write' and not (set(field_names or ()) & STOCK_FIELDS):
            return
        product_ids = {m.product.id for m in moves
            if m.product.type == 'goods'}
        mark_products_changed(product_ids)


class ProductListPrice(metaclass=PoolMeta):
    __name__ = 'product.list_price'

    @classmethod
    def on_modification(cls, mode, prices, field_names=None):
        super().on_modification(mode, prices, field_names=field_names)
        product_ids = set()
        for price in prices:
            if price.product:
                product_ids.add(price.product.id)
            elif price.template:
                product_ids.update(p.id for p in price.template.products)
        mark_products_changed(product_ids)
