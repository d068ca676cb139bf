"""`shoprenter sync` as the cron runs it, in processes of its own on one
SQLite database: killed half way (SIGKILL, no clean-up) and run again, or
run three times at once.

One demo database serves the tests; each test counts from where the ones
before it left the database."""
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
from shoprenter.sandbox.demo import seed_without_orders


ORDERS = 260  # two pages of orderExtend


class SyncProcessCase(unittest.TestCase):
    """setUpClass: a demo database (synced once while the shop has no
    orders) in a folder of its own, and the sandbox of its shop; the helpers
    to place orders, run or kill `shoprenter sync` and read the database"""

    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-kill-'))
        cls.seed = seed_without_orders()
        cls.sandbox = Sandbox(cls.seed, rate_limit=None)
        cls.server = SandboxServer(cls.sandbox).start()
        # The demo database, synced once while the shop has no orders
        result = cls.command('demo', '--dir', str(cls.directory),
            '--api-url', cls.server.api_url,
            '--token-url', cls.server.token_url)
        if result.returncode:
            cls.tearDownClass()
            raise AssertionError(result.stderr[-2000:])
        cls.taxed = [p for p in cls.seed['products']
            if p['taxClass']['id'] != cls.seed['taxClasses'][3]['id']]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        subprocess.run(['rm', '-rf', str(cls.directory)])

    def tearDown(self):
        self.sandbox.clear_faults()

    @classmethod
    def command(cls, *arguments, **kwargs):
        return subprocess.run(
            [sys.executable, '-m', 'web_shop_shoprenter.cli', *arguments],
            capture_output=True, text=True, timeout=900, **kwargs)

    def place_orders(self, count):
        for i in range(count):
            self.sandbox.place_order({
                    'customer': self.seed['customers'][i % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': self.taxed[i % len(self.taxed)]['sku'],
                            'quantity': 1}]})

    def sync_arguments(self, *parts):
        return ['sync', '-c', str(self.directory / 'trytond.conf'),
            '-d', 'demo', *parts]

    def start_sync(self, *parts, **kwargs):
        kwargs.setdefault('stdout', subprocess.DEVNULL)
        kwargs.setdefault('stderr', subprocess.DEVNULL)
        return subprocess.Popen(
            [sys.executable, '-m', 'web_shop_shoprenter.cli',
                *self.sync_arguments(*parts)], **kwargs)

    def query(self, sql, *parameters):
        with sqlite3.connect(self.directory / 'demo.sqlite') as connection:
            return connection.execute(sql, parameters).fetchall()

    def sales(self):
        "(sales, distinct ShopRenter orders) in the database"
        return self.query('SELECT COUNT(*), COUNT(DISTINCT shoprenter_id) '
            'FROM sale_sale')[0]

    def runs(self, kind, after=0):
        "(state, created, updated) of the log rows of kind since id after"
        return self.query('SELECT state, created, updated '
            'FROM web_shop_shoprenter_log WHERE kind = ? AND id > ? '
            'ORDER BY id', kind, after)

    def last_log_id(self):
        return self.query(
            'SELECT COALESCE(MAX(id), 0) FROM web_shop_shoprenter_log')[0][0]

    def wait_for(self, condition, process=None, timeout=600):
        deadline = time.monotonic() + timeout
        while not condition():
            if process is not None:
                self.assertIsNone(process.poll(), "the sync ended too soon")
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)

    def kill_when(self, process, condition, timeout=600):
        self.wait_for(condition, process, timeout)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

    def order_pages_asked(self):
        return self.sandbox.stats()['calls'].get('GET /orderExtend', 0)


class SyncProcessesTestCase(SyncProcessCase):

    def test_concurrent_syncs(self):
        "Three syncs at once: one runs, the others say so and exit 3"
        before, _ = self.sales()
        self.place_orders(30)
        mark = self.last_log_id()
        self.sandbox.set_faults(latency=0.2)  # a run that lasts
        first = self.start_sync(
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.wait_for(lambda: self.runs('orders', mark), first)
        others = [self.command(*self.sync_arguments('--orders'))
            for _ in range(2)]
        out, err = first.communicate(timeout=900)
        self.assertEqual(first.returncode, 0, out + err)
        for other in others:
            self.assertEqual(other.returncode, 3, other.stdout + other.stderr)
            self.assertIn("Orders: skipped.", other.stdout)
            self.assertIn("ShopRenter (orders,", other.stdout)
        for text in [err] + [o.stderr for o in others]:
            self.assertNotIn("database is locked", text)
        self.assertEqual(self.sales(), (before + 30, before + 30))
        self.assertEqual(self.runs('orders', mark), [('done', 30, 0)])

    def test_killed_after_a_page_and_mid_order(self):
        "Killed twice, the sync brings every order exactly once; each killed "
        "run keeps the count of the orders it committed"
        start, _ = self.sales()
        self.place_orders(ORDERS)
        mark = self.last_log_id()
        self.sandbox.reset_stats()
        self.kill_when(
            self.start_sync(), lambda: self.order_pages_asked() >= 2)
        after_page, _ = self.sales()
        self.assertGreater(after_page, start)

        self.kill_when(
            self.start_sync(), lambda: self.sales()[0] >= after_page + 20)
        after_kills, _ = self.sales()
        self.assertLess(after_kills, start + ORDERS)

        result = self.command(*self.sync_arguments())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.sales(), (start + ORDERS, start + ORDERS))
        # The killed runs are marked interrupted, with their counts: the log
        # accounts for every order imported
        runs = self.runs('orders', mark)
        self.assertEqual([state for state, _, _ in runs],
            ['interrupted', 'interrupted', 'done'])
        self.assertEqual(sum(created for _, created, _ in runs), ORDERS)
        self.assertEqual(runs[0][1], after_page - start)

    def test_killed_push(self):
        "A push killed half way leaves its row, marked interrupted next run"
        self.query('UPDATE web_shop_shoprenter_product '
            'SET changed = 1, sent_quantity = -1 '
            "WHERE state = 'linked'")
        mark = self.last_log_id()
        self.sandbox.set_faults(latency=1)
        self.kill_when(self.start_sync('--stock'),
            lambda: self.runs('stock', mark) == [('running', None, None)])
        self.sandbox.clear_faults()
        result = self.command(*self.sync_arguments('--stock'))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        runs = self.runs('stock', mark)
        self.assertEqual([state for state, _, _ in runs],
            ['interrupted', 'done'])
        self.assertGreater(runs[1][2], 0)  # the next push sent it all
        self.assertEqual(self.query(
                'SELECT COUNT(*) FROM web_shop_shoprenter_product '
                'WHERE changed'), [(0,)])
