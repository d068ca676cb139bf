"""What to buy for the open sales that cannot ship, and the draft purchases.

For a selection of sales that are not fulfillable: the shortage of their
lines per product and warehouse, minus what is already on its way in, and
in one click draft purchases grouped by each product's default supplier."""
from collections import defaultdict

from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import PYSONEncoder
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from shoprenter.sync.allocation import EPSILON

from .fulfillment import Allocation, incoming_query


def incoming_totals(keys):
    "Quantity on its way in per (warehouse, product) among keys"
    cursor = Transaction().connection.cursor()
    cursor.execute(*incoming_query())
    totals = defaultdict(float)
    for warehouse, product, _, quantity in cursor:
        if (warehouse, product) in keys:
            totals[warehouse, product] += quantity
    return totals


def procurement_summary(sales):
    """Per product and warehouse: the selection's shortage, the incoming
    quantity and what remains to procure, with the default supplier.

    A list of dicts: product, warehouse, unit, shortage, incoming,
    quantity, product_supplier, supplier, supplier_code."""
    pool = Pool()
    Product = pool.get('product.product')
    Location = pool.get('stock.location')
    allocation = Allocation.get()
    shortages = defaultdict(float)
    for sale in sales:
        for line in sale.lines:
            _, shortage, _ = allocation.lines.get(line.id, (0, 0, None))
            if shortage and shortage > EPSILON:
                shortages[sale.warehouse.id, line.product.id] += shortage
    incoming = incoming_totals(set(shortages))
    rows = []
    for (warehouse_id, product_id), shortage in shortages.items():
        product = Product(product_id)
        product_supplier = next(iter(product.product_suppliers_used()), None)
        unit = product.default_uom
        rows.append({
                'product': product,
                'warehouse': Location(warehouse_id),
                'unit': unit,
                'shortage': unit.round(shortage),
                'incoming': unit.round(incoming[warehouse_id, product_id]),
                'quantity': unit.round(max(
                        shortage - incoming[warehouse_id, product_id], 0)),
                'product_supplier': product_supplier,
                'supplier': (product_supplier.party
                    if product_supplier else None),
                'supplier_code': (product_supplier.code or ''
                    if product_supplier else ''),
                })
    rows.sort(key=lambda r: (
            r['supplier'].rec_name if r['supplier'] else '',
            r['product'].code or '', r['product'].rec_name))
    return rows


def draft_purchases(rows):
    """Draft purchases for the rows with a quantity and a supplier, one per
    supplier and warehouse, the lines carrying the supplier's product."""
    pool = Pool()
    Purchase = pool.get('purchase.purchase')
    Line = pool.get('purchase.line')
    Uom = pool.get('product.uom')
    company = Transaction().context.get('company')
    purchases = {}
    for row in rows:
        if not row['quantity'] or not row['product_supplier']:
            continue
        key = row['supplier'], row['warehouse']
        if key not in purchases:
            purchase = Purchase(
                company=company, party=row['supplier'],
                warehouse=row['warehouse'], lines=[])
            purchase.on_change_party()
            purchases[key] = purchase
        purchase = purchases[key]
        line = Line(purchase=purchase, type='line', product=row['product'])
        line.product_supplier = row['product_supplier']
        line.on_change_product()
        line.product_supplier = row['product_supplier']
        line.quantity = Uom.compute_qty(
            row['unit'], row['quantity'], line.unit, round=False)
        line.quantity = line.unit.ceil(line.quantity)
        line.on_change_quantity()
        purchase.lines = list(purchase.lines) + [line]
    purchases = list(purchases.values())
    Purchase.save(purchases)
    return purchases


class ProcureLine(ModelView):
    "Procurement Line"
    __name__ = 'sale.shoprenter.procure.line'
    __string__ = "Procurement Line"
    product = fields.Many2One('product.product', "Product", readonly=True)
    warehouse = fields.Many2One(
        'stock.location', "Warehouse", readonly=True)
    unit = fields.Many2One('product.uom', "Unit", readonly=True)
    shortage = fields.Float(
        "Shortage", digits='unit', readonly=True,
        help="What the selected sales lack from the on-hand stock.")
    incoming = fields.Float(
        "Incoming", digits='unit', readonly=True,
        help="Purchased but not received yet.")
    quantity = fields.Float(
        "To Procure", digits='unit',
        help="Shortage minus incoming: the quantity to purchase.")
    product_supplier = fields.Many2One(
        'purchase.product_supplier', "Supplier's Product", readonly=True)
    supplier = fields.Many2One('party.party', "Supplier", readonly=True)
    supplier_code = fields.Char("Supplier Code", readonly=True)


class ProcureStart(ModelView):
    "What to Procure"
    __name__ = 'sale.shoprenter.procure.start'
    __string__ = "What to Procure"
    lines = fields.One2Many(
        'sale.shoprenter.procure.line', None, "Lines")


class Procure(Wizard):
    "What to Procure"
    __name__ = 'sale.shoprenter.procure'
    start = StateView('sale.shoprenter.procure.start',
        'web_shop_shoprenter.procure_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Create Draft Purchases", 'purchase', 'tryton-ok',
                default=True),
            ])
    purchase = StateAction('purchase.act_purchase_form')

    def default_start(self, fields):
        self.model.check_fulfillable(self.records, fulfillable=False)
        return {'lines': [{
                    'product': r['product'].id,
                    'warehouse': r['warehouse'].id,
                    'unit': r['unit'].id,
                    'shortage': r['shortage'],
                    'incoming': r['incoming'],
                    'quantity': r['quantity'],
                    'product_supplier': (r['product_supplier'].id
                        if r['product_supplier'] else None),
                    'supplier': r['supplier'].id if r['supplier'] else None,
                    'supplier_code': r['supplier_code'],
                    } for r in procurement_summary(self.records)]}

    def do_purchase(self, action):
        rows = [{
                'product': line.product,
                'warehouse': line.warehouse,
                'unit': line.unit,
                'quantity': line.quantity,
                'product_supplier': line.product_supplier,
                'supplier': line.supplier,
                } for line in self.start.lines]
        purchases = draft_purchases(rows)
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [p.id for p in purchases])])
        return action, {}
