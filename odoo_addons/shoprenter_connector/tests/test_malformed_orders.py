"""Malformed orders among good ones: each stops with a clear message in Hungarian, the good
ones import, the run finishes (the Tryton test test_malformed_orders.py).

The sandbox validates what it stores, so it never serves malformed orders; a thin proxy in
front of it adds them to its order list and forwards every other call to the sandbox."""
import copy
import json
import re
import threading
from urllib.parse import urlencode

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from odoo.tests import tagged

from .common import ShopRenterCase

GOOD_ORDERS = 20
BAD_ORDERS = 200
# A message for a person that names the order, not a Python error
MESSAGE = re.compile(r'^A ShopRenter-rendelés \(#\S+\) nem (olvasható be|importálható): ')


def malformations():
    "Ways an order can be broken, each a function changing a copy of one"
    def drop(key):
        return lambda order: order.pop(key, None)

    def set_(key, value):
        return lambda order: order.__setitem__(key, value)

    def first_line(key, value):
        def change(order):
            order['orderProducts'][0][key] = value
        return change

    return [
        drop('innerId'),                                # missing keys
        drop('id'),
        set_('orderProducts', "not a list"),            # wrong types
        set_('firstname', {'nested': 'object'}),
        set_('orderTotals', [{'type': 'TOTAL', 'value': 'lots'}]),
        first_line('price', 'abc'),
        set_('dateUpdated', '2024-13-45T99:00:00'),     # bad date
        first_line('stock1', '-3'),                     # negative quantity
        set_('comment', 'x' * 200_000),                 # huge string
        set_('orderStatus', {'id': 'bm8tc3VjaC1zdGF0dXM='}),  # dangling
        ]


class MalformedShop:
    "A proxy to the sandbox whose orderExtend list has malformed orders too"

    def __init__(self, sandbox_url, orders):
        self.sandbox_url = sandbox_url
        self.orders = orders

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == 'GET' and request.path == '/api/orderExtend':
            response = self.order_page(request)
        else:
            answer = requests.request(
                request.method, self.sandbox_url + request.full_path,
                data=request.get_data(), timeout=30, headers={
                    k: v for k, v in request.headers.items() if k.lower() != 'host'})
            response = Response(answer.content, answer.status_code,
                content_type=answer.headers.get('Content-Type'))
        return response(environ, start_response)

    def order_page(self, request):
        limit = int(request.args.get('limit', 25))
        page = int(request.args.get('page', 0))
        count = -(-len(self.orders) // limit)

        def link(number):
            args = dict(request.args, page=number)
            return {'href': f'{request.host_url}api/orderExtend?{urlencode(args)}'}
        return Response(json.dumps({
                    'href': link(page)['href'], 'page': page, 'pageCount': count,
                    'limit': limit, 'first': link(0), 'last': link(count - 1),
                    'previous': link(page - 1) if page else None,
                    'next': link(page + 1) if page + 1 < count else None,
                    'items': self.orders[page * limit:(page + 1) * limit],
                    }), content_type='application/json')


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
        cls.bad = []
        for n, malform in zip(range(BAD_ORDERS), malformations() * BAD_ORDERS):
            order = copy.deepcopy(cls.good[n % GOOD_ORDERS])
            order['id'] = f'bad-{n}'
            order['innerId'] = str(100_000 + n)
            malform(order)
            cls.bad.append(order)
        proxy = make_server('127.0.0.1', 0, MalformedShop(cls.server.url, cls.good + cls.bad),
            threaded=True)
        cls.other_ports = (proxy.server_port,)
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
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
