"""The master-data import: a preview first, Apply does what it showed, a second run changes
nothing, and the ERP's own products keep their prices and names."""
from odoo.tests import tagged

from shoprenter.sandbox.demo import seed_without_orders

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class TestMasterImport(ShopRenterCase):

    @classmethod
    def seed(cls):
        "The demo shop cut down to 12 products and 4 customers"
        seed = seed_without_orders()
        seed['products'] = [p for p in seed['products'] if p.get('sku')][:12]
        seed['customers'] = seed['customers'][:4]
        return seed

    def plan(self):
        wizard = self.env['shoprenter.master.import'].create({'shop_id': self.shop.id})
        return wizard, wizard._plan()

    def test_preview_apply_and_nothing_the_second_time(self):
        seed = self.server.sandbox._seed
        existing_item = seed['products'][0]
        existing = self.env['product.template'].create({
            'name': "Saját név", 'type': 'consu', 'is_storable': True,
            'default_code': existing_item['sku'], 'list_price': 4321.0}).product_variant_id
        action = self.shop.action_import_master_data()
        wizard = self.env['shoprenter.master.import'].browse(action['res_id'])
        self.assertIn("Products: 11 to create, 1 to link, 0 to change, 0 unchanged",
            wizard.summary)
        self.assertIn("Customers: 4 to create", wizard.summary)
        self.assertIn("VAT classes: 0 to create", wizard.summary)
        self.assertIn(f"link products: {existing_item['sku']}", wizard.summary)

        wizard.action_apply()
        skus = [p['sku'] for p in seed['products']]
        products = self.env['product.product'].search([('default_code', 'in', skus)])
        self.assertEqual(len(products), 12)
        links = self.env['shoprenter.product'].search([('shop_id', '=', self.shop.id)])
        self.assertEqual(sorted(links.mapped('default_code')), sorted(skus))
        self.assertEqual(set(links.mapped('state')), {'linked'})
        # the ERP is the truth: its product keeps its name and price
        self.assertEqual((existing.name, existing.list_price), ("Saját név", 4321.0))
        created = products.filtered(lambda p: p.default_code == seed['products'][1]['sku'])
        self.assertAlmostEqual(created.list_price, float(seed['products'][1]['price']))
        self.assertTrue(created.taxes_id, "the mapped VAT")
        customers = self.env['shoprenter.customer'].search([('shop_id', '=', self.shop.id)])
        self.assertEqual(sorted(customers.mapped('customer_id')),
            sorted(c['id'] for c in seed['customers']))
        self.assertTrue(any(customers.partner_id.child_ids.mapped('city')),
            "the customers' addresses came along")

        _, again = self.plan()
        changes = [(kind, action, label) for kind, action, label, _ in again.steps
            if action != 'unchanged']
        self.assertEqual(changes, [], "a second run changes nothing")
        self.assertGreater(len(again.steps), 16)
