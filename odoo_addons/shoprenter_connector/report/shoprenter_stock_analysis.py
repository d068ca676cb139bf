"""Stock analysis: per product and warehouse, what there is and what to buy.

One SQL view: the on-hand stock (Odoo's quants in the warehouse's internal locations), what
the open orders (confirmed, not invoiced) still have to ship, the minimum of the reordering
rules, the receipts not done yet and the main vendor, joined per warehouse and product."""
from odoo import fields, models, tools

# Row ids combine the product and the warehouse
WAREHOUSE_ID_SPAN = 100000


class ShopRenterStockAnalysis(models.Model):
    _name = 'shoprenter.stock.analysis'
    _description = "Stock analysis"
    _auto = False
    _order = 'to_procure desc, default_code, id'
    _rec_name = 'product_id'

    _depends = {
        'product.product': ['product_tmpl_id', 'default_code', 'active'],
        'product.template': ['is_storable', 'uom_id', 'active', 'company_id'],
        'product.supplierinfo': ['partner_id', 'product_code', 'sequence', 'product_id',
            'product_tmpl_id', 'company_id'],
        'stock.quant': ['product_id', 'location_id', 'quantity'],
        'stock.location': ['usage', 'warehouse_id'],
        'stock.move': ['product_id', 'product_qty', 'state', 'location_id',
            'location_dest_id', 'company_id'],
        'stock.warehouse': ['company_id', 'active'],
        'stock.warehouse.orderpoint': ['product_id', 'warehouse_id', 'product_min_qty',
            'active'],
        'sale.order': ['state', 'invoice_status', 'warehouse_id'],
        'sale.order.line': ['product_id', 'product_uom_qty', 'qty_delivered',
            'product_uom_id', 'display_type'],
        'uom.uom': ['factor'],
    }

    product_id = fields.Many2one('product.product', "Product", readonly=True)
    default_code = fields.Char("Code", readonly=True)
    warehouse_id = fields.Many2one('stock.warehouse', "Warehouse", readonly=True)
    company_id = fields.Many2one('res.company', "Company", readonly=True)
    uom_id = fields.Many2one('uom.uom', "Unit", readonly=True)
    on_hand = fields.Float("On Hand", digits='Product Unit', readonly=True)
    reserved = fields.Float(
        "Reserved", digits='Product Unit', readonly=True,
        help="What the open orders (confirmed, not invoiced) still have to ship from this "
        "warehouse.")
    free = fields.Float("Free", digits='Product Unit', readonly=True,
        help="On hand minus reserved.")
    minimum = fields.Float(
        "Minimum", digits='Product Unit', readonly=True,
        help="The minimum quantity of the product's reordering rules in the warehouse.")
    incoming = fields.Float(
        "Incoming", digits='Product Unit', readonly=True,
        help="Receipts from vendors not done yet.")
    to_procure = fields.Float(
        "To Procure", digits='Product Unit', readonly=True,
        help="Minimum plus reserved minus on hand minus incoming, never below zero.")
    vendor_id = fields.Many2one('res.partner', "Main Vendor", readonly=True,
        help="The first vendor of the product (its Purchase tab).")
    vendor_code = fields.Char("Vendor Code", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
CREATE OR REPLACE VIEW {self._table} AS (
WITH on_hand AS (
    SELECT loc.warehouse_id, q.product_id, SUM(q.quantity) AS quantity
      FROM stock_quant q
      JOIN stock_location loc ON loc.id = q.location_id
     WHERE loc.usage = 'internal' AND loc.warehouse_id IS NOT NULL
     GROUP BY loc.warehouse_id, q.product_id
), reserved AS (
    SELECT so.warehouse_id, sol.product_id,
           SUM((sol.product_uom_qty - COALESCE(sol.qty_delivered, 0))
               * line_uom.factor / product_uom.factor) AS quantity
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN uom_uom line_uom ON line_uom.id = sol.product_uom_id
      JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
     WHERE so.state = 'sale' AND so.invoice_status != 'invoiced'
       AND so.warehouse_id IS NOT NULL AND sol.display_type IS NULL
       AND sol.product_uom_qty > COALESCE(sol.qty_delivered, 0)
     GROUP BY so.warehouse_id, sol.product_id
), minimum AS (
    SELECT op.warehouse_id, op.product_id, SUM(op.product_min_qty) AS quantity
      FROM stock_warehouse_orderpoint op
     WHERE op.active
     GROUP BY op.warehouse_id, op.product_id
), incoming AS (
    SELECT dest.warehouse_id, sm.product_id, SUM(sm.product_qty) AS quantity
      FROM stock_move sm
      JOIN stock_location src ON src.id = sm.location_id
      JOIN stock_location dest ON dest.id = sm.location_dest_id
     WHERE sm.state IN ('waiting', 'confirmed', 'assigned', 'partially_available')
       AND src.usage = 'supplier' AND dest.warehouse_id IS NOT NULL
     GROUP BY dest.warehouse_id, sm.product_id
), vendor AS (
    -- each product's vendors as Odoo ranks them: by sequence, then id
    SELECT pp.id AS product_id, si.company_id, si.partner_id, si.product_code,
           ROW_NUMBER() OVER (PARTITION BY pp.id, si.company_id
                              ORDER BY si.sequence, si.id) AS rank
      FROM product_product pp
      JOIN product_supplierinfo si ON si.product_tmpl_id = pp.product_tmpl_id
           AND (si.product_id IS NULL OR si.product_id = pp.id)
)
SELECT pp.id::bigint * {WAREHOUSE_ID_SPAN} + wh.id AS id,
       pp.id AS product_id,
       pp.default_code AS default_code,
       wh.id AS warehouse_id,
       wh.company_id AS company_id,
       pt.uom_id AS uom_id,
       COALESCE(oh.quantity, 0) AS on_hand,
       COALESCE(rs.quantity, 0) AS reserved,
       COALESCE(oh.quantity, 0) - COALESCE(rs.quantity, 0) AS free,
       COALESCE(mn.quantity, 0) AS minimum,
       COALESCE(inc.quantity, 0) AS incoming,
       GREATEST(COALESCE(mn.quantity, 0) + COALESCE(rs.quantity, 0)
                - COALESCE(oh.quantity, 0) - COALESCE(inc.quantity, 0), 0) AS to_procure,
       COALESCE(own.partner_id, shared.partner_id) AS vendor_id,
       CASE WHEN own.partner_id IS NOT NULL THEN own.product_code
            ELSE shared.product_code END AS vendor_code
  FROM product_product pp
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  JOIN stock_warehouse wh ON wh.active
       AND (pt.company_id IS NULL OR pt.company_id = wh.company_id)
  LEFT JOIN on_hand oh ON oh.warehouse_id = wh.id AND oh.product_id = pp.id
  LEFT JOIN reserved rs ON rs.warehouse_id = wh.id AND rs.product_id = pp.id
  LEFT JOIN minimum mn ON mn.warehouse_id = wh.id AND mn.product_id = pp.id
  LEFT JOIN incoming inc ON inc.warehouse_id = wh.id AND inc.product_id = pp.id
  LEFT JOIN vendor own ON own.product_id = pp.id AND own.company_id = wh.company_id
       AND own.rank = 1
  LEFT JOIN vendor shared ON shared.product_id = pp.id AND shared.company_id IS NULL
       AND shared.rank = 1
 WHERE pt.is_storable AND pp.active AND pt.active
)""")
