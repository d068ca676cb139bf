"""Master-data import from a ShopRenter shop: products, customers with
addresses, VAT classes, payment modes and shipping modes.

The wizard first shows what it will create, link or change; applying it
computes the same plan again and carries it out, so a second run finds
everything in place and changes nothing.  It never touches ERP stock, and
an existing product keeps its price and name: the ERP is the truth."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from shoprenter.client import resource_id
from shoprenter.sync.master_data import (
    KINDS, Plan, customer_as_buyer, first_name)

from .common import normalise_text, parse_decimal



def plan_summary(plan):
    "The preview's text: a line of counts per kind, then what would change"
    def message(name, **values):
        return gettext(f'web_shop_shoprenter.msg_master_data_{name}', **values)
    lines = [message('counts', kind=message(f'kind_{kind}'), **plan.counts(kind))
        for kind in KINDS]
    details = [f"  {message(f'action_{action}')} {message(f'kind_{kind}').lower()}: "
        f"{label}" for kind, action, label in plan.changes()]
    return '\n'.join(lines + ([''] + details if details else []))


def build_plan(shop, client):
    "Read the shop's master data and return the plan for the ERP"
    plan = Plan()
    _plan_taxes(shop, client, plan)
    _plan_payment_modes(shop, client, plan)
    _plan_shipping_modes(shop, client, plan)
    _plan_products(shop, client, plan)
    _plan_customers(shop, client, plan)
    return plan


def _plan_taxes(shop, client, plan):
    pool = Pool()
    Shop = pool.get('web.shop')
    known = {m.name for m in shop.shoprenter_taxes}
    names = [c.get('name') for c in client.iter_collection('taxClasses')
        if c.get('name')]
    new = [n for n in names if n not in known]
    for name in names:
        if name not in new:
            plan.add('tax', 'unchanged', name)
        elif name == new[0]:
            # Load VAT Classes adds every new class with its proposed tax.
            plan.add('tax', 'create', name,
                lambda: Shop.shoprenter_load_taxes([Shop(shop.id)]))
        else:
            plan.add('tax', 'create', name)


def _plan_payment_modes(shop, client, plan):
    pool = Pool()
    Mode = pool.get('web.shop.shoprenter.payment_mode')
    known = {m.code.lower(): m for m in shop.shoprenter_payment_modes}
    for mode in client.iter_collection('paymentModes'):
        code = (mode.get('code') or '').strip().lower()
        if not code:
            continue
        name = first_name(mode.get('paymentDescription')
            or mode.get('paymentDescriptions'))
        record = known.get(code)
        if record is None:
            plan.add('payment', 'create', f'{code} ({name})',
                lambda code=code, name=name: Mode(
                    shop=shop.id, code=code, name=name).save())
        elif name and record.name != name:
            plan.add('payment', 'change', f'{code}: {record.name} → {name}',
                lambda record=record, name=name: Mode.write(
                    [Mode(record.id)], {'name': name}))
        else:
            plan.add('payment', 'unchanged', code)


def _plan_shipping_modes(shop, client, plan):
    pool = Pool()
    Carrier = pool.get('carrier')
    names = {}
    for description in client.iter_collection('shippingModeDescriptions'):
        mode_id = resource_id(description.get('shippingMode'))
        if mode_id not in names and description.get('name'):
            names[mode_id] = description['name']
    carriers = {normalise_text(c.rec_name) for c in Carrier.search([])} | {
        normalise_text(c.party.name) for c in Carrier.search([])}
    for mode_id, name in names.items():
        if normalise_text(name) in carriers:
            plan.add('shipping', 'unchanged', name)
        else:
            plan.add('shipping', 'create', name,
                lambda name=name: Carrier.get_from_shoprenter(
                    shop, {'shippingMethodName': name}))


def _plan_products(shop, client, plan):
    pool = Pool()
    Product = pool.get('product.product')
    Link = pool.get('web.shop.shoprenter.product')
    tax_classes = {c['id']: c.get('name')
        for c in client.iter_collection('taxClasses')}
    links = {(l.product.id): l for l in Link.search([('shop', '=', shop.id)])}
    for item in client.iter_collection('productExtend'):
        sku = (item.get('sku') or '').strip()
        if not sku:
            continue
        name = first_name(item.get('productDescriptions')) or sku
        vat = tax_classes.get(resource_id(item.get('taxClass')))
        products = Product.search([('code', '=', sku)], limit=1)
        if not products:
            plan.add('product', 'create', f'{sku} {name}',
                lambda item=item, sku=sku, name=name, vat=vat:
                _create_product(shop, item, sku, name, vat))
            continue
        product, = products
        link = links.get(product.id)
        if link and link.state == 'linked' and link.shoprenter_id == item['id']:
            plan.add('product', 'unchanged', sku)
        else:
            plan.add('product', 'change' if link else 'link', sku,
                lambda product=product, item=item, vat=vat, link=link:
                _link_product(shop, product, item, vat, link))


def _create_product(shop, item, sku, name, vat):
    pool = Pool()
    Product = pool.get('product.product')
    mapping = shop.shoprenter_tax(None, name=vat) if vat else None
    category = (mapping.account_category if mapping else None) or (
        shop.shoprenter_account_category)
    price = parse_decimal(item.get('price')) or Decimal(0)
    product = Product.shoprenter_create(name, 'goods', price, category,
        code=sku)
    _link_product(shop, product, item, vat, None)


def _link_product(shop, product, item, vat, link):
    pool = Pool()
    Link = pool.get('web.shop.shoprenter.product')
    link = Link(link.id) if link else Link(shop=shop.id, product=product.id)
    link.state = 'linked'
    link.changed = True  # the next push sends the ERP's stock and price
    shop._shoprenter_read_item(link, item, {})
    link.tax_class = vat
    link.save()


def _plan_customers(shop, client, plan):
    pool = Pool()
    Customer = pool.get('web.shop.shoprenter.customer')
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    countries = {c['id']: c.get('isoCode2')
        for c in client.iter_collection('countries')}
    addresses = {}
    for address in client.iter_collection('addresses'):
        addresses.setdefault(
            resource_id(address.get('customer')), []).append(address)
    links = {c.customer_id: c.party for c in Customer.search(
            [('shop', '=', shop.id)])}
    for customer in client.iter_collection('customers'):
        buyer = customer_as_buyer(customer, addresses.get(customer['id'], []),
            countries)
        label = f"{buyer['lastname'] or ''} {buyer['firstname'] or ''} " \
            f"<{buyer['email'] or ''}>".strip()
        party = links.get(customer['id'])
        if party is None:
            plan.add('customer', 'create', label,
                lambda buyer=buyer: _import_customer(shop, buyer))
            continue
        keys = {Address.shoprenter_key(a._shoprenter_values())
            for a in party.addresses}
        new = [a for a in buyer['addresses']
            if (v := Address.shoprenter_values(a, 'payment'))
            and Address.shoprenter_key(v) not in keys]
        if new:
            plan.add('customer', 'change',
                f'{label}: {len(new)} new address(es)',
                lambda buyer=buyer, party=party: _import_customer(
                    shop, buyer, Party(party.id)))
        else:
            plan.add('customer', 'unchanged', label)


def _import_customer(shop, buyer, party=None):
    pool = Pool()
    Party = pool.get('party.party')
    if party is None:
        party = Party.get_from_shoprenter(shop, buyer)
    for address in buyer['addresses']:
        party.shoprenter_address(address, 'payment')


class ImportMasterDataPreview(ModelView):
    "ShopRenter Master Data Import"
    __name__ = 'web.shop.shoprenter.master_data.preview'

    shop = fields.Many2One('web.shop', "Shop", readonly=True)
    summary = fields.Text("What Will Happen", readonly=True)


class ImportMasterData(Wizard):
    "Import master data from ShopRenter"
    __name__ = 'web.shop.shoprenter.master_data'
    start = StateView('web.shop.shoprenter.master_data.preview',
        'web_shop_shoprenter.master_data_preview_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Apply", 'apply', 'tryton-ok', default=True),
            ])
    apply = StateTransition()

    def default_start(self, fields):
        shop = self.record
        with Transaction().set_context(company=shop.company.id), \
                shop.shoprenter_client() as client:
            plan = build_plan(shop, client)
        return {'shop': shop.id, 'summary': plan_summary(plan)}

    def transition_apply(self):
        shop = self.record
        with Transaction().set_context(company=shop.company.id,
                shoprenter_no_push=True), \
                shop.shoprenter_client() as client:
            build_plan(shop, client).apply()
        return 'end'
