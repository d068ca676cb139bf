"""The NAV Online Számla 3.0 invoice data l10n_hu_edi makes of our orders (VAT 27/18/5 %, AAM,
coupons, shipping and payment fees; a private buyer and a company with a Hungarian tax
number) validates against NAV's official schemas, read from ../shared at test time."""
import base64
import os
from pathlib import Path

from lxml import etree

from odoo.tests import tagged

from .invoicing_common import BUYER_VAT, InvoicingCase

NAV = Path(os.environ.get('SHOPRENTER_NAV_SCHEMAS') or
    Path(__file__).resolve().parents[3].parent / 'shared' / 'nav-online-invoice' / 'schemas')
# The schemas import each other by namespace only: each namespace's file
SCHEMA_FILES = {
    'http://schemas.nav.gov.hu/NTCA/1.0/common': 'common.xsd',
    'http://schemas.nav.gov.hu/OSA/3.0/base': 'invoiceBase.xsd',
    'http://schemas.nav.gov.hu/OSA/3.0/data': 'invoiceData.xsd',
}
DATA = {'d': 'http://schemas.nav.gov.hu/OSA/3.0/data',
    'b': 'http://schemas.nav.gov.hu/OSA/3.0/base'}


def invoice_data_schema():
    "NAV's InvoiceData schema, its imports found by namespace"
    imports = ''.join(
        f'<xs:import namespace="{namespace}" schemaLocation="{(NAV / name).as_uri()}"/>'
        for namespace, name in SCHEMA_FILES.items())
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'{imports}</xs:schema>')
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@tagged('post_install', '-at_install')
class TestNav(InvoicingCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert (NAV / 'invoiceData.xsd').is_file(), f"NAV's schemas are not in {NAV}"
        cls.schema = invoice_data_schema()

    def nav_xml(self, invoice):
        self.assertTrue(invoice.l10n_hu_edi_attachment, "l10n_hu_edi made the invoice data")
        return etree.fromstring(base64.b64decode(invoice.l10n_hu_edi_attachment))

    def assert_valid(self, xml):
        if not self.schema.validate(xml):
            self.fail('\n'.join(str(error) for error in self.schema.error_log))

    def test_demo_invoices_validate(self):
        small = self.place_order(coupon='NYAR10', items=[
            {'sku': self.sku_at['27 %'], 'quantity': 1},
            {'sku': self.sku_at['18 %'], 'quantity': 2},
            {'sku': self.sku_at['5 %'], 'quantity': 1}])
        company = self.place_company_order()
        large = self.place_order()
        self.sync()
        sales = [self.sale_of(order) for order in (small, company, large)]
        basket = self.env['shoprenter.invoice.basket']._mine()
        basket._add(sales[0] | sales[1] | sales[2])
        basket.action_invoice_all()
        self.assertEqual(basket.line_ids.mapped('nav_state'), ['confirmed'] * 3,
            basket.line_ids.mapped('error'))

        xmls = [self.nav_xml(sale.invoice_ids) for sale in sales]
        for xml in xmls:
            self.assert_valid(xml)

        private, firm, _ = xmls
        status = '//d:customerInfo/d:customerVatStatus/text()'
        self.assertEqual(private.xpath(status, namespaces=DATA), ['PRIVATE_PERSON'])
        self.assertFalse(private.xpath('//d:customerInfo/d:customerVatData', namespaces=DATA))
        self.assertEqual(firm.xpath(status, namespaces=DATA), ['DOMESTIC'])
        number = firm.xpath('//d:customerTaxNumber/b:taxpayerId/text()', namespaces=DATA)
        self.assertEqual(number, [BUYER_VAT[:8]])

        rates = {float(r) for xml in xmls
            for r in xml.xpath('//d:line//d:vatPercentage/text()', namespaces=DATA)}
        self.assertTrue({0.27, 0.18, 0.05} <= rates, rates)
        self.assertTrue(firm.xpath('//d:line//d:vatExemption/d:case[text()="AAM"]',
            namespaces=DATA), "the AAM line is exempt")
        # The coupon, shipping and payment fee are lines of their own
        descriptions = private.xpath('//d:line/d:lineDescription/text()', namespaces=DATA)
        self.assertTrue(any('NYAR10' in d for d in descriptions), descriptions)
        lines = sales[0].invoice_ids.line_ids.filtered(
            lambda l: l.display_type in ('product', 'rounding'))
        self.assertEqual(len(descriptions), len(lines))
        fees = sales[0].order_line.filtered(lambda l: l.is_delivery) | sales[0].order_line.filtered(
            lambda l: l.product_id == self.shop.payment_fee_product_id)
        self.assertEqual(len(fees), 2, "the small cart pays shipping and the cash fee")
        for fee in fees:
            self.assertTrue(any(fee.name.split('\n')[-1] in d for d in descriptions),
                (fee.name, descriptions))
        for sale, xml in zip(sales, xmls):
            gross = xml.xpath('//d:invoiceSummary//d:invoiceGrossAmount/text()',
                namespaces=DATA)
            self.assertEqual([float(g) for g in gross], [sale.invoice_ids.amount_total])
