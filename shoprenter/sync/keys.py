"""What makes two buyers, addresses, products or carriers the same.

A registered buyer is its ShopRenter customer id; a guest is its e-mail and
name, trimmed and case-folded; an address is its fields whatever their
spacing and case; goods are their SKU, services their name."""
from stdnum.hu import anum

from ..values import resource_id

__all__ = ['normalise_email', 'normalise_text', 'customer_id', 'buyer_name', 'is_company',
           'guest_key', 'ADDRESS_FIELDS', 'order_country', 'address_values', 'address_key',
           'tax_identifiers', 'eu_vat_number', 'product_key', 'product_name', 'carrier_name',
           'carrier_key', 'payment_mode_code']

ADDRESS_FIELDS = ['Company', 'Firstname', 'Lastname', 'Address1', 'Address2',
    'City', 'Postcode', 'CountryName']


def normalise_email(email):
    return (email or '').strip().casefold()


def normalise_text(text):
    return ' '.join((text or '').split()).casefold()


def customer_id(order):
    "The ShopRenter id of a registered buyer, None for a guest"
    return resource_id(order.get('customer'))


def is_company(order):
    "A company buyer gives its company name and tax number"
    return bool((order.get('paymentCompany') or '').strip() and order.get('taxNumber'))


def buyer_name(order):
    "The customer's name: the company, else 'Lastname Firstname', else the e-mail"
    if is_company(order):
        return order['paymentCompany'].strip()
    name = ' '.join(filter(None, [
                (order.get('lastname') or '').strip(),
                (order.get('firstname') or '').strip()]))
    return name or normalise_email(order.get('email')) or '?'


def guest_key(order):
    "(e-mail, name) that finds a guest again; None without an e-mail"
    email = normalise_email(order.get('email'))
    if not email:
        return None
    return (email, normalise_text(buyer_name(order)))


def order_country(order, prefix):
    "(ISO code upper-cased or '', name) of the payment or shipping address's country, or None"
    # orderExtend embeds the country with its ISO code.
    embedded = order.get(prefix + 'Country')
    code = embedded.get('isoCode2') if isinstance(embedded, dict) else None
    name = (order.get(prefix + 'CountryName') or '').strip()
    if code or name:
        return ((code or '').upper(), name)
    return None


def address_values(order, prefix):
    """The order's payment or shipping address (prefix), None when it has no street and
    no city: party_name, street (lines joined by a newline), postal_code, city and
    country as order_country gives it (the ERP puts its own country in its place)"""
    data = {field: (order.get(prefix + field) or '').strip() for field in ADDRESS_FIELDS}
    if not (data['Address1'] or data['City']):
        return None
    return {
        'party_name': ' '.join(filter(None, [
                    data['Company'],
                    ' '.join(filter(None, [data['Lastname'], data['Firstname']])),
                    ])) or None,
        'street': '\n'.join(filter(None, [data['Address1'], data['Address2']])),
        'postal_code': data['Postcode'] or None,
        'city': data['City'] or None,
        'country': order_country(order, prefix),
        }


def address_key(values):
    "What makes two addresses the same, whatever their spacing and case"
    return tuple(
        normalise_text(v) if isinstance(v, str) else v
        for _, v in sorted(values.items()))


def tax_identifiers(tax_number):
    """A Hungarian tax number (adószám, 12345678-1-42) as identifiers, [{type, code}].

    The full number goes on invoices as given (type None); its first eight digits are
    also the EU VAT number (hu_vat) when their check digit holds."""
    identifiers = [{'type': None, 'code': tax_number}]
    vat = eu_vat_number(tax_number)
    if vat:
        identifiers.insert(0, {'type': 'hu_vat', 'code': vat})
    return identifiers


def eu_vat_number(tax_number):
    "HU + the first 8 digits of a Hungarian tax number whose check digit holds, else None"
    digits = ''.join(c for c in (tax_number or '') if c.isdigit())
    if len(digits) in {8, 11} and anum.is_valid(digits[:8]):
        return 'HU' + digits[:8]
    return None


def product_name(item):
    "The name of an order line's product: its name, else its SKU"
    return (item.get('name') or '').strip() or (item.get('sku') or '').strip()


def product_key(item):
    "('code', SKU) for goods; ('service', name) for a line without SKU"
    sku = (item.get('sku') or '').strip()
    return ('code', sku) if sku else ('service', product_name(item))


def carrier_name(order):
    return (order.get('shippingMethodName') or '').strip()


def carrier_key(name):
    return normalise_text(name)


def payment_mode_code(order):
    "The payment mode's code as the mapping keeps it (lower case), '' for none"
    return (order.get('paymentMethodCode') or '').strip().lower()
