"""Stock and prices to the shop, as the Tryton scenarios scenario_shoprenter_stock_push.rst
and scenario_shoprenter_stock_convergence.rst have them: the shop's products read back over
HTTP from the sandbox after each push."""
import random

import requests

from odoo.tests import tagged

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class StockPushCase(ShopRenterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seed = cls.server.sandbox._seed
        cls.tax_names = {c['id']: c['name'] for c in seed['taxClasses']}
        taxed = [p for p in seed['products'] if cls.tax_names[p['taxClass']['id']] != 'AAM']
        cls.items = taxed[:25]
        cls.stock = cls.warehouse.lot_stock_id
        cls.supplier = cls.env.ref('stock.stock_location_suppliers')
        cls.customers = cls.env.ref('stock.stock_location_customers')

    def setUp(self):
        super().setUp()
        self.server.sandbox.reset()

    # The ERP's side

    def make_product(self, item, **values):
        "The shop's product item in Odoo: goods with its SKU, price and mapped VAT"
        tax = self.shop.tax_ids.filtered(
            lambda m: m.name == self.tax_names[item['taxClass']['id']]).tax_id
        template = self.env['product.template'].create(dict({
            'name': item['sku'], 'type': 'consu', 'is_storable': True,
            'default_code': item['sku'], 'list_price': float(item['price']),
            'sale_ok': True, 'taxes_id': [(6, 0, tax.ids)]}, **values))
        return template.product_variant_id

    def move(self, product, quantity, source, destination, done=True):
        move = self.env['stock.move'].create({
            'product_id': product.id, 'product_uom_qty': quantity,
            'product_uom': product.uom_id.id, 'location_id': source.id,
            'location_dest_id': destination.id, 'company_id': self.company.id})
        move._action_confirm()
        if done:
            move._action_assign()
            move.quantity = quantity
            move.picked = True
            move._action_done()
        return move

    def receive(self, product, quantity):
        return self.move(product, quantity, self.supplier, self.stock)

    def count(self, quantities):
        "An inventory adjustment: {product: counted quantity}, applied at once"
        self.env['stock.quant'].with_context(inventory_mode=True).create([{
                'product_id': product.id, 'location_id': self.stock.id,
                'inventory_quantity_auto_apply': quantity}
            for product, quantity in quantities.items()])

    def push(self):
        return self.shop._push_stock()

    # The shop's side

    def in_shop(self, sku, field='stock1'):
        session = self.api()
        [item] = self.call(session, 'GET', 'products', params={'sku': sku, 'full': 1})['items']
        return item[field]

    def shop_stock(self, sku):
        return int(float(self.in_shop(sku)))

    def link(self, product):
        return self.env['shoprenter.product'].search(
            [('shop_id', '=', self.shop.id), ('product_id', '=', product.id)])

    def stats(self):
        return requests.get(self.server.url + '/_sandbox/stats', timeout=10).json()

    def batch_calls(self):
        return sum(count for call, count in self.stats()['calls'].items() if 'batch' in call)


@tagged('post_install', '-at_install')
class TestStockPush(StockPushCase):

    def test_receipt_raises_the_shops_stock(self):
        item = self.items[0]
        product = self.make_product(item)
        self.push()
        self.assertEqual(self.shop_stock(item['sku']), 0, "nothing on hand yet")
        triggers = self.env['ir.cron.trigger'].search_count(
            [('cron_id', '=', self.env.ref('shoprenter_connector.ir_cron_shoprenter_push').id)])
        self.receive(product, 7)
        self.assertTrue(self.link(product).changed, "the receipt marks the product")
        self.assertGreater(self.env['ir.cron.trigger'].search_count([(
            'cron_id', '=', self.env.ref('shoprenter_connector.ir_cron_shoprenter_push').id)]),
            triggers, "the push runs when the receipt commits")
        log = self.push()
        self.assertEqual(self.shop_stock(item['sku']), 7)
        self.assertEqual((log.kind, log.state, log.updated), ('stock', 'done', 1))
        self.assertFalse(self.link(product).changed)
        self.assertEqual(self.link(product).sent_quantity, 7)

    def test_only_what_differs_is_sent(self):
        products = [self.make_product(item) for item in self.items[:3]]
        for product in products:
            self.receive(product, 4)
        self.push()
        before = self.batch_calls()
        self.assertFalse(self.push(), "nothing sent, nothing logged")
        self.assertEqual(self.batch_calls(), before)
        # a move that changes nothing the shop shows: compared, not sent
        self.move(products[0], 2, self.stock, self.customers)
        self.receive(products[0], 2)
        self.assertFalse(self.push())
        self.assertEqual(self.batch_calls(), before)

    def test_imported_order_lowers_the_stock_and_cancelling_restores_it(self):
        item = self.items[1]
        product = self.make_product(item)
        self.receive(product, 10)
        self.push()
        self.assertEqual(self.shop_stock(item['sku']), 10)
        customer = self.server.sandbox._seed['customers'][0]
        self.place(customer=customer['id'], shippingMode='1', paymentCode='cod',
            items=[{'sku': item['sku'], 'quantity': 3}])
        self.sync()
        [sale] = self.sales()
        self.assertEqual(sale.state, 'sale')
        self.push()
        self.assertEqual(self.shop_stock(item['sku']), 7, "exactly the order's quantity")
        sale._action_cancel()
        self.push()
        self.assertEqual(self.shop_stock(item['sku']), 10)

    def test_a_change_while_the_push_sends_stays_changed(self):
        product = self.make_product(self.items[10])
        self.push()
        link = self.link(product)
        self.receive(product, 1)
        read = link.change_count  # what a push read before sending
        self.receive(product, 1)  # ... and a change that came in meanwhile
        link._clear_changed({link.id: read})
        self.assertTrue(link.changed, "the later change is not lost")
        link._clear_changed({link.id: link.change_count})
        self.assertFalse(link.changed)

    def test_price_change_reaches_the_shop(self):
        item = self.items[2]
        product = self.make_product(item)
        self.push()
        product.product_tmpl_id.list_price = 12345.5
        self.assertTrue(self.link(product).changed)
        self.push()
        self.assertEqual(self.in_shop(item['sku'], 'price'), '12345.5000')

    def test_a_tax_included_price_is_sent_net(self):
        item = self.items[3]
        tax = self.shop.tax_ids.filtered(
            lambda m: m.name == self.tax_names[item['taxClass']['id']]).tax_id
        included = tax.copy({'name': tax.name + ' incl.', 'price_include_override':
            'tax_included'})
        mapping = self.shop.tax_ids.filtered(lambda m: m.tax_id == tax)
        mapping.tax_id = included
        product = self.make_product(item, list_price=float(100 + tax.amount),
            taxes_id=[(6, 0, included.ids)])
        self.push()
        self.assertEqual(self.in_shop(item['sku'], 'price'), '100.0000')
        self.assertEqual(self.link(product).sent_price, 100.0)

    def test_a_price_under_another_vat_is_not_sent(self):
        item = self.items[4]
        other = self.shop.tax_ids.filtered(
            lambda m: m.tax_id and m.name != self.tax_names[item['taxClass']['id']])[0]
        product = self.make_product(item, list_price=999.0,
            taxes_id=[(6, 0, other.tax_id.ids)])
        self.receive(product, 2)
        log = self.push()
        self.assertEqual(self.shop_stock(item['sku']), 2, "the stock still goes")
        self.assertNotEqual(self.in_shop(item['sku'], 'price'), '999.0000')
        self.assertIn("is not its sale tax in Odoo", log.entry_ids.message)

    def test_one_product_the_shop_refuses_does_not_stop_the_others(self):
        first, second = [self.make_product(item) for item in self.items[5:7]]
        self.push()
        # the shop's admin deletes the first product: its update is refused (404)
        response = self.api().delete(
            f'{self.server.api_url}/products/{self.link(first).shoprenter_id}', timeout=10)
        self.assertIn(response.status_code, (200, 204), response.text)
        self.receive(first, 3)
        self.receive(second, 5)
        log = self.push()
        self.assertEqual(self.shop_stock(self.items[6]['sku']), 5)
        self.assertEqual(self.link(first).state, 'missing')
        self.assertIn(first, log.entry_ids.product_id)

    def test_missing_product_is_listed_and_created_in_shoprenter(self):
        product = self.make_product(self.items[7], default_code='UJ-TERMEK-1',
            name="Új termék")
        self.receive(product, 4)
        log = self.push()
        self.assertEqual(self.link(product).state, 'missing')
        self.assertIn("UJ-TERMEK-1", log.entry_ids.message)
        # the products' filter Missing in ShopRenter
        self.assertIn(product, self.env['product.product'].search(
            [('shoprenter_product_ids.state', '=', 'missing')]))
        product.action_shoprenter_create()
        self.assertEqual(self.link(product).state, 'linked')
        self.assertEqual(self.shop_stock('UJ-TERMEK-1'), 4)
        self.assertEqual(self.in_shop('UJ-TERMEK-1', 'price'), '%.4f' % product.list_price)

    def test_reconciliation_repairs_drift(self):
        item = self.items[8]
        product = self.make_product(item)
        self.receive(product, 6)
        self.push()
        session = self.api()
        self.call(session, 'PUT', f'products/{self.link(product).shoprenter_id}',
            json={'stock1': '99'})
        self.assertFalse(self.push(), "the push trusts what it sent")
        self.assertEqual(self.shop_stock(item['sku']), 99)
        log = self.shop._reconcile_stock()
        self.assertEqual((log.kind, log.updated), ('reconcile', 1))
        self.assertEqual(self.shop_stock(item['sku']), 6)

    def test_stock_field_of_the_shop(self):
        item = self.items[9]
        self.shop.stock_field = 'stock2'
        product = self.make_product(item)
        self.receive(product, 8)
        self.push()
        self.assertEqual(int(float(self.in_shop(item['sku'], 'stock2'))), 8)


@tagged('post_install', '-at_install')
class TestStockConvergence(StockPushCase):

    def faults(self, on):
        if on:
            requests.post(self.server.url + '/_sandbox/faults', json={
                'seed': 4, 'rates': {'429': 0.1, '500': 0.1}, 'drop': 0.1},
                timeout=10).raise_for_status()
        else:
            requests.delete(self.server.url + '/_sandbox/faults', timeout=10).raise_for_status()

    def test_500_random_moves_under_faults_converge_in_two_pushes(self):
        products = [self.make_product(item) for item in self.items]
        rng = random.Random(42)
        on_hand = dict.fromkeys(products, 0)
        reserved = dict.fromkeys(products, 0)
        self.faults(True)
        self.addCleanup(self.faults, False)
        # 500 events in 20 rounds: goods counted more or less (an inventory of the touched
        # products per round) and goods promised to customers (open outgoing moves)
        for _ in range(20):
            counted = {}
            for _ in range(25):
                product = rng.choice(products)
                quantity = rng.randint(1, 6)
                kind = rng.choices(['in', 'out', 'reserve'], [5, 3, 2])[0]
                if kind == 'reserve':
                    self.move(product, quantity, self.stock, self.customers, done=False)
                    reserved[product] += quantity
                else:
                    change = quantity if kind == 'in' else -quantity
                    on_hand[product] = max(0, on_hand[product] + change)
                    counted[product] = on_hand[product]
            self.count(counted)
            if rng.random() < 0.3:
                self.push()  # the cron ticks now and then, under the faults too
        self.push()
        self.push()
        self.faults(False)
        expected = {p.default_code: max(0, on_hand[p] - reserved[p]) for p in products}
        session = self.api()
        in_shop = {}
        page = 0
        while True:
            answer = self.call(session, 'GET', 'products',
                params={'full': 1, 'limit': 200, 'page': page})
            in_shop.update({i['sku']: int(float(i['stock1'])) for i in answer['items']
                if i['sku'] in expected})
            page += 1
            if page >= int(answer['pageCount']):
                break
        self.assertEqual({sku: in_shop[sku] for sku in expected}, expected)
        self.assertGreater(sum(1 for v in expected.values() if v > 0), 10)
        statuses = self.stats()['statuses']
        self.assertGreater(statuses.get('429', 0) + statuses.get('500', 0), 0,
            "the faults did hit")
        self.assertFalse(self.env['shoprenter.product'].search_count(
            [('shop_id', '=', self.shop.id), ('changed', '=', True)]), "nothing left to push")
