"""The `shoprenter` command of the ERP-free distribution: serve the sandbox; on an Odoo 19,
build the demo database (`odoo-demo`) and sync now (`odoo-sync`).

odoo is imported only inside the Odoo commands, once they checked it is an Odoo 19.
add_commands() gives the Tryton module's `shoprenter` command the same two Odoo commands."""
import argparse
import sys
from pathlib import Path

from shoprenter.sandbox.command import (
    DEFAULT_PORT as SANDBOX_PORT, add_sandbox_command, add_shop_arguments)

DEMO_DATABASE = 'shoprenter_demo'


def main(argv=None):
    parser = argparse.ArgumentParser(prog='shoprenter',
        description="ShopRenter webshop sync: the local sandbox and the Odoo addon's commands")
    commands = parser.add_subparsers(dest='command', required=True)
    add_sandbox_command(commands)
    add_commands(commands)
    arguments = parser.parse_args(argv)
    return arguments.run(arguments)


def add_commands(commands):
    "Add odoo-demo and odoo-sync to the subparsers of a `shoprenter` command"
    demo = commands.add_parser('odoo-demo', help="an Odoo 19 database with a Hungarian "
        "company and a ShopRenter shop, synced once")
    demo.add_argument('--dir', required=True, type=Path,
        help="where the demo's odoo.conf and file store go")
    demo.add_argument('--database', default=DEMO_DATABASE,
        help=f"the new PostgreSQL database (default: {DEMO_DATABASE})")
    add_odoo_arguments(demo, config_required=False)
    add_shop_arguments(demo, urls=True)
    demo.set_defaults(run=run_odoo_demo)

    sync = commands.add_parser('odoo-sync',
        help="download the ShopRenter orders into an Odoo database now, as its cron does")
    add_odoo_arguments(sync, config_required=True)
    sync.add_argument('-d', '--database', required=True)
    sync.add_argument('--shop', help="the ShopRenter shop's name in Odoo (default: all)")
    sync.set_defaults(run=run_odoo_sync)


def add_odoo_arguments(parser, config_required):
    parser.add_argument('-c', '--config', type=Path, required=config_required,
        help="Odoo's configuration file (database server, addons path)"
        + ("" if config_required else "; default: ODOO_RC or ~/.odoorc, as Odoo's"))
    parser.add_argument('--addons-path', help="Odoo's addons path, comma separated "
        "(default: the configuration's, else Odoo's own; this project's odoo_addons added)")
    parser.add_argument('--log-level', default='warn', help="Odoo's log level (default: warn)")


def run_odoo_demo(arguments):
    from .odoo_env import CommandError
    try:
        return odoo_demo(arguments)
    except CommandError as error:
        sys.exit(f"shoprenter odoo-demo: {error}")


def run_odoo_sync(arguments):
    from .odoo_env import CommandError
    try:
        return odoo_sync(arguments)
    except CommandError as error:
        sys.exit(f"shoprenter odoo-sync: {error}")


def say(text):
    print(text, flush=True)


def odoo_demo(arguments):
    from . import odoo_env
    from .demo import (
        LANGUAGE, count_opening_stock, create_database, next_steps, sales_counts, setup_shop,
        shop_stock, write_config)
    from .sync import report_lines, sync_shops
    odoo_env.require_odoo('odoo-demo')
    if bool(arguments.api_url) != bool(arguments.token_url):
        raise odoo_env.CommandError("give both --api-url and --token-url, or neither")
    directory = arguments.dir.resolve()
    directory.mkdir(parents=True, exist_ok=True)
    data_dir = directory / 'data'
    addons = odoo_env.configure(arguments.config, arguments.database,
        arguments.addons_path, arguments.log_level, data_dir=data_dir,
        extra=[f'--load-language={LANGUAGE}'])
    create_database(arguments.database, say)
    config_file = write_config(directory, arguments.database, addons, data_dir)

    from shoprenter import Client
    server = None
    api_url, token_url = arguments.api_url, arguments.token_url
    if not api_url:
        from shoprenter.sandbox import Sandbox, SandboxServer
        server = SandboxServer(Sandbox(shop=arguments.shop, client_id=arguments.client_id,
                client_secret=arguments.client_secret)).start()
        api_url, token_url = server.api_url, server.token_url
        say(f"Sandbox with the demo shop at {api_url}")
    try:
        with odoo_env.environment(arguments.database) as env:
            say("Setting up the shop …")
            shop = setup_shop(env, shop=arguments.shop, client_id=arguments.client_id,
                client_secret=arguments.client_secret, api_url=api_url, token_url=token_url)
            with Client(arguments.shop, arguments.client_id, arguments.client_secret,
                    api_url=api_url, token_url=token_url) as client:
                stock = shop_stock(client)
            reports = sync_shops(shop)
            say("Counting the shop's stock into the warehouse …")
            count_opening_stock(shop, stock)
            customers, products = sales_counts(shop)
            sandbox_url = None
            if server:
                # The in-process sandbox ends with this command: `shoprenter sandbox`
                # serves the same shop on its default port
                sandbox_url = f'http://127.0.0.1:{SANDBOX_PORT}'
                shop.sudo().write({'api_url': sandbox_url + '/api',
                        'token_url': f'{sandbox_url}/oauth/{arguments.shop}/app/token'})
                env.cr.commit()
    finally:
        if server:
            server.stop()
    print()
    for report in reports:
        for line in report_lines(report):
            print(line)
    print(f"Parties: {customers} customers; products: {products} created from order lines")
    print(next_steps(config_file, arguments.database, sandbox_url), flush=True)
    return 0 if all(not report.error for report in reports) else 1


def odoo_sync(arguments):
    from . import odoo_env
    from .sync import exit_code, report_lines, sync_shops
    odoo_env.require_odoo('odoo-sync')
    odoo_env.configure(arguments.config, arguments.database, arguments.addons_path,
        arguments.log_level)
    with odoo_env.environment(arguments.database) as env:
        if 'shoprenter.shop' not in env:
            raise odoo_env.CommandError(f"The addon {odoo_env.ADDON} is not installed in "
                f"database {arguments.database!r}.")
        domain = [('name', '=', arguments.shop)] if arguments.shop else []
        shops = env['shoprenter.shop'].search(domain)
        if not shops:
            named = f' {arguments.shop!r}' if arguments.shop else ''
            raise odoo_env.CommandError(
                f"No ShopRenter shop{named} in database {arguments.database!r}.")
        reports = sync_shops(shops)
    for report in reports:
        if len(reports) > 1:
            print(f"{report.shop}:")
        for line in report_lines(report):
            print(line)
    return exit_code(reports)


if __name__ == '__main__':
    sys.exit(main())
