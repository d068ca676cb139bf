"""ShopRenter buyers as partners, their addresses as child contacts reused when identical."""
from odoo import api, fields, models

from shoprenter.sync import keys


class ResPartner(models.Model):
    _inherit = 'res.partner'

    shoprenter_customer_ids = fields.One2many(
        'shoprenter.customer', 'partner_id', "ShopRenter Customers", readonly=True)
    shoprenter_tax_number = fields.Char(
        "ShopRenter Tax Number", readonly=True,
        help="The tax number as the buyer gave it in the webshop.")

    @api.model
    def _shoprenter_buyer(self, shop, order, page=None):
        """The partner of the order's buyer: a registered buyer by its ShopRenter customer
        id, a guest by name and e-mail; a buyer seen for the first time is created.  page
        (import_page.ImportPage) has the registered buyers known before it read ahead"""
        Link = self.env['shoprenter.customer']
        customer_id = keys.customer_id(order)
        if customer_id and page is not None and customer_id in page.partners:
            return page.partners[customer_id]
        if customer_id:
            link = Link.search(
                [('shop_id', '=', shop.id), ('customer_id', '=', customer_id)], limit=1)
            if link:
                return link.partner_id
        name = keys.buyer_name(order)
        email = keys.normalise_email(order.get('email'))
        partner = self.browse()
        if not customer_id and email:
            partner = self._shoprenter_find_guest(name, email)
        if not partner:
            partner = self._shoprenter_create_buyer(order, name, email)
        if customer_id:
            Link.create({'shop_id': shop.id, 'customer_id': customer_id,
                    'partner_id': partner.id})
        return partner

    @api.model
    def _shoprenter_find_guest(self, name, email):
        key = keys.normalise_text(name)
        for partner in self.search([('email', '=ilike', email), ('parent_id', '=', False)]):
            if keys.normalise_text(partner.name) == key:
                return partner
        return self.browse()

    @api.model
    def _shoprenter_create_buyer(self, order, name, email):
        country = (self._shoprenter_country(keys.order_country(order, 'payment'))
            or self._shoprenter_country(keys.order_country(order, 'shipping')))
        values = {
            'name': name,
            'is_company': keys.is_company(order),
            'email': email or False,
            'phone': (order.get('phone') or '').strip() or False,
            'country_id': country.id,
            }
        tax_number = (order.get('taxNumber') or '').strip()
        if tax_number:
            values['shoprenter_tax_number'] = tax_number
            # Odoo takes the Hungarian tax number as it is written; one whose check digit
            # fails is kept only as the buyer gave it
            if keys.eu_vat_number(tax_number) and country.code in ('HU', False):
                values['vat'] = tax_number
        return self.create(values)

    @api.model
    def _shoprenter_country(self, country):
        "The country of (ISO code, name) as keys.order_country gives it, or an empty one"
        Country = self.env['res.country']
        if not country:
            return Country
        code, name = country
        found = Country.search([('code', '=', code)], limit=1) if code else Country
        if not found and name:
            found = Country.search([('name', '=ilike', name)], limit=1)
        return found

    def _shoprenter_address_values(self):
        "The contact's address as keys.address_values has it, with the country's id"
        self.ensure_one()
        return {
            'party_name': self.name or None,
            'street': '\n'.join(filter(None, [self.street, self.street2])),
            'postal_code': self.zip or None,
            'city': self.city or None,
            'country': self.country_id.id or None,
            }

    def _shoprenter_address(self, order, prefix):
        """The contact of the partner that is the order's payment or shipping address
        (prefix), created as a child contact when there is none; without that address in
        the order, the partner's last contact of its kind, or an empty one.

        A new billing contact has the order's e-mail address: Odoo sends an invoice to it."""
        self.ensure_one()
        kind = 'invoice' if prefix == 'payment' else 'delivery'
        values = keys.address_values(order, prefix)
        contacts = self.child_ids.filtered(
            lambda c: c.type in ('invoice', 'delivery', 'other') and (c.street or c.city))
        if not values:
            return contacts.filtered(lambda c: c.type == kind)[-1:]
        values['country'] = self._shoprenter_country(values['country']).id or None
        key = keys.address_key(values)
        for contact in contacts:
            if keys.address_key(contact._shoprenter_address_values()) == key:
                return contact
        street, _, street2 = values['street'].partition('\n')
        return self.create({
            'parent_id': self.id, 'type': kind,
            'name': values['party_name'] or False,
            'street': street or False, 'street2': street2 or False,
            'zip': values['postal_code'] or False, 'city': values['city'] or False,
            'country_id': values['country'] or False,
            'email': kind == 'invoice' and (
                keys.normalise_email(order.get('email')) or self.email) or False,
            })
