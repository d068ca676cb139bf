"""The ShopRenter web shop: credentials, mappings, and the order download."""
import logging
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from shoprenter import Client, NotFoundError, ShopRenterError
from shoprenter.sync import cursor as order_cursor
from shoprenter.sync.settings import read_shop_settings
from shoprenter.sync.vat import find_mapping, new_tax_classes, sole

from .common import collect_finished, new_run_cache, status_action
from .failures import failure_message
from .import_page import group_size, import_orders, import_unit, order_keys
from .lock import job_lock
from .log import SkippedRun, SyncRun

logger = logging.getLogger(__name__)

MAX_LINE_QUANTITY = 1000


class Shop(metaclass=PoolMeta):
    __name__ = 'web.shop'

    _states = {
        'required': Eval('type') == 'shoprenter',
        'invisible': Eval('type') != 'shoprenter',
        }
    shoprenter_shop = fields.Char(
        "ShopRenter Shop", states=_states,
        help="The shop name in ShopRenter, as in <shop>.myshoprenter.hu.")
    shoprenter_client_id = fields.Char(
        "Client ID", states=_states, strip=False)
    shoprenter_client_secret = fields.Char(
        "Client Secret", states=_states, strip=False)
    del _states
    shoprenter_api_url = fields.Char(
        "API URL",
        help="Leave empty for ShopRenter itself.")
    shoprenter_token_url = fields.Char(
        "Token URL",
        help="Leave empty for ShopRenter itself.")
    shoprenter_sale_sequence = fields.Many2One(
        'ir.sequence', "Sale Sequence",
        domain=[
            ('sequence_type', '=', Eval('shoprenter_sale_sequence_type', -1)),
            ('company', 'in', [Eval('company', -1), None]),
            ],
        help="Numbers the sales of this shop; "
        "empty: the company's sale sequence.")
    shoprenter_sale_sequence_type = fields.Function(
        fields.Many2One('ir.sequence.type', "Sale Sequence Type"),
        'get_shoprenter_sale_sequence_type')
    shoprenter_account_category = fields.Many2One(
        'product.category', "Account Category",
        domain=[('accounting', '=', True)],
        help="Given to the products created from ShopRenter orders "
        "when their VAT mapping has none.")
    shoprenter_payment_fee_product = fields.Many2One(
        'product.product', "Payment Fee Product",
        domain=[('type', '=', 'service')],
        help="Sells the payment handling fee (e.g. cash on delivery).")
    shoprenter_coupon_product = fields.Many2One(
        'product.product', "Coupon Product",
        domain=[('type', '=', 'service')],
        help="Sells the coupon discounts.")
    shoprenter_taxes = fields.One2Many(
        'web.shop.shoprenter.tax', 'shop', "VAT Mapping")
    shoprenter_payment_modes = fields.One2Many(
        'web.shop.shoprenter.payment_mode', 'shop', "Payment Modes")
    shoprenter_order_statuses = fields.One2Many(
        'web.shop.shoprenter.order_status', 'shop', "Order Statuses")
    shoprenter_orders_cursor = fields.DateTime(
        "Orders Downloaded Until", readonly=True,
        help="ShopRenter's time of the last order change downloaded.")
    shoprenter_logs = fields.One2Many(
        'web.shop.shoprenter.log', 'shop', "Sync Log", readonly=True)
    shoprenter_max_line_quantity = fields.Integer(
        "Maximum Line Quantity",
        states={
            'required': Eval('type') == 'shoprenter',
            'invisible': Eval('type') != 'shoprenter',
            },
        domain=['OR',
            ('shoprenter_max_line_quantity', '=', None),
            ('shoprenter_max_line_quantity', '>=', 1),
            ],
        help="An order with a line of more units stops with a message "
        "instead of reserving them.")
    shoprenter_last_sync = fields.Function(
        fields.DateTime("Last Order Download"), 'get_shoprenter_last_sync')
    shoprenter_last_sync_state = fields.Function(
        fields.Char("Order Download Result"), 'get_shoprenter_last_sync')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.type.selection.append(('shoprenter', "ShopRenter"))
        cls._buttons.update({
                'shoprenter_sync_now': {
                    'invisible': Eval('type') != 'shoprenter',
                    'depends': ['type'],
                    },
                'shoprenter_load_taxes': {
                    'invisible': Eval('type') != 'shoprenter',
                    'depends': ['type'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="shoprenter"]', 'states', {
                    'invisible': Eval('type') != 'shoprenter',
                    }),
            ]

    @classmethod
    def default_shoprenter_max_line_quantity(cls):
        return MAX_LINE_QUANTITY

    @classmethod
    def get_shoprenter_last_sync(cls, shops, names):
        return cls.shoprenter_last_runs(shops, names, 'orders', {
                'shoprenter_last_sync': 'started',
                'shoprenter_last_sync_state': 'rec_summary',
                })

    @classmethod
    def shoprenter_last_runs(cls, shops, names, kind, fields):
        """The fields (name: attribute of the log) of each shop's last run
        of kind: every job shows its own result"""
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        result = {name: dict.fromkeys(map(int, shops)) for name in names}
        for shop in shops:
            logs = Log.search([
                    ('shop', '=', shop.id),
                    ('kind', '=', kind),
                    ], limit=1)
            for log in logs:
                for name in names:
                    result[name][shop.id] = getattr(log, fields[name])
        return result

    def get_shoprenter_sale_sequence_type(self, name):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        return ModelData.get_id('sale', 'sequence_type_sale')

    @property
    def to_sync(self):
        return super().to_sync or self.type == 'shoprenter'

    def shoprenter_client(self):
        "Return the ShopRenter API client of the shop"
        return Client(
            self.shoprenter_shop, self.shoprenter_client_id,
            self.shoprenter_client_secret,
            api_url=self.shoprenter_api_url or None,
            token_url=self.shoprenter_token_url or None)

    def get_sale(self, party=None):
        sale = super().get_sale(party=party)
        if self.type == 'shoprenter':
            # The shop's fees are sale lines of their own.
            sale.shipment_cost_method = None
        return sale

    @classmethod
    @ModelView.button_action('web_shop_shoprenter.wizard_sync_now')
    def shoprenter_sync_now(cls, shops):
        "Open the wizard that syncs the shops and says what happened"

    @classmethod
    @ModelView.button
    def shoprenter_load_taxes(cls, shops):
        """Add the shop's tax classes to its VAT mapping, each with the
        company's tax of the same rate when there is exactly one"""
        pool = Pool()
        Mapping = pool.get('web.shop.shoprenter.tax')
        Tax = pool.get('account.tax')
        mappings = []
        for shop in shops:
            with shop.shoprenter_client() as client:
                tax_rates = list(client.iter_collection('taxRates'))
                tax_classes = list(client.iter_collection('taxClasses'))
            known = {m.name for m in shop.shoprenter_taxes}
            for name, rate in new_tax_classes(tax_classes, tax_rates, known):
                taxes = Tax.search([
                        ('company', '=', shop.company.id),
                        ('parent', '=', None),
                        ('type', '=', 'percentage'),
                        ('rate', '=', rate / 100),
                        ]) if rate is not None else []
                mappings.append(Mapping(
                        shop=shop, name=name, rate=rate, tax=sole(taxes)))
        Mapping.save(mappings)

    @classmethod
    def shoprenter_sync_orders(cls, shops=None, progress=None):
        """Download the orders changed since the last run into sales.

        A page's orders are imported a group at a time, each group one
        transaction (import_page): a bad order ends up alone, is logged and
        retried on the next run without blocking the others."""
        if shops is None:
            shops = cls.search([('type', '=', 'shoprenter')])
        logs = []
        for shop in shops:
            with job_lock(shop, 'orders') as lock:
                if not lock:
                    logger.info("ShopRenter sync of %s already running: %s",
                        shop.name, lock.holder)
                    logs.append(SkippedRun(shop, 'orders', lock.holder))
                    continue
                with Transaction().set_context(company=shop.company.id):
                    logs.append(
                        shop._shoprenter_sync_orders(progress=progress))
        return logs

    def _shoprenter_sync_orders(self, progress=None):
        log = SyncRun.start(self, 'orders')
        try:
            with self.shoprenter_client() as client, new_run_cache():
                self._shoprenter_update_settings(client)
                cursor = self._shoprenter_download_orders(
                    client, log, progress)
        except ShopRenterError as exception:
            log.finish(error=failure_message(self, exception))
        except Exception as exception:
            log.finish(error=f'{type(exception).__name__}: {exception}')
            raise
        else:
            self._shoprenter_save_cursor(cursor)
            log.finish()
        return log

    def _shoprenter_download_orders(self, client, log, progress):
        "Import the changed orders and the failed ones; return the new cursor"
        now = self.shoprenter_now()
        cursor = self.shoprenter_orders_cursor
        if order_cursor.in_future(cursor, now):
            cursor = self._shoprenter_last_update_before(now)
        params = order_cursor.order_query(cursor)
        seen = set()  # the earlier failures met again on the pages
        size = group_size()
        for page in client.iter_pages('orderExtend', params):
            if progress is not None and page.count:
                progress.total = page.count * len(page.items or ())
                progress.refresh()
            orders = []
            for order in page.items:
                if not isinstance(order, dict):
                    order = {'malformed': order}
                if order.get('id') in log.failed_ids:
                    seen.add(order.get('id'))
                orders.append(order)
            # A group of the page's orders per unit of work (import_page)
            import_orders(self, orders, log, self.shoprenter_now(), size,
                progress)
            for order in orders:
                cursor = order_cursor.advance(
                    cursor, order.get('dateUpdated'), now)
        for order_id in log.failed_ids - seen:
            try:
                order = client.get(f'orderExtend/{order_id}')
            except NotFoundError:
                log.add_outcome(order_id, None, 'skipped', [(
                            'warning', gettext(
                                'web_shop_shoprenter.msg_order_gone',
                                id=order_id))])
                continue
            except ShopRenterError as exception:
                log.add_error(
                    order_id, None, failure_message(self, exception))
                continue
            self._shoprenter_import_order(order, log)
        return cursor

    def _shoprenter_last_update_before(self, now):
        """The last change of the shop's sales up to now: where to download
        from when the cursor was left in the future (before it was capped)"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        sales = Sale.search([
                ('web_shop', '=', self.id),
                ('shoprenter_updated', '<=', now),
                ], order=[('shoprenter_updated', 'DESC')], limit=1)
        return sales[0].shoprenter_updated if sales else None

    def _shoprenter_import_order(self, order, log):
        "Import one order in a transaction of its own and note the outcome"
        order_id, number = order_keys(order)
        try:
            import_unit(self, [order], log, self.shoprenter_now())
        except Exception as exception:
            if not isinstance(exception, (
                        ShopRenterError, ValueError, TypeError, KeyError,
                        ArithmeticError, AttributeError)) and not getattr(
                    exception, 'message', None):
                logger.exception("ShopRenter order %s", number)
            message = getattr(exception, 'message', None) or (
                f'{type(exception).__name__}: {exception}')
            log.add_error(order_id, number, message)
        collect_finished(sum(log.counts.values()))

    def shoprenter_now(self):
        "The time now as ShopRenter writes its dates, in the company's zone"
        return order_cursor.shop_now(self.company.timezone or None)

    @staticmethod
    def _shoprenter_date_notes(order, outcome, now):
        "A warning for an order that changed the sale and is dated too late"
        if order_cursor.dated_in_future(order, outcome, now):
            return [('warning', gettext(
                        'web_shop_shoprenter.msg_order_date_future',
                        number=order.get('innerId'),
                        date=order['dateUpdated'].strftime(
                            '%Y-%m-%d %H:%M:%S')))]
        return []

    def _shoprenter_save_cursor(self, cursor):
        if cursor != self.shoprenter_orders_cursor:
            with Transaction().new_transaction() as transaction:
                self.__class__.write(
                    [self.__class__(self.id)],
                    {'shoprenter_orders_cursor': cursor})
                transaction.commit()

    def _shoprenter_update_settings(self, client):
        """Keep the shop's order statuses and payment modes up to date, named
        in Hungarian when the shop has the language"""
        self._shoprenter_save_settings(*read_shop_settings(client))

    def _shoprenter_save_settings(self, statuses, modes):
        pool = Pool()
        Status = pool.get('web.shop.shoprenter.order_status')
        PaymentMode = pool.get('web.shop.shoprenter.payment_mode')
        known_statuses = {
            s.shoprenter_id: s.name for s in self.shoprenter_order_statuses}
        known_modes = {m.code: m.name for m in self.shoprenter_payment_modes}
        if (all(known_statuses.get(i) == n for i, n in statuses.items())
                and all(known_modes.get(c) == n for c, n in modes.items())):
            return
        with Transaction().new_transaction() as transaction:
            status_records = {s.shoprenter_id: s for s in Status.search(
                    [('shop', '=', self.id)])}
            for status_id, name in statuses.items():
                record = status_records.get(status_id) or Status(
                    shop=self.id, shoprenter_id=status_id,
                    action=status_action(name))
                record.name = name
                status_records[status_id] = record
            mode_records = {m.code: m for m in PaymentMode.search(
                    [('shop', '=', self.id)])}
            for code, name in modes.items():
                record = mode_records.get(code) or PaymentMode(
                    shop=self.id, code=code)
                record.name = name
                mode_records[code] = record
            Status.save(list(status_records.values()))
            PaymentMode.save(list(mode_records.values()))
            transaction.commit()

    def shoprenter_tax(self, rate, name=None):
        "The VAT mapping of a ShopRenter VAT rate (or short name), or None"
        return find_mapping(self.shoprenter_taxes, rate, name)

    def shoprenter_fee_product(self, kind):
        """The service product of payment fees or coupons, created with the
        shop's account category when the shop has none yet"""
        pool = Pool()
        Product = pool.get('product.product')
        field = f'shoprenter_{kind}_product'
        product = getattr(self, field)
        if not product:
            name = gettext(f'web_shop_shoprenter.msg_{kind}_product_name')
            product = Product.shoprenter_create(
                name, 'service', Decimal(0),
                self.shoprenter_account_category)
            self.__class__.write([self], {field: product.id})
        return product

    def shoprenter_status_action(self, status_id):
        "The action for orders of the status; None for an unknown status"
        for status in self.shoprenter_order_statuses:
            if status.shoprenter_id == status_id:
                return status.action


class ShopTax(ModelSQL, ModelView):
    "Maps a ShopRenter VAT (tax class) to an ERP tax"
    __name__ = 'web.shop.shoprenter.tax'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, ondelete='CASCADE')
    name = fields.Char(
        "ShopRenter VAT", required=True,
        help="The short name of the tax class in ShopRenter, e.g. '27 %'.")
    rate = fields.Numeric(
        "Rate (%)", digits=(16, 4),
        help="The percentage ShopRenter puts on order lines.")
    tax = fields.Many2One(
        'account.tax', "Tax",
        domain=[
            ('parent', '=', None),
            ['OR',
                ('group', '=', None),
                ('group.kind', 'in', ['sale', 'both']),
                ],
            ],
        help="Empty: orders with this VAT stop until a tax is set.")
    account_category = fields.Many2One(
        'product.category', "Account Category",
        domain=[('accounting', '=', True)],
        help="Given to the products created with this VAT.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_name_unique', Unique(t, t.shop, t.name),
                'web_shop_shoprenter.msg_tax_name_unique'),
            ]


class ShopPaymentMode(ModelSQL, ModelView):
    "A ShopRenter payment mode and the payment term it maps to"
    __name__ = 'web.shop.shoprenter.payment_mode'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, ondelete='CASCADE')
    code = fields.Char("Code", required=True)
    name = fields.Char("Name")
    payment_term = fields.Many2One(
        'account.invoice.payment_term', "Payment Term")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_code_unique', Unique(t, t.shop, t.code),
                'web_shop_shoprenter.msg_payment_mode_code_unique'),
            ]

    def get_rec_name(self, name):
        return self.name or self.code

    @classmethod
    def get_from_shoprenter(cls, shop, order):
        "Return the shop's payment mode of the order, created when new"
        code = (order.get('paymentMethodCode') or '').strip().lower()
        if not code:
            return None
        for mode in shop.shoprenter_payment_modes:
            if mode.code.lower() == code:
                return mode
        mode = cls(shop=shop, code=code, name=order.get('paymentMethodName'))
        mode.save()
        return mode


class ShopOrderStatus(ModelSQL, ModelView):
    "What the download does with the orders of a ShopRenter status"
    __name__ = 'web.shop.shoprenter.order_status'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, ondelete='CASCADE')
    shoprenter_id = fields.Char("ShopRenter ID", required=True, readonly=True)
    name = fields.Char("Name", readonly=True)
    action = fields.Selection([
            ('import', "Import"),
            ('cancel', "Cancel"),
            ('ignore', "Ignore"),
            ], "Action", required=True,
        help="Import: the order becomes a confirmed sale.\n"
        "Cancel: its sale is cancelled (or flagged once shipped or "
        "invoiced).\n"
        "Ignore: the order is left alone.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_status_unique', Unique(t, t.shop, t.shoprenter_id),
                'web_shop_shoprenter.msg_order_status_unique'),
            ]

    @classmethod
    def default_action(cls):
        return 'import'


class ShopCustomer(ModelSQL):
    "Links a registered ShopRenter customer to a party"
    __name__ = 'web.shop.shoprenter.customer'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, ondelete='CASCADE')
    customer_id = fields.Char("Customer ID", required=True)
    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_customer_unique', Unique(t, t.shop, t.customer_id),
                'web_shop_shoprenter.msg_customer_unique'),
            ]
