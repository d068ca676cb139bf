"""The `shoprenter sandbox` command and the shop options of the demo commands:
one definition for the Tryton and the Odoo command lines."""
import sys

DEFAULT_PORT = 8000


def add_sandbox_command(commands):
    "Add `sandbox` to the subparsers of a `shoprenter` command"
    sandbox = commands.add_parser(
        'sandbox', help="serve a local ShopRenter API with demo data")
    sandbox.add_argument('--host', default='127.0.0.1')
    sandbox.add_argument('--port', type=int, default=DEFAULT_PORT)
    sandbox.add_argument('--seed', help="JSON file of resources to serve")
    sandbox.add_argument('--scopes', help="the app's scopes, comma separated "
        "(e.g. order.order:read,product.product:write; default: all of them): "
        "a call outside them is refused with 403")
    add_shop_arguments(sandbox, urls=False)
    sandbox.set_defaults(run=run_sandbox)
    return sandbox


def add_shop_arguments(parser, urls):
    "The ShopRenter shop a command talks to (urls: its API and token URLs too)"
    if urls:
        parser.add_argument('--api-url',
            help="ShopRenter API URL (default: an in-process sandbox)")
        parser.add_argument('--token-url', help="ShopRenter token URL")
    parser.add_argument('--shop', default='demo', help="the ShopRenter shop name")
    parser.add_argument('--client-id', default='demo-client')
    parser.add_argument('--client-secret', default='demo-secret')


def run_sandbox(arguments):
    from .scopes import ALL_SCOPES, parse_scopes
    from .server import serve
    try:
        scopes = parse_scopes(arguments.scopes) if arguments.scopes else ALL_SCOPES
    except ValueError as error:
        sys.exit(f"shoprenter sandbox: --scopes: {error}")
    serve(arguments.host, arguments.port, seed=arguments.seed,
        shop=arguments.shop, client_id=arguments.client_id,
        client_secret=arguments.client_secret, scopes=scopes)
