"""Which open sales can ship now: stock allocated to orders oldest first.

The warehouse's on-hand stock goes to the open sales in order of sale date
(then number): a sale is fulfillable only when every goods line is covered,
and a sale that is not fulfillable takes nothing, so no unit is promised
twice.  Incoming stock (supplier moves not yet received) then says when each
short line would be covered, again oldest order first.

The open demand is read in one SQL query, the on-hand stock in one call of
products_by_location and the incoming stock in one query; only the
allocation itself is a Python loop over the lines."""
import datetime as dt
import time
from collections import defaultdict, namedtuple
from itertools import groupby

from sql import Literal, Null
from sql.aggregate import Min, Sum
from sql.conditionals import Coalesce
from sql.operators import Concat, Like

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.transaction import Transaction
from trytond.wizard import Button, StateReport, StateView, Wizard

# A sale reserves stock while it is in one of these states
OPEN_STATES = ['confirmed', 'processing']
# ... and it is listed as an open order while it is not invoiced yet
NOT_INVOICED = ['none', 'pending']


class FulfillmentError(UserError):
    pass


Demand = namedtuple('Demand', [
        'sale', 'warehouse', 'line', 'product', 'quantity', 'invoiced'])


def open_demand_query(sale_ids=None):
    """SQL for what the open sales still have to ship, per goods line.

    Columns: sale, warehouse, line, product, quantity (in the product's
    default unit, minus what is already shipped), sale_date, number.
    Services and consumables are left out: they never block an order."""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    Product = pool.get('product.product')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Move = pool.get('stock.move')
    sale = Sale.__table__()
    line = Line.__table__()
    product = Product.__table__()
    template = Template.__table__()
    line_unit = Uom.__table__()
    default_unit = Uom.__table__()
    move = Move.__table__()
    oldest = Sale.__table__()

    open_sale = sale.state.in_(OPEN_STATES)
    company = Transaction().context.get('company')
    if company:
        open_sale &= sale.company == company
    if sale_ids is not None:
        open_sale &= sale.id.in_(sale_ids or [-1])
    # Only sales being processed have shipped moves, and none of them
    # before the oldest open sale was made
    shipped = move.select(
        move.origin.as_('origin'),
        Sum(move.internal_quantity).as_('quantity'),
        where=(move.state == 'done')
        & Like(move.origin, 'sale.line,%')
        & (move.effective_date >= oldest.select(
                Min(oldest.sale_date),
                where=oldest.state.in_(OPEN_STATES))),
        group_by=[move.origin])
    ordered = (line.quantity * line_unit.factor / default_unit.factor)
    remaining = ordered - Coalesce(shipped.quantity, 0)
    query = (sale
        .join(line, condition=line.sale == sale.id)
        .join(product, condition=line.product == product.id)
        .join(template, condition=product.template == template.id)
        .join(line_unit, condition=line.unit == line_unit.id)
        .join(default_unit, condition=template.default_uom == default_unit.id)
        .join(shipped, 'LEFT', condition=shipped.origin == Concat(
                'sale.line,', line.id))
        .select(
            sale.id.as_('sale'),
            sale.warehouse.as_('warehouse'),
            line.id.as_('line'),
            line.product.as_('product'),
            remaining.as_('quantity'),
            sale.invoice_state.as_('invoice_state'),
            sale.sale_date.as_('sale_date'),
            sale.number.as_('number'),
            where=open_sale
            & (line.type == 'line')
            & (line.quantity > 0)
            & (template.type == 'goods')
            & (template.consumable != Literal(True))
            & (sale.warehouse != Null)))
    return query


def open_demand(sale_ids=None):
    "The open demand rows, oldest sale first"
    cursor = Transaction().connection.cursor()
    query = open_demand_query(sale_ids)
    query.order_by = [
        query.columns[6], query.columns[7], query.columns[0],
        query.columns[2]]
    cursor.execute(*query)
    for sale, warehouse, line, product, quantity, invoice_state, _, _ \
            in cursor:
        yield Demand(sale, warehouse, line, product, float(quantity or 0),
            invoice_state not in NOT_INVOICED)


def incoming_query():
    """SQL for the stock on its way in: supplier moves not yet received.

    Columns: warehouse, product, date, quantity (in the default unit)."""
    pool = Pool()
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    move = Move.__table__()
    supplier = Location.__table__()
    to_location = Location.__table__()
    warehouse = Location.__table__()
    where = (move.state.in_(['draft', 'staging', 'assigned'])
        & (supplier.type == 'supplier')
        & (warehouse.type == 'warehouse'))
    company = Transaction().context.get('company')
    if company:
        where &= move.company == company
    return (move
        .join(supplier, condition=move.from_location == supplier.id)
        .join(to_location, condition=move.to_location == to_location.id)
        .join(warehouse, condition=(to_location.left >= warehouse.left)
            & (to_location.right <= warehouse.right))
        .select(
            warehouse.id.as_('warehouse'),
            move.product.as_('product'),
            move.planned_date.as_('date'),
            move.internal_quantity.as_('quantity'),
            where=where))


class Allocation:
    """The result of allocating the on-hand stock to the open sales.

    blocked: ids of the sales that cannot ship now
    lines: line id -> (allocated, shortage, due date), in the default unit
    """
    # Quantities below this are rounding noise of the unit conversions
    epsilon = 1e-6
    _last = (None, None)

    def __init__(self, demands, on_hand, incoming):
        self.blocked = set()
        self.invoiced = set()
        self.lines = {}
        self._allocate(demands, on_hand, incoming)

    @classmethod
    def get(cls):
        "The allocation for the database as this transaction sees it now"
        transaction = Transaction()
        # Computed once per state of the transaction: the list reads the
        # fulfillable flag, searches on it and reads the lines in a row
        key = (id(transaction), transaction.started_at, transaction.counter,
            transaction.database.name, transaction.context.get('company'))
        last_key, allocation = cls._last
        if last_key != key:
            allocation = cls.compute()
            cls._last = (key, allocation)
        return allocation

    @classmethod
    def compute(cls):
        pool = Pool()
        Product = pool.get('product.product')
        Date = pool.get('ir.date')
        demands = list(open_demand())
        warehouses = {d.warehouse for d in demands}
        products = {d.product for d in demands}
        on_hand = {}
        if demands:
            with Transaction().set_context(
                    stock_date_end=Date.today(), forecast=False):
                on_hand = Product.products_by_location(
                    list(warehouses), with_childs=True,
                    grouping_filter=(list(products),))
        incoming = defaultdict(list)
        cursor = Transaction().connection.cursor()
        cursor.execute(*incoming_query())
        for warehouse, product, date, quantity in cursor:
            if product in products:
                incoming[warehouse, product].append(
                    (date or dt.date.max, quantity))
        return cls(demands, on_hand, incoming)

    def _allocate(self, demands, on_hand, incoming):
        eps = self.epsilon
        remaining = defaultdict(float, on_hand)
        short_lines = []
        for sale, lines in groupby(demands, key=lambda d: d.sale):
            lines = list(lines)
            taken = {}
            for demand in lines:
                key = demand.warehouse, demand.product
                available = max(taken.get(key, remaining[key]), 0)
                allocated = min(demand.quantity, available)
                taken[key] = available - allocated
                self.lines[demand.line] = (
                    allocated, demand.quantity - allocated, None)
            if any(self.lines[d.line][1] > eps for d in lines):
                # A sale that cannot ship takes nothing from the others
                self.blocked.add(sale)
                short_lines.extend(lines)
            else:
                remaining.update(taken)
            if lines[0].invoiced:
                self.invoiced.add(sale)
        self._due_dates(short_lines, remaining, incoming)

    def _due_dates(self, short_lines, remaining, incoming):
        """The date incoming stock covers each short line.

        The stock left after the fulfillable sales plus what comes in goes
        to the blocked sales oldest first, so a younger sale waits for the
        older ones' share."""
        eps = self.epsilon
        wanted = defaultdict(float)
        arrivals = {key: sorted(moves) for key, moves in incoming.items()}
        for demand in short_lines:
            key = demand.warehouse, demand.product
            wanted[key] += demand.quantity
            allocated, shortage, _ = self.lines[demand.line]
            if shortage <= eps:
                continue
            stock = remaining[key]
            due = None
            for date, quantity in arrivals.get(key, []):
                stock += quantity
                if stock >= wanted[key] - eps:
                    due = date if date != dt.date.max else None
                    break
            self.lines[demand.line] = (allocated, shortage, due)

    def is_fulfillable(self, sale_id):
        return sale_id not in self.blocked


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    fulfillable = fields.Function(fields.Boolean(
            "Fulfillable",
            help="The warehouse's stock covers every goods line of this "
            "open sale once older open sales have taken theirs."),
        'get_fulfillable', searcher='search_fulfillable')

    @classmethod
    def get_fulfillable(cls, sales, name):
        allocation = Allocation.get()
        return {s.id: (s.state in OPEN_STATES
                and allocation.is_fulfillable(s.id))
            for s in sales}

    @classmethod
    def search_fulfillable(cls, name, clause):
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            return [('id', '=', -1)]
        wanted = bool(value) if operator == '=' else not value
        blocked = list(Allocation.get().blocked)
        if wanted:
            return [
                ('state', 'in', OPEN_STATES),
                ('id', 'not in', blocked),
                ]
        return ['OR',
            ('state', 'not in', OPEN_STATES),
            ('id', 'in', blocked),
            ]

    @classmethod
    def check_fulfillable(cls, sales, fulfillable=True):
        "Raise unless every sale is (or none is) fulfillable"
        wrong = [s for s in sales if s.fulfillable != fulfillable]
        if wrong:
            message = ('web_shop_shoprenter.msg_sale_not_fulfillable'
                if fulfillable
                else 'web_shop_shoprenter.msg_sale_fulfillable')
            raise FulfillmentError(gettext(message,
                    sales=', '.join(s.rec_name for s in wrong[:5])))


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    allocated_quantity = fields.Function(fields.Float(
            "Allocated", digits='unit',
            help="The on-hand quantity this line can have now, "
            "after the older open sales."),
        'get_allocation')
    shortage_quantity = fields.Function(fields.Float(
            "Shortage", digits='unit',
            help="What the on-hand stock lacks for this line."),
        'get_allocation')
    shortage_due_date = fields.Function(fields.Date(
            "Covered On",
            help="When stock on its way in (purchases not yet received) "
            "covers the shortage, the older open sales served first."),
        'get_allocation')

    @classmethod
    def get_allocation(cls, lines, names):
        pool = Pool()
        Uom = pool.get('product.uom')
        allocation = Allocation.get()
        result = {name: {} for name in names}
        for line in lines:
            allocated, shortage, due = allocation.lines.get(
                line.id, (None, None, None))
            if allocated is not None and line.product:
                default_unit = line.product.default_uom
                allocated = Uom.compute_qty(
                    default_unit, allocated, line.unit)
                shortage = Uom.compute_qty(default_unit, shortage, line.unit)
            values = {
                'allocated_quantity': allocated,
                'shortage_quantity': shortage,
                'shortage_due_date': due,
                }
            for name in names:
                result[name][line.id] = values[name]
        return result


# --- pick list and packing summary ----------------------------------------

def storage_locations(products, warehouse):
    """The storage location of each product in the warehouse.

    The product's own location (stock_product_location) when it has one,
    else the warehouse's storage location."""
    locations = {}
    for product in products:
        location = None
        for product_location in (
                list(product.locations) + list(product.template.locations)):
            if product_location.warehouse == warehouse:
                location = product_location.location
                break
        locations[product] = location or warehouse.storage_location
    return locations


def pick_list(sales):
    """What to take from the shelves for the sales, in walking order.

    A list of dicts: product, code, name, location, quantity, unit, sales."""
    pool = Pool()
    Uom = pool.get('product.uom')
    totals = {}
    for sale in sales:
        for line in sale.lines:
            if not _is_picked(line):
                continue
            product = line.product
            key = sale.warehouse, product
            row = totals.setdefault(key, {
                    'product': product, 'warehouse': sale.warehouse,
                    'quantity': 0, 'unit': product.default_uom,
                    'sales': []})
            row['quantity'] += Uom.compute_qty(
                line.unit, line.quantity, product.default_uom)
            if sale not in row['sales']:
                row['sales'].append(sale)
    by_warehouse = defaultdict(list)
    for (warehouse, product) in totals:
        by_warehouse[warehouse].append(product)
    for warehouse, products in by_warehouse.items():
        for product, location in storage_locations(
                products, warehouse).items():
            totals[warehouse, product]['location'] = location
    rows = list(totals.values())
    for row in rows:
        row['code'] = row['product'].code or ''
        row['name'] = row['product'].name
        row['quantity'] = row['unit'].round(row['quantity'])
    # Shelves are walked in the order of their codes (then names)
    rows.sort(key=lambda r: (r['warehouse'].rec_name,
            (r['location'].code or '') if r['location'] else '',
            r['location'].name if r['location'] else '',
            r['code'], r['name']))
    return rows


def _is_picked(line):
    return (line.type == 'line' and line.product
        and line.product.type == 'goods' and (line.quantity or 0) > 0)


def packing_summary(sales):
    """Per sale: items, quantities, delivery address, carrier and note.

    A list of dicts: sale, number, party, address, carrier, note, items
    (each: product, code, name, quantity, unit)."""
    summary = []
    for sale in sorted(sales, key=lambda s: (s.sale_date or dt.date.min,
                s.number or '', s.id)):
        items = [{
                'product': line.product,
                'code': line.product.code or '',
                'name': line.product.name,
                'description': line.description or '',
                'quantity': line.quantity,
                'unit': line.unit,
                } for line in sale.lines if _is_picked(line)]
        summary.append({
                'sale': sale,
                'number': sale.number or '',
                'reference': sale.reference or '',
                'party': sale.shipment_party or sale.party,
                'address': (sale.shipment_address.full_address
                    if sale.shipment_address else ''),
                'carrier': (sale.carrier.party.rec_name
                    if getattr(sale, 'carrier', None) else ''),
                'note': sale.comment or '',
                'items': items,
                })
    return summary


class FulfillableReportMixin:
    "A report on a selection of orders that must all be fulfillable"

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        pool = Pool()
        Sale = pool.get('sale.sale')
        Sale.check_fulfillable(records)
        context['printed_at'] = time.strftime('%Y-%m-%d %H:%M')
        return context


class PickListReport(FulfillableReportMixin, Report):
    __name__ = 'sale.shoprenter.pick_list'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['rows'] = pick_list(records)
        return context


class PackingSummaryReport(FulfillableReportMixin, Report):
    __name__ = 'sale.shoprenter.packing_summary'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['orders'] = packing_summary(records)
        return context


class PickListLine(ModelView):
    "Pick List Line"
    __name__ = 'sale.shoprenter.pick_list.line'
    location = fields.Many2One(
        'stock.location', "Storage Location", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    code = fields.Char("Code", readonly=True)
    name = fields.Char("Name", readonly=True)
    quantity = fields.Float("Quantity", digits='unit', readonly=True)
    unit = fields.Many2One('product.uom', "Unit", readonly=True)
    orders = fields.Char("Orders", readonly=True)


class PickListStart(ModelView):
    "Pick List"
    __name__ = 'sale.shoprenter.pick_list.start'
    lines = fields.One2Many(
        'sale.shoprenter.pick_list.line', None, "Lines", readonly=True)


class PickList(Wizard):
    "Pick List"
    __name__ = 'sale.shoprenter.pick_list'
    start = StateView('sale.shoprenter.pick_list.start',
        'web_shop_shoprenter.pick_list_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('sale.shoprenter.pick_list')

    def default_start(self, fields):
        self.model.check_fulfillable(self.records)
        return {'lines': [{
                    'location': r['location'].id if r['location'] else None,
                    'product': r['product'].id,
                    'code': r['code'],
                    'name': r['name'],
                    'quantity': r['quantity'],
                    'unit': r['unit'].id,
                    'orders': ', '.join(
                        s.number or str(s.id) for s in r['sales']),
                    } for r in pick_list(self.records)]}

    def do_print_(self, action):
        return action, {'ids': [s.id for s in self.records]}

    def transition_print_(self):
        return 'end'


class PackingSummaryLine(ModelView):
    "Packing Summary Line"
    __name__ = 'sale.shoprenter.packing_summary.line'
    sale = fields.Many2One('sale.sale', "Sale", readonly=True)
    party = fields.Many2One('party.party', "Party", readonly=True)
    address = fields.Text("Delivery Address", readonly=True)
    carrier = fields.Char("Carrier", readonly=True)
    note = fields.Text("Buyer Note", readonly=True)
    product = fields.Many2One('product.product', "Product", readonly=True)
    code = fields.Char("Code", readonly=True)
    name = fields.Char("Name", readonly=True)
    quantity = fields.Float("Quantity", digits='unit', readonly=True)
    unit = fields.Many2One('product.uom', "Unit", readonly=True)


class PackingSummaryStart(ModelView):
    "Packing Summary"
    __name__ = 'sale.shoprenter.packing_summary.start'
    lines = fields.One2Many(
        'sale.shoprenter.packing_summary.line', None, "Lines",
        readonly=True)


class PackingSummary(Wizard):
    "Packing Summary"
    __name__ = 'sale.shoprenter.packing_summary'
    start = StateView('sale.shoprenter.packing_summary.start',
        'web_shop_shoprenter.packing_summary_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Print", 'print_', 'tryton-print', default=True),
            ])
    print_ = StateReport('sale.shoprenter.packing_summary')

    def default_start(self, fields):
        self.model.check_fulfillable(self.records)
        lines = []
        for order in packing_summary(self.records):
            for item in order['items']:
                lines.append({
                        'sale': order['sale'].id,
                        'party': order['party'].id,
                        'address': order['address'],
                        'carrier': order['carrier'],
                        'note': order['note'],
                        'product': item['product'].id,
                        'code': item['code'],
                        'name': item['name'],
                        'quantity': item['quantity'],
                        'unit': item['unit'].id,
                        })
        return {'lines': lines}

    def do_print_(self, action):
        return action, {'ids': [s.id for s in self.records]}

    def transition_print_(self):
        return 'end'
