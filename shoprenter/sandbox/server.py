"Serving a Sandbox over real HTTP: in a background thread, or in the foreground."
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import Sandbox


class QuietHandler(WSGIRequestHandler):
    "No access log lines (tests and embedded use)"

    def log_request(self, *args, **kwargs):
        pass


class SandboxServer:
    """A threaded werkzeug server for a Sandbox in a daemon thread.

    port=0 picks a free port; .url, .api_url and .token_url tell where it is."""

    def __init__(self, sandbox, host='127.0.0.1', port=0, *, quiet=True):
        self.sandbox = sandbox
        self._server = make_server(host, port, sandbox, threaded=True,
            request_handler=QuietHandler if quiet else None)
        self.host = host
        self.port = self._server.server_port
        self._thread = None
        sandbox.base_url = self.url

    @property
    def url(self):
        host = f'[{self.host}]' if ':' in self.host else self.host
        return f'http://{host}:{self.port}'

    @property
    def api_url(self):
        return self.url + '/api'

    @property
    def token_url(self):
        return f'{self.url}/oauth/{self.sandbox.shop}/app/token'

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever,
            kwargs={'poll_interval': 0.05},  # quick stop()
            name=f'shoprenter-sandbox:{self.port}', daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self):
        return self if self._thread else self.start()

    def __exit__(self, *exc_info):
        self.stop()


def serve(host='127.0.0.1', port=8000, seed=None, shop='demo',
        client_id='demo-client', client_secret='demo-secret', scopes=None):
    "Run a sandbox in the foreground until interrupted (`shoprenter sandbox`)"
    sandbox = Sandbox(seed, shop=shop, client_id=client_id, client_secret=client_secret,
        scopes=scopes)
    server = SandboxServer(sandbox, host, port, quiet=False)
    print(f'ShopRenter sandbox for shop {shop!r}', flush=True)
    print(f'  API:           {server.api_url}', flush=True)
    print(f'  Token:         {server.token_url}', flush=True)
    print(f'  Client id:     {client_id}', flush=True)
    print(f'  Client secret: {client_secret}', flush=True)
    if scopes is not None:
        print(f'  Scopes:        {", ".join(scopes)}', flush=True)
    print(f'  Controls:      {server.url}/_sandbox/ (reset, faults, orders, '
        'products/<sku>, expire-tokens, stats)', flush=True)
    print('Press Ctrl+C to stop.', flush=True)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server._server.server_close()
