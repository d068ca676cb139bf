"""The ShopRenter shop: credentials, mappings, and the order download."""
import itertools
import logging
import time
import zlib

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.modules import module as odoo_module

from shoprenter import Client, NotFoundError, ShopRenterError
from shoprenter.sync import cursor as sync_cursor
from shoprenter.sync import vat
from shoprenter.sync.errors import OrderError
from shoprenter.sync.settings import read_shop_settings
from shoprenter.sync.status import status_action

from .import_page import ImportPage
from .messages import order_error_message
from .shoprenter_sync_log import SyncRun

_logger = logging.getLogger(__name__)

MANAGER = 'shoprenter_connector.group_shoprenter_manager'
MAX_LINE_QUANTITY = 1000
# The first key of the shops' advisory locks: this addon's own
LOCK_CLASS = zlib.crc32(b'shoprenter_connector') & 0x7FFFFFFF
PUSH_LOCK_CLASS = zlib.crc32(b'shoprenter_connector.push') & 0x7FFFFFFF
# A page that met another transaction's writes (serialization failure, deadlock, lock not
# available: e.g. the push clearing the changed marks the page's moves set) is tried again
# on a fresh snapshot this many times, waiting longer each time, before it goes order by order
CONFLICT_STATES = {'40001', '40P01', '55P03'}
CONFLICT_RETRIES = 3
CONFLICT_WAIT = 0.5  # seconds, doubled on each retry


def is_conflict(exception):
    return getattr(exception, 'pgcode', None) in CONFLICT_STATES


@api.model
def _lang_get(self):
    return self.env['res.lang'].get_installed()


class ShopRenterShop(models.Model):
    _name = 'shoprenter.shop'
    _description = "ShopRenter shop"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        'res.company', required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related='company_id.currency_id')
    warehouse_id = fields.Many2one(
        'stock.warehouse', "Warehouse", check_company=True,
        default=lambda self: self.env['stock.warehouse'].search(
            [('company_id', '=', self.env.company.id)], limit=1),
        help="The shop's orders are delivered from this warehouse.")
    team_id = fields.Many2one('crm.team', "Sales Team", check_company=True)
    sequence_id = fields.Many2one(
        'ir.sequence', "Order Sequence", check_company=True, copy=False,
        help="Numbers the shop's sales; created with the shop when left empty.")
    max_line_quantity = fields.Integer(
        "Maximum Line Quantity", default=MAX_LINE_QUANTITY,
        help="An order with a line of more units stops with a message instead of "
        "reserving them.")
    lang = fields.Selection(
        _lang_get, "Log Language",
        default=lambda self: self._default_lang(),
        help="The language of the messages the sync writes into its log.")
    shoprenter_shop = fields.Char(
        "ShopRenter Shop", required=True, groups=MANAGER,
        help="The shop name in ShopRenter, as in <shop>.myshoprenter.hu.")
    client_id = fields.Char("Client ID", groups=MANAGER, copy=False)
    client_secret = fields.Char("Client Secret", groups=MANAGER, copy=False)
    api_url = fields.Char("API URL", groups=MANAGER, help="Leave empty for ShopRenter itself.")
    token_url = fields.Char(
        "Token URL", groups=MANAGER, help="Leave empty for ShopRenter itself.")
    payment_fee_product_id = fields.Many2one(
        'product.product', "Payment Fee Product", check_company=True,
        domain=[('type', '=', 'service')],
        help="Sells the payment handling fee (e.g. cash on delivery).")
    coupon_product_id = fields.Many2one(
        'product.product', "Coupon Product", check_company=True,
        domain=[('type', '=', 'service')], help="Sells the coupon discounts.")
    tax_ids = fields.One2many('shoprenter.tax', 'shop_id', "VAT Mapping")
    payment_mode_ids = fields.One2many('shoprenter.payment.mode', 'shop_id', "Payment Modes")
    status_ids = fields.One2many('shoprenter.order.status', 'shop_id', "Order Statuses")
    orders_cursor = fields.Datetime(
        "Orders Downloaded Until", readonly=True, copy=False,
        help="ShopRenter's time (the shop's local time) of the last order change "
        "downloaded.")
    log_ids = fields.One2many('shoprenter.sync.log', 'shop_id', "Sync Log", readonly=True)
    last_sync = fields.Datetime(compute='_compute_last_sync')
    last_sync_state = fields.Char("Last Sync Result", compute='_compute_last_sync')
    sale_count = fields.Integer(compute='_compute_sale_count')

    @api.model
    def _default_lang(self):
        installed = dict(self.env['res.lang'].get_installed())
        return 'hu_HU' if 'hu_HU' in installed else (self.env.lang or 'en_US')

    def _compute_last_sync(self):
        Log = self.env['shoprenter.sync.log']
        for shop in self:
            log = Log.search([('shop_id', '=', shop.id), ('kind', '=', 'orders')], limit=1)
            shop.last_sync = log.started
            shop.last_sync_state = log.summary if log else False

    def _compute_sale_count(self):
        counts = dict(self.env['sale.order']._read_group(
                [('shoprenter_shop_id', 'in', self.ids)], ['shoprenter_shop_id'], ['__count']))
        for shop in self:
            shop.sale_count = counts.get(shop, 0)

    @api.model_create_multi
    def create(self, vals_list):
        shops = super().create(vals_list)
        for shop in shops.filtered(lambda s: not s.sequence_id).sudo():
            code = (shop.shoprenter_shop or shop.name or 'SR').upper()
            shop.sequence_id = self.env['ir.sequence'].create({
                    'name': self.env._("%(shop)s sales", shop=shop.name),
                    'prefix': f'{code}-', 'padding': 5,
                    'company_id': shop.company_id.id})
        return shops

    # The connection

    def _shoprenter_client(self):
        "The ShopRenter API client of the shop (its credentials are managers' only)"
        self.ensure_one()
        shop = self.sudo()
        if not (shop.shoprenter_shop and shop.client_id and shop.client_secret):
            raise UserError(self.env._(
                "Shop \"%(shop)s\" has no ShopRenter shop name, client ID or client secret.",
                shop=self.name))
        return Client(shop.shoprenter_shop, shop.client_id, shop.client_secret,
            api_url=shop.api_url or None, token_url=shop.token_url or None)

    def _shoprenter_env(self):
        "The shop as the sync works with it: its company, its log language, every right"
        self.ensure_one()
        return self.sudo().with_company(self.company_id).with_context(
            lang=self.lang or self.env.lang, tracking_disable=True,
            mail_create_nolog=True, mail_notrack=True)

    # Buttons

    def action_load_taxes(self):
        """Add the shop's tax classes to its VAT mapping, each with the company's sale tax
        of the same rate when there is exactly one"""
        Tax = self.env['account.tax']
        for shop in self:
            try:
                with shop._shoprenter_client() as client:
                    tax_rates = list(client.iter_collection('taxRates'))
                    tax_classes = list(client.iter_collection('taxClasses'))
            except ShopRenterError as error:
                raise UserError(str(error))
            values = []
            for name, rate in vat.new_tax_classes(
                    tax_classes, tax_rates, set(shop.tax_ids.mapped('name'))):
                taxes = Tax.search([
                        ('company_id', '=', shop.company_id.id),
                        ('type_tax_use', '=', 'sale'), ('amount_type', '=', 'percent'),
                        ('amount', '=', float(rate))]) if rate is not None else Tax
                tax = vat.sole(taxes)
                values.append({'shop_id': shop.id, 'name': name,
                        'rate': float(rate) if rate is not None else 0.0,
                        'tax_id': tax.id if tax else False})
            self.env['shoprenter.tax'].create(values)
        return True

    def action_sync_now(self):
        return self._shoprenter_notification(self._sync_orders(),
            self.env._("Another sync of the shop is running: try again in a moment."))

    def _shoprenter_notification(self, logs, nothing):
        "The clerk told what the runs (sync logs) did, or nothing when there are none"
        message = '\n'.join(f'{log.shop_id.name}: {log.summary}' for log in logs) or nothing
        return {
            'type': 'ir.actions.client', 'tag': 'display_notification',
            'params': {
                'title': self.env._("ShopRenter"), 'message': message,
                'type': 'danger' if any(log.failed or log.state == 'failed' for log in logs)
                else 'success',
                'next': {'type': 'ir.actions.client', 'tag': 'soft_reload'},
                },
            }

    def action_view_sales(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id('sale.action_orders')
        action['domain'] = [('shoprenter_shop_id', '=', self.id)]
        action['context'] = {}
        return action

    # The order download

    @api.model
    def _cron_sync_orders(self):
        self.search([])._sync_orders()

    def _sync_orders(self, progress=None):
        """Download the orders changed since the last run into sales; return the logs.

        Each page of orders is a unit of work (one transaction), each order in it a
        savepoint: a bad order is logged and retried on the next run without blocking the
        others."""
        logs = self.env['shoprenter.sync.log']
        for shop in self:
            shop = shop._shoprenter_env()
            if not shop._shoprenter_try_lock():
                _logger.info("ShopRenter sync of %s already running", shop.name)
                continue
            try:
                logs |= shop._shoprenter_sync_orders(progress)
            finally:
                shop._shoprenter_unlock()
        return logs

    def _shoprenter_lock_key(self, job='orders'):
        # The push has a lock of its own: it may run while orders download
        return (LOCK_CLASS if job == 'orders' else PUSH_LOCK_CLASS, self.id)

    def _shoprenter_try_lock(self, job='orders'):
        """Take the shop's advisory lock for this connection (it outlives the commits
        after each order); False when another sync holds it"""
        self.env.cr.execute(
            'SELECT pg_try_advisory_lock(%s, %s)', self._shoprenter_lock_key(job))
        return self.env.cr.fetchone()[0]

    def _shoprenter_unlock(self, job='orders'):
        query = 'SELECT pg_advisory_unlock(%s, %s)'
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, self._shoprenter_lock_key(job))
        except psycopg2.Error:
            # A session lock outlives the transaction: a run that broke the transaction
            # must still give the lock back, or its pooled connection keeps it
            if odoo_module.current_test:
                raise
            self.env.cr.rollback()
            self.env.cr.execute(query, self._shoprenter_lock_key(job))

    def _shoprenter_commit(self, processed=1):
        """Keep what is done: after each page or order outside tests (the cron counts its
        orders as progress)"""
        if not odoo_module.current_test:
            self.env['ir.cron']._commit_progress(processed)

    def _shoprenter_sync_orders(self, progress=None):
        run = SyncRun.start(self, 'orders')
        self._shoprenter_commit()
        try:
            with self._shoprenter_client() as client:
                self._shoprenter_update_settings(client)
                # kept before the pages: a page that fails rolls back to here
                self._shoprenter_commit(0)
                new_cursor = self._shoprenter_download_orders(client, run, progress)
        except (ShopRenterError, UserError) as exception:
            run.finish(error=str(exception))
        except Exception as exception:
            run.finish(error=f'{type(exception).__name__}: {exception}')
            self._shoprenter_commit()
            raise
        else:
            if new_cursor and new_cursor != self.orders_cursor:
                self.orders_cursor = new_cursor
            run.finish()
        self._shoprenter_commit()
        return run.log

    def _shoprenter_zone(self):
        "The time zone ShopRenter writes the shop's dates in: the company's, else the server's"
        return self.company_id.partner_id.tz or None

    def _shoprenter_last_update_before(self, now):
        "The last change of the shop's sales up to now"
        sale = self.env['sale.order'].search([('shoprenter_shop_id', '=', self.id),
                ('shoprenter_updated', '<=', now)], order='shoprenter_updated desc', limit=1)
        return sale.shoprenter_updated or None

    def _shoprenter_download_orders(self, client, run, progress):
        "Import the changed orders and the failed ones; return the new cursor"
        now = sync_cursor.shop_now(self._shoprenter_zone())
        new_cursor = self.orders_cursor or None
        if sync_cursor.in_future(new_cursor, now):
            new_cursor = self._shoprenter_last_update_before(now)
        seen = set()  # the earlier failures met again on the pages
        for page in client.iter_pages('orderExtend', sync_cursor.order_query(new_cursor)):
            if progress is not None and page.count:
                progress.total = page.count * len(page.items or ())
                progress.refresh()
            orders = [order if isinstance(order, dict) else {'malformed': order}
                for order in page.items or ()]
            for order in orders:
                if order.get('id') in run.failed_ids:
                    seen.add(order.get('id'))
            self._shoprenter_import_page(orders, run, now)
            for order in orders:
                new_cursor = sync_cursor.advance(new_cursor, order.get('dateUpdated'), now)
            if progress is not None:
                progress.update(len(orders))
        for order_id in sorted(run.failed_ids - seen):
            try:
                order = client.get(f'orderExtend/{order_id}')
            except NotFoundError:
                run.add_outcome(order_id, None, 'skipped', [('warning', self.env._(
                    "ShopRenter order %(id)s, which failed before, is no longer in the shop: "
                    "it is not retried.", id=order_id))])
                continue
            except ShopRenterError as exception:
                run.add_error(order_id, None, str(exception))
                continue
            self._shoprenter_import_order(order, run, now)
        return new_cursor

    def _shoprenter_import_page(self, orders, run, now):
        """Import a page of orders in one transaction, committed at its end: each order
        checked and resolved in a savepoint of its own (a bad one is logged alone and
        rolled back alone), the page's new sales then created and confirmed together.
        When that fails, the page is rolled back and done again an order at a time, so
        the order that broke it is logged alone with its message."""
        if not orders:
            return
        counts, errors = dict(run.counts), list(run.errors)
        for attempt in itertools.count():
            try:
                with self.env.cr.savepoint():
                    page = ImportPage(self, orders)
                    for order in orders:
                        self._shoprenter_import_order(order, run, now, page)
                    self._shoprenter_create_queued(page, run, now)
            except Exception as exception:
                # The log's rows went with the rollback: its counts go back with them
                run.counts, run.errors = dict(counts), list(errors)
                # Outside tests, a new snapshot: what others committed meanwhile is seen
                restart = not odoo_module.current_test
                if restart:
                    self.env.cr.rollback()
                if restart and is_conflict(exception) and attempt < CONFLICT_RETRIES:
                    _logger.info("ShopRenter orders: the page of %d met another "
                        "transaction (%s); tried again", len(orders), exception)
                    time.sleep(CONFLICT_WAIT * 2 ** attempt)
                    continue
                _logger.info("ShopRenter orders: the page of %d failed together (%s: %s); "
                    "imported one by one", len(orders), type(exception).__name__, exception)
                for order in orders:
                    self._shoprenter_import_order(order, run, now)
            else:
                self._shoprenter_commit(len(orders))
            return

    def _shoprenter_create_queued(self, page, run, now):
        "Create the sales the page queued, together, and note their outcomes"
        queued = page.take_queued()
        if queued:
            self.env['sale.order']._shoprenter_create_sales(queued)
        for order, _, notes in queued:
            self._shoprenter_note_outcome(order, run, now, 'created', notes)

    def _shoprenter_import_order(self, order, run, now, page=None):
        """Import one order in a savepoint of its own and note the outcome; in a page, a new
        sale is only queued (its outcome noted when the page creates it), and the page
        commits"""
        order_id, number = self._shoprenter_order_keys(order)
        if page is not None and order_id in page.queued_ids:
            # The order twice on a page (it changed while the pages were read): its sale
            # is made before the second one is looked at
            self._shoprenter_create_queued(page, run, now)
        try:
            with self.env.cr.savepoint():
                outcome, notes = self.env['sale.order']._shoprenter_import(self, order, page)
        except OrderError as error:
            run.add_error(order_id, number, order_error_message(self.env, error, self))
        except (UserError, ValidationError) as error:
            run.add_error(order_id, number, error.args[0] if error.args else str(error))
        except Exception as exception:
            if page is not None and is_conflict(exception):
                raise  # the whole page is tried again on a fresh snapshot
            if not isinstance(exception, (ShopRenterError, ValueError, TypeError, KeyError,
                    ArithmeticError, AttributeError)):
                _logger.exception("ShopRenter order %s", number)
            run.add_error(order_id, number, f'{type(exception).__name__}: {exception}')
        else:
            if outcome != 'queued':
                self._shoprenter_note_outcome(order, run, now, outcome, notes)
        if page is None:
            self._shoprenter_commit()

    @staticmethod
    def _shoprenter_order_keys(order):
        "The order's ShopRenter id and number, as the log keeps them"
        return tuple(value if isinstance(value, str) else None
            for value in [order.get('id'), order.get('innerId')])

    def _shoprenter_note_outcome(self, order, run, now, outcome, notes):
        order_id, number = self._shoprenter_order_keys(order)
        if sync_cursor.dated_in_future(order, outcome, now):
            notes = list(notes) + [('warning', self.env._(
                "ShopRenter order #%(number)s says it last changed on %(date)s, in the "
                "future: the order's date or the shop's clock is wrong. The order was "
                "imported; the download of later orders goes on from the current time.",
                number=number, date=order['dateUpdated'].strftime('%Y-%m-%d %H:%M:%S')))]
        run.add_outcome(order_id, number, outcome, notes)

    def _shoprenter_update_settings(self, client):
        "Keep the shop's order statuses and payment modes up to date"
        statuses, modes = read_shop_settings(client)
        known = {s.shoprenter_id: s for s in self.status_ids}
        for status_id, name in statuses.items():
            if status_id not in known:
                self.env['shoprenter.order.status'].create({'shop_id': self.id,
                        'shoprenter_id': status_id, 'name': name,
                        'action': status_action(name)})
            elif known[status_id].name != name:
                known[status_id].name = name
        known = {m.code: m for m in self.payment_mode_ids}
        for code, name in modes.items():
            if code not in known:
                self.env['shoprenter.payment.mode'].create(
                    {'shop_id': self.id, 'code': code, 'name': name})
            elif known[code].name != name:
                known[code].name = name

    def _shoprenter_status_action(self, status_id):
        "The action for orders of the status; None for a status the shop does not know"
        for status in self.status_ids:
            if status.shoprenter_id == status_id:
                return status.action
        return None

    def _shoprenter_fee_product(self, kind):
        """The service product of payment fees ('payment_fee') or coupons ('coupon'),
        created when the shop has none yet"""
        field = f'{kind}_product_id'
        if not self[field]:
            names = {'payment_fee': self.env._("Payment fee"),
                'coupon': self.env._("Webshop coupon")}
            self[field] = self.env['product.product']._shoprenter_create(
                names[kind], 'service', 0)
        return self[field]
