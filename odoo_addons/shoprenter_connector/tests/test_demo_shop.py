"""The demo shop's 80 orders: the same outcome as the Tryton module's demo."""
from odoo.tests import tagged

from shoprenter.sandbox.demo import demo_seed

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class TestDemoShop(ShopRenterCase):

    @classmethod
    def seed(cls):
        return demo_seed()

    def test_demo_orders(self):
        log = self.sync()
        self.assertEqual(
            (log.state, log.created, log.updated, log.cancelled, log.unchanged, log.skipped,
                log.failed),
            ('done', 74, 0, 0, 0, 2, 1))
        error = log.entry_ids.filtered(lambda e: e.level == 'error')
        self.assertEqual(error.order_number, '62')
        self.assertIn('VAT "AAM" has no mapping', error.message)
        sales = self.sales()
        self.assertEqual(len(sales), 74)
        self.assertEqual(len(sales.partner_id), 51)
        goods = sales.order_line.product_id.filtered('is_storable')
        self.assertEqual(len(goods), 102)
        self.assertEqual(set(sales.mapped('state')), {'sale'})
        self.assertFalse(sales.filtered('shoprenter_attention'),
            sales.filtered('shoprenter_attention').mapped('shoprenter_attention_reason'))
        self.assertTrue(self.shop.orders_cursor)

        # Again: nothing twice
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.failed), (0, 0, 1))
        self.assertEqual(len(self.sales()), 74)
