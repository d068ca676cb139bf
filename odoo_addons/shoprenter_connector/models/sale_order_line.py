from odoo import api, fields, models

from .sale_order_fulfillment import clear_allocation


class SaleOrderLine(models.Model):
    _inherit = 'sale.order.line'

    shoprenter_id = fields.Char("ShopRenter ID", readonly=True, copy=False)
    shoprenter_shop_id = fields.Many2one(
        related='order_id.shoprenter_shop_id', store=True, index='btree_not_null')
    # The line's share of the oldest-first allocation (sale_order_fulfillment.py)
    shoprenter_allocated = fields.Float(
        "Allocated", compute='_compute_shoprenter_allocation', digits='Product Unit',
        help="The on-hand units this open order gets, the older orders served first.")
    shoprenter_short = fields.Float(
        "Short", compute='_compute_shoprenter_allocation', digits='Product Unit',
        help="The units missing for the order to ship.")
    shoprenter_due_date = fields.Date(
        "Covered On", compute='_compute_shoprenter_allocation',
        help="When stock on its way in (receipts not done yet) covers the shortage.")

    _shoprenter_id_unique = models.Constraint(
        'unique(shoprenter_shop_id, shoprenter_id)',
        "A ShopRenter order line is one sale line per shop.")

    def _compute_shoprenter_allocation(self):
        lines = self.env['sale.order']._shoprenter_allocation()['lines']
        for line in self:
            allocated, short, due = lines.get(line.id, (0.0, 0.0, None))
            line.shoprenter_allocated = allocated
            line.shoprenter_short = short
            line.shoprenter_due_date = due or False

    def _shoprenter_is_picked(self):
        "Whether the line is goods to take from the shelves (services and notes are not)"
        self.ensure_one()
        return bool(not self.display_type and self.product_id.is_storable
            and self.product_uom_qty > self.qty_delivered)

    @api.model_create_multi
    def create(self, vals_list):
        clear_allocation(self.env)
        return super().create(vals_list)

    def write(self, vals):
        clear_allocation(self.env)
        return super().write(vals)

    def unlink(self):
        clear_allocation(self.env)
        return super().unlink()
