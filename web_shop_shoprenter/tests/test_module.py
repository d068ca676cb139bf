import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import polib

from trytond import backend
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from ..common import split_by_rate, status_action
from ..lock import _file_lock, job_lock
from ..party import tax_identifiers


class WebShopShopRenterTestCase(ModuleTestCase):
    "Test Web Shop ShopRenter module"
    module = 'web_shop_shoprenter'

    def test_status_action(self):
        "Cancelled, deleted and storno statuses cancel; others import"
        for name in ["Törölve", "Storno", "Cancelled", "Visszavonva"]:
            self.assertEqual(status_action(name), 'cancel', name)
        for name in ["Függőben", "Feldolgozás alatt", "Teljesítve", None]:
            self.assertEqual(status_action(name), 'import', name)

    def test_split_by_rate_adds_up(self):
        "A coupon split over VAT rates adds up to the coupon to the cent"
        from decimal import Decimal
        shares = split_by_rate(Decimal('-1000'), {
                Decimal(27): Decimal('3333.33'),
                Decimal(5): Decimal('1234.56'),
                Decimal(18): Decimal('10'),
                })
        self.assertEqual(sum(shares.values()), Decimal('-1000'))
        self.assertLess(shares[Decimal(27)], shares[Decimal(5)])

    def test_tax_identifiers(self):
        "A tax number with a valid ANUM is also the Hungarian VAT number"
        self.assertEqual(tax_identifiers('12345676-2-06'), [
                {'type': 'hu_vat', 'code': 'HU12345676'},
                {'type': None, 'code': '12345676-2-06'},
                ])
        self.assertEqual(tax_identifiers('12345678-2-06'), [
                {'type': None, 'code': '12345678-2-06'},
                ])

    @with_transaction()
    def test_hungarian_translation_complete(self):
        "Every string the module shows has a Hungarian translation"
        pool = Pool()
        Translation = pool.get('ir.translation')
        TranslationSet = pool.get('ir.translation.set', type='wizard')
        # As `trytond-admin --export-translations` does: collect the
        # module's strings (fields, views, menus, selections, messages,
        # reports, data) in the source language, then export them.
        session_id, _, _ = TranslationSet.create()
        TranslationSet.execute(session_id, {}, 'set_')
        TranslationSet.delete(session_id)
        source = polib.pofile(
            Translation.translation_export('en', self.module).decode())
        hungarian = polib.pofile(str(
                Path(__file__).parent.parent / 'locale' / 'hu.po'))
        translated = {(entry.msgctxt, entry.msgid) for entry in hungarian
            if entry.msgstr and not entry.fuzzy}
        missing = [f'{entry.msgctxt} {entry.msgid!r}' for entry in source
            if entry.msgid and (entry.msgctxt, entry.msgid) not in translated]
        self.assertFalse(missing,
            "Strings without a Hungarian translation in locale/hu.po:\n"
            + "\n".join(missing))

    @with_transaction()
    def test_sync_lock(self):
        "A second sync of the same shop does not get the lock"
        pool = Pool()
        Shop = pool.get('web.shop')
        company = create_company()
        with set_company(company):
            shop = Shop(
                name="Shop", type='shoprenter', shoprenter_shop='demo',
                shoprenter_client_id='id', shoprenter_client_secret='secret')
            shop.save()
            other = Shop(name="Other", type='shoprenter',
                shoprenter_shop='other', shoprenter_client_id='id',
                shoprenter_client_secret='secret')
            other.save()
        with job_lock(shop, 'orders') as lock:
            self.assertTrue(lock)
            with job_lock(shop, 'push') as nested:
                self.assertTrue(nested)  # the same run, one job after another
            if backend.name != 'postgresql':
                return  # SQLite: the lock file tests below
            with Transaction().new_transaction():
                with job_lock(Shop(shop.id), 'orders') as second:
                    self.assertFalse(second)
                with job_lock(Shop(other.id), 'orders') as third:
                    self.assertTrue(third)

    def test_sqlite_lock_file(self):
        "On SQLite another thread or process finds the lock held, and by whom"
        directory = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, directory)
        path = str(directory / 'db.sqlite.shoprenter.lock')
        answers = []

        def try_lock():
            with _file_lock(path, 'the other one') as lock:
                answers.append((bool(lock), lock.holder))
        with _file_lock(path, 'shop A (orders)') as lock:
            self.assertTrue(lock)
            thread = threading.Thread(target=try_lock)
            thread.start()
            thread.join()
            process = subprocess.run([sys.executable, '-c', (
                        'import fcntl, os, sys\n'
                        f'fd = os.open({path!r}, os.O_RDWR)\n'
                        'try:\n'
                        '    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n'
                        'except BlockingIOError:\n'
                        '    sys.exit(3)\n')])
        self.assertEqual(answers, [(False, 'shop A (orders)')])
        self.assertEqual(process.returncode, 3)
        try_lock()  # released at the end of the block
        self.assertEqual(answers[-1], (True, None))


del ModuleTestCase
