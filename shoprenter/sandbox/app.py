"""The Sandbox: a WSGI application that answers like the ShopRenter API.

Routes: /api/… (API2, bearer token), /oauth/<shop>/app/token, /_sandbox/…
(controls).  One lock guards the state; the server is threaded.  /api/ answers
XML unless the request's Accept asks for JSON (formats.py) and reads JSON or
form bodies (bodies.py); the token endpoint and the controls speak JSON."""
import datetime
import json
import threading
import time
import traceback

from werkzeug.wrappers import Request, Response

from . import api, batch, bodies, controls, formats
from .auth import Tokens
from .scopes import ALL_SCOPES
from .errors import ApiError
from .faults import DROP, NO_FAULTS, Faults
from .ratelimit import RateLimiter
from .render import Renderer
from .resources import RESOURCES
from .seeds import load_seed
from .stats import Stats
from .store import Store
from .webhooks import Webhooks


class DroppedConnection(ConnectionAbortedError):
    "Raised after closing the client socket: werkzeug then writes no answer"


class Sandbox:

    def __init__(self, seed=None, *, shop='demo', client_id='demo-client',
            client_secret='demo-secret', rate_limit=3.0, token_ttl=3600, scopes=None):
        self.shop = shop
        self.tokens = Tokens(client_id, client_secret, token_ttl,
            ALL_SCOPES if scopes is None else scopes)
        self.limiter = RateLimiter(rate_limit)
        self.faults = NO_FAULTS
        self._stats = Stats()
        self.lock = threading.RLock()
        self.base_url = 'http://127.0.0.1'  # set by SandboxServer; used outside requests
        self._seed = load_seed(seed)
        self.store = Store(load_seed(self._seed))
        self.webhooks = Webhooks(self)  # posts order events to the store's webHooks

    # --- the Python API (the /_sandbox/ controls call these) -------------------

    def reset(self, seed=None):
        "Back to the initial seed, or to a new one (which becomes the initial seed)"
        with self.lock:
            if seed is not None:
                self._seed = load_seed(seed)
            self.store = Store(load_seed(self._seed))

    def set_faults(self, seed=0, rates=None, drop=0.0, latency=0.0):
        with self.lock:
            self.faults = Faults(seed, rates, drop, latency)

    def clear_faults(self):
        with self.lock:
            self.faults = NO_FAULTS

    def place_order(self, intent):
        "Check out as a shop customer would; the new order as orderExtend JSON"
        from . import checkout  # written alongside; imported only when needed
        with self.lock:
            try:
                order = checkout.place_order(self.store.data, intent,
                    datetime.datetime.now().replace(microsecond=0))
            except checkout.CheckoutError as error:
                raise ApiError(400, 40005, str(error)) from None
            self.store.adopt_new_items()
            self.webhooks.order_placed(self.store, order)
            return self._renderer().item(RESOURCES['orderExtend'], order)

    def update_product(self, sku, fields):
        "Change a product found by sku (as the shop admin would); the product JSON"
        with self.lock:
            product = next((item for item in self.store.items('products')
                if item.get('sku') == sku), None)
            if product is None:
                raise ApiError(404, 40033, f'Product not found with sku: {sku}')
            self.store.update(RESOURCES['products'], product, fields)
            return self._renderer().item(RESOURCES['products'], product)

    def expire_tokens(self):
        with self.lock:
            self.tokens.expire_all()

    def stats(self):
        with self.lock:
            return self._stats.as_dict()

    def reset_stats(self):
        with self.lock:
            self._stats.reset()

    def info(self):
        return {'api_url': f'{self.base_url}/api',
            'token_url': f'{self.base_url}/oauth/{self.shop}/app/token',
            'client_id': self.tokens.client_id, 'resources': sorted(RESOURCES)}

    # --- WSGI ------------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = request.path
        try:
            if path.startswith('/api/') or path == '/api':
                response = self._api(request, environ)
            elif path == f'/oauth/{self.shop}/app/token' and request.method == 'POST':
                status, body = self.tokens.issue(_body(request, form_too=True))
                response = _json(status, body)
            elif path.startswith('/_sandbox'):
                with self.lock:
                    status, body = controls.handle(
                        self, request.method, path[len('/_sandbox'):], _body(request))
                response = _json(status, body)
            elif path == '/':
                response = _json(200, self.info())
            else:
                raise ApiError(404, 404, f'Not found: {path}')
        except ApiError as error:
            response = _json(error.status, error.body(), error.headers)
        return response(environ, start_response)

    def _api(self, request, environ):
        path = request.path[len('/api'):].strip('/')
        call = f'{request.method} /{path.split("/")[0]}' + ('/{id}' if '/' in path else '')
        kind = formats.negotiate(request.headers.get('Accept'))
        api_url = request.host_url.rstrip('/') + '/api'
        with self.lock:
            fault = self.faults.draw()
            latency = self.faults.latency
        if latency:
            time.sleep(latency)
        if fault == DROP:
            with self.lock:
                self._stats.record(call, 'dropped')
            _drop(environ)
        try:
            if fault is not None:
                raise fault
            grant = self.tokens.grant_of(request.headers.get('Authorization'))
            client = grant.client_id
            grant.require(request.method, path)
            with self.lock:
                self.limiter.check(client)
                data = (bodies.read(request.content_type, request.get_data(cache=True))
                    if request.method in ('POST', 'PUT') else None)
                if path == 'batch' and request.method == 'POST':
                    status, body = 200, batch.run(self.store, data, api_url, grant)
                elif path == 'batch':
                    raise ApiError(405, 405, 'Method not allowed on /batch')
                else:
                    params = list(request.args.items(multi=True))
                    status, body = api.handle(self.store, request.method, path, params,
                        data, api_url)
            response = _answer(kind, status, body)
        except ApiError as error:
            response = _answer(kind, error.status, error.body(), error.headers)
        except Exception as error:  # a sandbox bug: say so, log the traceback
            traceback.print_exc()
            response = _answer(kind, 500,
                {'error': 500, 'message': f'sandbox error: {error!r}'})
        with self.lock:
            self._stats.record(call, response.status_code)
        return response

    def _renderer(self):
        return Renderer(self.store, f'{self.base_url}/api')


def _body(request, form_too=False):
    "The JSON body (None when empty); 400 when it is not JSON"
    raw = request.get_data(cache=True)
    if not raw.strip():
        return dict(request.form) if form_too and request.form else None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        if form_too and request.form:
            return dict(request.form)
        raise ApiError(400, 40005, 'The body is not valid JSON') from None


def _json(status, body, headers=None):
    return _answer(formats.JSON, status, body, headers)


def _answer(kind, status, body, headers=None):
    "An answer in formats.JSON or formats.XML (204 has no body in either)"
    if status == 204:
        return Response(status=204, headers=headers)
    content, content_type = formats.render(body, kind)
    return Response(content, status=status, headers=headers, content_type=content_type)


def _drop(environ):
    "Close the connection with no HTTP answer at all"
    sock = environ.get('werkzeug.socket')
    if sock is not None:
        import socket
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    raise DroppedConnection('sandbox fault: connection dropped')
