"""Stock analysis: per product and warehouse, what there is and what to buy.

One SQL query (a table_query model): the on-hand stock from the done
moves, the reservations of the open sales, the purchase order point, the
stock on its way in and the default supplier, each grouped by warehouse and
product and joined together."""
from sql import Cast, Literal, Null, Window
from sql.aggregate import Sum
from sql.conditionals import Case, Coalesce, Greatest
from sql.functions import RowNumber

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from .fulfillment import incoming_query, open_demand_query

# Row ids combine the product and the warehouse
WAREHOUSE_ID_SPAN = 100000


class StockAnalysis(ModelSQL, ModelView):
    "Stock Analysis"
    __name__ = 'stock.shoprenter.analysis'
    __string__ = "Stock Analysis"

    product = fields.Many2One('product.product', "Product", readonly=True)
    code = fields.Char("Code", readonly=True)
    warehouse = fields.Many2One('stock.location', "Warehouse", readonly=True)
    unit = fields.Many2One('product.uom', "Unit", readonly=True)
    on_hand = fields.Float("On Hand", digits='unit', readonly=True)
    reserved = fields.Float(
        "Reserved", digits='unit', readonly=True,
        help="What the open sales (confirmed or processing) still have to "
        "ship from this warehouse.")
    free = fields.Float(
        "Free", digits='unit', readonly=True,
        help="On hand minus reserved.")
    minimum = fields.Float(
        "Minimum", digits='unit', readonly=True,
        help="The minimal quantity of the purchase order point.")
    incoming = fields.Float(
        "Incoming", digits='unit', readonly=True,
        help="Purchased but not received yet.")
    to_procure = fields.Float(
        "To Procure", digits='unit', readonly=True,
        help="Minimum plus reserved minus on hand minus incoming, "
        "never below zero.")
    supplier = fields.Many2One('party.party', "Supplier", readonly=True,
        help="The first supplier of the product.")
    supplier_code = fields.Char("Supplier Code", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('to_procure', 'DESC'), ('code', 'ASC'), ('id', 'ASC')]

    def get_rec_name(self, name):
        return self.product.rec_name if self.product else ''

    @classmethod
    def search_rec_name(cls, name, clause):
        # What a clerk types in the search bar: the product's name or code
        if clause[1].startswith('!') or clause[1].startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('product.rec_name',) + tuple(clause[1:]),
            ('code',) + tuple(clause[1:]),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Product = pool.get('product.product')
        Template = pool.get('product.template')
        Location = pool.get('stock.location')
        product = Product.__table__()
        template = Template.__table__()
        warehouse = Location.__table__()

        on_hand = cls._on_hand_query()
        demand = open_demand_query()
        reserved = demand.select(
            demand.warehouse, demand.product,
            Sum(demand.quantity).as_('quantity'),
            group_by=[demand.warehouse, demand.product])
        incoming_moves = incoming_query()
        incoming = incoming_moves.select(
            incoming_moves.warehouse, incoming_moves.product,
            Sum(incoming_moves.quantity).as_('quantity'),
            group_by=[incoming_moves.warehouse, incoming_moves.product])
        minimum = cls._minimum_query()
        supplier = cls._supplier_query()

        on_hand_qty = Coalesce(on_hand.quantity, 0)
        reserved_qty = Coalesce(reserved.quantity, 0)
        incoming_qty = Coalesce(incoming.quantity, 0)
        minimum_qty = Coalesce(minimum.quantity, 0)
        need = minimum_qty + reserved_qty - on_hand_qty - incoming_qty

        def same(table):
            return ((table.warehouse == warehouse.id)
                & (table.product == product.id))
        query = (product
            .join(template, condition=product.template == template.id)
            .join(warehouse, condition=warehouse.type == 'warehouse')
            .join(on_hand, 'LEFT', condition=same(on_hand))
            .join(reserved, 'LEFT', condition=same(reserved))
            .join(incoming, 'LEFT', condition=same(incoming))
            .join(minimum, 'LEFT', condition=same(minimum))
            .join(supplier, 'LEFT', condition=(
                    (supplier.product == product.id)
                    & (supplier.rank == 1)))
            .select(
                # BIGINT: product ids above 21474 overflow an INTEGER
                (Cast(product.id, 'BIGINT') * WAREHOUSE_ID_SPAN
                    + warehouse.id).as_('id'),
                product.id.as_('product'),
                product.code.as_('code'),
                warehouse.id.as_('warehouse'),
                template.default_uom.as_('unit'),
                cls.on_hand.sql_cast(on_hand_qty).as_('on_hand'),
                cls.reserved.sql_cast(reserved_qty).as_('reserved'),
                cls.free.sql_cast(on_hand_qty - reserved_qty).as_('free'),
                cls.minimum.sql_cast(minimum_qty).as_('minimum'),
                cls.incoming.sql_cast(incoming_qty).as_('incoming'),
                cls.to_procure.sql_cast(Greatest(need, 0)).as_('to_procure'),
                supplier.party.as_('supplier'),
                supplier.code.as_('supplier_code'),
                where=(template.type == 'goods')
                & (template.consumable != Literal(True))
                & (product.active == Literal(True))
                & (template.active == Literal(True))
                & (warehouse.active == Literal(True))))
        return query

    @classmethod
    def _on_hand_query(cls):
        "Done moves into the warehouse minus done moves out of it"
        pool = Pool()
        Move = pool.get('stock.move')
        Location = pool.get('stock.location')
        move = Move.__table__()
        from_location = Location.__table__()
        to_location = Location.__table__()
        warehouse = Location.__table__()

        def inside(location):
            return ((location.left >= warehouse.left)
                & (location.right <= warehouse.right))
        where = (move.state == 'done')
        company = Transaction().context.get('company')
        if company:
            where &= move.company == company
        quantity = Case(
            (inside(to_location) & ~inside(from_location),
                move.internal_quantity),
            (inside(from_location) & ~inside(to_location),
                -move.internal_quantity),
            else_=0)
        return (move
            .join(from_location,
                condition=move.from_location == from_location.id)
            .join(to_location, condition=move.to_location == to_location.id)
            .join(warehouse, condition=(warehouse.type == 'warehouse')
                & (inside(from_location) | inside(to_location)))
            .select(
                warehouse.id.as_('warehouse'),
                move.product.as_('product'),
                Sum(quantity).as_('quantity'),
                where=where,
                group_by=[warehouse.id, move.product]))

    @classmethod
    def _minimum_query(cls):
        "The minimal quantity of the purchase order points"
        pool = Pool()
        OrderPoint = pool.get('stock.order_point')
        order_point = OrderPoint.__table__()
        where = order_point.type == 'purchase'
        company = Transaction().context.get('company')
        if company:
            where &= order_point.company == company
        return order_point.select(
            order_point.location.as_('warehouse'),
            order_point.product.as_('product'),
            Sum(Coalesce(order_point.min_quantity, 0)).as_('quantity'),
            where=where,
            group_by=[order_point.location, order_point.product])

    @classmethod
    def _supplier_query(cls):
        "Each product's suppliers ranked as the purchase module orders them"
        pool = Pool()
        Product = pool.get('product.product')
        ProductSupplier = pool.get('purchase.product_supplier')
        product = Product.__table__()
        product_supplier = ProductSupplier.__table__()
        where = Literal(True)
        company = Transaction().context.get('company')
        if company:
            where &= ((product_supplier.company == Null)
                | (product_supplier.company == company))
        # sequence ASC NULLS FIRST, then id
        rank = RowNumber(window=Window([product.id], order_by=[
                    Case((product_supplier.sequence == Null, 0), else_=1),
                    product_supplier.sequence, product_supplier.id]))
        return (product
            .join(product_supplier, condition=(
                    product_supplier.template == product.template)
                & ((product_supplier.product == Null)
                    | (product_supplier.product == product.id)))
            .select(
                product.id.as_('product'),
                product_supplier.party.as_('party'),
                product_supplier.code.as_('code'),
                rank.as_('rank'),
                where=where))
