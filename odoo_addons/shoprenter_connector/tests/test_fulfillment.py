"""Fulfillable orders, as the Tryton scenario scenario_shoprenter_fulfillment.rst has them:
the on-hand stock goes to the open orders oldest first, all or nothing per order."""
import datetime as dt

from odoo.tests import tagged

from .test_stock_push import StockPushCase


@tagged('post_install', '-at_install')
class TestFulfillment(StockPushCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env['res.partner'].create({'name': "Nagy Béla"})
        cls.service = cls.env['product.product'].create({
            'name': "Ajándékcsomagolás", 'type': 'service', 'list_price': 500})

    def order(self, lines, days_ago):
        "A confirmed order of days_ago days ago: lines [(product, quantity)]"
        sale = self.env['sale.order'].create({
            'partner_id': self.partner.id, 'warehouse_id': self.warehouse.id,
            'company_id': self.company.id,
            'order_line': [(0, 0, {'product_id': product.id, 'product_uom_qty': quantity})
                for product, quantity in lines]})
        sale.action_confirm()
        # confirming dates the order now: back to when the buyer ordered
        sale.date_order = dt.datetime.now() - dt.timedelta(days=days_ago)
        return sale

    def incoming(self, product, quantity, date):
        "A receipt from a supplier, planned for date, not received yet"
        move = self.env['stock.move'].create({
            'product_id': product.id, 'product_uom_qty': quantity,
            'product_uom': product.uom_id.id, 'location_id': self.supplier.id,
            'location_dest_id': self.stock.id, 'company_id': self.company.id,
            'date': dt.datetime.combine(date, dt.time(10))})
        move._action_confirm()
        return move

    def line_of(self, sale, product):
        return sale.order_line.filtered(lambda line: line.product_id == product)

    def fulfillable(self):
        return self.env['sale.order'].search([('shoprenter_fulfillable', '=', True)])

    def not_fulfillable(self):
        return self.env['sale.order'].search([
            ('shoprenter_fulfillable', '=', False), ('company_id', '=', self.company.id)])

    def test_the_older_order_wins_the_last_units(self):
        apple = self.make_product(self.items[0])
        self.receive(apple, 5)
        due = dt.date.today() + dt.timedelta(days=9)
        self.incoming(apple, 4, due)
        younger = self.order([(apple, 3)], days_ago=1)
        older = self.order([(apple, 3)], days_ago=2)
        self.assertTrue(older.shoprenter_fulfillable)
        self.assertFalse(younger.shoprenter_fulfillable)
        line = self.line_of(younger, apple)
        self.assertEqual((line.shoprenter_allocated, line.shoprenter_short), (2, 1))
        self.assertEqual(line.shoprenter_due_date, due)
        older_line = self.line_of(older, apple)
        self.assertEqual((older_line.shoprenter_allocated, older_line.shoprenter_short), (3, 0))
        self.assertFalse(older_line.shoprenter_due_date)
        self.assertEqual(self.fulfillable(), older)
        self.assertEqual(self.not_fulfillable(), younger)

    def test_one_short_line_blocks_the_order_and_takes_nothing(self):
        apple, pear, plum = [self.make_product(item) for item in self.items[1:4]]
        self.receive(apple, 2)
        self.receive(pear, 1)
        self.receive(plum, 5)
        short = self.order([(plum, 1), (apple, 2), (pear, 3)], days_ago=3)
        after = self.order([(apple, 2), (plum, 4)], days_ago=1)
        self.assertFalse(short.shoprenter_fulfillable)
        self.assertEqual(self.line_of(short, pear).shoprenter_short, 2)
        self.assertFalse(self.line_of(short, pear).shoprenter_due_date, "nothing incoming")
        self.assertEqual(self.line_of(short, apple).shoprenter_short, 0)
        # the blocked order's apples and plums went to the younger one
        self.assertTrue(after.shoprenter_fulfillable)

    def test_services_never_block(self):
        apple = self.make_product(self.items[4])
        self.receive(apple, 1)
        with_service = self.order([(apple, 1), (self.service, 1)], days_ago=2)
        only_service = self.order([(self.service, 2)], days_ago=1)
        self.assertTrue(with_service.shoprenter_fulfillable)
        self.assertTrue(only_service.shoprenter_fulfillable)
        self.assertEqual(self.line_of(with_service, self.service).shoprenter_short, 0)
        self.assertEqual(self.fulfillable(), with_service | only_service)

    def test_a_receipt_changes_the_answer_in_the_same_transaction(self):
        apple = self.make_product(self.items[5])
        sale = self.order([(apple, 2)], days_ago=1)
        self.assertFalse(sale.shoprenter_fulfillable)
        self.receive(apple, 2)
        sale.invalidate_recordset(['shoprenter_fulfillable'])
        self.assertTrue(sale.shoprenter_fulfillable)

    def test_invoiced_and_draft_orders_are_not_open(self):
        apple = self.make_product(self.items[6])
        self.receive(apple, 10)
        draft = self.env['sale.order'].create({
            'partner_id': self.partner.id, 'warehouse_id': self.warehouse.id,
            'order_line': [(0, 0, {'product_id': apple.id, 'product_uom_qty': 1})]})
        self.assertFalse(draft.shoprenter_fulfillable)
        self.assertNotIn(draft, self.fulfillable() | self.not_fulfillable())

    def test_an_imported_webshop_order_is_allocated(self):
        item = self.items[7]
        apple = self.make_product(item)
        self.receive(apple, 1)
        customer = self.server.sandbox._seed['customers'][0]
        self.place(customer=customer['id'], shippingMode='1', paymentCode='cod',
            items=[{'sku': item['sku'], 'quantity': 2}])
        self.sync()
        [sale] = self.sales()
        self.assertFalse(sale.shoprenter_fulfillable)
        self.assertEqual(self.line_of(sale, apple).shoprenter_short, 1)
