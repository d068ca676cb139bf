"""Which open sales can ship now: stock allocated to orders oldest first.

The warehouse's on-hand stock goes to the open sales in order of sale date
(then number): a sale is fulfillable only when every goods line is covered,
and a sale that is not fulfillable takes nothing, so no unit is promised
twice.  Incoming stock (supplier moves not yet received) then says when each
short line would be covered, again oldest order first.

The open demand is read in one SQL query, the on-hand stock with the query
products_by_location runs and the incoming stock in one query; only the
allocation itself is a Python loop over plain tuples.  The result is kept
in a Tryton cache, cleared whenever a sale, a sale line, a stock move, a
product, a unit or a location changes: the list's search on the flag, its
read of the flag, the tab counts and the line figures, each a call of the
client of its own, share one computation, and none of them instantiates a
record per line."""
import copy
import datetime as dt
import time
from collections import defaultdict, namedtuple

from sql import Literal, Null, Table
from sql.aggregate import Min, Sum
from sql.conditionals import Coalesce
from sql.operators import Concat, Like

from trytond.cache import Cache
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.model.fields.function import getter_context
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateReport, StateView, Wizard

from shoprenter.sync.allocation import allocate

# A sale reserves stock while it is in one of these states
OPEN_STATES = ['confirmed', 'processing']
# ... and it is listed as an open order while it is not invoiced yet
NOT_INVOICED = ['none', 'pending']


class FulfillmentError(UserError):
    pass


# The allocation is computed once for all the calls of the client (each a
# transaction of its own) until what it depends on changes: the
# on_modification hooks below clear it.  A clear reaches this process at
# once; other processes see it at their next cache sync, and last_change
# makes them see it at once too.  The duration bounds what last_change may
# miss: two clears in one second (SQLite's clock), or one that lands between
# a commit and the computation of another process.
ALLOCATION_CACHE = 'sale.sale.shoprenter_allocation'
allocation_cache = Cache(ALLOCATION_CACHE, context=False,
    duration=dt.timedelta(minutes=1))


def last_change():
    """When a committed transaction last cleared the allocation cache.

    Tryton writes it to ir_cache (unless the database notifies the other
    processes itself), so a process sees the changes of the others
    without waiting for its cache sync (clean_timeout)."""
    ir_cache = Table('ir_cache')
    cursor = Transaction().connection.cursor()
    cursor.execute(*ir_cache.select(ir_cache.timestamp,
            where=ir_cache.name == ALLOCATION_CACHE))
    row = cursor.fetchone()
    return row[0] if row else None


class AllocationChanges:
    "Clears the allocation cache when records it depends on change"
    __slots__ = ()

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        allocation_cache.clear()


Demand = namedtuple('Demand', [
        'sale', 'warehouse', 'line', 'product', 'quantity', 'invoiced',
        'unit', 'default_unit'])


def open_demand_query(sale_ids=None):
    """SQL for what the open sales still have to ship, per goods line.

    Columns: sale, warehouse, line, product, quantity (in the product's
    default unit, minus what is already shipped), invoice_state, sale_date,
    number, unit (the line's), default_unit.
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
            line.unit.as_('unit'),
            template.default_uom.as_('default_unit'),
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
    for (sale, warehouse, line, product, quantity, invoice_state, _, _,
            unit, default_unit) in cursor:
        yield Demand(sale, warehouse, line, product, float(quantity or 0),
            invoice_state not in NOT_INVOICED, unit, default_unit)


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


def on_hand_quantities(warehouse_ids, product_ids, default_units):
    """The on-hand quantity of the products in each warehouse, today.

    (warehouse, product) -> quantity in the product's default unit, rounded
    to it: what products_by_location(warehouse_ids, with_childs=True)
    returns with stock_date_end today, computed by the same query
    (Move.compute_quantities_query: periods, flat children, states and
    dates as Tryton counts them) but without its per-product record reads.
    The whole warehouse counts (stock_skip_warehouse is off).
    default_units: product id -> its default unit id."""
    pool = Pool()
    Move = pool.get('stock.move')
    Date = pool.get('ir.date')
    Uom = pool.get('product.uom')
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    quantities = defaultdict(float)
    if not warehouse_ids or not product_ids:
        return quantities
    product_ids = list(product_ids)
    with transaction.set_context(stock_date_end=Date.today(),
            forecast=False, stock_skip_warehouse=False):
        # One location per query: all the moves it returns belong to that
        # warehouse, as products_by_location sums them for one location
        for warehouse in warehouse_ids:
            query = Move.compute_quantities_query([warehouse],
                with_childs=True, grouping=('product',),
                grouping_filter=(product_ids,))
            cursor.execute(*query)
            for _, product, quantity in cursor:
                quantities[warehouse, product] += quantity
    units = {u.id: u for u in Uom.browse(list(set(default_units.values())))}
    for key, quantity in quantities.items():
        quantities[key] = units[default_units[key[1]]].round(quantity)
    return quantities


class Allocation:
    """The result of allocating the on-hand stock to the open sales.

    open_sales: ids of the sales in an open state
    blocked: ids of the open sales that cannot ship now
    invoiced: ids of the open sales already invoiced
    lines: line id -> (allocated, shortage, due date), in the product's
        default unit
    figures: line id -> (allocated, shortage, due date), in the line's unit
        (what the line shows), converted on first use

    The allocation itself is the shared rule (shoprenter.sync.allocation);
    this class reads its inputs from the database and keeps its result."""

    def __init__(self, rows, on_hand, incoming, open_sales=()):
        "rows: the open demand as open_demand_query returns it, sorted"
        self.open_sales = set(open_sales)
        self._figures = None
        self._rows = rows
        self.lines, self.blocked, self.invoiced = allocate(rows, on_hand, incoming)

    @property
    def figures(self):
        # The list reads only the flag; the line figures are for the form
        if self._figures is None:
            self._figures = self._line_figures(self._rows)
        return self._figures

    def __copy__(self):
        # The cache copies what it stores; an allocation is never changed
        # once computed (but for its lazy figures), so it is shared
        return self

    @classmethod
    def get(cls):
        "The allocation for the database as it stands, computed once"
        pool = Pool()
        Date = pool.get('ir.date')
        key = (Transaction().context.get('company'), Date.today())
        changed = last_change()
        cached = allocation_cache.get(key)
        if cached is not None and cached[0] == changed:
            return cached[1]
        allocation = cls.compute()
        allocation_cache.set(key, (changed, allocation))
        return allocation

    @classmethod
    def compute(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        transaction = Transaction()
        cursor = transaction.connection.cursor()

        query = open_demand_query()
        columns = {c.output_name: c for c in query.columns}
        # Oldest sale first; only the columns the allocation uses
        query.order_by = [columns[c].expression
            for c in ['sale_date', 'number', 'sale', 'line']]
        query.columns = [columns[c] for c in [
                'sale', 'warehouse', 'line', 'product', 'quantity',
                'invoice_state', 'unit', 'default_unit']]
        cursor.execute(*query)
        not_invoiced = set(NOT_INVOICED)
        rows = [(sale, warehouse, line, product, float(quantity or 0),
                invoice_state not in not_invoiced, unit, default_unit)
            for (sale, warehouse, line, product, quantity, invoice_state,
                unit, default_unit) in cursor]
        warehouses = {r[1] for r in rows}
        products = {r[3] for r in rows}

        on_hand = on_hand_quantities(warehouses, products,
            {r[3]: r[7] for r in rows})

        incoming = defaultdict(list)
        cursor.execute(*incoming_query())
        for warehouse, product, date, quantity in cursor:
            if product in products:
                incoming[warehouse, product].append(
                    (date or dt.date.max, quantity))

        sale = Sale.__table__()
        cursor.execute(*sale.select(sale.id,
                where=sale.state.in_(OPEN_STATES)))
        open_sales = [i for i, in cursor]
        return cls(rows, on_hand, incoming, open_sales)

    def _line_figures(self, rows):
        "The figures of each line in its own unit, rounded as Tryton does"
        pool = Pool()
        Uom = pool.get('product.uom')
        units = {}
        conversions = {}
        lines = self.lines
        figures = {}
        for row in rows:
            line, unit, default_unit = row[2], row[6], row[7]
            allocated, shortage, due = lines[line]
            try:
                converted = conversions[default_unit, unit]
            except KeyError:
                converted = conversions[default_unit, unit] = {}
                for unit_id in (default_unit, unit):
                    if unit_id not in units:
                        units[unit_id] = Uom(unit_id)
            try:
                allocated = converted[allocated]
            except KeyError:
                allocated = converted[allocated] = Uom.compute_qty(
                    units[default_unit], allocated, units[unit])
            try:
                shortage = converted[shortage]
            except KeyError:
                shortage = converted[shortage] = Uom.compute_qty(
                    units[default_unit], shortage, units[unit])
            figures[line] = (allocated, shortage, due)
        return figures

    def is_fulfillable(self, sale_id):
        return sale_id in self.open_sales and sale_id not in self.blocked


class IdFunction(fields.Function):
    """A Function field whose getter takes ids and names, not records.

    Function.get instantiates the records of every batch it reads (and,
    unless Python runs with -O, checks each record's whole batch, which
    is quadratic); reading the fulfillable flag or the line figures of
    thousands of rows only needs their ids."""

    def __copy__(self):
        return IdFunction(copy.copy(self._field), self.getter,
            setter=self.setter, searcher=self.searcher,
            getter_with_context=self.getter_with_context,
            loading=self.loading)

    def __deepcopy__(self, memo):
        return IdFunction(copy.deepcopy(self._field, memo), self.getter,
            setter=self.setter, searcher=self.searcher,
            getter_with_context=self.getter_with_context,
            loading=self.loading)

    @getter_context
    @without_check_access
    def get(self, ids, Model, name, values=None):
        names = name if isinstance(name, list) else [name]
        result = getattr(Model, self.getter)(ids, names)
        return result if isinstance(name, list) else result[name]


class Sale(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'sale.sale'

    fulfillable = IdFunction(fields.Boolean(
            "Fulfillable",
            help="The warehouse's stock covers every goods line of this "
            "open sale once older open sales have taken theirs."),
        'get_fulfillable', searcher='search_fulfillable')

    @classmethod
    def get_fulfillable(cls, ids, names):
        "Per name, sale id -> value (IdFunction: ids, not records)"
        allocation = Allocation.get()
        open_sales, blocked = allocation.open_sales, allocation.blocked
        values = {i: i in open_sales and i not in blocked for i in ids}
        return {name: values for name in names}

    @classmethod
    def search_fulfillable(cls, name, clause):
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            return [('id', '=', -1)]
        wanted = bool(value) if operator == '=' else not value
        allocation = Allocation.get()
        blocked = allocation.blocked
        fulfillable = allocation.open_sales - blocked
        # Fulfillable: open and not blocked; not fulfillable: not open or
        # blocked.  Whichever list of ids is the shorter goes in the query.
        if len(fulfillable) <= len(blocked):
            return [('id', 'in' if wanted else 'not in', list(fulfillable))]
        if wanted:
            return [
                ('state', 'in', OPEN_STATES),
                ('id', 'not in', list(blocked)),
                ]
        return ['OR',
            ('state', 'not in', OPEN_STATES),
            ('id', 'in', list(blocked)),
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


class SaleLine(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'sale.line'

    allocated_quantity = IdFunction(fields.Float(
            "Allocated", digits='unit',
            help="The on-hand quantity this line can have now, "
            "after the older open sales."),
        'get_allocation')
    shortage_quantity = IdFunction(fields.Float(
            "Shortage", digits='unit',
            help="What the on-hand stock lacks for this line."),
        'get_allocation')
    shortage_due_date = IdFunction(fields.Date(
            "Covered On",
            help="When stock on its way in (purchases not yet received) "
            "covers the shortage, the older open sales served first."),
        'get_allocation')

    @classmethod
    def get_allocation(cls, ids, names):
        "Per name, line id -> value (IdFunction: ids, not records)"
        figures = Allocation.get().figures
        none = (None, None, None)
        values = [figures.get(i, none) for i in ids]
        index = {
            'allocated_quantity': 0,
            'shortage_quantity': 1,
            'shortage_due_date': 2,
            }
        return {name: dict(zip(ids, (v[index[name]] for v in values)))
            for name in names}


class Move(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'stock.move'


class Template(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'product.template'


class Product(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'product.product'


class Uom(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'product.uom'


class Location(AllocationChanges, metaclass=PoolMeta):
    __name__ = 'stock.location'


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
                'address': typed_address(sale.shipment_address),
                'carrier': (sale.carrier.party.rec_name
                    if getattr(sale, 'carrier', None) else ''),
                'note': sale.comment or '',
                'items': items,
                })
    return summary


def typed_address(address):
    """The address as the buyer typed it, a line each: street, postcode and
    city, country (Tryton's full_address writes a Hungarian one in capitals)"""
    if not address:
        return ''
    lines = [(address.street or '').strip(),
        ' '.join(filter(None, [address.postal_code, address.city])),
        address.country.name if address.country else '']
    return '\n'.join(filter(None, lines))


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
    __string__ = "Pick List Line"
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
    __string__ = "Pick List"
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
    __string__ = "Packing Summary Line"
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
    __string__ = "Packing Summary"
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
