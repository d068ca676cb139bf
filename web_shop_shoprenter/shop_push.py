"""Stock and price upload to ShopRenter, the nightly reconciliation and the
products the ERP sells but the shop lacks.

The link table (web.shop.shoprenter.product) remembers, per shop and
product, the ShopRenter product id and the last quantity and price the shop
holds: only values that differ from it are sent, and a product stays marked
as changed until its operation succeeded, so a failed one is retried on the
next push and never lost."""
import datetime as dt
import logging
from decimal import Decimal

from sql import Literal

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import StateTransition, Wizard

from shoprenter import ShopRenterError
from shoprenter.sync import push as push_rules

from .failures import failure_message, is_run_failure
from .lock import job_lock
from .log import SkippedRun, SyncRun, add_problem, resolve_problems, run_subject

logger = logging.getLogger(__name__)

STOCK_FIELDS = [
    ('stock1', "Stock 1"),
    ('stock2', "Stock 2"),
    ('stock3', "Stock 3"),
    ('stock4', "Stock 4"),
    ]
# Moves in these states leave the warehouse later: their quantity is
# promised to an open order (or another outgoing shipment) already.
RESERVING_STATES = ['draft', 'waiting', 'assigned']
# Up to this many new products are looked up one SKU at a time; more, and
# one pass over the whole catalogue is cheaper.
SKU_LOOKUP_MAX = 10
PUSH_QUEUE = 'shoprenter_push'


class ShopProduct(ModelSQL, ModelView):
    "Links a product to its ShopRenter product and what the shop holds"
    __name__ = 'web.shop.shoprenter.product'

    shop = fields.Many2One(
        'web.shop', "Shop", required=True, ondelete='CASCADE',
        readonly=True)
    product = fields.Many2One(
        'product.product', "Product", required=True, ondelete='CASCADE',
        readonly=True)
    shoprenter_id = fields.Char("ShopRenter ID", readonly=True)
    state = fields.Selection([
            ('linked', "Linked"),
            ('missing', "Missing in ShopRenter"),
            ], "State", required=True, readonly=True,
        help="Missing: no product with this SKU in ShopRenter; "
        "\"Create in ShopRenter\" creates it.")
    sent_quantity = fields.Integer(
        "Shop Quantity", readonly=True,
        help="The stock ShopRenter holds, as last sent or read.")
    sent_price = fields.Numeric(
        "Shop Price", digits=(16, 4), readonly=True,
        help="The net price ShopRenter holds, as last sent or read.")
    tax_class = fields.Char(
        "ShopRenter VAT", readonly=True,
        help="The tax class of the product in ShopRenter.")
    changed = fields.Boolean(
        "Changed", readonly=True,
        help="The stock or price may differ from the shop's: "
        "the next push compares and sends it.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('shop_product_unique', Unique(t, t.shop, t.product),
                'web_shop_shoprenter.msg_shop_product_unique'),
            ]
        cls._order = [('shop', 'ASC'), ('product', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_changed(cls):
        return True

    @classmethod
    def default_state(cls):
        return 'linked'

    @classmethod
    def mark_changed(cls, product_ids):
        """Mark the links of the products as changed, in the current
        transaction so it commits or rolls back with the change itself"""
        if not product_ids:
            return
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for sub_ids in _chunks(sorted(set(product_ids)), 500):
            cursor.execute(*table.update(
                    [table.changed], [Literal(True)],
                    where=table.product.in_(sub_ids)))


def _chunks(values, size):
    for i in range(0, len(values), size):
        yield values[i:i + size]


class Shop(metaclass=PoolMeta):
    __name__ = 'web.shop'

    shoprenter_stock_field = fields.Selection(
        STOCK_FIELDS, "Stock Field",
        states={'invisible': Eval('type') != 'shoprenter'},
        help="The ShopRenter stock field that receives the quantity "
        "the warehouse can promise.")
    shoprenter_products = fields.One2Many(
        'web.shop.shoprenter.product', 'shop', "ShopRenter Products",
        readonly=True)
    shoprenter_last_push = fields.Function(
        fields.DateTime("Last Stock and Price Push"),
        'get_shoprenter_last_push')
    shoprenter_last_push_state = fields.Function(
        fields.Char("Stock and Price Push Result"),
        'get_shoprenter_last_push')
    shoprenter_last_reconcile = fields.Function(
        fields.DateTime("Last Reconciliation"),
        'get_shoprenter_last_reconcile')
    shoprenter_last_reconcile_state = fields.Function(
        fields.Char("Reconciliation Result"),
        'get_shoprenter_last_reconcile')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'shoprenter_push_now': {
                    'invisible': Eval('type') != 'shoprenter',
                    'depends': ['type'],
                    },
                'shoprenter_reconcile_now': {
                    'invisible': Eval('type') != 'shoprenter',
                    'depends': ['type'],
                    },
                })

    @classmethod
    def default_shoprenter_stock_field(cls):
        return 'stock1'

    @classmethod
    def get_shoprenter_last_push(cls, shops, names):
        # A push that had nothing to send leaves no row: the last one that did
        return cls.shoprenter_last_runs(shops, names, 'stock', {
                'shoprenter_last_push': 'started',
                'shoprenter_last_push_state': 'rec_summary',
                })

    @classmethod
    def get_shoprenter_last_reconcile(cls, shops, names):
        return cls.shoprenter_last_runs(shops, names, 'reconcile', {
                'shoprenter_last_reconcile': 'started',
                'shoprenter_last_reconcile_state': 'rec_summary',
                })

    @classmethod
    @ModelView.button
    def shoprenter_push_now(cls, shops):
        cls.shoprenter_push(shops)

    @classmethod
    @ModelView.button
    def shoprenter_reconcile_now(cls, shops):
        cls.shoprenter_reconcile(shops)

    # Entry points: cron, queue, buttons, command line

    @classmethod
    def shoprenter_push(cls, shops=None, progress=None):
        """Send the stock and price of the changed products; the cron calls
        it every tick, the queue right after a stock or price change"""
        return cls._shoprenter_run(shops, 'stock', progress)

    @classmethod
    def shoprenter_reconcile(cls, shops=None, progress=None):
        "Read the whole shop and repair any stock or price drift"
        return cls._shoprenter_run(shops, 'reconcile', progress)

    @classmethod
    def _shoprenter_run(cls, shops, kind, progress):
        if shops is None:
            shops = cls.search([('type', '=', 'shoprenter')])
        job = {
            'stock': '_shoprenter_push',
            'reconcile': '_shoprenter_reconcile',
            }[kind]
        logs = []
        for shop in shops:
            if shop.type != 'shoprenter' or not shop.warehouse:
                continue
            with job_lock(shop, 'push') as lock:
                if not lock:
                    logger.info("ShopRenter push of %s already running: %s",
                        shop.name, lock.holder)
                    logs.append(SkippedRun(shop, kind, lock.holder))
                    continue
                logs.append(shop._shoprenter_push_unit(
                        kind, job, progress, always=kind == 'reconcile'))
        return logs

    def _shoprenter_push_unit(self, kind, job, *args, always=False):
        """Run a push job (a method called with the client and the report)
        in a transaction of its own, started after its log row is committed:
        the job sees the stock as committed when it starts, and its row is
        there (to be marked interrupted) if its process dies"""
        run = SyncRun.start(self, kind)
        try:
            with Transaction().new_transaction() as work, \
                    work.set_context(company=self.company.id):
                shop = self.__class__(self.id)
                report = PushReport(shop, kind, run, always=always)
                try:
                    with shop.shoprenter_client() as client:
                        getattr(shop, job)(client, report, *args)
                except ShopRenterError as exception:
                    report.error = failure_message(shop, exception)
                report.save()
                work.commit()
        except Exception as exception:
            run.finish(error=f'{type(exception).__name__}: {exception}')
            raise
        return report

    @classmethod
    def shoprenter_queue_push(cls):
        """Queue one push of every ShopRenter shop for the end of the
        transaction (or for the worker), once per transaction"""
        pool = Pool()
        Queue = pool.get('ir.queue')
        transaction = Transaction()
        pending = [('name', '=', PUSH_QUEUE), ('dequeued_at', '=', None)]
        if not _has_worker():
            # Without a worker, the tasks of this transaction run at its end;
            # rows of earlier transactions that nobody ran do not count.
            pending.append(('id', 'in', list(transaction.tasks)))
        if Queue.search(pending, limit=1):
            return
        shops = cls.search([('type', '=', 'shoprenter')])
        if shops:
            with transaction.set_context(
                    queue_name=PUSH_QUEUE,
                    queue_scheduled_at=dt.timedelta(seconds=1)
                    if _has_worker() else None):
                cls.__queue__.shoprenter_push(shops)

    # The push

    def _shoprenter_push(self, client, report, progress=None):
        pool = Pool()
        Link = pool.get('web.shop.shoprenter.product')
        self._shoprenter_link_new_products(client, report)
        links = Link.search([
                ('shop', '=', self.id),
                ('state', '=', 'linked'),
                ('changed', '=', True),
                ])
        self._shoprenter_send(client, links, report, progress)

    def shoprenter_eligible_products(self):
        "The products the shop sells: its products, else every salable good"
        pool = Pool()
        Product = pool.get('product.product')
        domain = [
            ('type', '=', 'goods'),
            ('salable', '=', True),
            ('code', '!=', None),
            ('code', '!=', ''),
            ]
        if self.products:
            domain.append(('id', 'in', [p.id for p in self.products]))
        return Product.search(domain)

    def _shoprenter_link_new_products(self, client, report):
        "Find the ShopRenter id of the products without a link by their SKU"
        pool = Pool()
        Link = pool.get('web.shop.shoprenter.product')
        linked = {l.product.id for l in Link.search([('shop', '=', self.id)])}
        new = [p for p in self.shoprenter_eligible_products()
            if p.id not in linked]
        if not new:
            return
        not_looked_up = set()
        if len(new) <= SKU_LOOKUP_MAX:
            items = {}
            for product in new:
                try:
                    for item in client.iter_collection(
                            'products', {'sku': product.code}):
                        if item.get('sku') == product.code:
                            items[product.code] = item
                except ShopRenterError as exception:
                    if is_run_failure(exception):
                        raise
                    # e.g. a SKU too long for a URL (414): this product
                    # alone stays unlinked, looked up again next time
                    report.lookup_failed(product, exception)
                    not_looked_up.add(product.id)
        else:
            items = {i.get('sku'): i
                for i in client.iter_collection('products') if i.get('sku')}
        tax_classes = self._shoprenter_tax_class_names(client) if items else {}
        links = []
        for product in new:
            if product.id in not_looked_up:
                continue
            link = Link(shop=self, product=product, changed=True)
            item = items.get(product.code)
            if item:
                link.state = 'linked'
                self._shoprenter_read_item(link, item, tax_classes)
            else:
                link.state = 'missing'
                report.missing(product)
            links.append(link)
        Link.save(links)

    def _shoprenter_tax_class_names(self, client):
        return {c['id']: c.get('name')
            for c in client.iter_collection('taxClasses')}

    def _shoprenter_read_item(self, link, item, tax_classes):
        "Take what the shop holds from a ShopRenter product"
        held = push_rules.held_from_item(
            item, self.shoprenter_stock_field, tax_classes)
        link.shoprenter_id = held.shoprenter_id
        link.sent_quantity = held.quantity
        link.sent_price = held.price
        link.tax_class = held.tax_class

    def _shoprenter_send(self, client, links, report, progress=None):
        """Send what differs from the shop for links; return the count of
        operations that succeeded"""
        pool = Pool()
        Link = pool.get('web.shop.shoprenter.product')
        if not links:
            return 0
        values = self.shoprenter_values([l.product for l in links])
        operations, pending, unchanged = [], [], []
        for link in links:
            data = self._shoprenter_changes(link, values[link.product.id],
                report)
            if data:
                operations.append(
                    ('PUT', f'products/{link.shoprenter_id}', data))
                pending.append((link, data))
            else:
                unchanged.append(link)
        if unchanged:
            Link.write(unchanged, {'changed': False})
        if progress is not None:
            progress.total = (progress.total or 0) + len(operations)
            progress.refresh()
        done, to_save, done_before = 0, [], report.updated
        # A batch call the shop refuses as a whole: each operation alone, so
        # that one it refuses does not stop the others
        for start, results in client.batch_isolated(operations):
            for (link, data), result in zip(pending[start:], results):
                if result.ok:
                    self._shoprenter_apply_sent(link, data)
                    report.sent(link.product)
                    done += 1
                elif result.status == 404:
                    # Deleted in the shop: it is a missing product again.
                    link.state = 'missing'
                    link.shoprenter_id = None
                    report.missing(link.product)
                else:
                    report.failed(link.product, result)
                to_save.append(link)
            # Saved per batch call: a later call that fails does not make
            # the shop's answers to this one forgotten.
            Link.save(to_save)
            to_save = []
            report.updated = done_before + done
            if progress is not None:
                progress.update(len(results))
        return done

    def _shoprenter_changes(self, link, value, report):
        "The ShopRenter fields of the link that differ from the ERP's"
        quantity, price = value
        held = push_rules.Held(link.shoprenter_id, link.sent_quantity,
            link.sent_price, link.tax_class)
        # The VAT is looked at only for a price that is to change
        wanted = push_rules.Wanted(quantity, price,
            price in (None, link.sent_price)
            or self._shoprenter_tax_consistent(link))
        data, mismatch = push_rules.changes(
            held, wanted, self.shoprenter_stock_field)
        if mismatch:
            report.vat_mismatch(link)
        return data

    def _shoprenter_apply_sent(self, link, data):
        field = self.shoprenter_stock_field or 'stock1'
        if field in data:
            link.sent_quantity = int(data[field])
        if 'price' in data:
            link.sent_price = Decimal(data['price'])
        link.changed = False

    def _shoprenter_tax_consistent(self, link):
        """Whether the product's VAT in ShopRenter is the product's customer
        tax: a net price sent under another VAT would show a wrong gross"""
        mapping = (self.shoprenter_tax(None, name=link.tax_class)
            if link.tax_class else None)
        return push_rules.tax_consistent(
            mapping.tax.id if mapping and mapping.tax else None,
            [t.id for t in link.product.customer_taxes_used])

    def shoprenter_values(self, products):
        """Return {product id: (promisable quantity, net price)}: on hand in
        the warehouse minus what its open orders reserve, never below 0, and
        the normal sale price in the shop's currency"""
        quantities = self.shoprenter_promisable_quantities(products)
        prices = self.shoprenter_prices(products)
        return {p.id: (quantities[p.id], prices[p.id]) for p in products}

    def shoprenter_promisable_quantities(self, products):
        pool = Pool()
        Product = pool.get('product.product')
        Move = pool.get('stock.move')
        Date = pool.get('ir.date')
        warehouse = self.warehouse
        product_ids = [p.id for p in products]
        with Transaction().set_context(
                company=self.company.id, stock_date_end=Date.today()):
            on_hand = Product.products_by_location(
                [warehouse.id], with_childs=True,
                grouping_filter=(product_ids,))
        reserved = dict.fromkeys(product_ids, 0)
        for sub_ids in _chunks(product_ids, 500):
            moves = Move.search([
                    ('product', 'in', sub_ids),
                    ('state', 'in', RESERVING_STATES),
                    ('from_location', 'child_of', [warehouse.id], 'parent'),
                    ('to_location', 'not child_of', [warehouse.id], 'parent'),
                    ])
            for move in moves:
                reserved[move.product.id] += move.internal_quantity or 0
        return {
            i: push_rules.promisable_quantity(
                on_hand.get((warehouse.id, i), 0), reserved[i])
            for i in product_ids}

    def shoprenter_prices(self, products):
        pool = Pool()
        Currency = pool.get('currency.currency')
        company_currency = self.company.currency
        currency = self.currency or company_currency
        prices = {}
        with Transaction().set_context(company=self.company.id):
            for product in products:
                price = product.list_price_used
                if price is None:
                    prices[product.id] = None
                    continue
                if currency != company_currency:
                    price = Currency.compute(
                        company_currency, price, currency, round=False)
                prices[product.id] = push_rules.shop_price(price)
        return prices

    # The nightly reconciliation

    def _shoprenter_reconcile(self, client, report, progress=None):
        """Read the shop's products page by page, link them by SKU and send
        every stock or price that drifted; the repairs are counted"""
        pool = Pool()
        Link = pool.get('web.shop.shoprenter.product')
        tax_classes = self._shoprenter_tax_class_names(client)
        items = {}
        for page in client.iter_pages('products'):
            if progress is not None and page.count:
                progress.total = page.count * len(page.items)
                progress.refresh()
            for item in page.items:
                if item.get('sku'):
                    items[item['sku']] = item
            if progress is not None:
                progress.update(len(page.items))
        links = {l.product.id: l for l in Link.search(
                [('shop', '=', self.id)])}
        to_check = []
        for product in self.shoprenter_eligible_products():
            link = links.get(product.id) or Link(
                shop=self, product=product)
            item = items.get(product.code)
            if item:
                link.state = 'linked'
                self._shoprenter_read_item(link, item, tax_classes)
                link.changed = True
                to_check.append(link)
            else:
                if getattr(link, 'state', None) != 'missing':
                    report.missing(product)
                link.state = 'missing'
                link.shoprenter_id = None
                link.changed = True
            links[product.id] = link
        Link.save(list(links.values()))
        self._shoprenter_send(client, to_check, report)

    # Products missing in ShopRenter

    def shoprenter_create_products(self, products):
        """Create the products in ShopRenter (productExtend) with name,
        description, net price, VAT class and stock, and link them"""
        with job_lock(self, 'push') as lock:
            if not lock:
                raise UserError(SkippedRun(self, 'stock', lock.holder).error)
            return self._shoprenter_push_unit('stock',
                '_shoprenter_create_products', [p.id for p in products],
                always=True)

    def _shoprenter_create_products(self, client, report, product_ids):
        pool = Pool()
        Product = pool.get('product.product')
        products = Product.browse(product_ids)
        Link = pool.get('web.shop.shoprenter.product')
        tax_class_ids = {name: id_ for id_, name in
            self._shoprenter_tax_class_names(client).items()}
        language = push_rules.product_language(client)
        values = self.shoprenter_values(products)
        links = {l.product.id: l for l in Link.search([
                    ('shop', '=', self.id),
                    ('product', 'in', [p.id for p in products]),
                    ])}
        to_save = []
        for product in products:
            quantity, price = values[product.id]
            tax_class = self._shoprenter_tax_class_of(product)
            data = push_rules.new_product(product.code, product.name,
                product.description, price, quantity,
                self.shoprenter_stock_field, language,
                tax_class_ids.get(tax_class))
            try:
                item = client.post('productExtend', data)
            except ShopRenterError as exception:
                if is_run_failure(exception):
                    raise
                report.failed(product, exception)
                continue
            link = links.get(product.id) or Link(
                shop=self, product=product)
            link.state = 'linked'
            link.shoprenter_id = item['id']
            link.sent_quantity = quantity
            link.sent_price = price
            link.tax_class = tax_class
            link.changed = False
            to_save.append(link)
            report.created += 1
        Link.save(to_save)

    def _shoprenter_tax_class_of(self, product):
        "The ShopRenter VAT whose mapped tax is the product's customer tax"
        taxes = {t.id for t in product.customer_taxes_used}
        for mapping in self.shoprenter_taxes:
            if mapping.tax and {mapping.tax.id} == taxes:
                return mapping.name


def _has_worker():
    from trytond import config
    return config.getboolean('queue', 'worker', default=False)


class PushReport:
    """What one push or reconciliation does, in the sync log.

    Its row is committed as it starts (a push whose process dies leaves it,
    and the next one marks it interrupted); the outcome is written when it
    ends, in the push's transaction.  A push that sent nothing and found
    nothing new removes its row: the log stays the place for what changed
    and the problems staff need to see."""
    skipped = False

    def __init__(self, shop, kind, run, always=False):
        self.shop = shop
        self.kind = kind
        self.always = always
        self.run = run  # its SyncRun, started
        self.created = self.updated = 0
        self.entries = []  # (level, message, subject)
        self.sent_products = set()
        self.error = None
        self.log = None

    def missing(self, product):
        self.entries.append(('warning', gettext(
                    'web_shop_shoprenter.msg_product_missing',
                    product=_label(product), sku=_shorten(product.code),
                    shop=self.shop.rec_name), _subject(product)))

    def vat_mismatch(self, link):
        self.entries.append(('warning', gettext(
                    'web_shop_shoprenter.msg_product_vat_mismatch',
                    product=_label(link.product), vat=link.tax_class),
                _subject(link.product)))

    def failed(self, product, result):
        error = getattr(result, 'error', None) or result
        self.entries.append(('error', gettext(
                    'web_shop_shoprenter.msg_product_push_failed',
                    product=_label(product), error=str(error)),
                _subject(product)))

    def lookup_failed(self, product, error):
        self.entries.append(('error', gettext(
                    'web_shop_shoprenter.msg_product_lookup_failed',
                    product=_label(product), length=len(product.code),
                    error=str(error)), _subject(product)))

    def sent(self, product):
        self.sent_products.add(product.id)

    @property
    def errors(self):
        return [m for level, m, _ in self.entries if level == 'error']

    def save(self):
        pool = Pool()
        Log = pool.get('web.shop.shoprenter.log')
        log = Log(self.run.log_id)
        # A product sent at last: its earlier refusal is not a problem now
        resolve_problems(self.shop.id,
            [_subject(product_id) for product_id in self.sent_products])
        if not (self.always or self.entries or self.error or self.updated
                or self.created):
            Log.delete([log])
            return self
        Log.write([log], {
                'finished': dt.datetime.now(),
                'state': 'failed' if self.error else 'done',
                'created': self.created,
                'updated': self.updated,
                'failed': len(self.errors),
                'message': self.error,
                })
        for level, message, subject in self.entries:
            add_problem(log.id, self.shop.id, level, message, subject=subject)
        if self.error:
            add_problem(log.id, self.shop.id, 'error', self.error,
                subject=run_subject(self.kind))
        else:
            resolve_problems(self.shop.id, [run_subject(self.kind)])
        self.log = log
        return self


def _shorten(text, size=60):
    "A text to quote in a message, cut when it is longer than size"
    text = text or ''
    return text if len(text) <= size else text[:size - 20] + '…'


def _label(product):
    "The product as messages name it, its code cut if absurdly long"
    return f'[{_shorten(product.code)}] {product.name}' if product.code else (
        product.name)


def _subject(product):
    "The subject of a product's problems in the log (log.py)"
    return f'product,{int(product)}'


class SyncLog(metaclass=PoolMeta):
    __name__ = 'web.shop.shoprenter.log'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.kind.selection += [
            ('stock', "Stock and Prices"),
            ('reconcile', "Reconciliation"),
            ]


class Product(metaclass=PoolMeta):
    __name__ = 'product.product'

    shoprenter_links = fields.One2Many(
        'web.shop.shoprenter.product', 'product', "ShopRenter Links",
        readonly=True)


class CreateInShop(Wizard):
    "Create the selected products in the ShopRenter shops that lack them"
    __name__ = 'web.shop.shoprenter.product.create'
    start_state = 'create_'
    create_ = StateTransition()

    def transition_create_(self):
        pool = Pool()
        Link = pool.get('web.shop.shoprenter.product')
        Product = pool.get('product.product')
        if self.model.__name__ == 'web.shop.shoprenter.product':
            links = [l for l in self.records if l.state == 'missing']
        else:
            links = Link.search([
                    ('product', 'in', [r.id for r in self.records]),
                    ('state', '=', 'missing'),
                    ])
        by_shop = {}
        for link in links:
            by_shop.setdefault(link.shop, []).append(link.product.id)
        for shop, product_ids in by_shop.items():
            with Transaction().set_context(company=shop.company.id):
                shop.shoprenter_create_products(Product.browse(product_ids))
        return 'end'


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('web.shop|shoprenter_push',
                    "Push ShopRenter Stock and Prices"),
                ('web.shop|shoprenter_reconcile',
                    "Reconcile ShopRenter Stock and Prices"),
                ])


# For `shoprenter sync --stock/--prices/--reconcile` (cli.py): one push sends
# both the stock and the price of each changed product.
def sync_stock(shops, progress=None):
    "Push the changed stock and prices of shops now; return their reports"
    return Pool().get('web.shop').shoprenter_push(shops, progress=progress)


sync_prices = sync_stock


def sync_reconcile(shops, progress=None):
    "Reconcile the shops' stock and prices now; return their reports"
    return Pool().get('web.shop').shoprenter_reconcile(
        shops, progress=progress)
