"""The sync log staff read: one row per run, one entry per record of note."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

OUTCOMES = ['created', 'updated', 'cancelled', 'unchanged', 'skipped']


class SyncLog(ModelSQL, ModelView):
    "ShopRenter Sync Log"
    __name__ = 'web.shop.shoprenter.log'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, readonly=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('orders', "Orders"),
            ], "Kind", required=True, readonly=True)
    started = fields.DateTime("Started", readonly=True)
    finished = fields.DateTime("Finished", readonly=True)
    state = fields.Selection([
            ('running', "Running"),
            ('done', "Done"),
            ('failed', "Failed"),
            ], "State", readonly=True)
    created = fields.Integer("Created", readonly=True)
    updated = fields.Integer("Updated", readonly=True)
    cancelled = fields.Integer("Cancelled", readonly=True)
    unchanged = fields.Integer("Unchanged", readonly=True)
    skipped = fields.Integer("Skipped", readonly=True)
    failed = fields.Integer("Failed", readonly=True)
    message = fields.Text("Message", readonly=True)
    entries = fields.One2Many(
        'web.shop.shoprenter.log.entry', 'log', "Entries", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('started', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return f'{self.shop.rec_name} {self.started}'

    @property
    def rec_summary(self):
        "The state and counts of the run, as one line"
        state = dict(self.fields_get(['state'])['state']['selection'])[
            self.state]
        return gettext('web_shop_shoprenter.msg_log_summary',
            state=state, created=self.created or 0,
            updated=self.updated or 0, cancelled=self.cancelled or 0,
            failed=self.failed or 0)


class SyncLogEntry(ModelSQL, ModelView):
    "ShopRenter Sync Log Entry"
    __name__ = 'web.shop.shoprenter.log.entry'

    log = fields.Many2One(
        'web.shop.shoprenter.log', "Log", required=True, readonly=True,
        ondelete='CASCADE')
    shop = fields.Function(
        fields.Many2One('web.shop', "Shop"), 'get_shop',
        searcher='search_shop')
    level = fields.Selection([
            ('error', "Error"),
            ('warning', "Warning"),
            ('info', "Information"),
            ], "Level", required=True, readonly=True)
    shoprenter_id = fields.Char("ShopRenter ID", readonly=True)
    order_number = fields.Char("Order", readonly=True)
    message = fields.Text("Message", readonly=True)
    resolved = fields.Boolean(
        "Resolved", readonly=True,
        states={'invisible': Eval('level') != 'error'},
        help="The record imported on a later run.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('log', 'DESC'), ('id', 'ASC')]

    @classmethod
    def default_resolved(cls):
        return False

    def get_shop(self, name):
        return self.log.shop.id

    @classmethod
    def search_shop(cls, name, clause):
        return [('log.' + clause[0],) + tuple(clause[1:])]


class SyncRun:
    """The log of one sync run as it goes.

    Each write is committed at once in a transaction of its own, so the log
    tells what happened even when the run dies half way."""

    def __init__(self, log_id, kind, failed_ids):
        self.log_id = log_id
        self.kind = kind
        # Orders that failed on an earlier run: retried on this one.
        self.failed_ids = failed_ids
        self.counts = dict.fromkeys(OUTCOMES + ['failed'], 0)
        self.errors = []  # (order number, message) of the failed records
        self.error = None  # why the whole run failed

    @classmethod
    def start(cls, shop, kind):
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        with Transaction().new_transaction() as transaction:
            # Only one run of a shop at a time: a running one was cut short.
            Log.write(Log.search([
                        ('shop', '=', shop.id),
                        ('kind', '=', kind),
                        ('state', '=', 'running'),
                        ]), {
                    'state': 'failed',
                    'message': gettext(
                        'web_shop_shoprenter.msg_run_interrupted'),
                    })
            log, = Log.create([{
                        'shop': shop.id,
                        'kind': kind,
                        'started': dt.datetime.now(),
                        'state': 'running',
                        }])
            transaction.commit()
        return cls(log.id, kind, cls.failed_order_ids(shop))

    @staticmethod
    def failed_order_ids(shop):
        "The ShopRenter ids of the orders that failed and did not import since"
        pool = Pool()
        Entry = pool.get('web.shop.shoprenter.log.entry')
        entries = Entry.search([
                ('log.shop', '=', shop.id),
                ('log.kind', '=', 'orders'),
                ('level', '=', 'error'),
                ('resolved', '=', False),
                ('shoprenter_id', '!=', None),
                ])
        return {e.shoprenter_id for e in entries}

    def _add_entries(self, entries, resolve=None):
        pool = Pool()
        Entry = pool.get('web.shop.shoprenter.log.entry')
        Log = pool.get('web.shop.shoprenter.log')
        with Transaction().new_transaction() as transaction:
            if resolve:
                shop = Log(self.log_id).shop
                Entry.write(Entry.search([
                            ('log.shop', '=', shop.id),
                            ('shoprenter_id', '=', resolve),
                            ('level', '=', 'error'),
                            ('resolved', '=', False),
                            ]), {'resolved': True})
            if entries:
                Entry.create([dict(e, log=self.log_id) for e in entries])
            transaction.commit()

    def add_error(self, shoprenter_id, number, message):
        self.counts['failed'] += 1
        self.errors.append((number, message))
        self._add_entries([{
                    'level': 'error',
                    'shoprenter_id': shoprenter_id,
                    'order_number': number,
                    'message': message,
                    }])

    def add_outcome(self, shoprenter_id, number, outcome, notes=()):
        "Count the outcome of a record that went through; keep its notes"
        self.counts[outcome] += 1
        resolve = shoprenter_id if shoprenter_id in self.failed_ids else None
        if not notes and not resolve:
            return
        self._add_entries([{
                    'level': level,
                    'shoprenter_id': shoprenter_id,
                    'order_number': number,
                    'message': message,
                    } for level, message in notes],
            resolve=resolve)

    def finish(self, error=None):
        self.error = error
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        with Transaction().new_transaction() as transaction:
            Log.write([Log(self.log_id)], dict(
                    self.counts,
                    finished=dt.datetime.now(),
                    state='failed' if error else 'done',
                    message=error))
            transaction.commit()
