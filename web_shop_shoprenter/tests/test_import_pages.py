"""`shoprenter sync` killed (SIGKILL) in the middle of a page of orders,
which it imports a group at a time: what it committed are whole groups,
each sale confirmed and processed and counted in the log; the next run
brings the rest, every order exactly once.

A process of its own on a SQLite demo database, as test_sync_killed.py."""
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

ORDERS = 200  # one page of orderExtend


class KilledMidPageTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-page-'))
        cls.seed = seed = demo_seed()
        for collection in ['orders', 'orderProducts', 'orderTotals']:
            seed[collection] = []
        cls.sandbox = Sandbox(seed, rate_limit=None)
        cls.server = SandboxServer(cls.sandbox).start()
        result = cls.command('demo', '--dir', str(cls.directory),
            '--api-url', cls.server.api_url,
            '--token-url', cls.server.token_url)
        if result.returncode:
            cls.tearDownClass()
            raise AssertionError(result.stderr[-2000:])
        cls.taxed = [p for p in seed['products']
            if p['taxClass']['id'] != seed['taxClasses'][3]['id']]

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        subprocess.run(['rm', '-rf', str(cls.directory)])

    @classmethod
    def command(cls, *arguments):
        return subprocess.run(
            [sys.executable, '-m', 'web_shop_shoprenter.cli', *arguments],
            capture_output=True, text=True, timeout=900)

    def sync_arguments(self):
        return ['sync', '-c', str(self.directory / 'trytond.conf'),
            '-d', 'demo', '--orders']

    def query(self, sql, *parameters):
        with sqlite3.connect(self.directory / 'demo.sqlite') as connection:
            return connection.execute(sql, parameters).fetchall()

    def sales(self):
        return self.query('SELECT COUNT(*) FROM sale_sale')[0][0]

    def test_killed_in_the_middle_of_a_page(self):
        start = self.sales()
        for i in range(ORDERS):
            self.sandbox.place_order({
                    'customer': self.seed['customers'][i % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': self.taxed[i % len(self.taxed)]['sku'],
                            'quantity': 1}]})
        mark = self.query(
            'SELECT COALESCE(MAX(id), 0) FROM web_shop_shoprenter_log')[0][0]
        process = subprocess.Popen(
            [sys.executable, '-m', 'web_shop_shoprenter.cli',
                *self.sync_arguments()],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Killed as soon as its first group is committed: the page's other
        # groups are still to come
        deadline = time.monotonic() + 600
        while self.sales() == start:
            self.assertIsNone(process.poll(), "the sync ended too soon")
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()

        committed = self.sales() - start
        self.assertGreater(committed, 0)
        self.assertLess(committed, ORDERS)
        # Each committed sale is whole: confirmed, processed, its shipment
        # waiting for the stock; the log counts exactly those
        self.assertEqual(self.query(
                'SELECT state, shipment_state, COUNT(*) FROM sale_sale '
                'GROUP BY state, shipment_state'),
            [('processing', 'waiting', start + committed)])
        self.assertEqual(self.query(
                'SELECT COUNT(DISTINCT s.id) FROM sale_sale AS s '
                'JOIN sale_line AS l ON l.sale = s.id '
                'JOIN stock_move AS m ON m.origin = '
                "'sale.line,' || l.id"), [(start + committed,)])
        self.assertEqual(self.query(
                'SELECT state, created FROM web_shop_shoprenter_log '
                "WHERE kind = 'orders' AND id > ?", mark),
            [('running', committed)])

        result = self.command(*self.sync_arguments())
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.query(
                'SELECT COUNT(*), COUNT(DISTINCT shoprenter_id) '
                'FROM sale_sale'), [(start + ORDERS, start + ORDERS)])
        runs = self.query(
            'SELECT state, created, failed FROM web_shop_shoprenter_log '
            "WHERE kind = 'orders' AND id > ? ORDER BY id", mark)
        self.assertEqual(runs, [('interrupted', committed, None),
                ('done', ORDERS - committed, 0)])
