"""A demo database served by a real trytond server, in processes of their own.

For the webhook test and bench: `shoprenter demo` makes the SQLite database
(pointed at the caller's sandbox), `trytond` serves it on a free port, and
small proteus scripts act on it as a user would.  The caller's process never
configures trytond, so it can hold other Tryton tests too.

The same demo on the local PostgreSQL server (make_postgresql_demo), served
with a queue worker (TrytonServer(worker=True) and TrytonWorker): there the
webhook's import is the worker's, as on a merchant's server."""
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import requests

from web_shop_shoprenter.outbox import free_port
from web_shop_shoprenter.serve import start_trytond

DATABASE = 'demo'


def command(*arguments, timeout=1800):
    return subprocess.run(
        [sys.executable, '-m', 'web_shop_shoprenter.cli', *arguments],
        capture_output=True, text=True, timeout=timeout)


def make_demo(directory, sandbox_server):
    "The demo database in directory, its shop on sandbox_server"
    result = command('demo', '--dir', str(directory),
        '--api-url', sandbox_server.api_url,
        '--token-url', sandbox_server.token_url)
    if result.returncode:
        raise AssertionError(result.stdout[-2000:] + result.stderr[-3000:])
    return Path(directory) / 'trytond.conf'


class TrytonServer:
    """trytond serving the demo database on 127.0.0.1 (a free port);
    worker: its queued tasks are left to a trytond-worker (PostgreSQL)
    instead of running in the server; log: a file for its output"""

    def __init__(self, directory, worker=False, database=DATABASE, log=None):
        self.directory = Path(directory)
        self.database = database
        self.log = None if log is None else Path(log)
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.config = self.directory / 'server.conf'
        self.config.write_text(textwrap.dedent(f"""\
            [web]
            listen = 127.0.0.1:{self.port}

            [queue]
            worker = {worker}
            """))
        self.process = None

    @property
    def config_files(self):
        return [self.directory / 'trytond.conf', self.config]

    def start(self):
        if self.log is None:
            self.process = start_trytond(
                self.config_files, self.database, self.url + '/')
        else:
            self.process = _start_logged(
                ['trytond', '-c', *self.config_files, '-d', self.database,
                    '-v', '-v'], self.log)
            _wait_answer(self.process, self.url + '/')
        return self

    def stop(self):
        if self.log is not None:
            _stop_group(self.process)
        elif self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def proteus(directory, code, timeout=600, database=DATABASE):
    """Run code (with `config`, `Model` and `Wizard` at hand) on the demo
    database as its admin user; return what it printed"""
    script = textwrap.dedent("""\
        import sys
        from proteus import Model, Wizard, config as proteus_config
        config = proteus_config.set_trytond(
            sys.argv[2], config_file=sys.argv[1])
        """) + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, '-c', script, str(Path(directory) / 'trytond.conf'),
            database], capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise AssertionError(result.stderr[-3000:])
    return result.stdout


def query(directory, sql, *parameters):
    with sqlite3.connect(Path(directory) / f'{DATABASE}.sqlite') as connection:
        return connection.execute(sql, parameters).fetchall()


# --- the same demo on PostgreSQL, with a queue worker ---------------------

# The local server of the project's machines and of CI (trust authentication)
POSTGRESQL_URI = 'postgresql://postgres@127.0.0.1:5432/'
_PG_OPTIONS = ['-h', '127.0.0.1', '-p', '5432', '-U', 'postgres']
POSTGRESQL_START = 'pg_ctlcluster --skip-systemctl-redirect 15 main start'


def postgresql_problem():
    "Why the local PostgreSQL server can hold no demo database; None: it can"
    import psycopg
    try:
        with psycopg.connect(POSTGRESQL_URI + 'postgres', connect_timeout=5):
            return None
    except psycopg.Error as error:
        return (f"No PostgreSQL server answers at {POSTGRESQL_URI} "
            f"({str(error).strip()}).  Start it with: {POSTGRESQL_START}")


def pg_query(database, sql, *parameters):
    "The rows of sql (%s parameters) on the PostgreSQL database"
    import psycopg
    with psycopg.connect(POSTGRESQL_URI + database,
            autocommit=True) as connection:
        return connection.execute(sql, parameters).fetchall()


def make_postgresql_demo(directory, sandbox_server, database,
        server_url=None):
    """The demo of `shoprenter demo` in the PostgreSQL database `database`
    (created here, dropped by drop_postgresql), its shop on sandbox_server;
    server_url: the shop's webhooks are registered to that trytond server.
    Return the trytond.conf written in directory.

    The pieces are the demo's: its configuration with a PostgreSQL URI,
    create_database (trytond-admin), then setup_demo_shop and the first
    order download.  With DB_CACHE (a folder), what trytond-admin made is
    kept there as a dump and restored the next time: seconds instead of
    minutes."""
    from web_shop_shoprenter.cli import create_database
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / 'trytond.conf'
    config_file.write_text(textwrap.dedent(f"""\
        [database]
        uri = {POSTGRESQL_URI}
        language = hu
        """))
    subprocess.run(['createdb', *_PG_OPTIONS, database], check=True)
    dump = _demo_dump()
    if dump and dump.exists():
        subprocess.run(['pg_restore', *_PG_OPTIONS, '-d', database,
                '--no-owner', '-j', '2', str(dump)], check=True)
    else:
        create_database(config_file, database)
        if dump:
            _save_dump(database, dump)
    register = ''
    if server_url:
        register = f"""
            shop.shoprenter_server_url = {server_url!r}
            shop.save()
            shop.click('shoprenter_register_webhooks')
            """
    proteus(directory, textwrap.dedent(f"""
        from trytond.pool import Pool
        from trytond.transaction import Transaction
        from trytond.worker import run_task
        from web_shop_shoprenter.demo import (
            DEMO_HISTORY_FROM, setup_demo_shop, skip_module_configuration)
        _, shop = setup_demo_shop(config,
            api_url={sandbox_server.api_url!r},
            token_url={sandbox_server.token_url!r},
            history_from=DEMO_HISTORY_FROM)
        skip_module_configuration(config)
        # The demo's first download, as cli.sync runs it (its pool.init
        # would load the pool proteus has loaded a second time)
        with Transaction().start(sys.argv[2], 0,
                context={{'_skip_warnings': True}}) as transaction:
            Shop = Pool().get('web.shop')
            for log in Shop.shoprenter_sync_orders():
                assert not log.error, log.error
            transaction.commit()
        while transaction.tasks:
            run_task(sys.argv[2], transaction.tasks.pop())
        """) + textwrap.dedent(register), database=database)
    return config_file


def drop_postgresql(database):
    "Drop the database, ending what is still connected to it"
    subprocess.run(['dropdb', *_PG_OPTIONS, '--if-exists', '--force',
            database], check=True, capture_output=True)


def _demo_dump():
    """Where DB_CACHE keeps the activated database; None: no cache folder.
    Keyed on trytond's version and the module's own files, so that a model,
    view or message changed never restores a database without it."""
    cache = os.environ.get('DB_CACHE')
    if not cache or cache.startswith('postgresql://'):
        return None
    import hashlib
    from importlib.metadata import version
    module = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1(version('trytond').encode())
    for path in sorted(module.glob('**/*')):
        if path.is_file() and 'tests' not in path.relative_to(module).parts \
                and path.suffix in {'.cfg', '.py', '.xml', '.po', '.html'}:
            digest.update(str(path.relative_to(module)).encode())
            digest.update(path.read_bytes())
    return Path(cache) / (
        f"shoprenter-demo-{digest.hexdigest()[:12]}-postgresql.dump")


def _save_dump(database, dump):
    dump.parent.mkdir(parents=True, exist_ok=True)
    partial = dump.with_name(f'{dump.name}.{os.getpid()}')
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(['pg_dump', *_PG_OPTIONS, '-F', 'd', '-j', '2',
            '-f', str(partial), database], check=True)
    try:
        partial.rename(dump)  # whole or not at all, for a parallel run
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


class TrytonWorker:
    """trytond-worker running the queued tasks of the database, as on a
    merchant's server (PostgreSQL only: it listens for the queue's
    notifications); config_files need `[queue] worker = True`, e.g. those
    of TrytonServer(worker=True).  Its output (-vv: each task it ran, in
    which of its processes) goes to log."""

    def __init__(self, config_files, database, log, processes=None):
        self.config_files = list(config_files)
        self.database = database
        self.log = Path(log)
        self.processes = processes  # None: trytond's default, one per CPU
        self.process = None

    def start(self):
        processes = ['-n', str(self.processes)] if self.processes else []
        self.process = _start_logged(['trytond-worker',
                '-c', *self.config_files, '-d', self.database, '-v', '-v',
                *processes], self.log)
        return self

    def stop(self):
        _stop_group(self.process)

    def output(self):
        return self.log.read_text(errors='replace')

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def _start_logged(arguments, log):
    "Start a trytond command, its output to the file log, in its own group"
    executable = shutil.which(
        arguments[0], path=str(Path(sys.executable).parent)) or arguments[0]
    with open(log, 'ab') as output:
        return subprocess.Popen([executable, *map(str, arguments[1:])],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_answer(process, url, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"trytond stopped (exit code {process.returncode})")
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    _stop_group(process)
    raise RuntimeError(f"trytond did not answer at {url} within {timeout} s")


def _stop_group(process):
    "Stop the process and the processes it started (a worker's pool)"
    if process is None or process.poll() is not None:
        return
    import signal
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
