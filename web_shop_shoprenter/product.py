"""Products of ShopRenter order lines: found by code = SKU, else created."""
from decimal import Decimal

from trytond.pool import Pool, PoolMeta

from shoprenter.sync.keys import product_key, product_name

from .common import parse_decimal, run_cache


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def get_from_shoprenter(cls, shop, item, tax_mapping):
        """Return the product of an order line and whether it was created.

        A line with a SKU is goods found by code; a line without one is a
        ShopRenter service (fee, gift wrap…) found by name."""
        key = product_key(item)
        cache = run_cache()
        product_id = cache.get('product', key) if cache else None
        if product_id is not None:
            # Made for this line's group by shoprenter_prepare: the first
            # line that asks for it is the one that created it
            created = bool(cache.get('product_created', key))
            if created:
                cache.set('product_created', key, False)
            return cls(product_id), created
        kind, value = key
        if kind == 'code':
            products = cls.search([('code', '=', value)], limit=1)
        else:
            products = cls.search([
                    ('type', '=', 'service'),
                    ('template.name', '=', value),
                    ], limit=1)
        created = not products
        if products:
            product, = products
        else:
            product, = cls.shoprenter_create_many(
                [cls._shoprenter_new_product(shop, item, tax_mapping)])
        if cache:
            cache.set('product', key, product.id)
        return product, created

    @classmethod
    def shoprenter_prepare(cls, shop, wanted):
        """Find, else create, the goods of the (item, VAT mapping) pairs
        wanted with one search and one save, and keep them in the run's
        cache, where get_from_shoprenter then finds them.

        As the lines one by one would: the first line of a SKU makes its
        product, and get_from_shoprenter says "created" to the first line
        that asks for it.  Outside a sync run (no cache) it does nothing."""
        cache = run_cache()
        if not cache:
            return
        first = {}  # the first (item, mapping) of each SKU not known yet
        for item, mapping in wanted:
            kind, sku = key = product_key(item)
            if kind == 'code' and cache.get('product', key) is None:
                first.setdefault(sku, (item, mapping))
        if not first:
            return
        found = {}
        # In the order of search(limit=1): the same product per code
        for product in cls.search([('code', 'in', list(first))]):
            found.setdefault(product.code, product)
        missing = [sku for sku in first if sku not in found]
        created = cls.shoprenter_create_many([
                cls._shoprenter_new_product(shop, *first[sku])
                for sku in missing])
        found.update(zip(missing, created))
        for sku, product in found.items():
            cache.set('product', ('code', sku), product.id)
        for sku in missing:
            cache.set('product_created', ('code', sku), True)

    @staticmethod
    def _shoprenter_new_product(shop, item, tax_mapping):
        "The shoprenter_create arguments of the product of an order line"
        kind, value = product_key(item)
        price = parse_decimal(item.get('price')) or Decimal(0)
        category = tax_mapping.account_category or (
            shop.shoprenter_account_category)
        if kind == 'code':
            return (product_name(item), 'goods', price, category, value)
        return (value, 'service', price, category, None)

    @classmethod
    def shoprenter_create(cls, name, type_, list_price, category, code=None):
        "Create a salable product (unit: piece) and return it"
        product, = cls.shoprenter_create_many(
            [(name, type_, list_price, category, code)])
        return product

    @classmethod
    def shoprenter_create_many(cls, products):
        """Create salable products (unit: piece) of (name, type, list price,
        account category, code) in one save; return them in that order"""
        pool = Pool()
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        ModelData = pool.get('ir.model.data')
        if not products:
            return []
        unit = Uom(ModelData.get_id('product', 'uom_unit'))
        templates = [Template(
                name=name, type=type_, list_price=list_price,
                default_uom=unit, salable=True, sale_uom=unit,
                account_category=category,
                products=[cls(suffix_code=code or None)])
            for name, type_, list_price, category, code in products]
        Template.save(templates)
        return [template.products[0] for template in templates]
