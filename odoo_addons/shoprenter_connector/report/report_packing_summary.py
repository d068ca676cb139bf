"""The packing summary of a selection of fulfillable orders: per order what goes in the
parcel, where it goes, with which carrier, and what the buyer asked."""
from odoo import api, fields, models


class ReportPackingSummary(models.AbstractModel):
    _name = 'report.shoprenter_connector.report_packing_summary'
    _description = "Packing summary of webshop orders"

    @api.model
    def _get_report_values(self, docids, data=None):
        sales = self.env['sale.order'].browse(docids)
        sales._shoprenter_check_fulfillable()
        return {'doc_ids': docids, 'doc_model': 'sale.order', 'docs': sales,
            'orders': self._orders(sales),
            'printed_at': fields.Datetime.context_timestamp(self, fields.Datetime.now())}

    @api.model
    def _orders(self, sales):
        orders = []
        for sale in sales.sorted(lambda s: (s.date_order, s.name, s.id)):
            shipping = sale.partner_shipping_id or sale.partner_id
            orders.append({
                'sale': sale, 'number': sale.name, 'reference': sale.client_order_ref or '',
                'partner': shipping,
                'address': shipping._display_address(without_company=False).strip(),
                'carrier': sale.carrier_id.name or '',
                'note': sale.shoprenter_comment or '',
                'items': [{'code': line.product_id.default_code or '',
                        'name': line.product_id.name,
                        'quantity': line.product_uom_qty - line.qty_delivered,
                        'unit': line.product_uom_id}
                    for line in sale.order_line if line._shoprenter_is_picked()],
                })
        return orders
