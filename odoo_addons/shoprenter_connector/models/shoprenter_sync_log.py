"""The sync log staff read: one row per run, one entry per order of note."""
from odoo import api, fields, models

OUTCOMES = ['created', 'updated', 'cancelled', 'unchanged', 'skipped']


class ShopRenterSyncLog(models.Model):
    _name = 'shoprenter.sync.log'
    _description = "ShopRenter sync log"
    _order = 'started desc, id desc'
    _rec_name = 'started'

    shop_id = fields.Many2one(
        'shoprenter.shop', required=True, readonly=True, ondelete='cascade', index=True)
    company_id = fields.Many2one(related='shop_id.company_id')
    kind = fields.Selection([
            ('orders', "Orders"),
            ('stock', "Stock and Prices"),
            ('reconcile', "Reconciliation"),
        ], required=True, readonly=True)
    started = fields.Datetime(readonly=True)
    finished = fields.Datetime(readonly=True)
    state = fields.Selection([
            ('running', "Running"),
            ('done', "Done"),
            ('failed', "Failed"),
            ('interrupted', "Interrupted"),
        ], readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    cancelled = fields.Integer(readonly=True)
    unchanged = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    failed = fields.Integer("Stopped", readonly=True)
    message = fields.Text(readonly=True)
    entry_ids = fields.One2many('shoprenter.sync.log.entry', 'log_id', readonly=True)
    summary = fields.Char(compute='_compute_summary')

    @api.depends('state', 'created', 'updated', 'cancelled', 'failed')
    @api.depends_context('lang')
    def _compute_summary(self):
        states = dict(self._fields['state']._description_selection(self.env))
        for log in self:
            log.summary = self.env._(
                "%(state)s: %(created)s created, %(updated)s updated, "
                "%(cancelled)s cancelled, %(failed)s stopped",
                state=states.get(log.state, ''), created=log.created, updated=log.updated,
                cancelled=log.cancelled, failed=log.failed)


class ShopRenterSyncLogEntry(models.Model):
    _name = 'shoprenter.sync.log.entry'
    _description = "ShopRenter sync log entry"
    _order = 'log_id desc, id'
    _rec_name = 'message'

    log_id = fields.Many2one(
        'shoprenter.sync.log', required=True, readonly=True, ondelete='cascade', index=True)
    shop_id = fields.Many2one(related='log_id.shop_id', store=True, index=True)
    kind = fields.Selection(related='log_id.kind', store=True)
    started = fields.Datetime(related='log_id.started')
    level = fields.Selection([
            ('error', "Error"),
            ('warning', "Warning"),
            ('info', "Information"),
        ], required=True, readonly=True)
    shoprenter_id = fields.Char("ShopRenter ID", readonly=True, index=True)
    order_number = fields.Char("Order", readonly=True)
    product_id = fields.Many2one(
        'product.product', "Product", readonly=True, index='btree_not_null',
        ondelete='cascade')
    message = fields.Text(readonly=True)
    resolved = fields.Boolean(
        readonly=True, default=False, help="The order imported, or the product was sent, on a later run.")


class SyncRun:
    """The log of one sync run as it goes (the shop commits it after each order
    outside tests, so the log tells what happened even when the run dies)."""

    def __init__(self, log, failed_ids):
        self.log = log
        # Orders that failed on an earlier run: retried on this one.
        self.failed_ids = failed_ids
        self.counts = dict.fromkeys(OUTCOMES + ['failed'], 0)
        self.errors = []  # (order number, message) of the orders that stopped
        self.error = None  # why the whole run failed

    @classmethod
    def start(cls, shop, kind):
        Log = shop.env['shoprenter.sync.log']
        # Only one run of a shop at a time: a running one was cut short (its counts
        # are those of the orders it committed).
        Log.search([('shop_id', '=', shop.id), ('kind', '=', kind),
                ('state', '=', 'running')]).write({
                'state': 'interrupted',
                'message': shop.env._(
                    "The run stopped before its end (its process was ended); "
                    "the next run takes up the orders it left."),
                })
        log = Log.create({'shop_id': shop.id, 'kind': kind,
                'started': fields.Datetime.now(), 'state': 'running'})
        return cls(log, cls.failed_order_ids(shop))

    @staticmethod
    def failed_order_ids(shop):
        "The ShopRenter ids of the orders that failed and did not import since"
        entries = shop.env['shoprenter.sync.log.entry'].search([
                ('shop_id', '=', shop.id), ('kind', '=', 'orders'), ('level', '=', 'error'),
                ('resolved', '=', False), ('shoprenter_id', '!=', False)])
        return set(entries.mapped('shoprenter_id'))

    def _add_entries(self, entries, resolve=None):
        Entry = self.log.env['shoprenter.sync.log.entry']
        if resolve:
            Entry.search([('shop_id', '=', self.log.shop_id.id),
                    ('shoprenter_id', '=', resolve), ('level', '=', 'error'),
                    ('resolved', '=', False)]).write({'resolved': True})
        if entries:
            Entry.create([dict(entry, log_id=self.log.id) for entry in entries])

    def add_error(self, shoprenter_id, number, message):
        self.counts['failed'] += 1
        self.errors.append((number, message))
        self._add_entries([{'level': 'error', 'shoprenter_id': shoprenter_id,
                    'order_number': number, 'message': message}])
        self._write_counts()

    def add_outcome(self, shoprenter_id, number, outcome, notes=()):
        "Count the outcome of an order that went through; keep its notes"
        self.counts[outcome] += 1
        resolve = shoprenter_id if shoprenter_id in self.failed_ids else None
        if notes or resolve:
            self._add_entries([{'level': level, 'shoprenter_id': shoprenter_id,
                        'order_number': number, 'message': message}
                    for level, message in notes], resolve=resolve)
        self._write_counts()

    def _write_counts(self):
        "The counts so far, committed with each order: a run that dies keeps them"
        self.log.write(self.counts)

    def finish(self, error=None):
        self.error = error
        self.log.write(dict(self.counts, finished=fields.Datetime.now(),
                state='failed' if error else 'done', message=error or False))
