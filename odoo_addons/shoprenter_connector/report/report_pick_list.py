"""The pick list of a selection of fulfillable orders: what to take from which shelf."""
from odoo import api, fields, models


class ReportPickList(models.AbstractModel):
    _name = 'report.shoprenter_connector.report_pick_list'
    _description = "Pick list of webshop orders"

    @api.model
    def _get_report_values(self, docids, data=None):
        sales = self.env['sale.order'].browse(docids)
        sales._shoprenter_check_fulfillable()
        return {'doc_ids': docids, 'doc_model': 'sale.order', 'docs': sales,
            'rows': self._rows(sales),
            'printed_at': fields.Datetime.context_timestamp(self, fields.Datetime.now())}

    @api.model
    def _rows(self, sales):
        """Per warehouse and product: the quantity to pick, its storage location (where
        Odoo's putaway rules store it), the orders it is for; in shelf order"""
        totals = {}
        for sale in sales:
            for line in sale.order_line.filtered(lambda l: l._shoprenter_is_picked()):
                product = line.product_id
                row = totals.setdefault((sale.warehouse_id, product), {
                    'warehouse': sale.warehouse_id, 'product': product,
                    'code': product.default_code or '', 'name': product.name,
                    'unit': product.uom_id, 'quantity': 0.0, 'sales': sale.browse()})
                row['quantity'] += line.product_uom_id._compute_quantity(
                    line.product_uom_qty - line.qty_delivered, product.uom_id)
                row['sales'] |= sale
        for (warehouse, product), row in totals.items():
            row['location'] = warehouse.lot_stock_id._get_putaway_strategy(product)
        # Shelves are walked in the order of their names, then the codes
        return sorted(totals.values(), key=lambda r: (
            r['warehouse'].name, r['location'].complete_name or '', r['code'], r['name']))
