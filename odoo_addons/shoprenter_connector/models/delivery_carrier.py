"""ShopRenter shipping modes as delivery methods."""
from odoo import api, models

from shoprenter.sync import keys


class DeliveryCarrier(models.Model):
    _inherit = 'delivery.carrier'

    @api.model
    def _shoprenter_get(self, shop, order):
        """The delivery method named like the order's shipping mode, created (fixed price,
        its own service product) when there is none; empty without a shipping mode"""
        name = keys.carrier_name(order)
        if not name:
            return self.browse()
        key = keys.carrier_key(name)
        for carrier in self.search([]):
            if keys.carrier_key(carrier.name) == key:
                return carrier
        product = self.env['product.product']._shoprenter_create(name, 'service', 0)
        return self.create({
            'name': name, 'delivery_type': 'fixed', 'fixed_price': 0.0,
            'product_id': product.id})
