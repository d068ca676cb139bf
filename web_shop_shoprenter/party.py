"""ShopRenter buyers as parties, their addresses reused when identical."""
from trytond.pool import Pool, PoolMeta

from shoprenter.sync import keys
from shoprenter.sync.keys import normalise_email, normalise_text, tax_identifiers

from .common import run_cache


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def get_from_shoprenter(cls, shop, order):
        """Return the (saved) party of the order's buyer.

        A registered buyer is found by its ShopRenter customer id, a guest by
        name and e-mail; a buyer seen for the first time is created."""
        pool = Pool()
        Customer = pool.get('web.shop.shoprenter.customer')
        cache = run_cache()
        customer_id = keys.customer_id(order)
        if customer_id:
            key = (shop.id, customer_id)
            party_id = cache.get('customer', key) if cache else None
            if party_id is not None:
                return cls(party_id)
            links = Customer.search([
                    ('shop', '=', shop.id),
                    ('customer_id', '=', customer_id),
                    ], limit=1)
            if links:
                party = links[0].party
                if cache:
                    cache.set('customer', key, party.id)
                return party
        name = cls._shoprenter_name(order)
        email = normalise_email(order.get('email'))
        guest_key = keys.guest_key(order)
        party = None
        if not customer_id and email:
            party_id = cache.get('guest', guest_key) if cache else None
            if party_id is not None:
                return cls(party_id)
            party = cls._shoprenter_find_guest(name, email)
        if not party:
            party = cls._shoprenter_create(order, name, email)
        if customer_id:
            Customer(shop=shop, customer_id=customer_id, party=party).save()
            if cache:
                cache.set('customer', (shop.id, customer_id), party.id)
        elif email and cache:
            cache.set('guest', guest_key, party.id)
        return party

    @staticmethod
    def _shoprenter_name(order):
        return keys.buyer_name(order)

    @classmethod
    def _shoprenter_find_guest(cls, name, email):
        if not email:
            return None
        candidates = cls.search([
                ('contact_mechanisms', 'where', [
                        ('type', '=', 'email'),
                        ('value', 'ilike', email),
                        ]),
                ])
        for party in candidates:
            if normalise_text(party.name) == normalise_text(name):
                return party

    @classmethod
    def _shoprenter_create(cls, order, name, email):
        pool = Pool()
        ContactMechanism = pool.get('party.contact_mechanism')
        Identifier = pool.get('party.identifier')
        party = cls(name=name, addresses=[])
        mechanisms = []
        if email:
            mechanisms.append(ContactMechanism(type='email', value=email))
        if order.get('phone'):
            mechanisms.append(
                ContactMechanism(type='phone', value=order['phone'].strip()))
        party.contact_mechanisms = mechanisms
        tax_number = (order.get('taxNumber') or '').strip()
        if tax_number:
            party.identifiers = [
                Identifier(**values) for values in tax_identifiers(tax_number)]
        party.save()
        return party

    def shoprenter_address(self, order, prefix):
        """Return the party's address that equals the order's payment or
        shipping address (prefix), created when there is none"""
        pool = Pool()
        Address = pool.get('party.address')
        values = Address.shoprenter_values(order, prefix)
        if not values:
            return self.address_get(
                type='invoice' if prefix == 'payment' else 'delivery')
        key = Address.shoprenter_key(values)
        cache = run_cache()
        if cache:
            address_id = cache.get('address', (self.id, key))
            if address_id is not None:
                return Address(address_id)
        addresses = {}  # the first address of each key, as they come
        for address in self.addresses:
            addresses.setdefault(
                Address.shoprenter_key(address._shoprenter_values()),
                address)
        if cache:
            for address_key, address in addresses.items():
                cache.set('address', (self.id, address_key), address.id)
        if key in addresses:
            return addresses[key]
        address = Address(party=self, **values)
        address.save()
        if cache:
            cache.set('address', (self.id, key), address.id)
        return address

    def shoprenter_blank_address(self, order):
        "An address with only the country of the order, for an order without"
        pool = Pool()
        Address = pool.get('party.address')
        address = Address(party=self,
            country=Address.shoprenter_order_country(order, 'payment')
            or Address.shoprenter_order_country(order, 'shipping'))
        address.save()
        return address


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def shoprenter_values(cls, order, prefix):
        "The address fields of the order's payment or shipping address"
        values = keys.address_values(order, prefix)
        if values is not None:
            country = values['country']
            values['country'] = cls._shoprenter_country(*country) if country else None
        return values

    @classmethod
    def shoprenter_order_country(cls, order, prefix):
        "The id of the country of the order's payment or shipping address"
        country = keys.order_country(order, prefix)
        if country:
            return cls._shoprenter_country(*country)

    @classmethod
    def _shoprenter_country(cls, code, name):
        "The id of the country of the ISO code or named so, or None"
        pool = Pool()
        Country = pool.get('country.country')
        cache = run_cache()
        key = (code, name)
        if cache and ('country', key) in cache:
            return cache.get('country', key)
        countries = Country.search(['OR',
                ('code', '=', code),
                ('name', 'ilike', name or ''),
                ], limit=1)
        country = countries[0].id if countries else None
        if cache:
            cache.set('country', key, country)
        return country

    def _shoprenter_values(self):
        return {
            'party_name': self.party_name,
            'street': self.street,
            'postal_code': self.postal_code,
            'city': self.city,
            'country': self.country.id if self.country else None,
            }

    @staticmethod
    def shoprenter_key(values):
        "What makes two addresses the same, whatever their spacing and case"
        return keys.address_key(values)
