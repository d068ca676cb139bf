from odoo import api, fields, models

from shoprenter.sync import keys


class ShopRenterPaymentMode(models.Model):
    _name = 'shoprenter.payment.mode'
    _description = "ShopRenter payment mode"
    _order = 'shop_id, code'

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    company_id = fields.Many2one(related='shop_id.company_id')
    code = fields.Char(required=True)
    name = fields.Char()
    payment_term_id = fields.Many2one(
        'account.payment.term', "Payment Terms", check_company=True,
        domain="[('company_id', 'in', [company_id, False])]",
        help="Given to the sales of the orders paid this way.")

    _shop_code_unique = models.Constraint(
        'unique(shop_id, code)', "A payment mode is listed once per shop.")

    @api.depends('name', 'code')
    def _compute_display_name(self):
        for mode in self:
            mode.display_name = mode.name or mode.code

    @api.model
    def _shoprenter_get(self, shop, order):
        "The shop's payment mode of the order, created when new; empty without one"
        code = keys.payment_mode_code(order)
        if not code:
            return self.browse()
        for mode in shop.payment_mode_ids:
            if mode.code.lower() == code:
                return mode
        return self.create({
            'shop_id': shop.id, 'code': code, 'name': order.get('paymentMethodName')})
