"""The stock analysis report: every column on a prepared data set, computed by hand."""
import datetime as dt

from odoo.tests import tagged

from . import test_fulfillment
from .test_stock_push import StockPushCase


@tagged('post_install', '-at_install')
class TestStockAnalysis(StockPushCase):

    order = test_fulfillment.TestFulfillment.order
    incoming = test_fulfillment.TestFulfillment.incoming

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env['res.partner'].create({'name': "Nagy Béla"})
        cls.vendor = cls.env['res.partner'].create({'name': "Nagyker Kft."})
        cls.second_vendor = cls.env['res.partner'].create({'name': "Import Bt."})

    def minimum(self, product, quantity):
        self.env['stock.warehouse.orderpoint'].create({
            'product_id': product.id, 'warehouse_id': self.warehouse.id,
            'location_id': self.stock.id, 'product_min_qty': quantity,
            'product_max_qty': quantity * 2, 'company_id': self.company.id})

    def analysis(self, domain=()):
        Analysis = self.env['shoprenter.stock.analysis']
        Analysis.flush_model()
        self.env.flush_all()
        return Analysis.search([('warehouse_id', '=', self.warehouse.id)] + list(domain))

    def columns(self, row):
        return (row.on_hand, row.reserved, row.free, row.minimum, row.incoming,
            row.to_procure, row.vendor_id, row.vendor_code or False)

    def test_every_column(self):
        apple, pear, plum, fig = [self.make_product(item) for item in self.items[:4]]
        self.env['product.supplierinfo'].create([
            {'partner_id': self.second_vendor.id, 'product_tmpl_id': pear.product_tmpl_id.id,
                'product_code': "IB-KORTE", 'sequence': 5},
            {'partner_id': self.vendor.id, 'product_tmpl_id': pear.product_tmpl_id.id,
                'product_code': "NK-KORTE", 'sequence': 1},
            {'partner_id': self.vendor.id, 'product_tmpl_id': plum.product_tmpl_id.id},
        ])
        # apple: 10 on hand, 4 reserved, minimum 8, 3 incoming: 8 + 4 - 10 - 3 < 0
        self.receive(apple, 10)
        self.minimum(apple, 8)
        self.incoming(apple, 3, dt.date.today() + dt.timedelta(days=5))
        # pear: 2 on hand, 5 reserved (one order of 6 with 1 delivered), minimum 3,
        # 1 incoming: 3 + 5 - 2 - 1 = 5
        self.receive(pear, 3)
        sale = self.order([(pear, 6), (apple, 4)], days_ago=1)
        picking = sale.picking_ids
        pear_move = picking.move_ids.filtered(lambda m: m.product_id == pear)
        apple_move = picking.move_ids.filtered(lambda m: m.product_id == apple)
        picking.action_assign()
        pear_move.quantity = 1
        apple_move.quantity = 0
        pear_move.picked = True
        picking.with_context(cancel_backorder=False, skip_backorder=True)._action_done()
        self.minimum(pear, 3)
        self.incoming(pear, 1, dt.date.today() + dt.timedelta(days=2))
        # plum: nothing but a vendor without a code; fig: nothing at all
        rows = {row.product_id: row for row in self.analysis()
            if row.product_id in (apple, pear, plum, fig)}
        self.assertEqual(self.columns(rows[apple]), (10, 4, 6, 8, 3, 0, apple.seller_ids.partner_id, False))
        self.assertEqual(sale.order_line.filtered(lambda l: l.product_id == pear).qty_delivered, 1)
        self.assertEqual(self.columns(rows[pear]), (2, 5, -3, 3, 1, 5, self.vendor, "NK-KORTE"))
        self.assertEqual(self.columns(rows[plum]), (0, 0, 0, 0, 0, 0, self.vendor, False))
        self.assertEqual(self.columns(rows[fig]), (0, 0, 0, 0, 0, 0,
            self.env['res.partner'], False))
        self.assertEqual(rows[pear].default_code, pear.default_code)
        self.assertEqual(rows[pear].uom_id, pear.uom_id)

        # the filters: to procure, vendor, search by name or code
        self.assertEqual(self.analysis([('to_procure', '>', 0)]).product_id, pear)
        self.assertEqual(self.analysis([('vendor_id', '=', self.vendor.id)]).product_id,
            pear | plum)
        self.assertIn(pear, self.analysis([('default_code', 'ilike', pear.default_code)])
            .product_id)
        self.assertIn(apple, self.analysis([('product_id', 'ilike', apple.name)]).product_id)

    def test_exportable(self):
        apple = self.make_product(self.items[5])
        self.receive(apple, 2)
        rows = self.analysis([('product_id', '=', apple.id)])
        exported = rows.export_data(['default_code', 'on_hand', 'to_procure'])['datas']
        self.assertEqual(exported, [[apple.default_code, 2.0, 0.0]])
