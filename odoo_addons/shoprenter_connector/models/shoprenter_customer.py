from odoo import fields, models


class ShopRenterCustomer(models.Model):
    "A registered ShopRenter customer's partner"
    _name = 'shoprenter.customer'
    _description = "ShopRenter customer"

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    customer_id = fields.Char("ShopRenter ID", required=True)
    partner_id = fields.Many2one('res.partner', required=True, ondelete='cascade', index=True)

    _shop_customer_unique = models.Constraint(
        'unique(shop_id, customer_id)', "A ShopRenter customer has one partner per shop.")
