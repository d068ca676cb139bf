"""The invoicing tests' setting: the Hungarian seller (address, tax number, NAV in
l10n_hu_edi's Demo mode), the shop's VAT classes all mapped, buyers placing orders in the
sandbox, Hungarian loaded, and a real SMTP server on a local port that Odoo sends to."""
import re

from odoo.tests import tagged

from .common import ShopRenterCase
from .smtp_catcher import MailCatcher

# A Hungarian tax number whose check digit holds (weights 9 7 3 1 over the first 8 digits)
SELLER_VAT = '12345676-2-41'
BUYER_VAT = '10537914-2-44'
ADDRESS = {'address1': "Fő utca 1.", 'city': "Szeged", 'postcode': "6720",
    'countryName': "Magyarország"}


def huf(amount):
    "29970 → '29 970' as the PDF writes whole forints (any space between the thousands)"
    return f'{round(amount):,}'.replace(',', ' ')


def flat(text):
    "The PDF's text with its spaces (no-break ones too) made one"
    return re.sub(r'\s+', ' ', text.replace('\u00a0', ' '))


@tagged('post_install', '-at_install')
class InvoicingCase(ShopRenterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env['res.lang']._activate_lang('hu_HU')
        cls.env['ir.module.module'].search([('name', 'in', (
            'shoprenter_connector', 'l10n_hu_edi', 'account', 'sale'))])._update_translations(
            ['hu_HU'])
        cls.shop.lang = 'hu_HU'
        cls.env.user.lang = 'hu_HU'
        cls.company.write({'vat': SELLER_VAT, 'street': "Váci út 10.", 'zip': "1132",
            'city': "Budapest", 'email': "szamla@webaruhaz.example.hu",
            'l10n_hu_edi_server_mode': 'demo'})
        cls.company.partner_id.lang = 'hu_HU'
        exempt = cls.env['account.chart.template'].with_company(cls.company).ref('FA')
        cls.shop.tax_ids.filtered(lambda m: m.name == 'AAM').tax_id = exempt
        seed = cls.server.sandbox._seed
        rate = {c['id']: c['name'] for c in seed['taxClasses']}
        cls.sku_at = {}
        for product in seed['products']:
            if float(product['stock1']) > 5:
                cls.sku_at.setdefault(rate[product['taxClass']['id']], product['sku'])
        cls.catcher = MailCatcher().start()
        cls.addClassCleanup(cls.catcher.stop)
        cls.env['ir.mail_server'].create({
            'name': "Mail catcher", 'smtp_host': '127.0.0.1', 'smtp_port': cls.catcher.port,
            'smtp_encryption': 'none'})

    def setUp(self):
        super().setUp()
        self.server.sandbox.reset()
        self.catcher.messages.clear()
        # Odoo's tests never reach an SMTP server: this one does, on purpose
        self.patch(type(self.env['ir.mail_server']), '_disable_send', lambda self: False)
        # and the PDFs are rendered as PDFs (wkhtmltopdf), not left as HTML
        self.env = self.env(context=dict(self.env.context, force_report_rendering=True))
        # the clerk works in Hungarian
        self.env = self.env(context=dict(self.env.context, lang='hu_HU'))

    def place_order(self, email="anna.kiss@example.hu", **intent):
        "A private buyer's order: goods at 27, 18 and 5 %, shipping and cash on delivery"
        values = dict(firstname="Anna", lastname="Kiss", email=email, payment=ADDRESS,
            shippingMode='1', paymentCode='cod', items=[
                {'sku': self.sku_at['27 %'], 'quantity': 3},
                {'sku': self.sku_at['18 %'], 'quantity': 2},
                {'sku': self.sku_at['5 %'], 'quantity': 1}])
        values.update(intent)
        return self.place(**values)

    def place_company_order(self):
        "A company's order with its Hungarian tax number: AAM goods, a coupon, by transfer"
        return self.place(firstname="Béla", lastname="Nagy", email="iroda@nagyesfia.example.hu",
            taxNumber=BUYER_VAT, payment=dict(ADDRESS, company="Nagy és Fia Kft."),
            shippingMode='1', paymentCode='bank_transfer', coupon='NYAR10', items=[
                {'sku': self.sku_at['27 %'], 'quantity': 2},
                {'sku': self.sku_at['AAM'], 'quantity': 1}])

    def shop_total(self, order):
        [total] = [row for row in self.call(self.api(), 'GET', 'orderTotals', params={
            'orderId': order['id'], 'full': 1})['items'] if row['type'] == 'TOTAL']
        return float(total['value'])

    def received(self):
        "The messages the SMTP server received: [(recipients, message)]"
        return list(self.catcher.messages)
