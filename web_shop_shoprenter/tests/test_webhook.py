"""Webhooks, the fast path: a real trytond server receives the sandbox's real
webhook posts and imports the order they name, without any download.

The shop form registers the webhooks (an administrator gives the server's
public URL and presses Register Webhooks); a buyer places an order in the
sandbox; its order_confirm post reaches the module's route, which answers at
once and imports the order right after (no queue worker on SQLite).  The
merchant completing the order in the shop posts order_status_change: the
sale ships.  Forged posts change nothing."""
import json
import shutil
import tempfile
import time
import unittest
from pathlib import Path

import requests

from shoprenter import Client
from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import seed_without_orders
from shoprenter.sandbox.ids import make_id

from .tryton_server import TrytonServer, command, make_demo, proteus, query

COMPLETED = make_id('orderStatus', order_status_id=4)


class WebhookTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-webhook-'))
        cls.addClassCleanup(shutil.rmtree, cls.directory, True)
        cls.seed = seed_without_orders()
        cls.sandbox = Sandbox(cls.seed, rate_limit=None)
        cls.server = SandboxServer(cls.sandbox).start()
        cls.addClassCleanup(cls.server.stop)
        make_demo(cls.directory, cls.server)
        cls.tryton = TrytonServer(cls.directory).start()
        cls.addClassCleanup(cls.tryton.stop)
        # The administrator gives the server's public URL and registers
        proteus(cls.directory, f"""
            Shop = Model.get('web.shop')
            shop, = Shop.find([('type', '=', 'shoprenter')])
            shop.shoprenter_server_url = {cls.tryton.url!r}
            shop.save()
            shop.click('shoprenter_register_webhooks')
            """)
        cls.api = Client('demo', 'demo-client', 'demo-secret',
            api_url=cls.server.api_url, token_url=cls.server.token_url,
            rate_limit=None)
        cls.addClassCleanup(cls.api.close)
        cls.taxed = [p for p in cls.seed['products']
            if p['taxClass']['id'] != cls.seed['taxClasses'][3]['id']]

    def place(self, quantity=1):
        return self.sandbox.place_order({
                'customer': self.seed['customers'][0]['id'],
                'shippingMode': '1', 'paymentCode': 'cod',
                'items': [{'sku': self.taxed[0]['sku'],
                        'quantity': quantity}]})

    def sale_of(self, order, until=lambda sale: True, timeout=120):
        "(state, shipment_state) of the order's sale once until holds"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = query(self.directory, 'SELECT state, shipment_state '
                'FROM sale_sale WHERE shoprenter_id = ?', order['id'])
            if rows and until(rows[0]):
                return rows[0]
            time.sleep(0.1)
        return rows[0] if rows else None

    def order_runs(self):
        "The order runs finished so far (downloads and webhook fetches)"
        (count,), = query(self.directory,
            "SELECT COUNT(*) FROM web_shop_shoprenter_log "
            "WHERE kind = 'orders' AND state != 'running'")
        return count

    def wait_for(self, condition, timeout=120):
        deadline = time.monotonic() + timeout
        while not condition():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)

    def webhook_url(self):
        (url,) = {p['url'] for h in self.api.iter_collection('webHooks')
            for p in h['webHookParameters']}
        return url

    def test_registered_webhooks(self):
        "One enabled webhook per order event, to the shop's route and token"
        hooks = list(self.api.iter_collection('webHooks'))
        self.assertEqual(sorted(h['event'] for h in hooks),
            ['order_confirm', 'order_status_change'])
        self.assertEqual({h['status'] for h in hooks}, {'1'})
        url = self.webhook_url()
        self.assertRegex(url, rf'^{self.tryton.url}/demo/web_shop_shoprenter'
            r'/webhook/\d+/[A-Za-z0-9_-]{40,}$')
        (token,), = query(self.directory,
            "SELECT shoprenter_webhook_token FROM web_shop "
            "WHERE type = 'shoprenter'")
        self.assertTrue(url.endswith('/' + token))
        # Only the order's id travels in a post nobody signs
        for hook in hooks:
            (parameter,) = hook['webHookParameters']
            self.assertEqual(sorted(parameter['fields']),
                ['order_innerId', 'order_innerResourceId'])

        # Registering again changes nothing; a webhook removed in the shop
        # is back after the next download
        self.api.delete(f'webHooks/{hooks[0]["id"]}')
        result = self.sync_orders()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(sorted(h['event']
                for h in self.api.iter_collection('webHooks')),
            ['order_confirm', 'order_status_change'])
        self.assertEqual(self.webhook_url(), url)

    def sync_orders(self):
        return command('sync', '-c', str(self.directory / 'trytond.conf'),
            '-d', 'demo', '--orders')

    def test_order_by_webhook(self):
        "An order placed comes in by its webhook; completed in the shop, it ships"
        runs = self.order_runs()
        (cursor,), = query(self.directory, "SELECT shoprenter_orders_cursor "
            "FROM web_shop WHERE type = 'shoprenter'")
        order = self.place(2)
        self.assertEqual(self.sale_of(order, lambda s: s[0] == 'processing'),
            ('processing', 'waiting'))
        self.assertTrue(self.sandbox.webhooks.wait(30))
        webhooks = self.sandbox.stats()['webhooks']
        self.assertGreaterEqual(webhooks['delivered'], 1)
        # One run of one order, not a download: the cursor did not move
        self.wait_for(lambda: self.order_runs() == runs + 1)
        (state, created), = query(self.directory,
            "SELECT state, created FROM web_shop_shoprenter_log "
            "WHERE kind = 'orders' ORDER BY id DESC LIMIT 1")
        self.assertEqual((state, created), ('done', 1))
        self.assertEqual(query(self.directory, "SELECT shoprenter_orders_cursor "
                "FROM web_shop WHERE type = 'shoprenter'"), [(cursor,)])

        self.api.put(f'orders/{order["id"]}',
            {'orderStatus': {'id': COMPLETED}})
        self.assertEqual(self.sale_of(order, lambda s: s[1] == 'sent'),
            ('processing', 'sent'))

    def test_forged_posts(self):
        "A wrong token is not found; a post naming no order is refused"
        url = self.webhook_url()
        order = self.place()
        self.assertEqual(self.sale_of(order, lambda s: s[0] == 'processing'),
            ('processing', 'waiting'))
        sales, = query(self.directory, 'SELECT COUNT(*) FROM sale_sale')
        document = {'orders': {'order': [{
                        'innerId': order['innerId'],
                        'innerResourceId': f'orders/{order["id"]}',
                        'total': '1', 'email': 'attacker@example.com'}]}}
        wrong = url.rsplit('/', 1)[0] + '/' + 'x' * 43
        answer = requests.post(wrong, files={'data': (None, json.dumps(
                        document))}, timeout=10)
        self.assertEqual(answer.status_code, 404)
        for bad in [{'orders': {'order': [{'innerResourceId': 'orders/../x',
                            'innerId': 'DROP TABLE'}]}}, {'x': 1}, 'not json']:
            answer = requests.post(url, files={'data': (None, bad if isinstance(
                            bad, str) else json.dumps(bad))}, timeout=10)
            self.assertEqual(answer.status_code, 400, bad)
        # The real token and a real order: the order is read from the API,
        # nothing of the post is taken but its id
        runs = self.order_runs()
        answer = requests.post(url, files={'data': (None, json.dumps(
                        document))}, timeout=10)
        self.assertEqual(answer.status_code, 204)
        self.wait_for(lambda: self.order_runs() > runs)  # after the answer
        self.assertEqual(query(self.directory,
                'SELECT COUNT(*) FROM sale_sale'), [sales])
        emails = query(self.directory,
            "SELECT value FROM party_contact_mechanism WHERE value = ?",
            'attacker@example.com')
        self.assertEqual(emails, [])
