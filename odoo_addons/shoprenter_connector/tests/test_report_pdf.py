"""The pick list and the packing summary as the warehouse prints them: real PDFs from
wkhtmltopdf, their text read back.  test_back_office.py checks the same reports' HTML; this
proves the PDF a picker holds says the same (Odoo's tests render HTML instead of PDF unless
told otherwise, so a broken PDF would pass there unseen)."""
import io
import re

from odoo.tests import tagged
from odoo.tools.pdf import PdfReader

from . import test_fulfillment
from .test_stock_push import StockPushCase


@tagged('post_install', '-at_install')
class TestReportPdf(StockPushCase):

    order = test_fulfillment.TestFulfillment.order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env['res.partner'].create({
            'name': "Kiss Éva", 'street': "Rákóczi út 7.", 'city': "Győr",
            'zip': "9021", 'country_id': cls.env.ref('base.hu').id})
        cls.service = cls.env['product.product'].create({
            'name': "Ajándékcsomagolás", 'type': 'service', 'list_price': 500})

    def setUp(self):
        super().setUp()
        state = self.env['ir.actions.report'].get_wkhtmltopdf_state()
        if state != 'ok':
            # Not a skip: CI installs wkhtmltopdf, and a report that cannot print is a failure
            self.fail(f"wkhtmltopdf is needed to render the PDF reports (Odoo says {state!r});"
                " install it, e.g. apt-get install wkhtmltopdf")

    def pdf_text(self, xmlid, sales):
        "The report rendered as the PDF the user downloads, its pages' text in one string"
        content, kind = self.env['ir.actions.report'].with_context(
            force_report_rendering=True)._render_qweb_pdf(xmlid, sales.ids)
        self.assertEqual(kind, 'pdf')
        self.assertTrue(content.startswith(b'%PDF-'), "a PDF document")
        reader = PdfReader(io.BytesIO(content))
        # wkhtmltopdf places words one by one: their spacing is the layout's, not the text's
        return ' '.join(' '.join(page.extract_text() for page in reader.pages).split())

    def assertInOrder(self, text, *parts):
        "parts appear in text in this order, whatever the whitespace the PDF puts between"
        pattern = r'\s*'.join(re.escape(part).replace(r'\ ', r'\s+') for part in parts)
        self.assertRegex(text, pattern)

    def test_pick_list_pdf(self):
        apple = self.make_product(self.items[0], name="Jonatán alma")
        pear = self.make_product(self.items[1], name="Vilmos körte")
        for product in (apple, pear):
            self.receive(product, 10)
        shelf = self.env['stock.location'].create({
            'name': "B-02", 'location_id': self.stock.id, 'usage': 'internal'})
        self.env['stock.putaway.rule'].create({
            'product_id': pear.id, 'location_in_id': self.stock.id,
            'location_out_id': shelf.id, 'company_id': self.company.id})
        first = self.order([(apple, 2), (pear, 1), (self.service, 1)], days_ago=2)
        second = self.order([(apple, 3)], days_ago=1)
        text = self.pdf_text('shoprenter_connector.action_report_pick_list', first | second)
        self.assertIn("Pick List", text)
        # the warehouse's stock first, then its shelf: code, name, quantity, the orders
        self.assertInOrder(text, "Stock", apple.default_code, apple.name, "5.00")
        self.assertInOrder(text, "B-02", pear.default_code, pear.name, "1.00")
        self.assertLess(text.index(apple.default_code), text.index(pear.default_code))
        self.assertInOrder(text, "5.00", "Units", f"{first.name}, {second.name}")
        self.assertInOrder(text, "1.00", "Units", first.name)
        self.assertNotIn(self.service.name, text, "services are not picked")

    def test_packing_summary_pdf(self):
        apple = self.make_product(self.items[2], name="Őszibarack lekvár")
        pear = self.make_product(self.items[3], name="Szőlőlé, 1 l")
        self.receive(apple, 5)
        self.receive(pear, 5)
        carrier = self.env['delivery.carrier'].create({
            'name': "MPL csomag", 'product_id': self.env['product.product'].create({
                'name': "Szállítás", 'type': 'service'}).id})
        first = self.order([(apple, 2), (self.service, 1)], days_ago=2)
        first.write({'carrier_id': carrier.id, 'shoprenter_comment': "Kapucsengő: 12."})
        other = self.env['res.partner'].create({
            'name': "Tóth Gábor", 'street': "Petőfi tér 3.", 'city': "Szeged",
            'zip': "6720", 'country_id': self.env.ref('base.hu').id})
        second = self.order([(pear, 3)], days_ago=1)
        second.write({'partner_id': other.id, 'partner_shipping_id': other.id})
        text = self.pdf_text('shoprenter_connector.action_report_packing_summary',
            second | first)
        self.assertIn("Packing Summary", text)
        # the older order first, each with its address, carrier, note and items
        self.assertLess(text.index(first.name), text.index(second.name))
        first_part, second_part = text.split(second.name, 1)
        self.assertInOrder(first_part, first.name, "Delivery address:", "Kiss Éva",
            "Rákóczi út 7.")
        self.assertIn("9021", first_part)
        self.assertIn("Győr", first_part)
        self.assertInOrder(first_part, "Carrier:", "MPL csomag")
        self.assertInOrder(first_part, "Buyer's note:", "Kapucsengő: 12.")
        self.assertInOrder(first_part, apple.default_code, apple.name, "2.00")
        self.assertNotIn(self.service.name, first_part, "services are not packed")
        self.assertInOrder(second_part, "Delivery address:", "Tóth Gábor", "Petőfi tér 3.")
        self.assertIn("6720", second_part)
        self.assertIn("Szeged", second_part)
        self.assertNotIn("Buyer's note:", second_part, "no note, no heading")
        self.assertInOrder(second_part, pear.default_code, pear.name, "3.00")
        self.assertNotIn(apple.default_code, second_part)
