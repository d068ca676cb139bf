"""Which open orders can ship now: the warehouses' on-hand stock allocated oldest first.

The rule is shoprenter.sync.allocation's (shared with the Tryton module). The open demand and
the incoming stock are read in one SQL query each, the on-hand stock with Odoo's own
quantities per warehouse, and the allocation runs once over plain tuples; its result is kept
on the cursor until a sale, a sale line or a stock move changes, so the list's search on the
flag, its read and the lines' figures share one computation."""
import datetime as dt
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from shoprenter.sync.allocation import allocate

ALLOCATION_KEY = 'shoprenter_allocation'
# Odoo's states of a move still to happen (its own outgoing and incoming quantities)
PENDING_MOVE_STATES = ('waiting', 'confirmed', 'assigned', 'partially_available')


def clear_allocation(env):
    "What the allocation depends on changed: the next read computes it again"
    env.cr.cache.pop(ALLOCATION_KEY, None)


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    shoprenter_fulfillable = fields.Boolean(
        "Fulfillable", compute='_compute_shoprenter_fulfillable',
        search='_search_shoprenter_fulfillable',
        help="Open (confirmed, not invoiced) and every goods line covered by the on-hand "
        "stock, allocated to the open orders oldest first.")

    @api.model
    def _shoprenter_open_domain(self):
        return [('state', '=', 'sale'), ('invoice_status', '!=', 'invoiced')]

    def _compute_shoprenter_fulfillable(self):
        allocation = self._shoprenter_allocation()
        for sale in self:
            sale.shoprenter_fulfillable = (
                sale.id in allocation['open'] and sale.id not in allocation['blocked'])

    def _search_shoprenter_fulfillable(self, operator, value):
        if operator not in ('=', '!='):
            return NotImplemented
        allocation = self._shoprenter_allocation()
        fulfillable = list(allocation['open'] - allocation['blocked'])
        if (operator == '=') == bool(value):
            return [('id', 'in', fulfillable)]
        return self._shoprenter_open_domain() + [('id', 'not in', fulfillable)]

    @api.model
    def _shoprenter_allocation(self):
        """{'lines': {line id: (allocated, short, due date)}, 'blocked': {sale ids},
        'open': {sale ids}} of the open orders of the user's companies, from the cursor's
        cache when nothing changed since"""
        cache = self.env.cr.cache
        # per transaction (its timestamp): what other transactions commit is read anew
        key = (tuple(sorted(self.env.companies.ids)), self.env.cr.now())
        cached = cache.get(ALLOCATION_KEY)
        if cached and cached[0] == key:
            return cached[1]
        self.env.flush_all()
        rows, open_ids = self._shoprenter_open_demand()
        on_hand = self._shoprenter_on_hand({(r[1], r[3]) for r in rows})
        lines, blocked, _ = allocate(rows, on_hand, self._shoprenter_incoming())
        result = {'lines': lines, 'blocked': blocked, 'open': open_ids}
        cache[ALLOCATION_KEY] = (key, result)
        return result

    @api.model
    def _shoprenter_open_demand(self):
        """The open orders' goods still to ship, oldest order first, as allocate takes them:
        (sale, warehouse, line, product, quantity in the product's unit, invoiced); and
        the ids of every open order (those without goods are fulfillable)"""
        self.env.cr.execute("""
            SELECT so.id, so.warehouse_id, sol.id, sol.product_id,
                   sol.product_uom_qty - COALESCE(sol.qty_delivered, 0),
                   sol.product_uom_id, pt.uom_id
              FROM sale_order so
              JOIN sale_order_line sol ON sol.order_id = so.id
              JOIN product_product pp ON pp.id = sol.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE so.state = 'sale' AND so.invoice_status != 'invoiced'
               AND so.company_id = ANY(%s) AND so.warehouse_id IS NOT NULL
               AND sol.display_type IS NULL AND pt.is_storable
               AND sol.product_uom_qty > COALESCE(sol.qty_delivered, 0)
             ORDER BY so.date_order, so.name, so.id, sol.sequence, sol.id
        """, [self.env.companies.ids])
        fetched = self.env.cr.fetchall()
        Uom = self.env['uom.uom']
        rows = []
        for sale, warehouse, line, product, quantity, line_uom, product_uom in fetched:
            if line_uom != product_uom:
                quantity = Uom.browse(line_uom)._compute_quantity(
                    quantity, Uom.browse(product_uom), round=False)
            rows.append((sale, warehouse, line, product, float(quantity), False))
        self.env.cr.execute("""
            SELECT id FROM sale_order
             WHERE state = 'sale' AND invoice_status != 'invoiced' AND company_id = ANY(%s)
        """, [self.env.companies.ids])
        return rows, {sale for sale, in self.env.cr.fetchall()}

    @api.model
    def _shoprenter_on_hand(self, keys):
        "{(warehouse, product): on-hand quantity} for keys, one query set per warehouse"
        by_warehouse = defaultdict(list)
        for warehouse, product in keys:
            by_warehouse[warehouse].append(product)
        on_hand = {}
        for warehouse, product_ids in by_warehouse.items():
            products = self.env['product.product'].browse(product_ids).with_context(
                warehouse_id=warehouse)
            figures = products._compute_quantities_dict(None, None, None)
            for product_id in product_ids:
                on_hand[warehouse, product_id] = figures[product_id]['qty_available']
        return on_hand

    @api.model
    def _shoprenter_incoming(self):
        """{(warehouse, product): [(date, quantity)]}: receipts from suppliers not done yet,
        into a location of a warehouse"""
        self.env.cr.execute("""
            SELECT wh.id, sm.product_id, sm.date, sm.product_qty
              FROM stock_move sm
              JOIN stock_location src ON src.id = sm.location_id
              JOIN stock_location dest ON dest.id = sm.location_dest_id
              JOIN stock_warehouse wh ON wh.id = dest.warehouse_id
             WHERE sm.state IN %s AND src.usage = 'supplier'
               AND sm.company_id = ANY(%s)
        """, [PENDING_MOVE_STATES, self.env.companies.ids])
        incoming = defaultdict(list)
        for warehouse, product, date, quantity in self.env.cr.fetchall():
            incoming[warehouse, product].append(
                (date.date() if date else dt.date.max, float(quantity)))
        return dict(incoming)

    def _shoprenter_check_fulfillable(self, fulfillable=True):
        "Stop with a message naming the selected orders that are (not) fulfillable"
        wrong = self.filtered(lambda s: s.shoprenter_fulfillable != fulfillable)
        if not wrong:
            return
        names = ', '.join(wrong.mapped('name'))
        if fulfillable:
            raise UserError(self.env._(
                "These orders cannot ship now, so they are not picked or packed: %(orders)s. "
                "Leave them out of the selection (filter Fulfillable).", orders=names))
        raise UserError(self.env._(
            "These orders can ship now, there is nothing to procure for them: %(orders)s. "
            "Select orders with the filter Not Fulfillable.", orders=names))

    def action_shoprenter_pick_list(self):
        "The pick list of the selection, on screen (its Print menu gives the PDF)"
        self._shoprenter_check_fulfillable()
        return self._shoprenter_html_report('shoprenter_connector.action_report_pick_list')

    def action_shoprenter_packing_summary(self):
        self._shoprenter_check_fulfillable()
        return self._shoprenter_html_report(
            'shoprenter_connector.action_report_packing_summary')

    def _shoprenter_html_report(self, xmlid):
        action = self.env.ref(xmlid).report_action(self)
        action['report_type'] = 'qweb-html'
        return action

    def action_shoprenter_procure(self):
        "What to procure for the selected orders that cannot ship"
        self._shoprenter_check_fulfillable(fulfillable=False)
        return self.env['shoprenter.procure.wizard']._open_for(self)

    # What the allocation depends on

    @api.model_create_multi
    def create(self, vals_list):
        clear_allocation(self.env)
        return super().create(vals_list)

    def write(self, vals):
        clear_allocation(self.env)
        return super().write(vals)
