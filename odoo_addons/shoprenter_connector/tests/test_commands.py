"""`shoprenter odoo-demo` and `shoprenter odoo-sync` as a merchant runs them: in processes
of their own, on a database of their own (made by odoo-demo, dropped after), committed as
the cron commits.

The demo's outcome is the Tryton demo's.  Then the demo shop is served by a sandbox of
the test's own (the same shop: its orders go on from the demo's): odoo-sync's exit codes,
three syncs at once, and a sync killed half way (SIGKILL, no clean-up) and run again, which
brings every order exactly once.  Each test counts from where the ones before it left the
database."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import odoo.sql_db
from odoo.tests import BaseCase, tagged
from odoo.tools import config

from odoo.addons.shoprenter_connector.models.shoprenter_shop import LOCK_CLASS

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import demo_seed

ORDERS = 260  # two pages of orderExtend (200 a page)
# What `shoprenter demo` (the Tryton module's) prints for the demo shop (README.rst)
TRYTON_DEMO_ORDERS = (
    "Orders: 74 imported, 0 updated, 0 cancelled, 0 unchanged, 2 skipped, 1 stopped")
TRYTON_DEMO_PARTIES = "Parties: 51 customers; products: 102 created from order lines"
TRYTON_DEMO_STOPPED = "  stopped #62: ShopRenter-rendelés #62: az ÁFA-kulcsnak („AAM”) "
TIMEOUT = 900


def shoprenter(*arguments, **kwargs):
    "Run the `shoprenter` command of the core distribution with this Python"
    kwargs.setdefault('capture_output', True)
    return subprocess.run([sys.executable, '-m', 'shoprenter_odoo.cli', *arguments],
        text=True, timeout=TIMEOUT, **kwargs)


def odoo_arguments():
    "The configuration this test run's Odoo has, for the commands"
    arguments = ['--addons-path', ','.join(config['addons_path'])]
    if config['config'] and Path(config['config']).is_file():
        arguments += ['-c', config['config']]
    return arguments


def drop_database(name):
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect('postgres').cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@tagged('post_install', '-at_install')
class TestCommands(BaseCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-odoo-demo-'))
        cls.addClassCleanup(shutil.rmtree, cls.directory, ignore_errors=True)
        # Named after the test database, so that CI drops it even if this process dies
        cls.database = f'{config["db_name"][0]}_cmd_{os.getpid()}'
        cls.addClassCleanup(drop_database, cls.database)
        cls.demo = shoprenter('odoo-demo', '--dir', str(cls.directory),
            '--database', cls.database, *odoo_arguments())
        if cls.demo.returncode:
            raise AssertionError(cls.demo.stdout[-3000:] + cls.demo.stderr[-3000:])
        cls.config_file = cls.directory / 'odoo.conf'
        cls.demo_sales = cls.query("SELECT state, COUNT(*) FROM sale_order "
            "WHERE shoprenter_shop_id IS NOT NULL GROUP BY state")

        # From here on the demo shop is a sandbox of the test's
        cls.seed = demo_seed()
        cls.sandbox = Sandbox(cls.seed, rate_limit=None)
        cls.server = SandboxServer(cls.sandbox).start()
        cls.addClassCleanup(cls.server.stop)
        cls.query('UPDATE shoprenter_shop SET api_url = %s, token_url = %s',
            cls.server.api_url, cls.server.token_url)
        cls.shop_id, = cls.query('SELECT id FROM shoprenter_shop')[0]
        # The merchant maps AAM to the chart's tax-exempt sale tax, as #62's message says:
        # the next run imports it
        cls.query("UPDATE shoprenter_tax SET tax_id = (SELECT id FROM account_tax "
            "WHERE type_tax_use = 'sale' AND name->>'en_US' = '0%% AAM' LIMIT 1) "
            "WHERE name = 'AAM'")
        cls.first_sync = shoprenter('odoo-sync', '-c', str(cls.config_file),
            '-d', cls.database)
        cls.taxed = [p for p in cls.seed['products']
            if p['taxClass']['id'] != cls.seed['taxClasses'][3]['id']]

    def tearDown(self):
        self.sandbox.clear_faults()
        super().tearDown()

    # The database, as another process sees it

    @classmethod
    def query(cls, sql, *parameters):
        with closing(odoo.sql_db.db_connect(cls.database).cursor()) as cr:
            cr.execute(sql, parameters)
            rows = cr.fetchall() if cr.description else None
            cr.commit()
            return rows

    def sales(self):
        "(sales, distinct ShopRenter orders) of the shop"
        return self.query('SELECT COUNT(*), COUNT(DISTINCT shoprenter_id) FROM sale_order '
            'WHERE shoprenter_shop_id IS NOT NULL')[0]

    def runs(self, after=0):
        "(state, created, updated) of the order download's log rows since id after"
        return self.query("SELECT state, created, updated FROM shoprenter_sync_log "
            "WHERE kind = 'orders' AND id > %s ORDER BY id", after)

    def last_log_id(self):
        return self.query('SELECT COALESCE(MAX(id), 0) FROM shoprenter_sync_log')[0][0]

    def lock_held(self):
        return bool(self.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND classid = %s AND objid = %s", LOCK_CLASS, self.shop_id))

    # The commands

    def sync_arguments(self):
        return ['odoo-sync', '-c', str(self.config_file), '-d', self.database]

    def sync(self):
        return shoprenter(*self.sync_arguments())

    def start_sync(self, **kwargs):
        kwargs.setdefault('stdout', subprocess.DEVNULL)
        kwargs.setdefault('stderr', subprocess.DEVNULL)
        return subprocess.Popen(
            [sys.executable, '-m', 'shoprenter_odoo.cli', *self.sync_arguments()], **kwargs)

    def place_orders(self, count, quantity=1):
        return [self.sandbox.place_order({
                    'customer': self.seed['customers'][i % 40]['id'],
                    'shippingMode': '1', 'paymentCode': 'cod',
                    'items': [{'sku': self.taxed[i % len(self.taxed)]['sku'],
                            'quantity': quantity}]})
            for i in range(count)]

    def wait_for(self, condition, process=None, timeout=600):
        deadline = time.monotonic() + timeout
        while not condition():
            if process is not None:
                self.assertIsNone(process.poll(), "the sync ended too soon")
            self.assertLess(time.monotonic(), deadline, "waited too long")
            time.sleep(0.05)

    def kill_when(self, process, condition):
        self.wait_for(condition, process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # PostgreSQL ends the killed process's session, and with it the shop's lock
        self.wait_for(lambda: not self.lock_held())

    def order_pages_asked(self):
        return self.sandbox.stats()['calls'].get('GET /orderExtend', 0)

    # The tests

    def test_demo_as_the_tryton_demo(self):
        "odoo-demo imports the demo shop's orders with the outcome of the Tryton demo"
        lines = self.demo.stdout.splitlines()
        self.assertIn(TRYTON_DEMO_ORDERS, lines, self.demo.stdout)
        self.assertIn(TRYTON_DEMO_PARTIES, lines, self.demo.stdout)
        stopped = [line for line in lines if line.startswith('  stopped #')]
        self.assertEqual(len(stopped), 1, self.demo.stdout)
        self.assertTrue(stopped[0].startswith(TRYTON_DEMO_STOPPED), stopped[0])
        # The company is Hungarian, in forint, with l10n_hu's taxes
        self.assertEqual(self.query(
                "SELECT c.chart_template, cur.name, country.code FROM res_company c "
                "JOIN res_currency cur ON cur.id = c.currency_id "
                "JOIN res_partner p ON p.id = c.partner_id "
                "JOIN res_country country ON country.id = p.country_id WHERE c.id = 1"),
            [('hu', 'HUF', 'HU')])
        self.assertEqual(self.demo_sales, [('sale', 74)])
        # odoo-bin -c DIR/odoo.conf serves this database, with the addon on its path
        text = self.config_file.read_text()
        self.assertIn(f'db_name = {self.database}\n', text)
        addons_path = re.search(r'^addons_path = (.*)$', text, re.M).group(1).split(',')
        self.assertTrue(any((Path(folder) / 'shoprenter_connector').is_dir()
                for folder in addons_path), addons_path)
        self.assertIn(f'shoprenter odoo-sync -c {self.config_file} -d {self.database}',
            self.demo.stdout)
        # #62, its VAT mapped since, imports on the next run
        self.assertEqual(self.first_sync.returncode, 0,
            self.first_sync.stdout + self.first_sync.stderr)
        self.assertIn("Orders: 1 imported, 0 updated, 0 cancelled,", self.first_sync.stdout)
        self.assertEqual(self.query("SELECT COUNT(*) FROM sale_order s "
                "WHERE s.client_order_ref = '62' AND s.shoprenter_shop_id IS NOT NULL"), [(1,)])

    def test_sync_exit_codes(self):
        "0 when every order imported, 1 when one stopped, 3 when another sync holds the lock"
        self.sync()  # whatever the tests before left to do
        start, _ = self.sales()
        self.place_orders(2)
        result = self.sync()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Orders: 2 imported,", result.stdout)
        self.assertIn("orders", result.stderr)  # the progress bar
        self.assertEqual(self.sales(), (start + 2, start + 2))

        too_many, = self.place_orders(1, quantity=1001)
        try:
            result = self.sync()
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertRegex(result.stdout,
                rf'Orders: 0 imported, .* 1 stopped\n  stopped #{too_many["innerId"]}: ')
        finally:
            # The merchant raises the shop's maximum line quantity: it imports next time
            self.query('UPDATE shoprenter_shop SET max_line_quantity = 2000')
        result = self.sync()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("Orders: 1 imported,", result.stdout)

        with closing(odoo.sql_db.db_connect(self.database).cursor()) as other:
            other.execute('SELECT pg_try_advisory_lock(%s, %s)', [LOCK_CLASS, self.shop_id])
            self.assertTrue(other.fetchone()[0])
            result = self.sync()
            other.execute('SELECT pg_advisory_unlock(%s, %s)', [LOCK_CLASS, self.shop_id])
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        self.assertIn("Orders: skipped.", result.stdout)
        self.assertNotIn("Traceback", result.stderr)
        self.assertEqual(self.sales(), (start + 3, start + 3))

    def test_concurrent_syncs(self):
        "Three syncs at once: one runs, the others say so and exit 3"
        before, _ = self.sales()
        self.place_orders(30)
        mark = self.last_log_id()
        self.sandbox.set_faults(latency=1)  # a run that lasts
        first = self.start_sync(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # Its log row is written once it holds the shop's lock
        self.wait_for(lambda: self.runs(mark), first)
        others = [self.start_sync(stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
        out, err = first.communicate(timeout=TIMEOUT)
        self.assertEqual(first.returncode, 0, out + err)
        for other in others:
            out, err = other.communicate(timeout=TIMEOUT)
            self.assertEqual(other.returncode, 3, out + err)
            self.assertIn("Orders: skipped.", out)
        self.assertEqual(self.sales(), (before + 30, before + 30))
        self.assertEqual(self.runs(mark), [('done', 30, 0)])

    def test_killed_after_a_page_and_mid_page(self):
        """Killed twice, the sync brings every order exactly once; each killed run keeps the
        count of the pages it committed"""
        start, _ = self.sales()
        self.place_orders(ORDERS)
        mark = self.last_log_id()
        self.sandbox.reset_stats()
        self.kill_when(self.start_sync(), lambda: self.order_pages_asked() >= 2)
        after_page, _ = self.sales()
        self.assertGreater(after_page, start)  # what the first page brought, committed

        # Killed again while it imports the second page: a page is one unit of work, so
        # nothing of that page is kept
        self.sandbox.reset_stats()
        self.kill_when(self.start_sync(), lambda: self.order_pages_asked() >= 2)
        after_kills, _ = self.sales()
        self.assertEqual(after_kills, after_page)

        result = self.sync()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.sales(), (start + ORDERS, start + ORDERS))
        # The killed runs are marked interrupted, with their counts: the log accounts for
        # every order imported
        runs = self.runs(mark)
        self.assertEqual([state for state, _, _ in runs], ['interrupted', 'interrupted', 'done'])
        self.assertEqual(sum(created for _, created, _ in runs), ORDERS)
        self.assertEqual(runs[0][1], after_page - start)
        self.assertEqual(runs[1][1], 0)


@tagged('post_install', '-at_install')
class TestWithoutOdoo19(BaseCase):
    "The Odoo commands, run by a Python without Odoo 19, say what they need, not a traceback"

    def run_without(self, odoo_release):
        import shoprenter_odoo
        with tempfile.TemporaryDirectory() as directory:
            arguments = [sys.executable, '-m', 'shoprenter_odoo.cli', 'odoo-sync',
                '-c', 'odoo.conf', '-d', 'shop']
            path = [str(Path(shoprenter_odoo.__file__).parent.parent)]
            if odoo_release:  # an older Odoo first on the path
                (Path(directory) / 'odoo').mkdir()
                (Path(directory) / 'odoo' / '__init__.py').write_text('')
                (Path(directory) / 'odoo' / 'release.py').write_text(odoo_release)
                path.insert(0, directory)
            else:  # no site packages, so no Odoo at all; the core's requests only
                import requests
                arguments.insert(1, '-S')
                path.append(str(Path(requests.__file__).parent.parent))
            return subprocess.run(arguments, capture_output=True, text=True, timeout=60,
                env=dict(os.environ, PYTHONPATH=os.pathsep.join(path)))

    def test_odoo_18(self):
        result = self.run_without("version_info = (18, 0, 0, 'final', 0, '')\n"
            "version = '18.0'\n")
        self.assertEqual(result.returncode, 1)
        self.assertNotIn('Traceback', result.stderr)
        self.assertIn('ehhez Odoo 19 kell', result.stderr)
        self.assertIn('needs Odoo 19 importable by this Python', result.stderr)
        self.assertIn('found Odoo 18.0', result.stderr)

    def test_no_odoo(self):
        result = self.run_without(None)
        self.assertEqual(result.returncode, 1)
        self.assertNotIn('Traceback', result.stderr)
        self.assertIn('no Odoo in it', result.stderr)
        self.assertIn('--addons-path', result.stderr)
