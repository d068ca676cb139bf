"""A thousand malformed orders among good ones: each stops with a clear
message, the good ones import, the run finishes.

The sandbox validates what it stores, so it never serves malformed orders;
a thin proxy in front of it adds them to its order list and forwards every
other call to the sandbox."""
import copy
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path
from urllib.parse import urlencode

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import demo_seed

GOOD_ORDERS = 20
BAD_ORDERS = 1000


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
                    k: v for k, v in request.headers.items()
                    if k.lower() != 'host'})
            response = Response(answer.content, answer.status_code,
                content_type=answer.headers.get('Content-Type'))
        return response(environ, start_response)

    def order_page(self, request):
        limit = int(request.args.get('limit', 25))
        page = int(request.args.get('page', 0))
        count = -(-len(self.orders) // limit)

        def link(number):
            args = dict(request.args, page=number)
            return {'href': f'{request.host_url}api/orderExtend?'
                f'{urlencode(args)}'}
        return Response(json.dumps({
                    'href': link(page)['href'], 'page': page,
                    'pageCount': count, 'limit': limit,
                    'first': link(0), 'last': link(count - 1),
                    'previous': link(page - 1) if page else None,
                    'next': link(page + 1) if page + 1 < count else None,
                    'items': self.orders[page * limit:(page + 1) * limit],
                    }), content_type='application/json')


def api_orders(server):
    "The sandbox's orders as its API gives them (orderExtend, full)"
    token = requests.post(server.token_url, json={
            'grant_type': 'client_credentials', 'client_id': 'demo-client',
            'client_secret': 'demo-secret'}, timeout=10).json()['access_token']
    return requests.get(server.api_url + '/orderExtend',
        params={'full': 1, 'limit': 200}, timeout=30, headers={
            'Authorization': f'Bearer {token}',
            'Accept': 'application/json'}).json()['items']


class MalformedOrdersTestCase(unittest.TestCase):

    def test_malformed_orders(self):
        seed = demo_seed()
        for collection in ['orders', 'orderProducts', 'orderTotals']:
            seed[collection] = []
        sandbox = Sandbox(seed, rate_limit=None)
        taxed = [p for p in seed['products']
            if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
        for i in range(GOOD_ORDERS):
            sandbox.place_order({
                    'customer': seed['customers'][i]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': taxed[i]['sku'], 'quantity': 1}]})

        with SandboxServer(sandbox) as server, \
                tempfile.TemporaryDirectory() as directory:
            good = api_orders(server)
            bad = []
            for n, malform in zip(range(BAD_ORDERS), malformations() * 100):
                order = copy.deepcopy(good[n % GOOD_ORDERS])
                order['id'] = f'bad-{n}'
                order['innerId'] = str(100_000 + n)
                malform(order)
                bad.append(order)
            proxy = make_server(
                '127.0.0.1', 0, MalformedShop(server.url, good + bad),
                threaded=True)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            self.addCleanup(proxy.shutdown)
            result = subprocess.run(
                [sys.executable, '-m', 'web_shop_shoprenter.cli', 'demo',
                    '--dir', directory,
                    '--api-url', f'http://127.0.0.1:{proxy.server_port}/api',
                    '--token-url', server.token_url],
                capture_output=True, text=True, timeout=1800)
            self.assertEqual(result.returncode, 0, result.stderr[-3000:])
            with sqlite3.connect(Path(directory) / 'demo.sqlite') as db:
                sales = db.execute(
                    'SELECT COUNT(DISTINCT shoprenter_id) FROM sale_sale'
                    ).fetchone()[0]
                errors = db.execute(
                    "SELECT e.order_number, e.message "
                    "FROM web_shop_shoprenter_log_entry AS e "
                    "JOIN web_shop_shoprenter_log AS l ON e.log = l.id "
                    "WHERE e.level = 'error' AND l.kind = 'orders'"
                    ).fetchall()
                states = db.execute(
                    'SELECT state FROM web_shop_shoprenter_log '
                    "WHERE kind = 'orders'").fetchall()

        counts = re.search(
            r'Orders: (\d+) imported, .* (\d+) stopped', result.stdout)
        self.assertEqual(counts.groups(), (str(GOOD_ORDERS), str(BAD_ORDERS)))
        self.assertEqual(states, [('done',)])
        self.assertEqual(sales, GOOD_ORDERS)
        self.assertEqual(len(errors), BAD_ORDERS)
        numbers = {number for number, _ in errors}
        for order in bad:
            if 'innerId' in order:
                self.assertIn(order['innerId'], numbers)
        for number, message in errors:
            # A message for a person that names the order, not a Python
            # error, in the demo database's language
            self.assertRegex(message, r'^A ShopRenter-rendelés \(#\S+\) '
                r'nem (olvasható be|importálható)')
            self.assertLess(len(message), 500)
