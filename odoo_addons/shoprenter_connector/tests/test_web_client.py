"""The day's work in Odoo's web client, in a real browser, in Hungarian.

`shoprenter odoo-demo` makes the demo database as a newcomer does; an Odoo server of its
own serves it over HTTP; Debian's chromium, driven by playwright, logs in as the demo user
(who works in Hungarian) and does what the back office does: syncs the shop, sees the new
orders, picks the fulfillable ones, prints their pick list, puts them in the invoicing
basket, invoices them (reported to NAV by l10n_hu_edi in its Demo mode) and e-mails them
(to a real SMTP server on a local port), and reads the sync log.  A
screenshot of each step is kept in $SHOPRENTER_SCREENSHOTS (default:
test-artifacts/odoo-web-client)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

import requests
from playwright.sync_api import expect, sync_playwright

import odoo.sql_db
from odoo.tests import BaseCase, tagged
from odoo.tests import common as odoo_test_common
from odoo.tools import config

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import demo_seed

from .smtp_catcher import MailCatcher
from .test_commands import drop_database, odoo_arguments, shoprenter

CHROMIUM = os.environ.get('CHROMIUM', '/usr/bin/chromium')
SCREENSHOTS = Path(os.environ.get('SHOPRENTER_SCREENSHOTS')
    or Path(__file__).parents[3] / 'test-artifacts' / 'odoo-web-client')
TIMEOUT = 180_000  # ms: a loaded CI machine renders slowly
NEW_ORDERS = 3


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@tagged('post_install', '-at_install')
class TestWebClient(BaseCase):

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's tests refuse HTTP beyond their own server: the sandbox and the Odoo
        # server of this test are let through
        url = urlsplit(r.url)
        if url.hostname == '127.0.0.1' and url.port in (cls.server.port, cls.odoo_port):
            return odoo_test_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.directory = Path(tempfile.mkdtemp(prefix='shoprenter-odoo-web-'))
        cls.addClassCleanup(shutil.rmtree, cls.directory, ignore_errors=True)
        cls.database = f'{config["db_name"][0]}_web_{os.getpid()}'
        cls.addClassCleanup(drop_database, cls.database)
        demo = shoprenter('odoo-demo', '--dir', str(cls.directory),
            '--database', cls.database, *odoo_arguments())
        if demo.returncode:
            raise AssertionError(demo.stdout[-3000:] + demo.stderr[-3000:])

        # The demo shop from here on is a sandbox of the test's, where buyers order more
        cls.server = SandboxServer(Sandbox(demo_seed(), rate_limit=None)).start()
        cls.addClassCleanup(cls.server.stop)
        cls.odoo_port = free_port()
        cls.catcher = MailCatcher().start()
        cls.addClassCleanup(cls.catcher.stop)
        cls.new_orders = [cls.place(index) for index in range(NEW_ORDERS)]
        cls.start_odoo()
        cls.browse()

    @classmethod
    def place(cls, index):
        seed = cls.server.sandbox._seed
        product = seed['products'][index]
        response = requests.post(cls.server.url + '/_sandbox/orders', json={
                'customer': seed['customers'][index]['id'], 'shippingMode': '1',
                'paymentCode': 'cod', 'items': [{'sku': product['sku'], 'quantity': 1}]},
            timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    @classmethod
    def start_odoo(cls):
        "Odoo serving the demo database, its shop pointed at the sandbox"
        config_file = cls.directory / 'odoo.conf'
        with closing(odoo.sql_db.db_connect(cls.database).cursor()) as cr:
            cr.execute('UPDATE shoprenter_shop SET api_url = %s, token_url = %s',
                [cls.server.api_url, cls.server.token_url])
            cr.commit()
        cls.odoo_log = cls.directory / 'odoo.log'
        cls.odoo = subprocess.Popen([sys.executable, '-m', 'odoo', '-c', str(config_file),
                f'--http-port={cls.odoo_port}', '--log-level=warn', '--max-cron-threads=0',
                '--smtp=127.0.0.1', f'--smtp-port={cls.catcher.port}',
                f'--logfile={cls.odoo_log}'],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        cls.addClassCleanup(cls.stop_odoo)
        cls.url = f'http://127.0.0.1:{cls.odoo_port}'
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                if requests.get(cls.url + '/web/login', timeout=30).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if cls.odoo.poll() is not None:
                raise AssertionError(f"Odoo stopped (exit code {cls.odoo.returncode}):\n"
                    + cls.odoo_log.read_text()[-3000:])
            time.sleep(1)
        raise AssertionError("Odoo did not answer /web/login in 10 minutes")

    @classmethod
    def stop_odoo(cls):
        cls.odoo.terminate()
        try:
            cls.odoo.wait(30)
        except subprocess.TimeoutExpired:
            cls.odoo.kill()

    @classmethod
    def browse(cls):
        cls.playwright = sync_playwright().start()
        cls.addClassCleanup(cls.playwright.stop)
        browser = cls.playwright.chromium.launch(executable_path=CHROMIUM,
            args=['--no-sandbox'])
        cls.addClassCleanup(browser.close)
        cls.page = browser.new_page(locale='hu-HU', viewport={'width': 1400, 'height': 900})
        cls.page.set_default_timeout(TIMEOUT)
        expect.set_options(timeout=TIMEOUT)
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        SCREENSHOTS.mkdir(parents=True)
        cls.steps = 0

    def screenshot(self, name):
        type(self).steps += 1
        self.page.screenshot(path=SCREENSHOTS / f'{self.steps:02d}-{name}.png', full_page=True)

    def open_action(self, xmlid):
        self.page.goto(f'{self.url}/odoo/action-{xmlid}')
        expect(self.page.locator('.o_action_manager .o_view_controller')).to_be_visible()

    def actions_of_first_rows(self, count):
        "Select the list's first rows and open its Actions menu: the menu"
        rows = self.page.locator('.o_data_row')
        for i in range(count):
            rows.nth(i).locator('.o_list_record_selector input').check()
        self.page.locator('.o_cp_action_menus button:has(.fa-cog)').click()
        return self.page.locator('.o-dropdown--menu')

    @classmethod
    def query(cls, sql, *parameters):
        "The demo database as the server sees it"
        with closing(odoo.sql_db.db_connect(cls.database).cursor()) as cr:
            cr.execute(sql, parameters)
            return cr.fetchall()

    def test_the_days_work(self):
        page = self.page

        # Logging in, in Hungarian
        page.goto(self.url + '/web/login')
        expect(page.locator('label[for=password]')).to_have_text('Jelszó')
        page.fill('input[name=login]', 'admin')
        page.fill('input[name=password]', 'admin')
        self.screenshot('login')
        page.click('button[type=submit]')
        expect(page.locator('.o_main_navbar')).to_contain_text('Demo Webáruház Kft.')

        # The shop: Sync now brings the new orders
        self.open_action('shoprenter_connector.shoprenter_shop_action')
        expect(page.locator('.o_main_navbar')).to_contain_text('Értékesítés')
        page.locator('.o_data_row').first.click()
        sync_now = page.locator('button[name=action_sync_now]')
        expect(sync_now).to_have_text('Szinkronizálás most')
        sync_now.click()
        expect(page.locator('.o_notification')).to_contain_text(
            f'Kész: {NEW_ORDERS} új, 0 módosított')
        self.screenshot('sync-now')

        # The shop's orders: the new ones are there, and all of them are counted
        names = [name for name, in self.query(
            'SELECT name FROM sale_order WHERE shoprenter_id = ANY(%s)',
            [order['id'] for order in self.new_orders])]
        self.assertEqual(len(names), NEW_ORDERS)
        (sales,), = self.query(
            'SELECT COUNT(*) FROM sale_order WHERE shoprenter_shop_id IS NOT NULL')
        self.open_action('shoprenter_connector.sale_order_shoprenter_action')
        listed = page.locator('.o_list_view')
        for name in names:
            expect(listed).to_contain_text(name)
        expect(page.locator('.o_pager_limit')).to_have_text(str(sales))
        self.screenshot('orders')

        # The fulfillable orders: the first two selected, their pick list printed
        self.open_action('shoprenter_connector.sale_order_action_fulfillment')
        expect(page.locator('.o_breadcrumb')).to_contain_text('Teljesíthető rendelések')
        expect(page.locator('.o_list_view thead')).to_contain_text('Szállítási mód')
        rows = page.locator('.o_data_row')
        expect(rows.first).to_be_visible()
        chosen = [rows.nth(i).locator('td[name=name]').inner_text() for i in range(2)]
        menu = self.actions_of_first_rows(2)
        for action in ['Szedési lista', 'Csomagolási összesítő', 'Mit kell beszerezni']:
            expect(menu).to_contain_text(action)
        self.screenshot('fulfillable-selected')
        menu.locator('.o_menu_item', has_text='Szedési lista').click()
        report = page.frame_locator('.o_action_manager iframe').locator('body')
        expect(report).to_contain_text('Szedési lista')
        codes = [code for code, in self.query(
            'SELECT DISTINCT p.default_code FROM sale_order_line l '
            'JOIN sale_order s ON s.id = l.order_id '
            'JOIN product_product p ON p.id = l.product_id '
            'JOIN product_template t ON t.id = p.product_tmpl_id '
            'WHERE s.name = ANY(%s) AND t.is_storable', chosen)]
        self.assertTrue(codes)
        for text in chosen + codes:
            expect(report).to_contain_text(text)
        self.screenshot('pick-list')

        # The same orders into the invoicing basket: invoiced, reported to NAV, e-mailed
        self.open_action('shoprenter_connector.sale_order_action_fulfillment')
        rows = page.locator('.o_data_row')
        expect(rows.nth(1).locator('td[name=name]')).to_have_text(chosen[1])
        self.actions_of_first_rows(2).locator('.o_menu_item', has_text='Kosárba').click()
        lines = page.locator('.o_field_one2many .o_data_row')
        expect(lines).to_have_count(2)
        for name in chosen:
            expect(page.locator('.o_field_one2many')).to_contain_text(name)
        self.screenshot('basket')
        invoice_all = page.locator('button[name=action_invoice_all]')
        expect(invoice_all).to_have_text('Mind számlázása')
        invoice_all.click()
        for i in range(2):
            expect(lines.nth(i).locator('td[name=nav_state]')).to_have_text('Megerősítve')
        invoices = dict(self.query(
            "SELECT s.name, m.name FROM account_move m "
            "JOIN account_move_line ml ON ml.move_id = m.id "
            "JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = ml.id "
            "JOIN sale_order_line sl ON sl.id = r.order_line_id "
            "JOIN sale_order s ON s.id = sl.order_id "
            "WHERE s.name = ANY(%s) AND m.state = 'posted' GROUP BY s.name, m.name", chosen))
        self.assertEqual(sorted(invoices), sorted(chosen))
        for invoice in invoices.values():
            expect(page.locator('.o_field_one2many')).to_contain_text(invoice)
        self.screenshot('basket-invoiced')
        email_all = page.locator('button[name=action_email_all]')
        expect(email_all).to_have_text('Mind e-mailben')
        email_all.click()
        for i in range(2):
            expect(lines.nth(i).locator('td[name=state]')).to_have_text('E-mailben elküldve')
        self.screenshot('basket-emailed')
        # What the buyers received: the invoice, in Hungarian, with its PDF
        deadline = time.monotonic() + 120
        while len(self.catcher.messages) < 2 and time.monotonic() < deadline:
            time.sleep(1)
        buyers = dict(self.query(
            "SELECT s.name, COALESCE(NULLIF(i.email, ''), p.email) FROM sale_order s "
            "JOIN res_partner i ON i.id = s.partner_invoice_id "
            "JOIN res_partner p ON p.id = s.partner_id WHERE s.name = ANY(%s)", chosen))
        received = {tuple(recipients): message for recipients, message in self.catcher.messages}
        self.assertEqual(sorted(received), sorted((buyers[name],) for name in chosen))
        for name in chosen:
            message = received[(buyers[name],)]
            self.assertIn(f'Számla {invoices[name]}', message['Subject'])
            [pdf] = [part for part in message.iter_attachments()
                if part.get_content_type() == 'application/pdf']
            self.assertIn(invoices[name].replace('/', '_'), pdf.get_filename())
            # Its text is not read here: Debian's wkhtmltopdf draws the served web fonts as
            # outlines (test_invoicing reads the text of a PDF rendered without them)
            self.assertTrue(pdf.get_content().startswith(b'%PDF'))
            (SCREENSHOTS / pdf.get_filename()).write_bytes(pdf.get_content())

        # The sync log: the run that brought the new orders, on top
        self.open_action('shoprenter_connector.shoprenter_sync_log_action')
        expect(page.locator('.o_breadcrumb')).to_contain_text(
            'ShopRenter szinkronizálási napló')
        first = page.locator('.o_data_row').first
        expect(first.locator('td[name=created]')).to_have_text(str(NEW_ORDERS))
        expect(first).to_contain_text('Kész')
        self.screenshot('sync-log')
