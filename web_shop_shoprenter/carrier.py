"""ShopRenter shipping modes as carriers."""
from decimal import Decimal

from trytond.pool import Pool, PoolMeta

from .common import normalise_text, run_cache


class Carrier(metaclass=PoolMeta):
    __name__ = 'carrier'

    @classmethod
    def get_from_shoprenter(cls, shop, order):
        """Return the carrier named like the order's shipping mode, created
        with its own party and service product when there is none"""
        pool = Pool()
        Party = pool.get('party.party')
        Product = pool.get('product.product')
        Selection = pool.get('carrier.selection')
        name = (order.get('shippingMethodName') or '').strip()
        if not name:
            return None
        cache = run_cache()
        key = normalise_text(name)
        carrier_id = cache.get('carrier', key) if cache else None
        if carrier_id is not None:
            return cls(carrier_id)
        for carrier in cls.search([]):
            if normalise_text(carrier.rec_name) == key or (
                    normalise_text(carrier.party.name) == key):
                if cache:
                    cache.set('carrier', key, carrier.id)
                return carrier
        product = Product.shoprenter_create(
            name, 'service', Decimal(0), shop.shoprenter_account_category)
        carrier = cls(party=Party(name=name), carrier_product=product,
            carrier_cost_method='product')
        carrier.party.save()
        carrier.save()
        if Selection.search([], limit=1):
            # Once any selection exists, only selected carriers are offered.
            Selection(carrier=carrier).save()
        if cache:
            cache.set('carrier', key, carrier.id)
        return carrier

    def get_rec_name(self, name):
        # A carrier made from a shipping mode has that name twice
        party, product = self.party.rec_name, self.carrier_product.rec_name
        if party == product:
            return party
        return super().get_rec_name(name)
