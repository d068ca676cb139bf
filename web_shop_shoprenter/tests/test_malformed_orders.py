"""A thousand malformed orders among good ones: each stops with a clear
message, the good ones import, the run finishes.

The malformed orders come from a proxy in front of the sandbox
(shoprenter.sandbox.malformed), which never stores such orders itself."""
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import requests

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import seed_without_orders
from shoprenter.sandbox.malformed import malformed_orders, serve_malformed

GOOD_ORDERS = 20
BAD_ORDERS = 1000


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
        seed = seed_without_orders()
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
            bad = malformed_orders(good, BAD_ORDERS)
            proxy = serve_malformed(server.url, good + bad)
            self.addCleanup(proxy.server_close)
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
