"""Never two syncs of one shop at once: a PostgreSQL advisory lock per shop."""
from odoo.sql_db import db_connect
from odoo.tests import tagged

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class TestSyncLock(ShopRenterCase):

    def test_a_running_sync_keeps_the_next_out(self):
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute('SELECT pg_try_advisory_lock(%s, %s)', self.shop._shoprenter_lock_key())
            self.assertTrue(other.fetchone()[0])
            self.assertFalse(self.shop._sync_orders())
            self.assertFalse(self.shop.log_ids)
            other.execute('SELECT pg_advisory_unlock(%s, %s)', self.shop._shoprenter_lock_key())
        finally:
            other.close()
        log = self.sync()
        self.assertEqual(log.state, 'done')
        # The lock is the connection's until the run ends: it is free again
        self.assertTrue(self.shop._shoprenter_try_lock())
        self.shop._shoprenter_unlock()

    def test_a_failed_run_gives_the_lock_back(self):
        self.shop.sudo().client_secret = 'wrong'
        log = self.sync()
        self.assertEqual(log.state, 'failed')
        self.assertIn('401', log.message)
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute('SELECT pg_try_advisory_lock(%s, %s)', self.shop._shoprenter_lock_key())
            self.assertTrue(other.fetchone()[0], "another process can sync the shop now")
            other.execute('SELECT pg_advisory_unlock(%s, %s)', self.shop._shoprenter_lock_key())
        finally:
            other.close()
