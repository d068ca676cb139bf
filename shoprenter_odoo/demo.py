"""`shoprenter odoo-demo`'s database: a Hungarian company (l10n_hu's chart and taxes, HUF),
its warehouse, the addon and a ShopRenter shop, in a new PostgreSQL database.

Called once Odoo is configured (odoo_env.configure)."""
import textwrap

from .odoo_env import ADDON, CommandError, database_exists, environment

COMPANY = "Demo Webáruház Kft."
LANGUAGE = 'hu_HU'
ADMIN_PASSWORD = 'admin'
MODULES = ['l10n_hu', ADDON]
SELLER = {'vat': '12345676-2-41', 'street': 'Váci út 10.', 'zip': '1132', 'city': 'Budapest',
    'email': 'szamla@webaruhaz.example.hu'}


def create_database(name, say):
    """The database with Odoo's base in Hungarian, the company made Hungarian, then the
    modules: the company is in Hungary when account installs, so Odoo loads l10n_hu's
    chart of accounts and taxes into it"""
    from odoo.modules.registry import Registry
    from odoo.service import db as service_db
    if database_exists(name):
        raise CommandError(f"Database {name!r} exists already: give another --database, or "
            f"drop it (dropdb {name}).")
    say(f"Creating database {name} (Odoo's base, in Hungarian) …")
    service_db._create_empty_database(name)
    registry = Registry.new(name, update_module=True, new_db_demo=False)
    with environment(name) as env:
        huf = env.ref('base.HUF')
        huf.active = True
        # The document layout chosen, so that the first report printed is not the
        # layout wizard
        layout = env.ref('web.external_layout_standard', raise_if_not_found=False)
        env.ref('base.main_company').write({'name': COMPANY,
                'country_id': env.ref('base.hu').id, 'currency_id': huf.id,
                'external_report_layout_id': layout.id if layout else False})
        env.ref('base.user_admin').write({'password': ADMIN_PASSWORD, 'lang': LANGUAGE,
                'tz': 'Europe/Budapest'})
        env.cr.commit()
    say(f"Installing {', '.join(MODULES)} and what they need (sales, stock, accounting, "
        "delivery) …")
    registry = Registry.new(name, install_modules=MODULES, new_db_demo=False)
    with environment(name) as env:
        module = env['ir.module.module'].search([('name', '=', ADDON)])
        if module.state != 'installed':
            raise CommandError(f"The addon {ADDON} did not install into {name} "
                f"(its state: {module.state or 'unknown'}); Odoo's log above says why.")
        if env.company.chart_template != 'hu':
            raise CommandError(f"The company has chart {env.company.chart_template!r}, not "
                "l10n_hu's.")
        # What a Hungarian invoice and NAV need of the seller; l10n_hu_edi in its Demo
        # mode answers as NAV would, without credentials
        env.company.write(dict(SELLER, l10n_hu_edi_server_mode='demo'))
        env.company.partner_id.lang = LANGUAGE
        env.cr.commit()
    return registry


def setup_shop(env, *, shop, client_id, client_secret, api_url, token_url):
    "The ShopRenter shop of the company, selling from its warehouse, its VAT classes mapped"
    company = env.ref('base.main_company')
    warehouse = env['stock.warehouse'].search([('company_id', '=', company.id)], limit=1)
    team = env.ref('sales_team.team_sales_department', raise_if_not_found=False)
    record = env['shoprenter.shop'].create({
            'name': "ShopRenter", 'company_id': company.id, 'warehouse_id': warehouse.id,
            'team_id': team.id if team else False, 'shoprenter_shop': shop,
            'client_id': client_id, 'client_secret': client_secret,
            'api_url': api_url, 'token_url': token_url, 'lang': LANGUAGE})
    record.action_load_taxes()
    env.cr.commit()
    return record


def shop_stock(client):
    "The stock the shop shows: {SKU: quantity}"
    return {product['sku']: float(product.get('stock1') or 0)
        for product in client.iter_collection('products') if product.get('sku')}


def count_opening_stock(shop, quantities):
    """Count the goods the sync created into the shop's warehouse as the shop has them,
    then let the webshop orders' deliveries reserve them"""
    env = shop.env
    products = env['product.product'].search([
            ('default_code', 'in', list(quantities)), ('is_storable', '=', True)])
    location = shop.warehouse_id.lot_stock_id
    quants = env['stock.quant'].with_context(inventory_mode=True).create([
            {'product_id': product.id, 'location_id': location.id,
                'inventory_quantity': quantities[product.default_code]}
            for product in products if quantities[product.default_code] > 0])
    quants.action_apply_inventory()
    pickings = env['sale.order'].search([('shoprenter_shop_id', '=', shop.id)]).picking_ids
    pickings.filtered(lambda p: p.state in ('confirmed', 'waiting')).action_assign()
    env.cr.commit()
    return len(quants)


def sales_counts(shop):
    "(customers of the shop's sales, goods products on their lines)"
    sales = shop.env['sale.order'].search([('shoprenter_shop_id', '=', shop.id)])
    goods = sales.order_line.product_id.filtered('is_storable')
    return len(sales.partner_id), len(goods)


def write_config(directory, database, addons, data_dir):
    """DIR/odoo.conf: the database's server settings as this run used them, so that
    `odoo-bin -c DIR/odoo.conf` serves the demo and `shoprenter odoo-sync` finds it"""
    from odoo.tools import config
    server = {key: config[key] for key in ['db_host', 'db_port', 'db_user', 'db_password']
        if config[key]}
    lines = ['[options]']
    lines += [f'{key} = {value}' for key, value in server.items()]
    lines += [f'addons_path = {",".join(addons)}', f'data_dir = {data_dir}',
        f'db_name = {database}', f'dbfilter = ^{database}$', 'http_interface = 127.0.0.1',
        'http_port = 8069', 'list_db = False']
    path = directory / 'odoo.conf'
    path.write_text('\n'.join(lines) + '\n')
    return path


def next_steps(config_file, database, sandbox_url):
    sandbox = textwrap.dedent(f"""\
        The shop now points at {sandbox_url}, where `shoprenter sandbox` serves the demo shop:
          shoprenter sandbox
        """) if sandbox_url else ""
    return textwrap.dedent(f"""
        Open it in Odoo, in Hungarian:
          odoo-bin -c {config_file}
        then http://127.0.0.1:8069 as user "admin", password "{ADMIN_PASSWORD}".
        """) + sandbox + textwrap.dedent(f"""\
        Sync from here, as the cron does every 5 minutes:
          shoprenter odoo-sync -c {config_file} -d {database}
        """)
