"""A change of the normal sale price or its VAT marks the product changed, for the push."""
from odoo import models

PRICE_FIELDS = {'list_price', 'taxes_id'}


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    def write(self, vals):
        result = super().write(vals)
        if PRICE_FIELDS.intersection(vals):
            self.env['shoprenter.product']._mark_changed(self.product_variant_ids)
        return result
