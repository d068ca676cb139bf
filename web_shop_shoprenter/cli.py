"""The `shoprenter` command: serve the sandbox, run the demo, serve it in
the web client, sync now.

trytond is imported only inside the commands that need it, after the
configuration file is known (trytond reads it when first imported)."""
import argparse
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from shoprenter.sandbox.command import add_sandbox_command, add_shop_arguments

DEMO_DATABASE = 'demo'
DEMO_PASSWORD = 'admin'
DEMO_SENDER = 'szamla@demo-webaruhaz.hu'


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='shoprenter',
        description="ShopRenter webshop sync for Tryton")
    commands = parser.add_subparsers(dest='command', required=True)

    add_sandbox_command(commands)

    demo = commands.add_parser(
        'demo', help="a SQLite database with a Hungarian company and "
        "a ShopRenter shop, synced once")
    demo.add_argument('--dir', required=True, type=Path,
        help="where the database and its trytond.conf go")
    add_shop_arguments(demo, urls=True)
    demo.set_defaults(run=run_demo)

    serve = commands.add_parser(
        'serve', help="the demo database in Tryton's web client, in "
        "Hungarian, with the sandbox shop and an e-mail outbox")
    serve.add_argument('--dir', required=True, type=Path,
        help="the folder `shoprenter demo` made")
    serve.add_argument('--port', type=int, default=8000,
        help="the web client's port on 127.0.0.1 (default: 8000)")
    serve.add_argument('--sao', type=Path, default=None,
        help="where the web client is installed from npm "
        "(default: ~/.cache/shoprenter/sao-8.0)")
    serve.set_defaults(run=run_serve)

    sync = commands.add_parser(
        'sync', help="download the ShopRenter orders now, as the cron does")
    sync.add_argument('-c', '--config', required=True, type=Path,
        help="trytond configuration file")
    sync.add_argument('-d', '--database', required=True)
    sync.add_argument('--shop', help="the web shop's name (default: all)")
    for part, text in [
            ('orders', "download the changed orders"),
            ('stock', "push the changed stock quantities and prices"),
            ('prices', "push the changed prices (with the stock)"),
            ('reconcile', "re-read the shop's products and repair drift")]:
        sync.add_argument(f'--{part}', action='store_true',
            help=text + " (default: everything)")
    sync.set_defaults(run=run_sync)
    from shoprenter_odoo.cli import add_commands as add_odoo_commands
    add_odoo_commands(commands)

    arguments = parser.parse_args(argv)
    return arguments.run(arguments)


def run_demo(arguments):
    from .preflight import missing_for_demo
    missing = missing_for_demo()
    if missing:
        # Before minutes of database setup, not after them
        sys.exit("shoprenter demo cannot run, something it needs is missing:\n"
            + "\n".join(f"  {line}" for line in missing))
    directory = arguments.dir.resolve()
    config_file = write_demo_config(directory)
    print(f"Creating the database in {directory} …", flush=True)
    create_database(config_file, DEMO_DATABASE)

    server = None
    api_url, token_url = arguments.api_url, arguments.token_url
    if not api_url:
        from shoprenter.sandbox import Sandbox, SandboxServer
        server = SandboxServer(Sandbox(
                shop=arguments.shop, client_id=arguments.client_id,
                client_secret=arguments.client_secret)).start()
        api_url, token_url = server.api_url, server.token_url
        print(f"Sandbox with the demo shop at {api_url}", flush=True)
    try:
        print("Setting up the company and the shop …", flush=True)
        setup_demo(config_file, arguments, api_url, token_url)
        # Read before the sync: the sync pushes the ERP's stock to the shop.
        stock = shop_stock(arguments, api_url, token_url)
        logs = sync(config_file, DEMO_DATABASE, parts={'orders'})
        print("Counting the shop's stock into the warehouse …", flush=True)
        # Imported once trytond is configured: demo imports Tryton's test
        # tools, which read the test database settings of the environment.
        from .demo import setup_opening_stock
        setup_opening_stock(stock)
    finally:
        if server:
            server.stop()
    print_demo_summary(logs, config_file)
    return 0 if all(not log.error for log in logs) else 1


def write_demo_config(directory):
    """The demo's trytond.conf: SQLite in directory, Hungarian as the
    database's language (the admin user's and the translations loaded),
    and an empty database file"""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f'{DEMO_DATABASE}.sqlite').unlink(missing_ok=True)
    (directory / f'{DEMO_DATABASE}.sqlite').touch()
    config_file = directory / 'trytond.conf'
    config_file.write_text(textwrap.dedent(f"""\
        [database]
        uri = sqlite://
        path = {directory}
        language = hu
        """))
    return config_file


def write_serve_config(directory, port, web_root, email_uri):
    """What `serve` adds to trytond.conf for its run: the web client and
    the outbox (removed when it stops, as they stop with it)"""
    config_file = directory / 'serve.conf'
    config_file.write_text(textwrap.dedent(f"""\
        [web]
        listen = 127.0.0.1:{port}
        root = {web_root}

        [email]
        uri = {email_uri}
        from = {DEMO_SENDER}
        """))
    return config_file


def create_database(config_file, database):
    "Initialise the database and activate the module with trytond-admin"
    admin = shutil.which(
        'trytond-admin', path=str(Path(sys.executable).parent)) or (
        shutil.which('trytond-admin'))
    password_file = config_file.parent / 'adminpass'
    password_file.write_text(DEMO_PASSWORD)
    environment = dict(os.environ, TRYTONPASSFILE=str(password_file))
    # English too: the chart of accounts template is English-only data.
    for options in [['--all', '--email', 'admin@example.com',
                '--language', 'en', 'hu'],
            ['-u', 'web_shop_shoprenter', '--activate-dependencies']]:
        subprocess.run(
            [admin, '-c', str(config_file), '-d', database] + options,
            env=environment, check=True)


def setup_demo(config_file, arguments, api_url, token_url):
    from proteus import config as proteus_config
    config = proteus_config.set_trytond(
        DEMO_DATABASE, config_file=str(config_file))
    from .demo import (
        DEMO_HISTORY_FROM, setup_demo_shop, skip_module_configuration)
    setup_demo_shop(config, shop=arguments.shop,
        client_id=arguments.client_id, client_secret=arguments.client_secret,
        api_url=api_url, token_url=token_url, history_from=DEMO_HISTORY_FROM)
    skip_module_configuration(config)


def run_serve(arguments):
    from .outbox import start_outbox
    from .serve import (
        check_port_free, default_sao_cache, install_sao, point_demo_shop,
        run_until_stopped, start_trytond)
    directory = arguments.dir.resolve()
    if not (directory / f'{DEMO_DATABASE}.sqlite').exists():
        sys.exit(f"No demo database in {directory}: run "
            f"`shoprenter demo --dir {arguments.dir}` first.")
    check_port_free(arguments.port)
    web_root = install_sao(arguments.sao or default_sao_cache())
    outbox, email_uri = start_outbox(directory / 'outbox')
    config_file = directory / 'trytond.conf'
    serve_config = write_serve_config(
        directory, arguments.port, web_root, email_uri)

    def start_sandbox(**shop):
        from shoprenter.sandbox import Sandbox, SandboxServer
        return SandboxServer(Sandbox(**shop)).start()
    sandbox = point_demo_shop(config_file, DEMO_DATABASE, start_sandbox)
    url = f'http://127.0.0.1:{arguments.port}/'
    trytond = start_trytond([config_file, serve_config], DEMO_DATABASE, url)
    print(textwrap.dedent(f"""
        The web client: {url}
          database "{DEMO_DATABASE}", user "admin", password "{DEMO_PASSWORD}"
        The sandbox shop: {sandbox.url if sandbox else "none"}
        E-mails sent land in {directory / 'outbox' / 'new'}
        Stop with Ctrl-C."""), flush=True)
    try:
        return run_until_stopped(trytond)
    finally:
        outbox.stop()
        if sandbox:
            sandbox.stop()
        serve_config.unlink(missing_ok=True)


def shop_stock(arguments, api_url, token_url):
    "The stock the shop shows: {SKU: quantity}"
    from shoprenter.client import Client
    with Client(arguments.shop, arguments.client_id, arguments.client_secret,
            api_url=api_url, token_url=token_url) as client:
        return {product['sku']: float(product.get('stock1') or 0)
            for product in client.iter_collection('products')
            if product.get('sku')}


def run_sync(arguments):
    parts = {part for part in ['orders', 'stock', 'prices', 'reconcile']
        if getattr(arguments, part)} or None
    reports = sync(arguments.config.resolve(), arguments.database,
        shop_name=arguments.shop, parts=parts)
    for report in reports:
        print_log(report)
    return sync_exit_code(reports)


# `shoprenter sync` exits with 1 when something failed, else with 3 when a
# run did not start because another sync of the shop was running
EXIT_FAILED, EXIT_SKIPPED = 1, 3


def sync_exit_code(reports):
    if any(not report.skipped and (report.error or report.errors)
            for report in reports):
        return EXIT_FAILED
    if any(report.skipped for report in reports):
        return EXIT_SKIPPED
    return 0


def sync(config_file, database, shop_name=None, parts=None):
    """Run the cron's jobs once, now, with progress bars: the order download,
    the stock and price push, the reconciliation (parts; None: all)"""
    from tqdm import tqdm

    from trytond import config
    config.update_etc(str(config_file))
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    from trytond.worker import run_task

    from .common import collect_finished
    from .shop_push import sync_reconcile, sync_stock
    Pool.start()
    pool = Pool(database)
    pool.init()
    parts = parts or {'orders', 'stock', 'prices', 'reconcile'}
    steps = [
        ('orders', ' orders', "ShopRenter orders",
            lambda shops, bar: pool.get('web.shop').shoprenter_sync_orders(
                shops, progress=bar)),
        ('stock', ' products', "ShopRenter stock and prices", sync_stock),
        ('reconcile', ' products', "ShopRenter reconciliation",
            sync_reconcile),
        ]
    if 'prices' in parts:
        parts.add('stock')  # one push sends both
    reports = []
    for part, unit, title, step in steps:
        if part not in parts:
            continue
        with Transaction().start(
                database, 0, context={'_skip_warnings': True}) as transaction:
            Shop = pool.get('web.shop')
            domain = [('type', '=', 'shoprenter')]
            if shop_name:
                domain.append(('name', '=', shop_name))
            shops = Shop.search(domain)
            if not shops:
                sys.exit(f"No ShopRenter web shop in database {database}")
            with tqdm(unit=unit, desc=title) as progress:
                reports.extend(step(shops, progress))
            transaction.commit()
        # What the run queued (e.g. processing sales) runs now, as the cron
        # does after its jobs: each task a transaction of its own.
        done = 0
        while transaction.tasks:  # a task may queue more
            run_task(database, transaction.tasks.pop())
            done += 1
            collect_finished(done)
    return reports


def print_log(report):
    if report.skipped:
        print(f"{report.kind.title()}: skipped. {report.error}")
        return
    if report.kind != 'orders':
        print(f"{report.kind.title()}: {report.updated} updated, "
            f"{report.created} created, {len(report.errors)} failed")
        for level, message, _ in report.entries:
            print(f"  {level}: {message}")
    else:
        counts = report.counts
        print(f"Orders: {counts['created']} imported, {counts['updated']} "
            f"updated, {counts['cancelled']} cancelled, "
            f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, "
            f"{counts['failed']} stopped")
        for number, message in report.errors:
            print(f"  stopped #{number}: {message}")
    if report.error:
        print(f"The sync failed: {report.error}")


def print_demo_summary(logs, config_file):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    with Transaction().start(DEMO_DATABASE, 0):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Product = pool.get('product.product')
        sales = Sale.search([('web_shop', '!=', None)])
        parties = {s.party for s in sales}
        products = Product.search([('type', '=', 'goods')])
    print()
    for log in logs:
        print_log(log)
    print(f"Parties: {len(parties)} customers; products: {len(products)} "
        "created from order lines")
    print(textwrap.dedent(f"""
        Open it in the web client, in Hungarian:
          shoprenter serve --dir {config_file.parent}
        then http://127.0.0.1:8000 as user "admin", password "{DEMO_PASSWORD}".
        While it runs (it serves the demo shop's sandbox too), sync from here:
          shoprenter sync -c {config_file} -d {DEMO_DATABASE}
        """))


if __name__ == '__main__':
    sys.exit(main())
