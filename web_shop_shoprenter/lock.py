"""One ShopRenter job of a shop at a time, on PostgreSQL and on SQLite.

PostgreSQL: an advisory lock per shop and job, held until the end of the
transaction.  SQLite has one writer per database and Tryton gives each
transaction a connection of its own, so two jobs writing at once fail with
"database is locked" after the busy timeout: there, one ShopRenter job runs
at a time per database, held by an exclusive flock(2) on a lock file next
to the database file.  flock belongs to the open file, so it keeps out a
second thread of the same process as well as another process, and the
kernel releases it when its process dies, killed or not.  An in-memory
database (the tests) is one process's alone: a lock in memory does."""
import datetime as dt
import os
import threading
import zlib
from contextlib import contextmanager

from sql import Select

from trytond import backend, config
from trytond.transaction import Transaction

try:
    import fcntl
except ImportError:  # not POSIX: SQLite jobs are not kept apart
    fcntl = None

_memory_locks = {}  # key: description of the holder, for in-memory databases
_memory_guard = threading.Lock()
_held = threading.local()  # the lock files this thread holds (re-entrant)


class Lock:
    "The outcome of taking a job lock: acquired, or who holds it"

    def __init__(self, acquired, holder=None):
        self.acquired = acquired
        self.holder = holder  # what the run holding the lock said of itself

    def __bool__(self):
        return self.acquired


def describe(shop, kind):
    "What a held lock says of its run, for the one that finds it held"
    return (f'{shop.rec_name} ({kind}, '
        f'{dt.datetime.now():%Y-%m-%d %H:%M:%S}, process {os.getpid()})')


@contextmanager
def job_lock(shop, kind):
    """Take the lock of the shop's job kind ('orders', 'push') for the
    block; yield a true Lock when this run holds it, else a false one
    naming the run that does"""
    transaction = Transaction()
    if backend.name != 'sqlite':
        key = zlib.crc32(f'web_shop_shoprenter:{kind}:{shop.id}'.encode())
        cursor = transaction.connection.cursor()
        cursor.execute(*Select([transaction.database.lock_id(key)]))
        yield Lock(bool(cursor.fetchone()[0]))
        return
    name = transaction.database.name
    if name == ':memory:':
        with _memory_lock(name, describe(shop, kind)) as lock:
            yield lock
        return
    path = os.path.join(
        config.get('database', 'path'), f'{name}.sqlite.shoprenter.lock')
    with _file_lock(path, describe(shop, kind)) as lock:
        yield lock


@contextmanager
def _memory_lock(name, description):
    with _memory_guard:
        holder = _memory_locks.get(name)
        if holder is not None and holder[0] != threading.get_ident():
            busy = holder[1]
        else:
            busy = None
            nested = holder is not None
            if not nested:
                _memory_locks[name] = (threading.get_ident(), description)
    if busy is not None:
        yield Lock(False, busy)
        return
    try:
        yield Lock(True)
    finally:
        if not nested:
            with _memory_guard:
                _memory_locks.pop(name, None)


@contextmanager
def _file_lock(path, description):
    held = _held.__dict__.setdefault('paths', set())
    if path in held or fcntl is None:
        yield Lock(True)  # this thread holds it already
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield Lock(False, os.pread(fd, 1000, 0).decode(
                    errors='replace').strip() or None)
            return
        os.ftruncate(fd, 0)
        os.pwrite(fd, description.encode(), 0)
        held.add(path)
        try:
            yield Lock(True)
        finally:
            held.discard(path)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
