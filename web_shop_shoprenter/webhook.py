"""Webhooks, the fast path of the order download: ShopRenter tells this
server of each new order and status change at once (routes.py receives it),
and the order is fetched and imported as the download would.  The 5-minute
download stays the safety net for anything a webhook misses.

ShopRenter signs nothing it posts, so each shop's webhook URL carries an
unguessable token, and what is posted is never trusted beyond the order's
id: the order itself is read from the API."""
import base64
import datetime as dt
import binascii
import logging
import re
import secrets
import time
import urllib.parse

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from shoprenter import NotFoundError, ShopRenterError

from .common import new_run_cache
from .failures import failure_message
from .lock import job_lock
from .log import SyncRun

logger = logging.getLogger(__name__)

EVENTS = ('order_confirm', 'order_status_change')
# Only what names the order: the rest is read from the API, and no buyer's
# data travels in a post nobody signs.
WEBHOOK_FIELDS = ['order_innerId', 'order_innerResourceId']
WEBHOOK_QUEUE = 'shoprenter_webhook'
ROUTE = '/web_shop_shoprenter/webhook'
# innerResourceId: 'orders/' + base64 of 'order-order_id=<number>'
RESOURCE_ID = re.compile(r'orders/([A-Za-z0-9+=]{4,200})')
ORDER_KEY = re.compile(r'order-order_id=\d{1,20}')
INNER_ID = re.compile(r'\d{1,20}')
MAX_ORDERS = 50  # per post: ShopRenter sends one
# While another job holds the shop's lock, a webhook's order waits this
# many seconds, so many times, before it is left to the download
LOCK_WAIT, LOCK_TRIES = 2, 60


class Shop(metaclass=PoolMeta):
    __name__ = 'web.shop'

    shoprenter_server_url = fields.Char(
        "Public Server URL",
        states={'invisible': Eval('type') != 'shoprenter'},
        help="Where ShopRenter reaches this Tryton server, e.g. "
        "https://erp.example.hu: the shop then tells it of every new order "
        "and status change at once (webhooks), and the order comes in "
        "within seconds.  Empty: the orders come with the download every "
        "5 minutes.")
    shoprenter_webhook_token = fields.Char(
        "Webhook Token", readonly=True, strip=False,
        states={'invisible': Eval('type') != 'shoprenter'},
        help="The secret part of the webhook URL.")
    shoprenter_webhooks_checked = fields.DateTime(
        "Webhooks Checked", readonly=True,
        states={'invisible': Eval('type') != 'shoprenter'},
        help="When the shop's webhooks to this server were last found "
        "registered (each order download checks them).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'shoprenter_register_webhooks': {
                    'invisible': Eval('type') != 'shoprenter',
                    'depends': ['type'],
                    },
                })

    @classmethod
    def copy(cls, shops, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('shoprenter_webhook_token')
        default.setdefault('shoprenter_webhooks_checked')
        return super().copy(shops, default=default)

    def shoprenter_webhook_url(self):
        "The URL ShopRenter posts the shop's order events to; None: none"
        if not self.shoprenter_server_url or not self.shoprenter_webhook_token:
            return None
        database = urllib.parse.quote(Transaction().database.name, safe='')
        return (f'{self.shoprenter_server_url.rstrip("/")}/{database}'
            f'{ROUTE}/{self.id}/{self.shoprenter_webhook_token}')

    @classmethod
    @ModelView.button
    def shoprenter_register_webhooks(cls, shops):
        "Register (or remove) the shops' webhooks in ShopRenter now"
        for shop in shops:
            if shop.type != 'shoprenter':
                continue
            try:
                shop.shoprenter_keep_webhooks()
            except ShopRenterError as exception:
                raise UserError(failure_message(shop, exception))

    def _shoprenter_sync_orders(self, progress=None):
        # Each download keeps the webhooks registered; a failure here is the
        # server log's, the download goes on.
        try:
            self.shoprenter_keep_webhooks()
        except Exception:
            logger.warning("ShopRenter webhooks of %s not checked",
                self.name, exc_info=True)
        return super()._shoprenter_sync_orders(progress=progress)

    def shoprenter_keep_webhooks(self):
        """Make the shop's webhooks to this server exactly ours: one enabled
        order_confirm and one order_status_change to the shop's URL, none
        when the shop has no public server URL.  Committed at once."""
        if not (self.shoprenter_server_url or self.shoprenter_webhook_token):
            return  # never registered: nothing to check, no call made
        with Transaction().new_transaction() as transaction:
            shop = self.__class__(self.id)
            values = {}
            if shop.shoprenter_server_url and not (
                    shop.shoprenter_webhook_token):
                values['shoprenter_webhook_token'] = secrets.token_urlsafe(32)
                shop.shoprenter_webhook_token = (
                    values['shoprenter_webhook_token'])
            url = shop.shoprenter_webhook_url()
            with shop.shoprenter_client() as client:
                _keep_webhooks(client, shop, url)
            if url:
                values['shoprenter_webhooks_checked'] = dt.datetime.now()
            else:
                # Removed from the shop: a new URL gets a new token
                values.update(shoprenter_webhook_token=None,
                    shoprenter_webhooks_checked=None)
            if values:
                self.__class__.write([shop], values)
            transaction.commit()

    # The route queues, the queue (or the route after its answer) fetches

    @classmethod
    def shoprenter_queue_webhook_order(cls, shop, reference):
        "Queue the fetch and import of the order reference (kind, value)"
        with Transaction().set_context(queue_name=WEBHOOK_QUEUE):
            cls.__queue__.shoprenter_webhook_order([shop], reference)

    @classmethod
    def shoprenter_webhook_order(cls, shops, reference, attempt=0):
        """Fetch the order a webhook named and import it as the download
        does.  While another job of the shop runs (on SQLite: any job of the
        database, e.g. the stock push that follows each import) it is tried
        again a little later, a few times; then the download brings it."""
        for shop in shops:
            for number in range(1 if _has_worker() else LOCK_TRIES):
                if number:
                    time.sleep(LOCK_WAIT)
                with job_lock(shop, 'orders') as lock:
                    if lock:
                        with Transaction().set_context(
                                company=shop.company.id):
                            shop._shoprenter_fetch_order(reference)
                        break
            else:
                if _has_worker() and attempt < LOCK_TRIES:
                    with Transaction().set_context(
                            queue_name=WEBHOOK_QUEUE,
                            queue_scheduled_at=dt.timedelta(
                                seconds=LOCK_WAIT)):
                        cls.__queue__.shoprenter_webhook_order(
                            [shop], reference, attempt + 1)
                else:
                    logger.info("ShopRenter webhook order %s of %s left to "
                        "the download: %s", reference[1], shop.name,
                        lock.holder)

    def _shoprenter_fetch_order(self, reference):
        kind, value = reference
        log = SyncRun.start(self, 'orders')
        try:
            with self.shoprenter_client() as client, new_run_cache():
                if kind == 'id':
                    orders = [client.get(f'orderExtend/{value}')]
                else:
                    orders = list(client.iter_collection(
                            'orderExtend', {'innerId': value}))
                for order in orders:
                    self._shoprenter_import_order(order, log)
        except NotFoundError:
            log.add_outcome(value, None, 'skipped', [('warning', gettext(
                            'web_shop_shoprenter.msg_webhook_order_gone',
                            id=value))])
            log.finish()
        except ShopRenterError as exception:
            log.finish(error=failure_message(self, exception))
        except Exception as exception:
            log.finish(error=f'{type(exception).__name__}: {exception}')
            raise
        else:
            log.finish()
        return log


def _has_worker():
    from trytond import config
    return config.getboolean('queue', 'worker', default=False)


def _as_list(value):
    if value in (None, '', {}):
        return []
    return [value] if isinstance(value, dict) else list(value)


def _keep_webhooks(client, shop, url):
    "Add, repair or remove the shop's webhooks to this server"
    ours = f'{ROUTE}/{shop.id}/'
    found = {event: [] for event in EVENTS}
    stale = []
    for hook in client.iter_collection('webHooks'):
        urls = [p.get('url') or '' for p in _as_list(
                hook.get('webHookParameters')) if isinstance(p, dict)]
        if not any(ours in u for u in urls):
            continue  # the merchant's own, or another server's
        if url and hook.get('event') in found:
            found[hook['event']].append((hook, urls))
        else:
            stale.append(hook)
    for event in (EVENTS if url else ()):
        wanted = {
            'label': f'Tryton: {event}',
            'event': event,
            'status': '1',
            'webHookParameters': [{
                    'type': 'json', 'url': url, 'fields': WEBHOOK_FIELDS}],
            }
        hooks = found[event]
        exact = [h for h, urls in hooks
            if urls == [url] and str(h.get('status')) == '1']
        if exact:
            keep = exact[0]
        elif hooks:
            keep = hooks[0][0]
            client.put(f'webHooks/{keep["id"]}', wanted)
        else:
            keep = None
            client.post('webHooks', wanted)
        stale += [h for h, _ in hooks if h is not keep]
    for hook in stale:
        client.delete(f'webHooks/{hook["id"]}')


def webhook_orders(document):
    """The orders a webhook document names, as (kind, value) references:
    ('id', <base64 id>) from innerResourceId, else ('innerId', <number>).
    Nothing else of the document is used."""
    orders = (document.get('orders') or {}) if isinstance(
        document, dict) else {}
    entries = orders.get('order') if isinstance(orders, dict) else None
    references = []
    for entry in _as_list(entries)[:MAX_ORDERS]:
        if not isinstance(entry, dict):
            continue
        reference = _order_reference(entry)
        if reference and reference not in references:
            references.append(reference)
    return references


def _order_reference(entry):
    resource = entry.get('innerResourceId')
    if isinstance(resource, str):
        match = RESOURCE_ID.fullmatch(resource.strip())
        if match and _is_order_id(match.group(1)):
            return ('id', match.group(1))
    inner_id = entry.get('innerId')
    if isinstance(inner_id, int) and not isinstance(inner_id, bool):
        inner_id = str(inner_id)
    if isinstance(inner_id, str) and INNER_ID.fullmatch(inner_id.strip()):
        return ('innerId', inner_id.strip())
    return None


def _is_order_id(value):
    "Whether value is the base64 id of an order, as ShopRenter makes them"
    try:
        decoded = base64.b64decode(value, validate=True).decode('ascii')
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    return bool(ORDER_KEY.fullmatch(decoded))


# The route joins trytond's WSGI application when Tryton registers the
# module's classes, not when the package is imported: the `shoprenter`
# command imports the package before trytond has read its configuration
# (the backend is chosen on trytond's first import).
from . import routes  # noqa: E402,F401
