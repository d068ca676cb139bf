"""ShopRenter buyers as parties, their addresses reused when identical."""
from stdnum.hu import anum

from trytond.pool import Pool, PoolMeta

from shoprenter.client import resource_id

from .common import normalise_email, normalise_text, run_cache

ADDRESS_FIELDS = ['Company', 'Firstname', 'Lastname', 'Address1', 'Address2',
    'City', 'Postcode', 'CountryName']


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
        customer_id = resource_id(order.get('customer'))
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
        guest_key = (email, normalise_text(name))
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
        company = (order.get('paymentCompany') or '').strip()
        if company and order.get('taxNumber'):
            return company
        name = ' '.join(filter(None, [
                    (order.get('lastname') or '').strip(),
                    (order.get('firstname') or '').strip()]))
        return name or normalise_email(order.get('email')) or '?'

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


def tax_identifiers(tax_number):
    """A Hungarian tax number (adószám, 12345678-1-42) as party identifiers.

    The full number goes on invoices as given; its first eight digits are
    also the EU VAT number (ANUM) when their check digit holds."""
    identifiers = [{'type': None, 'code': tax_number}]
    digits = ''.join(c for c in tax_number if c.isdigit())
    if len(digits) in {8, 11} and anum.is_valid(digits[:8]):
        identifiers.insert(0, {'type': 'hu_vat', 'code': 'HU' + digits[:8]})
    return identifiers


class Address(metaclass=PoolMeta):
    __name__ = 'party.address'

    @classmethod
    def shoprenter_values(cls, order, prefix):
        "The address fields of the order's payment or shipping address"
        data = {
            field: (order.get(prefix + field) or '').strip()
            for field in ADDRESS_FIELDS}
        if not (data['Address1'] or data['City']):
            return None
        values = {
            'party_name': ' '.join(filter(None, [
                        data['Company'],
                        ' '.join(filter(None, [
                                    data['Lastname'], data['Firstname']])),
                        ])) or None,
            'street': '\n'.join(filter(None, [
                        data['Address1'], data['Address2']])),
            'postal_code': data['Postcode'] or None,
            'city': data['City'] or None,
            'country': cls.shoprenter_order_country(order, prefix),
            }
        return values

    @classmethod
    def shoprenter_order_country(cls, order, prefix):
        "The id of the country of the order's payment or shipping address"
        # orderExtend embeds the country with its ISO code.
        embedded = order.get(prefix + 'Country')
        code = embedded.get('isoCode2') if isinstance(embedded, dict) else None
        name = (order.get(prefix + 'CountryName') or '').strip()
        if code or name:
            return cls._shoprenter_country((code or '').upper(), name)

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
        return tuple(
            normalise_text(v) if isinstance(v, str) else v
            for _, v in sorted(values.items()))
