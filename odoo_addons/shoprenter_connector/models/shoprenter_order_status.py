from odoo import fields, models


class ShopRenterOrderStatus(models.Model):
    _name = 'shoprenter.order.status'
    _description = "What the download does with the orders of a ShopRenter status"
    _order = 'shop_id, name'

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    shoprenter_id = fields.Char("ShopRenter ID", required=True, readonly=True)
    name = fields.Char(readonly=True)
    action = fields.Selection([
            ('import', "Import"),
            ('cancel', "Cancel"),
            ('ignore', "Ignore"),
        ], required=True, default='import',
        help="Import: the order becomes a confirmed sale.\n"
        "Cancel: its sale is cancelled (or flagged once shipped or invoiced).\n"
        "Ignore: the order is left alone.")

    _shop_status_unique = models.Constraint(
        'unique(shop_id, shoprenter_id)', "A status is listed once per shop.")
