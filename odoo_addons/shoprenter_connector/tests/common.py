"""A Hungarian company with one ShopRenter shop served by a sandbox over real HTTP."""
import time
from urllib.parse import urlsplit

import requests

from odoo.tests import TransactionCase
from odoo.tests import common as odoo_test_common

from shoprenter.sandbox import Sandbox, SandboxServer
from shoprenter.sandbox.demo import seed_without_orders


class ShopRenterCase(TransactionCase):
    "setUpClass: the company (l10n_hu, HUF), a sandbox of seed() and the shop on it"

    sandbox_port = None
    other_ports = ()  # of other servers a test puts before the sandbox

    @classmethod
    def seed(cls):
        return seed_without_orders()

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's tests refuse HTTP beyond their own server (and the client's (connect, read)
        # timeout): the sandbox's port is let through
        url = urlsplit(r.url)
        if url.hostname == '127.0.0.1' and (
                url.port == cls.sandbox_port or url.port in cls.other_ports):
            return odoo_test_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = SandboxServer(Sandbox(cls.seed(), rate_limit=None)).start()
        cls.addClassCleanup(cls.server.stop)
        cls.sandbox_port = cls.server.port
        cls.company = cls.setup_company()
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.warehouse = cls.env['stock.warehouse'].search(
            [('company_id', '=', cls.company.id)], limit=1)
        cls.shop = cls.env['shoprenter.shop'].with_company(cls.company).create({
            'name': "ShopRenter", 'company_id': cls.company.id,
            'warehouse_id': cls.warehouse.id, 'shoprenter_shop': 'demo',
            'client_id': 'demo-client', 'client_secret': 'demo-secret',
            'api_url': cls.server.api_url, 'token_url': cls.server.token_url,
            'lang': 'en_US'})
        cls.shop.action_load_taxes()

    @classmethod
    def setup_company(cls):
        huf = cls.env.ref('base.HUF')
        huf.active = True
        company = cls.env['res.company'].create({
            'name': "Demo Webáruház Kft.", 'country_id': cls.env.ref('base.hu').id,
            'currency_id': huf.id})
        cls.env.user.company_ids |= company
        cls.env['account.chart.template'].try_loading('hu', company=company, install_demo=False)
        return company

    # Acting as the shop's buyers and admin

    @classmethod
    def place(cls, **intent):
        "A buyer places an order in the shop (the sandbox's checkout)"
        response = requests.post(
            cls.server.url + '/_sandbox/orders', json=intent, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()

    @classmethod
    def api(cls):
        "An API session with the shop, as ShopRenter's admin would change orders"
        session = requests.Session()
        session.headers['Authorization'] = 'Bearer ' + requests.post(
            cls.server.token_url, json={'grant_type': 'client_credentials',
                'client_id': 'demo-client', 'client_secret': 'demo-secret'},
            timeout=10).json()['access_token']
        session.headers['Accept'] = 'application/json'
        return session

    @classmethod
    def call(cls, session, method, path, **kwargs):
        while True:  # the shop allows 3 calls a second
            response = session.request(
                method, cls.server.api_url + '/' + path, timeout=10, **kwargs)
            if response.status_code != 429:
                assert response.status_code == 200, response.text
                return response.json()
            time.sleep(1)

    def sync(self):
        "Run the order download of the shop now, as Sync Now does; return its log"
        log = self.shop._sync_orders()
        self.assertEqual(len(log), 1, "the sync ran")
        return log

    def sales(self):
        return self.env['sale.order'].search(
            [('shoprenter_shop_id', '=', self.shop.id)], order='id')

    def sale_of(self, order):
        return self.env['sale.order'].search([
            ('shoprenter_shop_id', '=', self.shop.id), ('shoprenter_id', '=', order['id'])])


class BuyersCase(ShopRenterCase):
    "setUpClass also: the shop's customers and its taxed products (not AAM), for orders"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seed = cls.server.sandbox._seed
        cls.customers = seed['customers']
        cls.taxed = [p for p in seed['products']
            if p['taxClass']['id'] != seed['taxClasses'][3]['id']]
