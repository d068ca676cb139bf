"""`shoprenter sync` killed half way, then run again: every order exactly once.

The sync runs as the cron would, in a process of its own on a SQLite
database; the test kills it (SIGKILL, no clean-up) right after it asks for
the second page of orders, and again in the middle of the orders."""
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import demo_seed

ORDERS = 260  # two pages of orderExtend


def seed_without_orders():
    seed = demo_seed()
    for collection in ['orders', 'orderProducts', 'orderTotals']:
        seed[collection] = []
    return seed


class SyncKilledTestCase(unittest.TestCase):

    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix='shoprenter-kill-'))
        self.addCleanup(subprocess.run, ['rm', '-rf', str(self.directory)])
        seed = seed_without_orders()
        self.sandbox = Sandbox(seed, rate_limit=None)
        self.server = SandboxServer(self.sandbox).start()
        self.addCleanup(self.server.stop)
        # The demo database, synced once while the shop has no orders
        result = self.command('demo', '--dir', str(self.directory),
            '--api-url', self.server.api_url,
            '--token-url', self.server.token_url)
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        taxed = [p for p in seed['products']
            if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
        for i in range(ORDERS):
            self.sandbox.place_order({
                    'customer': seed['customers'][i % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': taxed[i % len(taxed)]['sku'],
                            'quantity': 1}]})

    def command(self, *arguments, **kwargs):
        return subprocess.run(
            [sys.executable, '-m', 'web_shop_shoprenter.cli', *arguments],
            capture_output=True, text=True, timeout=900, **kwargs)

    def start_sync(self):
        return subprocess.Popen(
            [sys.executable, '-m', 'web_shop_shoprenter.cli', 'sync',
                '-c', str(self.directory / 'trytond.conf'), '-d', 'demo'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sales(self):
        "(sales, distinct ShopRenter orders) in the database"
        with sqlite3.connect(self.directory / 'demo.sqlite') as connection:
            return connection.execute(
                'SELECT COUNT(*), COUNT(DISTINCT shoprenter_id) '
                'FROM sale_sale').fetchone()

    def kill_when(self, process, condition, timeout=600):
        deadline = time.monotonic() + timeout
        while not condition():
            self.assertIsNone(process.poll(), "the sync ended too soon")
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def order_pages_asked(self):
        return self.sandbox.stats()['calls'].get('GET /orderExtend', 0)

    def test_killed_after_a_page_and_mid_order(self):
        "Killed twice, the sync still brings every order exactly once"
        self.sandbox.reset_stats()
        self.kill_when(
            self.start_sync(), lambda: self.order_pages_asked() >= 2)
        after_page, _ = self.sales()
        self.assertGreater(after_page, 0)

        self.kill_when(
            self.start_sync(), lambda: self.sales()[0] >= after_page + 20)
        self.assertLess(self.sales()[0], ORDERS)

        result = self.command(
            'sync', '-c', str(self.directory / 'trytond.conf'), '-d', 'demo')
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.sales(), (ORDERS, ORDERS))
        # The runs that were killed are not left "running" in the log
        with sqlite3.connect(self.directory / 'demo.sqlite') as connection:
            states = connection.execute(
                "SELECT state FROM web_shop_shoprenter_log "
                "WHERE kind = 'orders' ORDER BY id").fetchall()
        self.assertEqual(
            [s for s, in states], ['done', 'failed', 'failed', 'done'])
