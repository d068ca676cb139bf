"""The back office's actions on a selection of orders: the pick list and the packing summary
read back from the rendered reports, and what to procure with its draft purchase orders."""
import datetime as dt

from lxml import html

from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_fulfillment
from .test_stock_push import StockPushCase


@tagged('post_install', '-at_install')
class TestBackOffice(StockPushCase):

    order = test_fulfillment.TestFulfillment.order
    incoming = test_fulfillment.TestFulfillment.incoming

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env['res.partner'].create({
            'name': "Nagy Béla", 'street': "Kossuth Lajos utca 12.", 'city': "Pécs",
            'zip': "7621", 'country_id': cls.env.ref('base.hu').id})
        cls.service = cls.env['product.product'].create({
            'name': "Ajándékcsomagolás", 'type': 'service', 'list_price': 500})
        cls.vendor = cls.env['res.partner'].create({'name': "Nagyker Kft."})
        cls.other_vendor = cls.env['res.partner'].create({'name': "Import Bt."})

    def render(self, xmlid, sales):
        content, _ = self.env['ir.actions.report']._render_qweb_html(xmlid, sales.ids)
        return html.fromstring(content)

    def shelf(self, name):
        return self.env['stock.location'].create({
            'name': name, 'location_id': self.stock.id, 'usage': 'internal'})

    def store_on(self, product, location):
        "A putaway rule: the product lives on that shelf"
        self.env['stock.putaway.rule'].create({
            'product_id': product.id, 'location_in_id': self.stock.id,
            'location_out_id': location.id, 'company_id': self.company.id})

    def test_pick_list_in_shelf_order(self):
        apple, pear, plum = [self.make_product(item) for item in self.items[:3]]
        for product in (apple, pear, plum):
            self.receive(product, 10)
        self.store_on(apple, self.shelf("C-03"))
        self.store_on(pear, self.shelf("A-01"))
        first = self.order([(apple, 2), (pear, 1), (self.service, 1)], days_ago=2)
        second = self.order([(apple, 3), (plum, 4)], days_ago=1)
        page = self.render('shoprenter_connector.action_report_pick_list', first | second)
        rows = [[cell.text_content().strip() for cell in row.xpath('./td')][:6]
            for row in page.xpath('//tr[hasclass("o_pick_row")]')]
        # the locations' full names in order: the warehouse's stock, then its shelves
        self.assertEqual([(r[0].split('/')[-1], r[1], r[3], r[5]) for r in rows], [
            ("Stock", plum.default_code, "4.00", second.name),
            ("A-01", pear.default_code, "1.00", first.name),
            ("C-03", apple.default_code, "5.00", f"{first.name}, {second.name}"),
        ])
        self.assertEqual(rows[2][2], apple.name)
        self.assertNotIn(self.service.name, page.text_content(), "services are not picked")

    def test_packing_summary_per_order(self):
        apple = self.make_product(self.items[3])
        self.receive(apple, 5)
        carrier = self.env['delivery.carrier'].create({
            'name': "GLS futár", 'product_id': self.env['product.product'].create({
                'name': "Szállítás", 'type': 'service'}).id})
        sale = self.order([(apple, 2), (self.service, 1)], days_ago=1)
        sale.write({'carrier_id': carrier.id, 'shoprenter_comment': "Délután hozzák."})
        page = self.render('shoprenter_connector.action_report_packing_summary', sale)
        [block] = page.xpath('//div[hasclass("o_packing_order")]')
        text = lambda css: block.xpath(f'.//*[hasclass("{css}")]')[0].text_content().strip()
        self.assertEqual(text('o_number'), sale.name)
        self.assertEqual(text('o_partner'), "Nagy Béla")
        self.assertIn("Kossuth Lajos utca 12.", text('o_address'))
        self.assertIn("Pécs", text('o_address'))
        self.assertEqual(text('o_carrier'), "GLS futár")
        self.assertEqual(text('o_note'), "Délután hozzák.")
        items = [[c.text_content().strip() for c in row.xpath('./td')][:3]
            for row in block.xpath('.//tr[hasclass("o_packing_item")]')]
        self.assertEqual(items, [[apple.default_code, apple.name, "2.00"]])

    def test_reports_refuse_orders_that_cannot_ship(self):
        apple = self.make_product(self.items[4])
        sale = self.order([(apple, 1)], days_ago=1)
        with self.assertRaises(UserError):
            sale.action_shoprenter_pick_list()
        with self.assertRaises(UserError):
            sale.action_shoprenter_packing_summary()
        self.receive(apple, 1)
        action = sale.action_shoprenter_pick_list()
        self.assertEqual(action['report_type'], 'qweb-html')

    def test_what_to_procure_and_the_draft_purchase_orders(self):
        apple, pear, plum = [self.make_product(item) for item in self.items[5:8]]
        self.env['product.supplierinfo'].create([
            {'partner_id': self.vendor.id, 'product_tmpl_id': apple.product_tmpl_id.id,
                'product_code': "NK-ALMA", 'sequence': 1, 'price': 100},
            {'partner_id': self.other_vendor.id, 'product_tmpl_id': apple.product_tmpl_id.id,
                'product_code': "IB-ALMA", 'sequence': 5},
            {'partner_id': self.vendor.id, 'product_tmpl_id': pear.product_tmpl_id.id,
                'product_code': "NK-KORTE", 'price': 80},
            {'partner_id': self.other_vendor.id, 'product_tmpl_id': plum.product_tmpl_id.id,
                'product_code': "IB-SZILVA"},
        ])
        self.receive(apple, 1)
        self.incoming(pear, 2, dt.date.today() + dt.timedelta(days=3))
        fulfillable = self.order([(apple, 1)], days_ago=4)
        first = self.order([(apple, 4), (pear, 5)], days_ago=2)
        second = self.order([(plum, 3), (pear, 1)], days_ago=1)
        with self.assertRaises(UserError):
            fulfillable.action_shoprenter_procure()
        action = (first | second).action_shoprenter_procure()
        wizard = self.env['shoprenter.procure.wizard'].browse(action['res_id'])
        lines = {line.product_id: (line.shortage, line.incoming, line.quantity,
                line.partner_id, line.vendor_code) for line in wizard.line_ids}
        self.assertEqual(lines, {
            apple: (4, 0, 4, self.vendor, "NK-ALMA"),
            pear: (6, 2, 4, self.vendor, "NK-KORTE"),
            plum: (3, 0, 3, self.other_vendor, "IB-SZILVA"),
        })
        result = wizard.action_create_purchases()
        orders = self.env['purchase.order'].search(result['domain'])
        self.assertEqual(orders.mapped('state'), ['draft', 'draft'])
        by_vendor = {order.partner_id: order for order in orders}
        self.assertEqual(set(by_vendor), {self.vendor, self.other_vendor})
        nagyker = {line.product_id: line for line in by_vendor[self.vendor].order_line}
        self.assertEqual({p: l.product_qty for p, l in nagyker.items()}, {apple: 4, pear: 4})
        self.assertIn("NK-ALMA", nagyker[apple].name, "the vendor's code on the line")
        self.assertIn("NK-KORTE", nagyker[pear].name)
        [plum_line] = by_vendor[self.other_vendor].order_line
        self.assertEqual((plum_line.product_id, plum_line.product_qty), (plum, 3))
        self.assertIn("IB-SZILVA", plum_line.name)
        self.assertEqual(by_vendor[self.vendor].picking_type_id, self.warehouse.in_type_id)
