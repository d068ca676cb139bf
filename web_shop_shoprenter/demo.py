"""A Hungarian company with one ShopRenter shop, set up through proteus.

`shoprenter demo` and the scenarios build on it: HUF, the 27/18/5 % VAT
taxes, a chart of accounts, a fiscal year, the default warehouse."""
import datetime as dt
from decimal import Decimal

from proteus import Model

from shoprenter.sandbox import demo as demo_data

from trytond.modules.account.tests.tools import (
    create_chart, create_fiscalyear, create_tax, get_accounts)
from trytond.modules.account_invoice.tests.tools import (
    set_fiscalyear_invoice_sequences)
from trytond.modules.company.tests.tools import create_company, get_company

VAT_RATES = [Decimal(27), Decimal(18), Decimal(5)]
# The first day of the demo shop's orders: the demo brings its whole
# history in, the orders done in the shop as shipped sales
DEMO_HISTORY_FROM = (demo_data.NOW - dt.timedelta(days=demo_data.ORDER_DAYS)
    ).date()


def set_user_language(code, config):
    "Set the language of the configuration's user and reload its context"
    User = Model.get('res.user', config=config)
    Lang = Model.get('ir.lang', config=config)
    user = User(config.user)
    user.language, = Lang.find([('code', '=', code)])
    user.save()
    config._context = User.get_preferences(True, {})


def setup_demo_shop(config, **shop):
    """The Hungarian company, its account category and a ShopRenter shop
    (setup_shop's keyword arguments); return the company and the shop.

    Tryton's setup tools find records by their English names: the user
    works in English for the setup, in Hungarian after."""
    set_user_language('en', config)
    try:
        company, _ = setup_company()
        category = setup_account_category()
        shop = setup_shop(account_category=category, **shop)
    finally:
        set_user_language('hu', config)
    return company, shop


def skip_module_configuration(config=None):
    "Mark the first-login configuration wizards done: the demo did their work"
    Item = Model.get('ir.module.config_wizard.item', config=config)
    items = Item.find([('state', '!=', 'done')])
    for item in items:
        item.state = 'done'
    Item.save(items)


# What a Hungarian invoice must say about its seller
DEMO_SELLER_ADDRESS = dict(
    street="Váci út 1.", postal_code="1062", city="Budapest")
DEMO_SELLER_TAX_NUMBER = "24242424-2-41"


def setup_company(config=None, name="Demo Webáruház Kft.", seller=True):
    """Create the company in HUF with its chart, fiscal year and VAT taxes;
    seller: with the address and tax number its invoices must carry"""
    Currency = Model.get('currency.currency', config=config)
    Party = Model.get('party.party', config=config)
    Country = Model.get('country.country', config=config)
    huf, = Currency.find([('code', '=', 'HUF')]) or [Currency(
            name="Forint", code='HUF', symbol='Ft', rounding=Decimal('0.01'),
            numeric_code='348')]
    huf.save()
    hungary, = Country.find([('code', '=', 'HU')]) or [Country(
            name="Magyarország", code='HU', code3='HUN')]
    hungary.save()
    party = Party(name=name)
    if seller:
        address, = party.addresses
        for field, value in DEMO_SELLER_ADDRESS.items():
            setattr(address, field, value)
        address.country = hungary
        party.identifiers.new(code=DEMO_SELLER_TAX_NUMBER)
    party.save()
    create_company(party=party, currency=huf, config=config)
    company = get_company(config=config)
    create_chart(company, config=config)
    fiscalyear = set_fiscalyear_invoice_sequences(
        create_fiscalyear(company, today=dt.date.today(), config=config),
        config=config)
    set_customer_invoice_sequence(fiscalyear, config=config)
    fiscalyear.click('create_period')
    taxes = {}
    for rate in VAT_RATES:
        tax = create_tax(rate / 100, company=company, config=config)
        tax.name = tax.description = f"{rate} % ÁFA"
        tax.save()
        taxes[rate] = tax
    return company, taxes


def set_customer_invoice_sequence(fiscalyear, config=None):
    """Number the fiscal year's customer invoices and credit notes in a
    strict (gapless) sequence of their own: "2026-00001".  The hyphen, not
    a slash, keeps the number whole in the PDF's file name."""
    SequenceStrict = Model.get('ir.sequence.strict', config=config)
    SequenceType = Model.get('ir.sequence.type', config=config)
    sequence_type, = SequenceType.find([('name', '=', "Invoice")], limit=1)
    year = fiscalyear.start_date.year
    sequence = SequenceStrict(
        name=f"Számlák {year}", sequence_type=sequence_type,
        company=fiscalyear.company, prefix=f"{year}-", padding=5)
    sequence.save()
    invoice_sequence, = fiscalyear.invoice_sequences
    invoice_sequence.out_invoice_sequence = sequence
    invoice_sequence.out_credit_note_sequence = sequence
    fiscalyear.save()
    return sequence


def setup_account_category(config=None, name="Webáruházi áruk"):
    "An account category that sells into the revenue account"
    Category = Model.get('product.category', config=config)
    accounts = get_accounts(config=config)
    category = Category(name=name, accounting=True)
    category.account_revenue = accounts['revenue']
    category.account_expense = accounts['expense']
    category.save()
    return category


def setup_shop(config=None, *, name="ShopRenter", shop='demo',
        client_id='demo-client', client_secret='demo-secret',
        api_url=None, token_url=None, account_category=None,
        history_from=None):
    """Create a ShopRenter web shop selling from the default warehouse;
    history_from: the day its history starts (default: today)"""
    Shop = Model.get('web.shop', config=config)
    Location = Model.get('stock.location', config=config)
    Sequence = Model.get('ir.sequence', config=config)
    SequenceType = Model.get('ir.sequence.type', config=config)
    ModelData = Model.get('ir.model.data', config=config)
    warehouse, = Location.find([('type', '=', 'warehouse')], limit=1)
    sequence = Sequence(
        name=f"{name} rendelések", prefix=f"{shop.upper()}-",
        sequence_type=SequenceType(
            ModelData.get_id('sale', 'sequence_type_sale', {})))
    sequence.save()
    web_shop = Shop(name=name, type='shoprenter')
    web_shop.shoprenter_shop = shop
    web_shop.shoprenter_client_id = client_id
    web_shop.shoprenter_client_secret = client_secret
    web_shop.shoprenter_api_url = api_url
    web_shop.shoprenter_token_url = token_url
    web_shop.shoprenter_sale_sequence = sequence
    web_shop.shoprenter_account_category = account_category
    if history_from:
        web_shop.shoprenter_history_from = history_from
    web_shop.warehouses.append(Location(warehouse.id))
    web_shop.save()
    web_shop.click('shoprenter_load_taxes')
    web_shop.reload()
    return web_shop


def setup_opening_stock(quantities, config=None):
    """Count the goods in the default warehouse as the shop has them
    (quantities: {SKU: quantity}), with a confirmed inventory"""
    Inventory = Model.get('stock.inventory', config=config)
    Location = Model.get('stock.location', config=config)
    Product = Model.get('product.product', config=config)
    warehouse, = Location.find([('type', '=', 'warehouse')], limit=1)
    inventory = Inventory(location=warehouse.storage_location)
    for product in Product.find([
                ('code', 'in', list(quantities)), ('type', '=', 'goods')]):
        if quantities[product.code] > 0:
            inventory.lines.new(
                product=product, quantity=quantities[product.code])
    inventory.save()
    inventory.click('confirm')
    return inventory


def sync_orders(web_shop):
    "Run the order download of the shop now, as the Sync Now button does"
    web_shop.click('shoprenter_sync_now')
    web_shop.reload()
    return [l for l in web_shop.shoprenter_logs if l.kind == 'orders'][0]

