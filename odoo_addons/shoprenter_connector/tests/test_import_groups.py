"""A page of orders imported as one unit of work: its new sales created and confirmed
together, a bad order among them still stopped alone with its message, the others imported;
more orders than a page holds come a page (one unit) at a time."""
from unittest.mock import patch

from odoo.tests import tagged

from shoprenter.client import MAX_LIMIT

from .common import BuyersCase


@tagged('post_install', '-at_install')
class TestImportGroups(BuyersCase):

    def setUp(self):
        super().setUp()
        self.server.sandbox.reset()
        Sale = type(self.env['sale.order'])
        self.creates = []  # the sizes of the creations of sales together
        original = Sale._shoprenter_create_sales

        def spy(sales, queued):
            self.creates.append(len(queued))
            return original(sales, queued)
        patcher = patch.object(Sale, '_shoprenter_create_sales', spy)
        patcher.start()
        self.addCleanup(patcher.stop)

    def place_orders(self, count, quantity=lambda i: 1 + i % 3):
        self.quantities = [quantity(i) for i in range(count)]
        return [self.server.sandbox.place_order({
                    'customer': self.customers[i % len(self.customers)]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': self.taxed[i % len(self.taxed)]['sku'],
                            'quantity': quantity(i)}]})
            for i in range(count)]

    def errors(self, log):
        return log.entry_ids.filtered(lambda e: e.level == 'error')

    def assertImported(self, orders, positions):
        "The orders at positions have their one confirmed sale each, with its quantity"
        for position in positions:
            order = orders[position]
            sale = self.sale_of(order)
            self.assertEqual(len(sale), 1, order['innerId'])
            self.assertEqual((sale.state, sale.client_order_ref), ('sale', order['innerId']))
            [line] = sale.order_line.filtered('shoprenter_id')
            self.assertEqual((line.product_id.default_code, line.product_uom_qty), (
                self.taxed[position % len(self.taxed)]['sku'], self.quantities[position]))

    def test_a_bad_order_in_the_middle_of_a_page(self):
        "Known bad before writing: the page's others are created together, it stops alone"
        self.shop.max_line_quantity = 5
        orders = self.place_orders(9, quantity=lambda i: 9 if i == 4 else 1)
        bad = orders[4]
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed), ('done', 8, 1), log.message)
        self.assertEqual(self.creates, [8], "the page's new sales in one creation")
        self.assertImported(orders, [0, 1, 2, 3, 5, 6, 7, 8])
        self.assertFalse(self.sale_of(bad))
        [error] = self.errors(log)
        self.assertEqual((error.shoprenter_id, error.order_number), (bad['id'], bad['innerId']))
        self.assertIn(bad['innerId'], error.message)
        # Allowed again, the order imports on the next run, and only it
        self.shop.max_line_quantity = 10
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.failed), (1, 0, 0), log.message)
        self.assertEqual(len(self.sales()), 9)
        self.assertTrue(error.resolved)

    def test_an_order_that_breaks_the_page_together(self):
        """One the database refuses only when the sales are created: the page is rolled back
        and done again order by order, the refused one stopped alone with the refusal"""
        orders = self.place_orders(7)
        bad = orders[3]
        # A rule of the database that no check before writing can know of
        self.env.cr.execute(
            "ALTER TABLE sale_order ADD CONSTRAINT shoprenter_test_refused "
            "CHECK (client_order_ref IS DISTINCT FROM %s)", [bad['innerId']])
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed), ('done', 6, 1), log.message)
        self.assertEqual(self.creates, [7] + [1] * 7, "together, then one by one")
        self.assertImported(orders, [0, 1, 2, 4, 5, 6])
        self.assertFalse(self.sale_of(bad))
        [error] = self.errors(log)
        self.assertEqual(error.order_number, bad['innerId'])
        self.assertIn('shoprenter_test_refused', error.message)
        self.assertEqual(len(log.entry_ids.filtered(lambda e: e.level == 'error')), 1,
            "the rolled-back attempt left no entries")
        self.assertEqual(log.created + log.failed, len(orders), "counted once each")
        # Each order has a registered buyer of its own: the refused order's went with it
        buyers = self.env['shoprenter.customer'].search([('shop_id', '=', self.shop.id)])
        self.assertEqual(len(buyers), len(orders) - 1)

    def test_more_orders_than_a_page(self):
        "A page a unit of work: more orders than a page holds come in one unit per page"
        count = MAX_LIMIT + 5
        orders = self.place_orders(count)
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed), ('done', count, 0),
            log.message)
        self.assertEqual(self.creates, [MAX_LIMIT, 5])
        sales = self.sales()
        self.assertEqual(len(sales), count)
        self.assertEqual(len(set(sales.mapped('shoprenter_id'))), count)
        self.assertEqual(set(sales.mapped('state')), {'sale'})
        self.assertImported(orders, [0, 1, 2, count - 2, count - 1])
        # the sales keep the orders' dates and numbers of their own
        self.assertEqual(len(set(sales.mapped('name'))), count)
        self.assertEqual(sales.picking_ids.mapped('state').count('cancel'), 0)
        self.assertEqual(len(sales.picking_ids), count, "one delivery per sale")
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.failed), (0, 0, 0))
        self.assertEqual(self.creates, [MAX_LIMIT, 5], "nothing made again")
