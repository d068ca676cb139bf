from odoo import fields, models


class ShopRenterProduct(models.Model):
    "A product of the ERP as a ShopRenter shop knows it"
    _name = 'shoprenter.product'
    _description = "ShopRenter product"

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    shoprenter_id = fields.Char("ShopRenter ID", required=True)
    product_id = fields.Many2one(
        'product.product', required=True, ondelete='cascade', index=True)

    _shop_product_unique = models.Constraint(
        'unique(shop_id, shoprenter_id)', "A ShopRenter product has one product per shop.")
