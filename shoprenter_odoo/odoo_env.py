"""The Odoo 19 the commands run with: finding it, its addons path, starting it on a database.

Nothing here imports odoo at module level: `shoprenter sandbox` runs without any Odoo, and
the Odoo commands say what is missing instead of a traceback."""
import contextlib
import importlib.util
import sys
import threading
from pathlib import Path

ADDON = 'shoprenter_connector'
SERIES = 19
# The project's addons beside this package in a source checkout; an installed wheel has none
PROJECT_ADDONS = Path(__file__).resolve().parent.parent / 'odoo_addons'


class CommandError(Exception):
    "What the command tells its user before it exits non-zero (no traceback)"


def require_odoo(command):
    """Check that an Odoo 19 is importable here; raise CommandError saying how to get one
    (in Hungarian and English) when not"""
    found = None
    if importlib.util.find_spec('odoo') is not None:
        try:
            from odoo import release
        except Exception as error:  # a broken or half installed Odoo
            found = f"odoo could not be imported ({type(error).__name__}: {error})"
        else:
            if release.version_info[0] == SERIES:
                return release.version
            found = f"Odoo {release.version} ({Path(release.__file__).parent})"
    raise CommandError(missing_odoo_message(command, found))


def missing_odoo_message(command, found=None):
    python = sys.executable
    seen_hu = f"ebben ez van: {found}" if found else "nincs benne Odoo"
    seen_en = f"found {found}" if found else "no Odoo in it"
    return (
        f"ehhez Odoo 19 kell ebben a Python-környezetben ({python}; {seen_hu}).\n"
        f"This command needs Odoo 19 importable by this Python ({python}; {seen_en}).\n"
        "Run it with a Python that has Odoo 19 and this package, e.g. Odoo's own venv:\n"
        "    /opt/odoo19/venv/bin/pip install ./core\n"
        f"    /opt/odoo19/venv/bin/shoprenter {command} ...\n"
        "or the venv `bash .ci/odoo-tests` builds beside Odoo's (.venv-odoo/bin/shoprenter).\n"
        "Odoo's configuration comes from -c odoo.conf (or ODOO_RC=odoo.conf); its addons path\n"
        "must hold Odoo's addons and this project's odoo_addons (--addons-path A,B,...).")


def odoo_own_addons():
    "The addons folders of the importable Odoo: odoo/addons and, in a source tree, ../addons"
    import odoo
    package = Path(odoo.__path__[0]).resolve()
    folders = [package / 'addons', package.parent / 'addons']
    return [str(folder) for folder in folders if (folder / 'base').is_dir()
        or (folder / 'sale' / '__manifest__.py').is_file()]


def holds_addon(folder):
    return (Path(folder) / ADDON / '__manifest__.py').is_file()


def addons_path(given=None, configured=()):
    """The addons path: the one given (--addons-path), else the configuration's, else Odoo's
    own; with the project's odoo_addons added when it is not on it already.

    Raise CommandError when no folder of it holds the addon (an installed wheel carries no
    odoo_addons: the addons path must then name the folder that has it)."""
    if given:
        folders = [str(Path(f).expanduser().resolve()) for f in given.split(',') if f.strip()]
    else:
        folders = list(configured) or odoo_own_addons()
    if not any(holds_addon(folder) for folder in folders):
        if holds_addon(PROJECT_ADDONS):
            folders.append(str(PROJECT_ADDONS))
        else:
            raise CommandError(
                f"Az Odoo addons-útvonalán nincs {ADDON} addon / the addon {ADDON} is on no "
                f"folder of the addons path ({','.join(folders) or 'empty'}).\n"
                "This installation of the shoprenter package carries no odoo_addons folder: "
                "give the folder that holds the addon with --addons-path (with Odoo's own "
                "addons) or as addons_path in the configuration file.")
    return folders


def configure(config_file=None, database=None, given_addons=None, log_level='warn',
        data_dir=None, extra=()):
    """Load Odoo's configuration (the file, else ODOO_RC or ~/.odoorc as Odoo does) for
    a database, with extra command line options of Odoo; return the addons path in use"""
    from odoo.tools import config
    arguments = ['--no-http', f'--log-level={log_level}', *extra]
    if config_file:
        if not Path(config_file).is_file():
            raise CommandError(f"No Odoo configuration file {config_file}")
        arguments += ['-c', str(config_file)]
    if database:
        arguments += ['-d', database]
    if data_dir:
        arguments += [f'--data-dir={data_dir}']
    config.parse_config(arguments, setup_logging=True)
    folders = addons_path(given_addons, config['addons_path'])
    config.parse_config(arguments + [f'--addons-path={",".join(folders)}'],
        setup_logging=False)
    return folders


def database_exists(name):
    import odoo.sql_db
    with contextlib.closing(odoo.sql_db.db_connect('postgres').cursor()) as cr:
        cr.execute('SELECT 1 FROM pg_database WHERE datname = %s', [name])
        return bool(cr.fetchall())


@contextlib.contextmanager
def environment(database, **context):
    """A superuser environment on the configured database (its registry loaded); the caller
    commits what it keeps"""
    import psycopg2
    from odoo import api
    from odoo.modules.registry import Registry
    threading.current_thread().dbname = database
    try:
        if not database_exists(database):
            raise CommandError(f"No database {database!r} on the PostgreSQL server of the "
                "configuration")
        registry = Registry(database)
    except psycopg2.Error as error:
        raise CommandError(f"Odoo cannot open database {database!r}: {error}".strip())
    with registry.cursor() as cr:
        yield api.Environment(cr, api.SUPERUSER_ID, context)
