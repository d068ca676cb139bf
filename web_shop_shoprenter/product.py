"""Products of ShopRenter order lines: found by code = SKU, else created."""
from decimal import Decimal

from trytond.pool import Pool, PoolMeta

from .common import parse_decimal, run_cache


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    @classmethod
    def get_from_shoprenter(cls, shop, item, tax_mapping):
        """Return the product of an order line and whether it was created.

        A line with a SKU is goods found by code; a line without one is a
        ShopRenter service (fee, gift wrap…) found by name."""
        sku = (item.get('sku') or '').strip()
        name = (item.get('name') or '').strip() or sku
        cache = run_cache()
        key = ('code', sku) if sku else ('service', name)
        product_id = cache.get('product', key) if cache else None
        if product_id is not None:
            return cls(product_id), False
        if sku:
            products = cls.search([('code', '=', sku)], limit=1)
        else:
            products = cls.search([
                    ('type', '=', 'service'),
                    ('template.name', '=', name),
                    ], limit=1)
        created = not products
        if products:
            product, = products
        else:
            price = parse_decimal(item.get('price')) or Decimal(0)
            category = tax_mapping.account_category or (
                shop.shoprenter_account_category)
            product = cls.shoprenter_create(
                name, 'goods' if sku else 'service', price, category,
                code=sku)
        if cache:
            cache.set('product', key, product.id)
        return product, created

    @classmethod
    def shoprenter_create(cls, name, type_, list_price, category, code=None):
        "Create a salable product (unit: piece) and return it"
        pool = Pool()
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')
        ModelData = pool.get('ir.model.data')
        unit = Uom(ModelData.get_id('product', 'uom_unit'))
        template = Template(
            name=name, type=type_, list_price=list_price,
            default_uom=unit, salable=True, sale_uom=unit,
            account_category=category,
            products=[cls(suffix_code=code or None)])
        template.save()
        product, = template.products
        return product
