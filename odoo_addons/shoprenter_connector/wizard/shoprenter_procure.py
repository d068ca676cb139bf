"""What to procure for the open orders that cannot ship, and their draft purchase orders.

For the selected orders: the shortage of their lines per product and warehouse (from the
oldest-first allocation), minus what is already on its way in; in one click, draft purchase
orders grouped by each product's main vendor (its first product.supplierinfo)."""
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from shoprenter.sync.allocation import EPSILON


def main_vendor(product, company):
    "The product's main vendor line: its first supplierinfo for the company"
    return product.seller_ids.filtered(
        lambda s: s.company_id in (company, company.browse())
        and (not s.product_id or s.product_id == product))[:1]


class ShopRenterProcureWizard(models.TransientModel):
    _name = 'shoprenter.procure.wizard'
    _description = "What to procure for webshop orders"

    sale_ids = fields.Many2many('sale.order', string="Orders", readonly=True)
    line_ids = fields.One2many('shoprenter.procure.wizard.line', 'wizard_id', "To Procure")

    @api.model
    def _summary(self, sales):
        """Per warehouse and product the selection's shortage, what is incoming and what
        remains to procure, with the main vendor: a list of line values"""
        allocation = self.env['sale.order']._shoprenter_allocation()['lines']
        shortages = defaultdict(float)
        for sale in sales:
            for line in sale.order_line:
                _, short, _ = allocation.get(line.id, (0.0, 0.0, None))
                if short > EPSILON:
                    shortages[sale.warehouse_id.id, line.product_id.id] += short
        incoming = defaultdict(float)
        for key, arrivals in self.env['sale.order']._shoprenter_incoming().items():
            if key in shortages:
                incoming[key] = sum(quantity for _, quantity in arrivals)
        rows = []
        for (warehouse_id, product_id), short in shortages.items():
            product = self.env['product.product'].browse(product_id)
            warehouse = self.env['stock.warehouse'].browse(warehouse_id)
            vendor = main_vendor(product, warehouse.company_id)
            rows.append({
                'product_id': product_id, 'warehouse_id': warehouse_id,
                'shortage': short, 'incoming': incoming[warehouse_id, product_id],
                'quantity': max(0.0, short - incoming[warehouse_id, product_id]),
                'supplierinfo_id': vendor.id or False,
                'partner_id': vendor.partner_id.id or False,
                'vendor_code': vendor.product_code or False})
        rows.sort(key=lambda r: (
            self.env['res.partner'].browse(r['partner_id']).name or '',
            self.env['product.product'].browse(r['product_id']).default_code or '',
            r['product_id']))
        return rows

    @api.model
    def _open_for(self, sales):
        wizard = self.create({'sale_ids': [fields.Command.set(sales.ids)],
            'line_ids': [fields.Command.create(row) for row in self._summary(sales)]})
        return {
            'type': 'ir.actions.act_window', 'res_model': self._name, 'res_id': wizard.id,
            'view_mode': 'form', 'target': 'new', 'name': self.env._("What to Procure")}

    def action_create_purchases(self):
        "Draft purchase orders, one per vendor and warehouse, carrying the vendors' codes"
        self.ensure_one()
        groups = defaultdict(lambda: self.env['shoprenter.procure.wizard.line'])
        for line in self.line_ids:
            if line.quantity > EPSILON and line.partner_id:
                groups[line.partner_id, line.warehouse_id] |= line
        if not groups:
            raise UserError(self.env._(
                "Nothing to purchase: every line is covered by incoming stock or has no "
                "vendor (add one on the product's Purchase tab)."))
        orders = self.env['purchase.order']
        for (partner, warehouse), lines in groups.items():
            orders |= self.env['purchase.order'].with_company(warehouse.company_id).create({
                'partner_id': partner.id, 'company_id': warehouse.company_id.id,
                'picking_type_id': warehouse.in_type_id.id,
                'origin': ', '.join(self.sale_ids.mapped('name'))[:200],
                'order_line': [fields.Command.create({
                        'product_id': line.product_id.id, 'product_qty': line.quantity,
                        'product_uom_id': line.product_id.uom_id.id})
                    for line in lines]})
        return {
            'type': 'ir.actions.act_window', 'res_model': 'purchase.order',
            'name': self.env._("Draft Purchase Orders"), 'view_mode': 'list,form',
            'domain': [('id', 'in', orders.ids)], 'target': 'current'}


class ShopRenterProcureWizardLine(models.TransientModel):
    _name = 'shoprenter.procure.wizard.line'
    _description = "What to procure: a product"

    wizard_id = fields.Many2one('shoprenter.procure.wizard', required=True, ondelete='cascade')
    product_id = fields.Many2one('product.product', required=True, readonly=True)
    default_code = fields.Char(related='product_id.default_code')
    warehouse_id = fields.Many2one('stock.warehouse', required=True, readonly=True)
    uom_id = fields.Many2one(related='product_id.uom_id')
    shortage = fields.Float(
        digits='Product Unit', readonly=True,
        help="What the selected orders lack from the on-hand stock.")
    incoming = fields.Float(
        digits='Product Unit', readonly=True, help="Purchased but not received yet.")
    quantity = fields.Float(
        "To Procure", digits='Product Unit',
        help="Shortage minus incoming: the quantity to purchase.")
    supplierinfo_id = fields.Many2one('product.supplierinfo', readonly=True)
    partner_id = fields.Many2one('res.partner', "Vendor", readonly=True)
    vendor_code = fields.Char("Vendor Code", readonly=True)
