"""Order statuses both ways: what a status done in the shop does to its sale,
the history a newly connected shop brings in, and the statuses the ERP writes
back to the shop when a sale ships or is cancelled.

The rules are shoprenter.sync.status (shared with the Odoo addon); this file
applies them to Tryton's sales and shipments."""
import datetime as dt
import logging
from collections import defaultdict

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, Workflow, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from shoprenter import ShopRenterError
from shoprenter.sync import status as rules

from .failures import failure_message
from .lock import job_lock
from .log import add_problem, resolve_problems, run_subject
from .order import check_order

logger = logging.getLogger(__name__)

# The context of work done because the shop said so (an import): it never
# writes a status back to the shop.
FROM_SHOP = '_shoprenter_from_shop'
# The context in which an order done in the shop imports as an open one
# would, before it is shipped
DONE_AS_IMPORT = '_shoprenter_done_as_import'
STATUS_QUEUE = 'shoprenter_status'
# Shipment transitions that take an outgoing shipment to done, whatever the
# stock: the goods have left already when the shop says so.
SHIP_STEPS = [
    ('wait', {'draft'}),
    ('assign_force', {'waiting'}),
    ('pick', {'assigned'}),
    ('pack', {'picked'}),
    ('do', {'packed', 'shipped'}),
    ]


class ShopOrderStatus(metaclass=PoolMeta):
    __name__ = 'web.shop.shoprenter.order_status'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if 'done' not in dict(cls.action.selection):
            cls.action.selection.insert(1, ('done', "Done in the Shop"))
        cls.action.help = (
            "Import: the order becomes a confirmed sale reserving its "
            "stock.\n"
            "Done in the Shop: completed outside the ERP; its sale ships its "
            "goods (the reservation ends, the stock leaves); an order first "
            "seen so becomes a shipped sale only from the shop's History "
            "From date on.\n"
            "Cancel: its sale is cancelled (or flagged once shipped or "
            "invoiced).\n"
            "Ignore: the order is left alone.")

    @classmethod
    def create(cls, vlist):
        # A status met for the first time: its action and the shop's
        # written-back statuses follow its name (Hungarian or English).
        vlist = [dict(v) for v in vlist]
        for values in vlist:
            if values.get('name'):
                values['action'] = rules.status_action(
                    values['name'], rules.ACTIONS)
        records = super().create(vlist)
        Pool().get('web.shop').shoprenter_default_statuses(
            list({r.shop for r in records}))
        return records

    def get_rec_name(self, name):
        return self.name or self.shoprenter_id


class Shop(metaclass=PoolMeta):
    __name__ = 'web.shop'

    shoprenter_history_from = fields.Date(
        "History From",
        states={'invisible': Eval('type') != 'shoprenter'},
        help="Orders done or cancelled in the shop before this day are "
        "history: they never become sales.  From this day on an order "
        "first seen done in the shop becomes a shipped sale (its stock "
        "leaves, nothing is reserved).  Open orders import whatever their "
        "age.  An earlier day downloads the orders again from the start.")
    shoprenter_shipped_status = fields.Many2One(
        'web.shop.shoprenter.order_status', "Status When Shipped",
        domain=[('shop', '=', Eval('id', -1))],
        states={'invisible': Eval('type') != 'shoprenter'},
        help="Given to the shop's order once its sale's goods have all "
        "shipped in the ERP.  Empty: the shop's status is left alone.")
    shoprenter_cancelled_status = fields.Many2One(
        'web.shop.shoprenter.order_status', "Status When Cancelled",
        domain=[('shop', '=', Eval('id', -1))],
        states={'invisible': Eval('type') != 'shoprenter'},
        help="Given to the shop's order when its sale is cancelled in the "
        "ERP.  Empty: the shop's status is left alone.")
    shoprenter_last_status = fields.Function(
        fields.DateTime("Last Status Sent"), 'get_shoprenter_last_status')
    shoprenter_last_status_state = fields.Function(
        fields.Char("Status Sending Result"), 'get_shoprenter_last_status')

    @classmethod
    def default_shoprenter_history_from(cls):
        # The connection date: the stock counted then already holds what
        # the shop shipped before
        return Pool().get('ir.date').today()

    @classmethod
    def get_shoprenter_last_status(cls, shops, names):
        return cls.shoprenter_last_runs(shops, names, 'status', {
                'shoprenter_last_status': 'started',
                'shoprenter_last_status_state': 'rec_summary',
                })

    @property
    def shoprenter_history_start(self):
        "The day from which orders done in the shop become sales; None: never"
        if self.shoprenter_history_from:
            return self.shoprenter_history_from
        created = getattr(self, 'create_date', None)
        return created.date() if created else None

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        earlier = []
        for shops, values in zip(actions, actions):
            if values.get('shoprenter_history_from'):
                start = values['shoprenter_history_from']
                earlier += [s for s in shops if not s.shoprenter_history_from
                    or start < s.shoprenter_history_from]
        super().write(*args)
        if earlier:
            # The history now starts before what was downloaded: read the
            # shop again from the start (what is imported stays as it is).
            super().write(earlier, {'shoprenter_orders_cursor': None})

    def shoprenter_status_action(self, status_id):
        action = super().shoprenter_status_action(status_id)
        if action == 'done' and Transaction().context.get(DONE_AS_IMPORT):
            return 'import'
        return action

    @classmethod
    def shoprenter_default_statuses(cls, shops):
        """Give the shops without written-back statuses the ones named like
        Kiszállítva / Teljesítve and Törölve, once their statuses are known"""
        for shop in cls.browse(shops):
            if shop.type != 'shoprenter':
                continue
            names = {s.id: s.name for s in shop.shoprenter_order_statuses}
            values = {}
            for field, role in [('shoprenter_shipped_status', 'shipped'),
                    ('shoprenter_cancelled_status', 'cancelled')]:
                if getattr(shop, field) is None:
                    status_id = rules.default_status(names, role)
                    if status_id:
                        values[field] = status_id
            if values:
                # The merchant may empty them afterwards: that turns the
                # write-back off for good (only new statuses set them).
                super().write([shop], values)

    def _shoprenter_sync_orders(self, progress=None):
        # Before the download: a status written now is recognised when the
        # download meets it.  A failure here never stops the download.
        try:
            self.shoprenter_send_statuses_now()
        except Exception:
            logger.exception("ShopRenter statuses of %s", self.name)
        return super()._shoprenter_sync_orders(progress=progress)

    @classmethod
    def shoprenter_queue_statuses(cls, shops):
        "Send the shops' pending statuses at the end of the transaction"
        if shops:
            with Transaction().set_context(queue_name=STATUS_QUEUE):
                cls.__queue__.shoprenter_send_statuses(shops)

    @classmethod
    def shoprenter_send_statuses(cls, shops=None):
        """Write the pending order statuses to the shops (the queue, right
        after a sale ships or is cancelled); a shop whose sync is running is
        left to it"""
        if shops is None:
            shops = cls.search([('type', '=', 'shoprenter')])
        for shop in shops:
            if shop.type != 'shoprenter':
                continue
            with job_lock(shop, 'orders') as lock:
                if not lock:
                    logger.info("ShopRenter statuses of %s wait for the sync "
                        "running: %s", shop.name, lock.holder)
                    continue
                with Transaction().set_context(company=shop.company.id):
                    shop.shoprenter_send_statuses_now()

    def shoprenter_send_statuses_now(self):
        """Send the pending statuses in a transaction of its own, committed
        at once; call it holding the shop's 'orders' lock"""
        with Transaction().new_transaction() as transaction:
            shop = self.__class__(self.id)
            sent = shop._shoprenter_send_statuses()
            transaction.commit()
        return sent

    def _shoprenter_send_statuses(self):
        "PUT the pending statuses in batch calls; log what was sent or refused"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Log = pool.get('web.shop.shoprenter.log')
        sales = Sale.search([
                ('web_shop', '=', self.id),
                ('shoprenter_id', '!=', None),
                ('shoprenter_status_to_send', '!=', None),
                ], order=[('id', 'ASC')])
        if not sales:
            return 0
        log, = Log.create([{'shop': self.id, 'kind': 'status',
                    'started': dt.datetime.now(), 'state': 'running'}])
        operations = [('PUT', f'orders/{s.shoprenter_id}',
                {'orderStatus': {'id': s.shoprenter_status_to_send}})
            for s in sales]
        error = None
        sent, failed = [], []
        try:
            with self.shoprenter_client() as client:
                for start, results in client.batch_isolated(operations):
                    for sale, result in zip(sales[start:], results):
                        (sent if result.ok else failed).append(
                            (sale, result.error))
        except ShopRenterError as exception:
            error = failure_message(self, exception)
        by_status = defaultdict(list)
        for sale, _ in sent:
            by_status[sale.shoprenter_status_to_send].append(sale)
        for status_id, status_sales in by_status.items():
            Sale.write(status_sales, {
                    'shoprenter_status': status_id,
                    'shoprenter_status_sent': status_id,
                    'shoprenter_status_to_send': None,
                    })
        resolve_problems(self.id, [status_subject(s) for s, _ in sent])
        for sale, problem in failed:
            add_problem(log.id, self.id, 'error', gettext(
                    'web_shop_shoprenter.msg_status_refused',
                    number=sale.reference, sale=sale.rec_name,
                    status=self._shoprenter_status_name(
                        sale.shoprenter_status_to_send),
                    error=str(problem)),
                subject=status_subject(sale),
                shoprenter_id=sale.shoprenter_id, order_number=sale.reference)
        if error:
            add_problem(log.id, self.id, 'error', error,
                subject=run_subject('status'))
        else:
            resolve_problems(self.id, [run_subject('status')])
        Log.write([log], {
                'finished': dt.datetime.now(),
                'state': 'failed' if error else 'done',
                'updated': len(sent), 'created': 0, 'failed': len(failed),
                'message': error,
                })
        return len(sent)

    def _shoprenter_status_name(self, status_id):
        for status in self.shoprenter_order_statuses:
            if status.shoprenter_id == status_id:
                return status.name or status_id
        return status_id


def status_subject(sale):
    "The subject of a sale's status problems in the log (log.py)"
    return f'status,{sale.shoprenter_id}'


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    shoprenter_order_status = fields.Function(fields.Many2One(
            'web.shop.shoprenter.order_status', "ShopRenter Status"),
        'get_shoprenter_order_status',
        searcher='search_shoprenter_order_status')
    shoprenter_status_sent = fields.Char(
        "ShopRenter Status Sent", readonly=True,
        help="The status the ERP last gave the shop's order.")
    shoprenter_status_to_send = fields.Char(
        "ShopRenter Status to Send", readonly=True,
        help="A status the ERP is to give the shop's order (sent at once, "
        "else with the next download).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'shoprenter_cancel_order': {
                    'invisible': (~Eval('state').in_(['confirmed', 'processing'])
                        | ~Eval('shoprenter_id')),
                    'depends': ['state', 'shoprenter_id'],
                    },
                })

    @classmethod
    @ModelView.button
    def shoprenter_cancel_order(cls, sales):
        """Cancel webshop sales nothing has been done with yet (no shipment
        picked or sent, no invoice posted): their waiting shipments and draft
        invoices go, and their shop orders get the shop's cancelled status"""
        with without_check_access():
            for sale in sales:
                if not sale._shoprenter_reopen():
                    raise UserError(gettext(
                            'web_shop_shoprenter.msg_sale_cancel_too_late',
                            sale=sale.rec_name))
        cls.cancel(sales)

    @classmethod
    def get_shoprenter_order_status(cls, sales, name):
        pool = Pool()
        Status = pool.get('web.shop.shoprenter.order_status')
        keys = {(s.web_shop.id, s.shoprenter_status) for s in sales
            if s.web_shop and s.shoprenter_status}
        found = {}
        if keys:
            for status in Status.search([
                        ('shop', 'in', list({k[0] for k in keys})),
                        ('shoprenter_id', 'in', list({k[1] for k in keys})),
                        ]):
                found[(status.shop.id, status.shoprenter_id)] = status.id
        return {s.id: found.get((s.web_shop.id, s.shoprenter_status))
            if s.web_shop else None for s in sales}

    @classmethod
    def search_shoprenter_order_status(cls, name, clause):
        pool = Pool()
        Status = pool.get('web.shop.shoprenter.order_status')
        nested = clause[0][len(name) + 1:]
        value = clause[2] if len(clause) > 2 else None
        if not nested:
            if value is None:
                return [('shoprenter_status', clause[1], None)]
            ids = value if isinstance(value, (list, tuple)) else [value]
            nested = 'id' if all(isinstance(v, int) for v in ids) else (
                'rec_name')
        statuses = Status.search([(nested,) + tuple(clause[1:])])
        domain = ['OR']
        for status in statuses:
            domain.append([
                    ('web_shop', '=', status.shop.id),
                    ('shoprenter_status', '=', status.shoprenter_id),
                    ])
        return domain if statuses else [('id', '=', -1)]

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('shoprenter_status_sent')
        default.setdefault('shoprenter_status_to_send')
        return super().copy(sales, default=default)

    # The download

    @classmethod
    def import_shoprenter(cls, shop, order):
        with Transaction().set_context(**{FROM_SHOP: True}):
            if isinstance(order, dict) and shop.shoprenter_status_action(
                    rules.order_status(order)) == 'done':
                return cls._shoprenter_import_done(shop, order)
            return super().import_shoprenter(shop, order)

    @classmethod
    def _shoprenter_import_done(cls, shop, order):
        "An order done in the shop: ship its sale, or make it shipped"
        check_order(order, shop.shoprenter_max_line_quantity)
        sales = cls.search([
                ('web_shop', '=', shop.id),
                ('shoprenter_id', '=', order['id']),
                ])
        sale = sales[0] if sales else None
        decision = rules.decide(order, 'done', bool(sale),
            sale.shoprenter_updated if sale else None,
            history_from=shop.shoprenter_history_start,
            written_status=sale.shoprenter_status_sent if sale else None)
        if decision == rules.SKIP:
            return 'skipped', []  # history: done before the shop connected
        if decision == rules.UNCHANGED:
            return 'unchanged', []
        if decision == rules.DONE:
            return sale._shoprenter_done_in_shop(order)
        # A new order done in the shop, or the status the ERP wrote coming
        # back: as an open order would, then shipped if new
        with Transaction().set_context(**{DONE_AS_IMPORT: True}):
            outcome, notes = super().import_shoprenter(shop, order)
        if decision == rules.CREATE_DONE and outcome == 'created':
            sale, = cls.search([
                    ('web_shop', '=', shop.id),
                    ('shoprenter_id', '=', order['id']),
                    ])
            sale._shoprenter_ship()
            notes = list(notes) + [('info', gettext(
                        'web_shop_shoprenter.msg_order_imported_done',
                        number=order['innerId'], sale=sale.rec_name))]
        return outcome, notes

    def _shoprenter_done_in_shop(self, order):
        """The order was completed in the shop: the sale ships its goods in
        the ERP, so the stock leaves and nothing stays reserved"""
        cls = self.__class__
        self.shoprenter_updated = order.get('dateUpdated')
        self.shoprenter_status = rules.order_status(order)
        self.save()
        notes = []
        if self.state == 'cancelled':
            self._shoprenter_flag(gettext(
                    'web_shop_shoprenter.msg_sale_done_in_shop_cancelled',
                    number=order.get('innerId'), sale=self.rec_name), notes)
            return 'updated', notes
        if self.state in {'draft', 'quotation'}:
            cls._shoprenter_confirm([self])
        elif self.state == 'confirmed':
            cls.process([self])
        if not self._shoprenter_ship():
            return 'unchanged', []
        notes.append(('info', gettext(
                    'web_shop_shoprenter.msg_sale_shipped_done_in_shop',
                    number=order.get('innerId'), sale=self.rec_name)))
        return 'updated', notes

    def _shoprenter_ship(self):
        """Take the sale's outgoing shipments to done, the stock assigned
        by force; return the shipments shipped"""
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        ids = [s.id for s in self.__class__(self.id).shipments
            if s.state not in {'done', 'cancelled'}]
        with without_check_access():
            for method, states in SHIP_STEPS:
                todo = [s for s in Shipment.browse(ids) if s.state in states]
                if todo:
                    getattr(Shipment, method)(todo)
        return ids

    # What the ERP does: written back to the shop

    @classmethod
    def _process_invoice_fulfillment_states(cls, sales):
        before = {s.id: s.shipment_state for s in sales}
        super()._process_invoice_fulfillment_states(sales)
        shipped = [s for s in cls.browse(list(before))
            if s.shipment_state == 'sent' and before[s.id] != 'sent']
        cls._shoprenter_mark_status(shipped, 'shipped')

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, sales):
        super().cancel(sales)
        cls._shoprenter_mark_status(sales, 'cancelled')

    @classmethod
    def _shoprenter_mark_status(cls, sales, role):
        """Mark the webshop sales to give their shop orders the shop's status
        for role ('shipped', 'cancelled'), unless the shop said so itself"""
        if Transaction().context.get(FROM_SHOP):
            return
        # A status the shop holds already says it: nothing to undo or repeat
        settled = {'shipped': {'done', 'cancel'}, 'cancelled': {'cancel'}}[role]
        to_send = defaultdict(list)
        shops = set()
        for sale in sales:
            shop = sale.web_shop
            if not shop or shop.type != 'shoprenter' or not sale.shoprenter_id:
                continue
            target = getattr(shop, f'shoprenter_{role}_status')
            if not target:
                continue
            if shop.shoprenter_status_action(sale.shoprenter_status) in settled:
                continue
            if target.shoprenter_id in {
                    sale.shoprenter_status, sale.shoprenter_status_sent}:
                continue
            to_send[target.shoprenter_id].append(sale)
            shops.add(shop)
        for status_id, status_sales in to_send.items():
            cls.write(status_sales, {'shoprenter_status_to_send': status_id})
        Pool().get('web.shop').shoprenter_queue_statuses(list(shops))


class SyncLog(metaclass=PoolMeta):
    __name__ = 'web.shop.shoprenter.log'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection.append(('status', "Order Statuses to the Shop"))
