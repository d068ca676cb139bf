"""The sync run again and again, and against a shop that answers 30 % of the calls with
429, 500 or 503: every order arrives, and exactly once (the Tryton scenario
scenario_shoprenter_reliability.rst)."""
from odoo.tests import tagged

from .common import BuyersCase

ORDERS = 12


@tagged('post_install', '-at_install')
class TestReliability(BuyersCase):

    def setUp(self):
        super().setUp()
        self.server.sandbox.reset()
        self.server.sandbox.reset_stats()
        self.addCleanup(self.server.sandbox.clear_faults)

    def place_orders(self, count, first=0):
        return [self.server.sandbox.place_order({
                    'customer': self.customers[i % len(self.customers)]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': self.taxed[i % len(self.taxed)]['sku'],
                            'quantity': 1 + i % 3}]})
            for i in range(first, first + count)]

    def assertEveryOrderOnce(self, count):
        sales = self.sales()
        self.assertEqual(len(sales), count)
        self.assertEqual(len(set(sales.mapped('shoprenter_id'))), count)
        self.assertEqual(set(sales.mapped('state')), {'sale'})

    def test_repeated_syncs(self):
        "Run after run, nothing twice; a new order once, when it comes"
        orders = self.place_orders(ORDERS)
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed), ('done', ORDERS, 0))
        lines = self.sales().order_line
        for _ in range(5):
            log = self.sync()
            self.assertEqual((log.state, log.created, log.updated, log.cancelled,
                    log.failed), ('done', 0, 0, 0, 0))
        self.assertEveryOrderOnce(ORDERS)
        self.assertEqual(self.sales().order_line, lines, "no line was replaced")

        self.place_orders(3, first=ORDERS)
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.failed), (3, 0, 0))
        self.assertEveryOrderOnce(ORDERS + 3)
        self.assertFalse(lines - self.sales().order_line, "the earlier sales kept their lines")
        self.assertEqual(self.sale_of(orders[0]).shoprenter_id, orders[0]['id'])

    def test_injected_faults(self):
        "30 % of the calls answered 429, 500 or 503: each run completes, and they converge"
        self.place_orders(ORDERS)
        self.server.sandbox.set_faults(seed=7, rates={'429': .1, '500': .1, '503': .1})
        log = self.sync()
        self.assertEqual(log.state, 'done', log.message)
        created = log.created
        for _ in range(10):
            log = self.sync()
            self.assertEqual(log.state, 'done', log.message)
            created += log.created
            self.assertEqual(log.updated, 0)
        self.assertEqual(created, ORDERS)
        self.assertEveryOrderOnce(ORDERS)
        self.assertFalse(self.sales().filtered('shoprenter_attention'))
        statuses = self.server.sandbox.stats()['statuses']
        faults = sum(n for status, n in statuses.items() if str(status) != '200')
        self.assertGreater(faults, 10, statuses)  # the faults were there, and retried
