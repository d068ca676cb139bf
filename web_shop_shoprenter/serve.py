"""`shoprenter serve`: the demo database in Tryton's web client.

trytond serves sao (the web client, installed from npm on first use), a
sandbox answers for the demo shop so "Sync now" works, and an SMTP outbox
keeps the e-mails staff send (invoices) as files in the demo folder."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import polib
import requests

SAO_PACKAGE = 'tryton-sao@~8.0'
# sao's Hungarian that its package lacks (the login's "Reset forgotten
# password", a line's "Apply changes", ...)
SAO_HU = Path(__file__).parent / 'locale' / 'sao' / 'hu.po'
# What the module adds to sao through its custom.js (whole forints in lists)
SAO_CUSTOM_JS = Path(__file__).parent / 'sao' / 'custom.js'


def default_sao_cache():
    cache = os.environ.get('XDG_CACHE_HOME') or Path.home() / '.cache'
    return Path(cache) / 'shoprenter' / 'sao-8.0'


def install_sao(cache):
    """The web root of sao under cache, installed from npm when missing,
    with the module's Hungarian and custom.js added"""
    root = cache / 'node_modules' / 'tryton-sao'
    if not (root / 'index.html').exists():
        npm_install_sao(cache)
    add_sao_hungarian(root / 'locale' / 'hu.json')
    # sao's index.html loads custom.js after sao itself, to customise it
    shutil.copyfile(SAO_CUSTOM_JS, root / 'custom.js')
    return root


def add_sao_hungarian(path, po_file=SAO_HU):
    """Fill the strings sao's hu.json leaves untranslated from the module's
    locale/sao/hu.po; sao's own translations stay as they are"""
    messages = json.loads(path.read_text(encoding='utf-8'))
    for entry in polib.pofile(str(po_file)):
        if entry.msgid_plural:
            # sao's form: [plural, form 0, form 1, ...]
            value = [entry.msgid_plural] + [entry.msgstr_plural[i]
                for i in sorted(entry.msgstr_plural)]
        else:
            value = [None, entry.msgstr]
        if not any((messages.get(entry.msgid) or [None])[1:]):
            messages[entry.msgid] = value
    path.write_text(json.dumps(messages, ensure_ascii=False),
        encoding='utf-8')


def npm_install_sao(cache):
    "Install sao from npm into cache"
    npm = shutil.which('npm')
    if not npm:
        sys.exit("The web client (sao) comes from npm: install Node.js and "
            "npm first (Debian: apt-get install npm).")
    print(f"Installing the web client ({SAO_PACKAGE}) into {cache} …",
        flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    # The package ships its built files; --legacy-peer-deps because a
    # devDependency's peer requirement otherwise fails the resolution, and
    # nested so that sao's own node_modules sit under its web root, where
    # its index.html loads them from.
    subprocess.run([npm, 'install', '--omit=dev', '--legacy-peer-deps',
            '--install-strategy=nested', '--no-audit', '--no-fund',
            '--prefix', str(cache), SAO_PACKAGE], check=True)


def point_demo_shop(config_file, database, start_sandbox):
    """Start a sandbox for the database's ShopRenter shop that answers on
    127.0.0.1 (the demo's), and point the shop to it. Return the server or
    None when no shop is local."""
    from trytond import config
    config.update_etc(str(config_file))
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool.start()
    pool = Pool(database)
    pool.init()
    with Transaction().start(database, 0) as transaction:
        Shop = pool.get('web.shop')
        local = [shop for shop in Shop.search([('type', '=', 'shoprenter')])
            if urlsplit(shop.shoprenter_api_url or '').hostname
            in {'127.0.0.1', 'localhost'}]
        if not local:
            return None
        shop = local[0]
        server = start_sandbox(shop=shop.shoprenter_shop,
            client_id=shop.shoprenter_client_id,
            client_secret=shop.shoprenter_client_secret)
        shop.shoprenter_api_url = server.api_url
        shop.shoprenter_token_url = server.token_url
        shop.save()
        transaction.commit()
    return server


def check_port_free(port):
    with socket.socket() as sock:
        try:
            sock.bind(('127.0.0.1', port))
        except OSError:
            sys.exit(f"Port {port} is in use: stop what runs there or "
                "choose another one with --port.")


def start_trytond(config_files, database, url, timeout=120):
    "Start trytond on the database; return the process once it answers"
    trytond = shutil.which(
        'trytond', path=str(Path(sys.executable).parent)) or 'trytond'
    # -d: trytond 8.0.12 fails the web client's login on a server started
    # without a database name.
    process = subprocess.Popen([trytond, '-c', *map(str, config_files),
            '-d', database])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"trytond stopped (exit code {process.returncode})")
        try:
            requests.get(url, timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.3)
    process.terminate()
    sys.exit(f"trytond did not answer at {url} within {timeout} s")


def run_until_stopped(process):
    "Wait for the process; stop it on Ctrl-C or when this one is terminated"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait()
