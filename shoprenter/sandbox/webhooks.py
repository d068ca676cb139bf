"""Webhooks that fire: the sandbox posts order events to the webhooks' URLs.

Per REFERENCE §6: an HTTP POST, ``Content-Type: multipart/form-data``,
``User-Agent: ShopRenter``, one form field ``data`` holding the JSON or XML
document (webhook_payload.py).  Events: ``order_confirm`` when a buyer places
an order (/_sandbox/orders), ``abandoned_cart`` when the placed intent has no
status, ``order_status_change`` when an API write (or a batch sub-request)
changes an order's ``orderStatus``.  Newsletter events never happen here.

The document is built when the event happens (under the sandbox's lock); the
HTTP post runs later in one background thread per sandbox, outside the lock,
after the webhook's ``webHookDelay`` taken literally (10 day = 10 days; use no
delay or 0 in tests).  Nothing is retried (ShopRenter says nothing of
retries); each outcome lands in ``/_sandbox/stats`` under ``webhooks``.
``Webhooks.wait()`` lets a test wait until every due delivery has been tried.
"""
import heapq
import itertools
import json
import threading
import time
import urllib.parse
import weakref

import requests

from .errors import ApiError, bad_data
from .formats import to_xml
from .webhook_payload import CART, CONFIRM, STATUS, order_document

EVENTS = ('order_confirm', 'order_status_change', 'newsletter_subscribe',
    'newsletter_unsubscribe', 'newsletter_update_subscriber', 'abandoned_cart')
FORMATS = ('json', 'xml')
DELAY_UNITS = {'hour': 3600, 'day': 86400}
TIMEOUT = 5.0  # seconds a listener gets to answer
USER_AGENT = 'ShopRenter'

# Every sandbox's dispatcher, so api.py (which sees only the store) finds it.
_DISPATCHERS = weakref.WeakSet()


# --- what a webHooks write may say ------------------------------------------------

def check_webhook(data):
    "400/40005 for a webHooks POST/PUT body ShopRenter would refuse (given keys only)"
    if 'event' in data and data['event'] not in EVENTS:
        raise bad_data(f'event: {data["event"]!r} is not a webhook event; '
            f'use one of {", ".join(EVENTS)}')
    if 'status' in data and str(data['status']) not in ('0', '1'):
        raise bad_data(f'status: {data["status"]!r} must be 1 (enabled) or 0 (disabled)')
    if 'webHookParameters' in data:
        parameters = _as_list(data['webHookParameters'])
        if not parameters:
            raise bad_data('webHookParameters: a list of {"type", "url", "fields"} '
                'objects is expected')
        for parameter in parameters:
            _check_parameter(parameter)
    if 'webHookDelay' in data:
        delays = _as_list(data['webHookDelay'])
        if delays is None:
            raise bad_data('webHookDelay: a list of {"delay", "delayUnit"} objects is expected')
        for delay in delays:
            _delay_seconds(delay)


def _check_parameter(parameter):
    if not isinstance(parameter, dict):
        raise bad_data(f'webHookParameters: an object is expected, not {parameter!r}')
    if parameter.get('type') not in FORMATS:
        raise bad_data(f'webHookParameters.type: {parameter.get("type")!r} must be '
            'json or xml')
    url = parameter.get('url')
    parts = urllib.parse.urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ('http', 'https') or not parts.hostname:
        raise bad_data(f'webHookParameters.url: {url!r} is not an http(s) URL')
    fields = parameter.get('fields')
    if fields is not None and not (isinstance(fields, list)
            and all(isinstance(name, str) for name in fields)):
        raise bad_data('webHookParameters.fields: a list of field names is expected')


def _as_list(value):
    "A stored or written list of objects: one object, a list, or nothing; None if neither"
    if value in (None, '', {}):
        return []
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else None


def _delay_seconds(delay):
    "Seconds of one webHookDelay entry ({'delay': '10', 'delayUnit': 'day'})"
    if not isinstance(delay, dict):
        raise bad_data(f'webHookDelay: an object is expected, not {delay!r}')
    amount = str(delay.get('delay', '0')).strip() or '0'
    if not amount.isdigit():
        raise bad_data(f'webHookDelay.delay: {delay.get("delay")!r} is not a whole number')
    if int(amount) and delay.get('delayUnit') not in DELAY_UNITS:
        raise bad_data(f'webHookDelay.delayUnit: {delay.get("delayUnit")!r} must be '
            'day or hour')
    return int(amount) * DELAY_UNITS.get(delay.get('delayUnit'), 0)


def delay_of(webhook):
    "The delay of a stored webhook in seconds (its first entry; none or unreadable: 0)"
    delays = _as_list(webhook.get('webHookDelay')) or []
    try:
        return _delay_seconds(delays[0]) if delays else 0
    except ApiError:  # stored by a seed, never checked: deliver rather than lose it
        return 0


# --- the hook api.py calls --------------------------------------------------------

def order_status_changed(store, order):
    "An API write changed the order's status: tell the sandbox that owns the store"
    for dispatcher in list(_DISPATCHERS):
        if dispatcher.sandbox.store is store:
            dispatcher.order_event(STATUS, order)


# --- delivery ---------------------------------------------------------------------

class Delivery:
    "One document for one URL"

    def __init__(self, event, url, kind, document):
        self.event, self.url, self.kind, self.document = event, url, kind, document


class Webhooks:
    "The webhook dispatcher of one Sandbox: events in, HTTP posts out (one worker thread)"

    def __init__(self, sandbox, timeout=TIMEOUT):
        self.sandbox = sandbox
        self.timeout = timeout
        self._condition = threading.Condition()
        self._queue = []        # heap of (due monotonic time, sequence, Delivery)
        self._unfinished = 0    # queued or being posted
        self._sequence = itertools.count()
        self._worker = None
        _DISPATCHERS.add(self)

    # --- events (called under the sandbox's lock) --------------------------------

    def order_placed(self, store, order):
        "A buyer placed an order (or left a cart: no status)"
        self.order_event(CONFIRM if order.get('orderStatus') else CART, order, store)

    def order_event(self, event, order, store=None):
        store = self.sandbox.store if store is None else store
        for webhook in store.items('webHooks'):
            if webhook.get('event') != event or str(webhook.get('status')) != '1':
                continue
            due = time.monotonic() + delay_of(webhook)
            for parameter in _as_list(webhook.get('webHookParameters')) or []:
                if isinstance(parameter, dict) and parameter.get('url'):
                    body = order_document(store, order, event, self.sandbox.shop,
                        parameter.get('fields'))
                    self._schedule(due, Delivery(event, parameter['url'],
                        parameter.get('type'), _serialise(body, parameter.get('type'))))

    # --- waiting (tests) ---------------------------------------------------------

    def wait(self, timeout=10.0):
        "Block until every scheduled delivery has been tried; False on timeout"
        with self._condition:
            return self._condition.wait_for(lambda: self._unfinished == 0, timeout)

    @property
    def pending(self):
        with self._condition:
            return self._unfinished

    # --- the worker --------------------------------------------------------------

    def _schedule(self, due, delivery):
        with self._condition:
            heapq.heappush(self._queue, (due, next(self._sequence), delivery))
            self._unfinished += 1
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, daemon=True,
                    name=f'shoprenter-webhooks:{self.sandbox.shop}')
                self._worker.start()
            self._condition.notify_all()

    def _run(self):
        while True:
            delivery = self._next_due()
            if delivery is None:
                return
            try:
                status, error = post(delivery, self.timeout)
            except Exception as failure:  # a sandbox bug must not stall wait()
                status, error = None, f'{type(failure).__name__}: {failure}'
            with self.sandbox.lock:
                self.sandbox._stats.record_webhook(delivery.event, delivery.url,
                    delivery.kind, status, error)
            with self._condition:
                self._unfinished -= 1
                self._condition.notify_all()

    def _next_due(self):
        "The next delivery once it is due; None (the worker ends) when none is queued"
        with self._condition:
            while True:
                if not self._queue:
                    self._worker = None
                    return None
                due = self._queue[0][0]
                if due <= time.monotonic():
                    return heapq.heappop(self._queue)[2]
                self._condition.wait(due - time.monotonic())


def _serialise(body, kind):
    "The form field's text: XML mirrors the JSON (<orders><order>…</order></orders>)"
    if kind == 'xml':
        (root, content), = body.items()
        document = to_xml(content, root=root)
        return document.decode('utf-8') if isinstance(document, bytes) else document
    return json.dumps(body)


def post(delivery, timeout):
    "POST the document as the form field data; (status code or None, error or None)"
    with requests.Session() as session:
        session.trust_env = False  # exactly the webhook's URL: no proxy from the environment
        try:
            answer = session.post(delivery.url, files={'data': (None, delivery.document)},
                headers={'User-Agent': USER_AGENT}, timeout=timeout, allow_redirects=False)
        except requests.RequestException as error:
            return None, f'{type(error).__name__}: {error}'
    if 200 <= answer.status_code < 300:
        return answer.status_code, None
    return answer.status_code, f'HTTP {answer.status_code}'
