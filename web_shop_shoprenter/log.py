"""The sync log staff read: one row per run, one entry per record of note."""
import datetime as dt

from sql import Literal, Null
from sql.conditionals import Coalesce

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
            ('interrupted', "Interrupted"),
            ], "State", readonly=True,
        help="Interrupted: the run's process ended before the run did; "
        "the counts are those of the records it finished.")
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
        if self.state == 'failed' and self.message:
            return gettext('web_shop_shoprenter.msg_log_summary_failed',
                state=state, message=self.message.splitlines()[0])
        counts = dict(state=state, created=self.created or 0,
            updated=self.updated or 0, cancelled=self.cancelled or 0,
            failed=self.failed or 0)
        if self.kind == 'orders':
            return gettext('web_shop_shoprenter.msg_log_summary', **counts)
        return gettext('web_shop_shoprenter.msg_push_summary', **counts)


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
    # What the problem is about, so that a problem met again on every run is
    # listed once: the ShopRenter order id, 'product,<id>' or 'run,<kind>'.
    subject = fields.Char("Subject", readonly=True)
    superseded = fields.Boolean(
        "Repeated Later", readonly=True,
        states={'invisible': Eval('level') != 'error'},
        help="A later run met the same problem: its entry is the one "
        "listed among the sync problems.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('log', 'DESC'), ('id', 'ASC')]

    @classmethod
    def default_resolved(cls):
        return False

    @classmethod
    def default_superseded(cls):
        return False

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # Entries of orders written before the subject existed are about
        # their order.
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.subject], [table.shoprenter_id],
                where=(table.subject == Null)
                & (table.shoprenter_id != Null)))

    def get_shop(self, name):
        return self.log.shop.id

    @classmethod
    def search_shop(cls, name, clause):
        return [('log.' + clause[0],) + tuple(clause[1:])]


def add_problem(log_id, shop_id, level, message, subject=None, **values):
    """Create a log entry in the current transaction; an error supersedes
    the open entries of the same subject, so it is listed once"""
    pool = Pool()
    Entry = pool.get('web.shop.shoprenter.log.entry')
    if level == 'error' and subject:
        Entry.write(Entry.search([
                    ('log.shop', '=', shop_id),
                    ('subject', '=', subject),
                    ('level', '=', 'error'),
                    ('resolved', '=', False),
                    ('superseded', '=', False),
                    ]), {'superseded': True})
    Entry.create([dict(values, log=log_id, level=level, message=message,
                subject=subject)])


def resolve_problems(shop_id, subjects):
    "Mark the open errors about subjects resolved, in the current transaction"
    pool = Pool()
    Entry = pool.get('web.shop.shoprenter.log.entry')
    subjects = sorted(set(filter(None, subjects)))
    for start in range(0, len(subjects), 500):
        Entry.write(Entry.search([
                    ('log.shop', '=', shop_id),
                    ('subject', 'in', subjects[start:start + 500]),
                    ('level', '=', 'error'),
                    ('resolved', '=', False),
                    ]), {'resolved': True})


def run_subject(kind):
    return f'run,{kind}'


class SkippedRun:
    """A run that did not start: another run of the shop's job held the
    lock.  It answers as a finished run does (cli.py, the Sync Now message)"""
    skipped = True

    def __init__(self, shop, kind, holder=None):
        self.shop = shop
        self.kind = kind
        self.holder = holder
        self.counts = dict.fromkeys(OUTCOMES + ['failed'], 0)
        self.created = self.updated = 0
        self.errors = []
        self.entries = []
        self.error = gettext('web_shop_shoprenter.msg_run_skipped',
            shop=shop.rec_name, holder=holder or '?')


class SyncRun:
    """The log of one sync run as it goes.

    Its row is committed when the run starts, so a run whose process dies
    leaves a row that the next run marks interrupted.  What a record's unit
    of work counts is written in that unit's own transaction, so the counts
    are those of the records committed, however the run ends."""
    skipped = False

    def __init__(self, shop_id, log_id, kind, failed_ids):
        self.shop_id = shop_id
        self.log_id = log_id
        self.kind = kind
        # Orders that failed on an earlier run: retried on this one.
        self.failed_ids = failed_ids
        self.counts = dict.fromkeys(OUTCOMES + ['failed'], 0)
        self.errors = []  # (order number, message) of the failed records
        self.error = None  # why the whole run failed

    @classmethod
    def start(cls, shop, kind):
        "Start the run's row; call it holding the job's lock (lock.py)"
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        with Transaction().new_transaction() as transaction:
            # The lock is ours: a run still "running" died without a word.
            Log.write(Log.search([
                        ('shop', '=', shop.id),
                        ('kind', '=', kind),
                        ('state', '=', 'running'),
                        ]), {
                    'state': 'interrupted',
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
        failed_ids = cls.failed_order_ids(shop) if kind == 'orders' else set()
        return cls(shop.id, log.id, kind, failed_ids)

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

    def _count_in_row(self, name):
        "Add one to the row's count, in the current transaction"
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        table = Log.__table__()
        column = getattr(table, name)
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [column], [Coalesce(column, Literal(0)) + Literal(1)],
                where=table.id == self.log_id))

    def add_error(self, shoprenter_id, number, message):
        "Note a record that failed, in a transaction of its own"
        with Transaction().new_transaction() as transaction:
            self._count_in_row('failed')
            add_problem(self.log_id, self.shop_id, 'error', message,
                subject=shoprenter_id, shoprenter_id=shoprenter_id,
                order_number=number)
            transaction.commit()
        self.counts['failed'] += 1
        self.errors.append((number, message))

    def write_outcome(self, shoprenter_id, number, outcome, notes=()):
        """Count the outcome of a record that went through and keep its
        notes, in the record's own transaction (committed with it); call
        counted() once it is committed"""
        self._count_in_row(outcome)
        if shoprenter_id in self.failed_ids:
            resolve_problems(self.shop_id, [shoprenter_id])
        for level, message in notes:
            add_problem(self.log_id, self.shop_id, level, message,
                subject=shoprenter_id, shoprenter_id=shoprenter_id,
                order_number=number)

    def counted(self, outcome):
        self.counts[outcome] += 1

    def add_outcome(self, shoprenter_id, number, outcome, notes=()):
        "Count an outcome in a transaction of its own"
        with Transaction().new_transaction() as transaction:
            self.write_outcome(shoprenter_id, number, outcome, notes)
            transaction.commit()
        self.counted(outcome)

    def finish(self, error=None):
        "End the row: done, or failed with error, a problem of its own"
        self.error = error
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        with Transaction().new_transaction() as transaction:
            Log.write([Log(self.log_id)], dict(
                    self.counts,
                    finished=dt.datetime.now(),
                    state='failed' if error else 'done',
                    message=error))
            if error:
                add_problem(self.log_id, self.shop_id, 'error', error,
                    subject=run_subject(self.kind))
            else:
                resolve_problems(self.shop_id, [run_subject(self.kind)])
            transaction.commit()
