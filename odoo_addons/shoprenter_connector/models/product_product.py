"""Products of ShopRenter order lines: goods by default_code = SKU, services by name."""
from odoo import api, fields, models

from shoprenter.values import resource_id


class ProductProduct(models.Model):
    _inherit = 'product.product'

    shoprenter_product_ids = fields.One2many(
        'shoprenter.product', 'product_id', "ShopRenter Products", readonly=True)

    @api.model
    def _shoprenter_get(self, shop, line, tax, page=None):
        """The product of an order line (shoprenter.sync.lines.GoodsLine) and whether it was
        created: goods (tracked in stock) at the line's net price and tax when new.  page
        (import_page.ImportPage) has the products and links known before it read ahead"""
        kind, value = line.key
        if kind == 'code' and page is not None and value in page.products:
            product = page.products[value]
        elif kind == 'code':
            product = self.search([('default_code', '=', value)], limit=1)
        else:
            product = self.search([('type', '=', 'service'), ('name', '=', value)], limit=1)
        created = not product
        if created:
            product = self._shoprenter_create(
                line.name, 'consu' if kind == 'code' else 'service', line.unit_price,
                tax=tax, code=value if kind == 'code' else None)
        shoprenter_id = resource_id(line.item.get('product'))
        if kind == 'code' and shoprenter_id and not (
                page is not None and shoprenter_id in page.product_links):
            product._shoprenter_link(shop, shoprenter_id)
        return product, created

    @api.model
    def _shoprenter_create(self, name, kind, list_price, tax=None, code=None):
        "A salable product (unit: piece); goods are tracked in stock"
        template = self.env['product.template'].create({
                'name': name,
                'type': kind,
                'is_storable': kind == 'consu',
                'list_price': float(list_price),
                'default_code': code or False,
                'sale_ok': True,
                'taxes_id': [fields.Command.set(tax.ids if tax else [])],
                })
        return template.product_variant_id

    def _shoprenter_link(self, shop, shoprenter_id):
        """Remember the shop's id of the product (once per shop and id); a product the push
        found missing is linked again"""
        self.ensure_one()
        Link = self.env['shoprenter.product']
        if Link.search_count([('shop_id', '=', shop.id),
                ('shoprenter_id', '=', shoprenter_id)], limit=1):
            return
        missing = Link.search([('shop_id', '=', shop.id), ('product_id', '=', self.id),
                ('state', '=', 'missing')], limit=1)
        if missing:
            missing.write({'state': 'linked', 'shoprenter_id': shoprenter_id, 'changed': True})
        else:
            Link.create({'shop_id': shop.id, 'shoprenter_id': shoprenter_id,
                    'product_id': self.id})

    def action_shoprenter_create(self):
        "Create the selected products in the ShopRenter shops that miss them (server action)"
        links = self.env['shoprenter.product'].search(
            [('product_id', 'in', self.ids), ('state', '=', 'missing')])
        return links.action_create_in_shop()
