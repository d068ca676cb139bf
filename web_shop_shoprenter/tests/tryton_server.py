"""A demo database served by a real trytond server, in processes of their own.

For the webhook test and bench: `shoprenter demo` makes the SQLite database
(pointed at the caller's sandbox), `trytond` serves it on a free port, and
small proteus scripts act on it as a user would.  The caller's process never
configures trytond, so it can hold other Tryton tests too."""
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

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
    "trytond serving the demo database on 127.0.0.1 (a free port)"

    def __init__(self, directory, worker=False):
        self.directory = Path(directory)
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

    def start(self):
        self.process = start_trytond(
            [self.directory / 'trytond.conf', self.config], DATABASE,
            self.url + '/')
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def proteus(directory, code, timeout=600):
    """Run code (with `config`, `Model` and `Wizard` at hand) on the demo
    database as its admin user; return what it printed"""
    script = textwrap.dedent("""\
        import sys
        from proteus import Model, Wizard, config as proteus_config
        config = proteus_config.set_trytond(
            'demo', config_file=sys.argv[1])
        """) + textwrap.dedent(code)
    result = subprocess.run(
        [sys.executable, '-c', script, str(Path(directory) / 'trytond.conf')],
        capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise AssertionError(result.stderr[-3000:])
    return result.stdout


def query(directory, sql, *parameters):
    with sqlite3.connect(Path(directory) / f'{DATABASE}.sqlite') as connection:
        return connection.execute(sql, parameters).fetchall()
