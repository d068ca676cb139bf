"""Webhooks on PostgreSQL with a queue worker, as on a merchant's server: the
route answers and only queues the fetch of the order; trytond-worker, a
process of its own, imports it.

It runs on the local PostgreSQL server (127.0.0.1:5432, as in CI) whatever
backend the other tests use: the worker exists only there.  No server
answering is a failure that says how to start one, not a skip.  The
database is named SHOPRENTER_PG_PREFIX (default `shoprenter_worker_`) and
this process's id, and dropped at the end.  DB_CACHE (a folder) keeps the
database trytond-admin made, as for Tryton's own tests."""
import json
import os
import shutil
import tempfile
import time
import unittest
from pathlib import Path

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import seed_without_orders

from .tryton_server import (
    TrytonServer, TrytonWorker, drop_postgresql, make_postgresql_demo,
    pg_query, postgresql_problem)

WEBHOOK_QUEUE = 'shoprenter_webhook'  # webhook.WEBHOOK_QUEUE


class WebhookWorkerTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        problem = postgresql_problem()
        if problem:
            raise AssertionError(
                f"The webhook worker test needs PostgreSQL: {problem}")
        cls.database = (os.environ.get('SHOPRENTER_PG_PREFIX')
            or 'shoprenter_worker_') + str(os.getpid())
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-worker-'))
        cls.addClassCleanup(shutil.rmtree, cls.directory, True)
        cls.seed = seed_without_orders()
        cls.sandbox = Sandbox(cls.seed, rate_limit=None)
        cls.server = SandboxServer(cls.sandbox).start()
        cls.addClassCleanup(cls.server.stop)
        # The merchant's setup: the server leaves queued tasks to a worker
        cls.tryton = TrytonServer(cls.directory, worker=True,
            database=cls.database, log=cls.directory / 'trytond.log')
        # One process: each loads the pool, and one task runs at a time
        cls.worker = TrytonWorker(cls.tryton.config_files, cls.database,
            cls.directory / 'worker.log', processes=1)
        cls.addClassCleanup(drop_postgresql, cls.database)
        make_postgresql_demo(cls.directory, cls.server, cls.database,
            server_url=cls.tryton.url)
        cls.tryton.start()
        cls.addClassCleanup(cls.tryton.stop)
        cls.addClassCleanup(cls.worker.stop)

    def query(self, sql, *parameters):
        return pg_query(self.database, sql, *parameters)

    def sale_of(self, order):
        "(state, shipment_state) of the order's sale; None: no sale"
        rows = self.query('SELECT state, shipment_state FROM sale_sale '
            'WHERE shoprenter_id = %s', order['id'])
        return rows[0] if rows else None

    def wait_for(self, condition, timeout=180):
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            self.assertLess(time.monotonic(), deadline,
                "not reached; the worker's output:\n"
                + self.worker.output()[-3000:])
            time.sleep(0.1)
        return result

    def test_order_imported_by_worker(self):
        "The route queues the webhook's order; the worker makes the sale"
        taxed = [p for p in self.seed['products']
            if p['taxClass']['id'] != self.seed['taxClasses'][3]['id']]
        order = self.sandbox.place_order({
                'customer': self.seed['customers'][0]['id'],
                'shippingMode': '1', 'paymentCode': 'cod',
                'items': [{'sku': taxed[0]['sku'], 'quantity': 2}]})
        self.assertTrue(self.sandbox.webhooks.wait(60))
        statuses = [d['status'] for d in self.sandbox.stats()['webhooks'][
                'deliveries'] if d['event'] == 'order_confirm']
        self.assertEqual(statuses, ['204'])

        # Answered, committed in the queue, waiting: no worker runs yet
        (task, data, dequeued), = self.query(
            'SELECT id, data, dequeued_at FROM ir_queue WHERE name = %s',
            WEBHOOK_QUEUE)
        data = json.loads(data) if isinstance(data, str) else data
        self.assertEqual((data['model'], data['method']),
            ('web.shop', 'shoprenter_webhook_order'))
        self.assertEqual(data['args'], [['id', order['id']]])
        self.assertIsNone(dequeued)
        self.assertIsNone(self.sale_of(order))

        self.worker.start()
        # The task's row is marked finished as its transaction commits,
        # after the order's own transaction made the sale
        self.wait_for(lambda: self.query('SELECT finished_at FROM ir_queue '
                'WHERE id = %s AND finished_at IS NOT NULL', task))
        self.assertEqual(self.sale_of(order), ('processing', 'waiting'))
        # The task ran in the worker's processes (they log it once its
        # transaction is committed), never in the server's
        name = f'<Task {task}@{self.database}>'
        self.wait_for(lambda: f'{name} in ' in self.worker.output())
        self.assertNotIn(name, self.tryton.log.read_text(errors='replace'))
        # One run of one order
        (state, created), = self.query("SELECT state, created "
            "FROM web_shop_shoprenter_log WHERE kind = 'orders' "
            "ORDER BY id DESC LIMIT 1")
        self.assertEqual((state, created), ('done', 1))
