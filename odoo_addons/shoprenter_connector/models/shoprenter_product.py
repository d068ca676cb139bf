"""A product as a ShopRenter shop knows it, and what the shop holds of it.

The push compares the ERP's figures with sent_quantity and sent_price and sends only what
differs; a link stays changed until the shop accepted its values, so a failure is retried on
the next push and never lost."""
from odoo import api, fields, models


class ShopRenterProduct(models.Model):
    "A product of the ERP as a ShopRenter shop knows it"
    _name = 'shoprenter.product'
    _description = "ShopRenter product"
    _rec_name = 'product_id'

    shop_id = fields.Many2one('shoprenter.shop', required=True, ondelete='cascade', index=True)
    company_id = fields.Many2one(related='shop_id.company_id')
    shoprenter_id = fields.Char("ShopRenter ID")
    product_id = fields.Many2one(
        'product.product', required=True, ondelete='cascade', index=True)
    default_code = fields.Char(related='product_id.default_code', string="SKU")
    state = fields.Selection([
            ('linked', "Linked"),
            ('missing', "Missing in ShopRenter"),
        ], required=True, default='linked', readonly=True, index=True,
        help="Missing: the shop has no product with this SKU; Create in ShopRenter creates it.")
    sent_quantity = fields.Integer(
        "Shop Stock", readonly=True, help="The stock ShopRenter holds, as last sent or read.")
    sent_price = fields.Float(
        "Shop Net Price", digits=(16, 4), readonly=True,
        help="The net price ShopRenter holds, as last sent or read.")
    held_known = fields.Boolean(
        readonly=True, help="The shop's stock and price above were read or sent.")
    tax_class = fields.Char("ShopRenter VAT", readonly=True)
    changed = fields.Boolean(
        default=True, readonly=True, index=True,
        help="The stock or price may differ from the shop's: the next push compares them.")

    _shop_product_unique = models.Constraint(
        'unique(shop_id, shoprenter_id)', "A ShopRenter product has one product per shop.")

    change_count = fields.Integer(
        readonly=True, default=0,
        help="Counts the stock and price changes: a push clears Changed only when no change "
        "came in while it was sending.")

    @api.model
    def _mark_changed(self, products):
        """Mark the links of products changed, in the current transaction (it commits or
        rolls back with the change itself); whether any link was marked"""
        if not products:
            return False
        self.flush_model(['changed', 'change_count'])
        # Every link row is written, even one already changed: a push that read the link
        # before this change then sees a new count (or a conflict) and keeps it changed
        self.env.cr.execute(
            "UPDATE shoprenter_product SET changed = TRUE, change_count = change_count + 1 "
            "WHERE product_id = ANY(%s)", [list(products.ids)])
        marked = self.env.cr.rowcount
        self.invalidate_model(['changed', 'change_count'])
        if marked:
            self.env['shoprenter.shop']._shoprenter_trigger_push()
        return bool(marked)

    def _clear_changed(self, counts):
        """Clear Changed of the links whose change count is still the one the push read
        (counts: {link id: count}); a link changed meanwhile stays changed"""
        if not counts:
            return
        self.flush_model()
        for link_id, count in counts.items():
            self.env.cr.execute(
                "UPDATE shoprenter_product SET changed = FALSE "
                "WHERE id = %s AND change_count = %s", [link_id, count])
        self.invalidate_model(['changed'])

    def action_create_in_shop(self):
        "Create in ShopRenter: the missing products of each shop, then a notification"
        logs = self.env['shoprenter.sync.log']
        for shop in self.filtered(lambda link: link.state == 'missing').shop_id:
            links = self.filtered(lambda link: link.shop_id == shop and link.state == 'missing')
            logs |= shop._push_create_products(links.product_id)
        return self.env['shoprenter.shop']._push_notification(logs)
