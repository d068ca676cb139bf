from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    shoprenter_id = fields.Char("ShopRenter ID", readonly=True, copy=False)
    shoprenter_shop_id = fields.Many2one(
        related='order_id.shoprenter_shop_id', store=True, index='btree_not_null')

    _shoprenter_id_unique = models.Constraint(
        'unique(shoprenter_shop_id, shoprenter_id)',
        "A ShopRenter order line is one sale line per shop.")
