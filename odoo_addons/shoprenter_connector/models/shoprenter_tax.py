from odoo import fields, models


class ShopRenterTax(models.Model):
    _name = 'shoprenter.tax'
    _description = "ShopRenter VAT mapping"
    _order = 'shop_id, rate desc, name'

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    company_id = fields.Many2one(related='shop_id.company_id')
    name = fields.Char(
        "ShopRenter VAT", required=True,
        help="The short name of the tax class in ShopRenter, e.g. '27 %'.")
    rate = fields.Float(
        "Rate (%)", digits=(16, 4),
        help="The percentage ShopRenter puts on order lines.")
    tax_id = fields.Many2one(
        'account.tax', "Tax", check_company=True,
        domain="[('type_tax_use', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Empty: orders with this VAT stop until a tax is set.")

    _shop_name_unique = models.Constraint(
        'unique(shop_id, name)', "A ShopRenter VAT is mapped once per shop.")
