"""Every stock change marks the products the shops sell as changed, for the push, and
makes the fulfillable orders computed again."""
from odoo import api, models

from .sale_order_fulfillment import clear_allocation

# A move that changes one of these changes the product's on-hand or reserved quantity
STOCK_FIELDS = {'state', 'product_id', 'product_uom_qty', 'product_uom', 'location_id',
    'location_dest_id'}


class StockMove(models.Model):
    _inherit = 'stock.move'

    @api.model_create_multi
    def create(self, vals_list):
        clear_allocation(self.env)
        moves = super().create(vals_list)
        self.env['shoprenter.product']._mark_changed(moves.product_id)
        return moves

    def write(self, vals):
        if not STOCK_FIELDS.intersection(vals):
            return super().write(vals)
        clear_allocation(self.env)
        before = self.product_id
        result = super().write(vals)
        # Done, cancelled, confirmed, resized or moved: the push compares the product
        self.env['shoprenter.product']._mark_changed(before | self.product_id)
        return result
