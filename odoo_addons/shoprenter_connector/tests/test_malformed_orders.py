"""Malformed orders among good ones: each stops with a clear message in Hungarian, the good
ones import, the run finishes (the Tryton test test_malformed_orders.py).

The malformed orders come from a proxy in front of the sandbox (shoprenter.sandbox.malformed),
which never stores such orders itself."""
import re

from odoo.tests import tagged

from shoprenter.sandbox.malformed import malformed_orders, serve_malformed

from .common import ShopRenterCase

GOOD_ORDERS = 20
BAD_ORDERS = 200
# A message for a person that names the order, not a Python error
MESSAGE = re.compile(r'^A ShopRenter-rendelés \(#\S+\) nem (olvasható be|importálható): ')


@tagged('post_install', '-at_install')
class TestMalformedOrders(ShopRenterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env['res.lang']._activate_lang('hu_HU')
        cls.env['ir.module.module']._load_module_terms(['shoprenter_connector'], ['hu_HU'])
        seed = cls.server.sandbox._seed
        taxed = [p for p in seed['products']
            if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
        for i in range(GOOD_ORDERS):
            cls.server.sandbox.place_order({
                    'customer': seed['customers'][i]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': taxed[i]['sku'], 'quantity': 1}]})
        api = cls.api()
        cls.good = cls.call(api, 'GET', 'orderExtend', params={'full': 1, 'limit': 200})['items']
        cls.bad = malformed_orders(cls.good, BAD_ORDERS)
        proxy = serve_malformed(cls.server.url, cls.good + cls.bad)
        cls.other_ports = (proxy.server_port,)
        cls.addClassCleanup(proxy.server_close)
        cls.addClassCleanup(proxy.shutdown)
        cls.shop.write({'api_url': f'http://127.0.0.1:{proxy.server_port}/api',
                'lang': 'hu_HU'})

    def test_malformed_orders(self):
        log = self.sync()
        self.assertEqual((log.state, log.created, log.failed),
            ('done', GOOD_ORDERS, BAD_ORDERS), log.message)
        self.assertEqual(len(self.sales()), GOOD_ORDERS)
        errors = log.entry_ids.filtered(lambda e: e.level == 'error')
        self.assertEqual(len(errors), BAD_ORDERS)
        numbers = set(errors.mapped('order_number'))
        for order in self.bad:
            if 'innerId' in order:
                self.assertIn(order['innerId'], numbers)
        for error in errors:
            self.assertRegex(error.message, MESSAGE)
            self.assertLess(len(error.message), 500, error.message)
