"""ShopRenter buyers as parties, their addresses reused when identical."""
from stdnum.hu import anum

from trytond.pool import Pool, PoolMeta

from shoprenter.client import resource_id

from .common import normalise_email, normalise_text

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
        customer_id = resource_id(order.get('customer'))
        if customer_id:
            links = Customer.search([
                    ('shop', '=', shop.id),
                    ('customer_id', '=', customer_id),
                    ], limit=1)
            if links:
                return links[0].party
        name = cls._shoprenter_name(order)
        email = normalise_email(order.get('email'))
        party = cls._shoprenter_find_guest(name, email) if (
            not customer_id) else None
        if not party:
            party = cls._shoprenter_create(order, name, email)
        if customer_id:
            Customer(shop=shop, customer_id=customer_id, party=party).save()
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
        for address in self.addresses:
            if Address.shoprenter_key(address._shoprenter_values()) == key:
                return address
        address = Address(party=self, **values)
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
        pool = Pool()
        Country = pool.get('country.country')
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
            'country': None,
            }
        # orderExtend embeds the country with its ISO code.
        embedded = order.get(prefix + 'Country')
        code = embedded.get('isoCode2') if isinstance(embedded, dict) else None
        if code or data['CountryName']:
            countries = Country.search(['OR',
                    ('code', '=', (code or '').upper()),
                    ('name', 'ilike', data['CountryName'] or ''),
                    ], limit=1)
            if countries:
                values['country'] = countries[0].id
        return values

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
