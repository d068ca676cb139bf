"""The order download's rules, as the Tryton scenario scenario_shoprenter_order_import.rst
has them: orders placed in a sandbox as buyers would, downloaded over HTTP."""
from decimal import Decimal

from odoo.tests import tagged

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class TestOrderImport(ShopRenterCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seed = cls.server.sandbox._seed
        cls.customer = seed['customers'][0]
        cls.products = [p for p in seed['products']
            if p['taxClass']['id'] == seed['taxClasses'][0]['id']]
        cls.exempt = [p for p in seed['products']
            if p['taxClass']['id'] == seed['taxClasses'][3]['id']][0]
        cls.guest_address = {'firstname': "Anna", 'lastname': "Kiss",
            'address1': "Fő utca 1.", 'city': "Szeged", 'postcode': "6720",
            'countryName': "Magyarország"}

    def setUp(self):
        super().setUp()
        self.server.sandbox.reset()  # each test places its own orders

    def place_registered(self, quantity=2, **intent):
        return self.place(customer=self.customer['id'], shippingMode='1', paymentCode='cod',
            items=[{'sku': self.products[0]['sku'], 'quantity': quantity}], **intent)

    def place_guest(self, email, item, **intent):
        return self.place(firstname="Anna", lastname="Kiss", email=email,
            payment=self.guest_address, shippingMode='1', paymentCode='cod',
            items=[{'sku': self.products[item]['sku'], 'quantity': 1}], **intent)

    def place_company(self):
        return self.place(firstname="Anna", lastname="Kiss", email="iroda@kisstars.hu",
            taxNumber="12345676-2-06",
            payment=dict(self.guest_address, company="Kiss és Társa Kft."),
            shippingMode='1', paymentCode='cod', coupon='NYAR10',
            items=[{'sku': self.products[3]['sku'], 'quantity': 3},
                {'name': "Ajándékcsomagolás", 'price': '500', 'taxRate': '27',
                    'quantity': 1}])

    def place_exempt(self):
        return self.place(customer=self.customer['id'], shippingMode='1', paymentCode='cod',
            items=[{'sku': self.exempt['sku'], 'quantity': 1}])

    def forecast(self, product):
        return product.with_context(warehouse_id=self.warehouse.id).virtual_available

    def map_exempt_tax(self):
        "The merchant maps AAM to the chart's tax-exempt sale tax"
        exempt_tax = self.env['account.tax'].search([
            ('company_id', '=', self.company.id), ('type_tax_use', '=', 'sale'),
            ('name', '=', '0% AAM')])
        self.assertEqual(len(exempt_tax), 1)
        mapping = self.shop.tax_ids.filtered(lambda m: m.name == 'AAM')
        mapping.tax_id = exempt_tax

    def test_vat_classes_loaded(self):
        self.assertEqual(
            sorted((m.name, m.tax_id.amount if m.tax_id else None) for m in self.shop.tax_ids),
            [('18 %', 18.0), ('27 %', 27.0), ('5 %', 5.0), ('AAM', None)])

    def test_import(self):
        registered = self.place_registered(comment="Kérem, délután hozzák.")
        guest1 = self.place_guest(" Kiss.Anna@Example.HU ", 1, phone="+36301234567")
        guest2 = self.place_guest("kiss.anna@example.hu", 2)
        company_order = self.place_company()
        exempt_order = self.place_exempt()

        log = self.sync()
        errors = log.entry_ids.filtered(lambda e: e.level == 'error')
        self.assertEqual((log.state, log.created, log.failed), ('done', 4, 1))
        self.assertEqual(errors.order_number, exempt_order['innerId'])
        self.assertIn('VAT "AAM" has no mapping on shop "ShopRenter"', errors.message)
        self.assertEqual(self.shop.last_sync_state,
            'Done: 4 created, 0 updated, 0 cancelled, 1 stopped')

        # The run brought the shop's payment modes and statuses, named in Hungarian
        self.assertEqual(sorted((m.code, m.name) for m in self.shop.payment_mode_ids), [
            ('bank_transfer', 'Banki átutalás'), ('barion', 'Bankkártyás fizetés (Barion)'),
            ('cod', 'Utánvét')])
        self.assertEqual(sorted((s.name, s.action) for s in self.shop.status_ids), [
            ('Feldolgozás alatt', 'import'), ('Függőben', 'import'), ('Storno', 'cancel'),
            ('Szállítás alatt', 'import'), ('Teljesítve', 'import'), ('Törölve', 'cancel')])

        # Confirmed, numbered by the shop, carrying the order number
        sales = self.sales()
        self.assertEqual(len(sales), 4)
        sale = self.sale_of(registered)
        self.assertEqual(sale.state, 'sale')
        self.assertTrue(sale.name.startswith('DEMO-'), sale.name)
        self.assertEqual(sale.client_order_ref, registered['innerId'])
        self.assertEqual(sale.origin, 'ShopRenter #' + registered['innerId'])
        self.assertEqual(sale.shoprenter_comment, "Kérem, délután hozzák.")
        self.assertEqual(sale.carrier_id.name, 'GLS futárszolgálat')
        self.assertEqual(sale.shoprenter_payment_mode_id.code, 'cod')
        self.assertEqual(sale.warehouse_id, self.warehouse)
        delivery_line = sale.order_line.filtered('is_delivery')
        self.assertEqual(delivery_line.product_id, sale.carrier_id.product_id)

        # The totals agree within ShopRenter's rounding: nothing is flagged
        for each in sales:
            self.assertLess(abs(each.amount_total - each.shoprenter_total), len(each.order_line))
        self.assertFalse(any(sales.mapped('shoprenter_attention')))

        # The guest who typed the e-mail two ways is one partner; the company a company
        guest = self.sale_of(guest1).partner_id
        self.assertEqual(self.sale_of(guest2).partner_id, guest)
        self.assertEqual((guest.email, guest.phone), ('kiss.anna@example.hu', '+36301234567'))
        self.assertFalse(guest.is_company)
        self.assertEqual(self.sale_of(guest1).partner_invoice_id.parent_id, guest)
        self.assertEqual(self.sale_of(guest1).partner_invoice_id,
            self.sale_of(guest2).partner_invoice_id, "the identical address is reused")
        self.assertEqual(self.sale_of(guest1).partner_invoice_id.email, 'kiss.anna@example.hu',
            "Odoo sends the invoice to the billing contact: it has the order's e-mail")
        company_sale = self.sale_of(company_order)
        firm = company_sale.partner_id
        self.assertEqual(firm.name, 'Kiss és Társa Kft.')
        self.assertTrue(firm.is_company)
        self.assertEqual((firm.vat, firm.shoprenter_tax_number),
            ('12345676-2-06', '12345676-2-06'))
        self.assertEqual(firm.l10n_hu_eu_vat, 'HU12345676')

        # The coupon is a discount line with its code, the gift wrapping a service
        coupon_lines = company_sale.order_line.filtered(lambda l: l.price_unit < 0)
        self.assertEqual(coupon_lines.mapped('name'), ['Coupon NYAR10 (VAT 27 %)'])
        self.assertEqual(coupon_lines.tax_ids.amount, 27.0)
        wrapping = company_sale.order_line.filtered(lambda l: l.name == 'Ajándékcsomagolás')
        self.assertEqual(wrapping.product_id.type, 'service')

        # Unknown SKUs became goods with the shop's code and net price
        product = self.env['product.product'].search(
            [('default_code', '=', self.products[0]['sku'])])
        self.assertEqual(len(product), 1)
        self.assertTrue(product.is_storable)
        self.assertEqual(product.list_price, float(Decimal(self.products[0]['price'])))
        self.assertIn(self.shop, product.shoprenter_product_ids.shop_id)

        # The stock is reserved: the product's forecast fell by the order
        self.assertEqual(self.forecast(product), -2.0)
        self.assertEqual(len(sale.picking_ids), 1)

    def test_rerun_never_duplicates_and_unmapped_vat_stops_alone(self):
        self.place_registered()
        exempt_order = self.place_exempt()
        log = self.sync()
        self.assertEqual((log.created, log.failed), (1, 1))
        error = log.entry_ids.filtered(lambda e: e.level == 'error')

        log = self.sync()
        self.assertEqual((log.created, log.unchanged, log.failed), (0, 1, 1))
        self.assertEqual(len(self.sales()), 1)

        # Once the merchant maps AAM to a tax, the stopped order imports
        self.map_exempt_tax()
        log = self.sync()
        self.assertEqual((log.created, log.failed), (1, 0))
        self.assertTrue(error.resolved)
        self.assertEqual(len(self.sales()), 2)
        self.assertEqual(self.sale_of(exempt_order).order_line[:1].tax_ids.name, '0% AAM')

    def test_registered_customer_by_id_guest_by_name_and_email(self):
        first = self.place_registered()
        again = self.place_registered(quantity=1)
        # Same e-mail, another name: another guest
        self.place_guest("kiss.anna@example.hu", 1)
        other = self.place(firstname="Béla", lastname="Kiss", email="kiss.anna@example.hu",
            payment=dict(self.guest_address, firstname="Béla"), shippingMode='1',
            paymentCode='cod', items=[{'sku': self.products[1]['sku'], 'quantity': 1}])
        self.sync()
        registered = self.sale_of(first).partner_id
        self.assertEqual(self.sale_of(again).partner_id, registered)
        self.assertEqual(registered.shoprenter_customer_ids.customer_id, self.customer['id'])
        self.assertEqual(len(self.sales().partner_id), 3)
        self.assertEqual(self.sale_of(other).partner_id.name, 'Kiss Béla')

    def test_changes_in_the_shop(self):
        registered = self.place_registered()
        guest1 = self.place_guest("kiss.anna@example.hu", 1)
        guest2 = self.place_guest("kiss.anna@example.hu", 2)
        company_order = self.place_company()
        self.sync()
        api = self.api()
        statuses = {d['name']: d['orderStatus']['href'].rsplit('/', 1)[1]
            for d in self.call(api, 'GET', 'orderStatusDescriptions',
                params={'full': 1})['items']}

        # A status change alone leaves the sale as it is
        self.call(api, 'PUT', 'orders/' + guest1['id'],
            json={'data': {'orderStatus': {'id': statuses['Feldolgozás alatt']}}})
        sale = self.sale_of(guest1)
        lines = sale.order_line.ids
        log = self.sync()
        self.assertEqual((log.created, log.updated, log.unchanged), (0, 0, 4))
        self.assertEqual(sale.order_line.ids, lines)

        # One more piece of the registered order: the sale follows, keeping its number
        sale = self.sale_of(registered)
        number = sale.name
        line, = self.call(api, 'GET', 'orderProducts',
            params={'orderId': registered['id'], 'full': 1})['items']
        self.call(api, 'PUT', 'orderProducts/' + line['id'], json={'data': {'stock1': '3'}})
        gross = Decimal(line['grossPrice'])
        for total in self.call(api, 'GET', 'orderTotals',
                params={'orderId': registered['id'], 'full': 1})['items']:
            if total['type'] in {'TOTAL', 'SUB_TOTAL_WITH_TAX'}:
                self.call(api, 'PUT', 'orderTotals/' + total['id'],
                    json={'data': {'value': str(Decimal(total['value']) + gross)}})
        log = self.sync()
        self.assertFalse(log.entry_ids.filtered(lambda e: e.level == 'error'))
        self.assertEqual((log.updated, log.failed), (1, 0))
        self.assertEqual((sale.name, sale.state, sale.shoprenter_attention),
            (number, 'sale', False))
        goods = sale.order_line.filtered(lambda l: l.product_id.is_storable)
        self.assertEqual(goods.mapped('product_uom_qty'), [3.0])
        self.assertEqual(self.forecast(goods.product_id), -3.0)
        self.assertEqual(sale.picking_ids.filtered(lambda p: p.state != 'cancel').move_ids
            .mapped('product_uom_qty'), [3.0])

        # The guest cancels the second order: its sale is cancelled, the stock free again
        self.call(api, 'PUT', 'orders/' + guest2['id'],
            json={'data': {'orderStatus': {'id': statuses['Törölve']}}})
        log = self.sync()
        self.assertEqual(log.cancelled, 1)
        sale = self.sale_of(guest2)
        self.assertEqual(sale.state, 'cancel')
        self.assertEqual((len(sale.picking_ids), len(sale.invoice_ids)), (0, 0))
        product = sale.order_line.filtered(lambda l: l.product_id.is_storable).product_id
        self.assertEqual(self.forecast(product), 0.0)

        # Once a sale's goods have left, a cancellation in the shop only flags it
        sale = self.sale_of(company_order)
        picking = sale.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, 'done')
        self.call(api, 'PUT', 'orders/' + company_order['id'],
            json={'data': {'orderStatus': {'id': statuses['Törölve']}}})
        log = self.sync()
        self.assertEqual((log.cancelled, log.updated), (0, 1))
        self.assertEqual((sale.state, sale.shoprenter_attention), ('sale', True))
        self.assertIn('was cancelled in the shop, but sale "%s" is already shipped or '
            'invoiced' % sale.name, sale.shoprenter_attention_reason)

    def test_malformed_orders_stop_alone(self):
        too_long = self.place_guest("kiss.anna@example.hu", 1)
        too_many = self.place_registered()
        sound = self.place_guest("kiss.anna@example.hu", 2)
        api = self.api()
        self.call(api, 'PUT', 'orders/' + too_long['id'],
            json={'data': {'paymentCity': 'Szeged ' * 30}})
        line, = self.call(api, 'GET', 'orderProducts',
            params={'orderId': too_many['id'], 'full': 1})['items']
        self.call(api, 'PUT', 'orderProducts/' + line['id'], json={'data': {'stock1': '1001'}})
        log = self.sync()
        self.assertEqual((log.created, log.failed), (1, 2))
        self.assertTrue(self.sale_of(sound))
        messages = {e.order_number: e.message for e in log.entry_ids if e.level == 'error'}
        self.assertIn('its field paymentCity is 210 characters long, more than the 128',
            messages[too_long['innerId']])
        self.assertIn('has the quantity 1001, and only whole numbers from 1 to 1000',
            messages[too_many['innerId']])
        # The merchant raises the maximum: the order imports
        self.shop.max_line_quantity = 2000
        log = self.sync()
        self.assertEqual((log.created, log.failed), (1, 1))
        self.assertEqual(self.sale_of(too_many).order_line[:1].product_uom_qty, 1001)

    def test_addresses(self):
        shipping_only = self.place(firstname="Béla", lastname="Nagy",
            email="nagy.bela@example.hu",
            shipping=dict(self.guest_address, firstname="Béla", lastname="Nagy"),
            shippingMode='1', paymentCode='cod',
            items=[{'sku': self.products[1]['sku'], 'quantity': 1}])
        no_address = self.place(firstname="Cecília", lastname="Tóth",
            email="toth.cili@example.hu", shippingMode='1', paymentCode='cod',
            items=[{'sku': self.products[1]['sku'], 'quantity': 1}])
        log = self.sync()
        self.assertEqual((log.created, log.failed), (2, 0))
        sale = self.sale_of(shipping_only)
        self.assertEqual(sale.partner_invoice_id, sale.partner_shipping_id)
        self.assertEqual((sale.partner_shipping_id.city, sale.partner_shipping_id.type),
            ('Szeged', 'delivery'))
        self.assertEqual((sale.state, sale.shoprenter_attention), ('sale', False))
        sale = self.sale_of(no_address)
        self.assertEqual((sale.state, sale.shoprenter_attention), ('sale', True))
        self.assertEqual(sale.partner_invoice_id, sale.partner_id)
        self.assertEqual(sale.partner_id.country_id.code, 'HU')
        self.assertEqual(sale.shoprenter_attention_reason,
            'ShopRenter order #%s has neither a billing nor a shipping address: complete '
            'the address of "Tóth Cecília" on the sale before invoicing or shipping it.'
            % no_address['innerId'])
        self.assertEqual(log.entry_ids.filtered(
            lambda e: e.order_number == no_address['innerId']).mapped('level'), ['warning'])

    def test_messages_in_hungarian(self):
        self.env['res.lang']._activate_lang('hu_HU')
        self.env['ir.module.module']._load_module_terms(['shoprenter_connector'], ['hu_HU'])
        self.shop.lang = 'hu_HU'
        self.place_exempt()
        log = self.sync()
        error = log.entry_ids.filtered(lambda e: e.level == 'error')
        self.assertIn('az ÁFA-kulcsnak („AAM”) nincs megfeleltetése', error.message)
        self.assertTrue(log.with_context(lang='hu_HU').summary.startswith('Kész: 0 új'),
            log.with_context(lang='hu_HU').summary)
