"""`shoprenter sync` killed (SIGKILL) in the middle of a page of orders,
which it imports a group at a time: what it committed are whole groups,
each sale confirmed and processed and counted in the log; the next run
brings the rest, every order exactly once.

A process of its own on a SQLite demo database, as test_sync_killed.py."""
from .test_sync_killed import SyncProcessCase

ORDERS = 200  # one page of orderExtend


class KilledMidPageTestCase(SyncProcessCase):

    def test_killed_in_the_middle_of_a_page(self):
        start, _ = self.sales()
        self.place_orders(ORDERS)
        mark = self.last_log_id()
        # Killed as soon as its first group is committed: the page's other
        # groups are still to come
        self.kill_when(self.start_sync('--orders'),
            lambda: self.sales()[0] > start)

        committed = self.sales()[0] - start
        self.assertGreater(committed, 0)
        self.assertLess(committed, ORDERS)
        # Each committed sale is whole: confirmed, processed, its shipment
        # waiting for the stock; the log counts exactly those
        self.assertEqual(self.query(
                'SELECT state, shipment_state, COUNT(*) FROM sale_sale '
                'GROUP BY state, shipment_state'),
            [('processing', 'waiting', start + committed)])
        self.assertEqual(self.query(
                'SELECT COUNT(DISTINCT s.id) FROM sale_sale AS s '
                'JOIN sale_line AS l ON l.sale = s.id '
                'JOIN stock_move AS m ON m.origin = '
                "'sale.line,' || l.id"), [(start + committed,)])
        self.assertEqual(self.query(
                'SELECT state, created FROM web_shop_shoprenter_log '
                "WHERE kind = 'orders' AND id > ?", mark),
            [('running', committed)])

        result = self.command(*self.sync_arguments('--orders'))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(self.query(
                'SELECT COUNT(*), COUNT(DISTINCT shoprenter_id) '
                'FROM sale_sale'), [(start + ORDERS, start + ORDERS)])
        runs = self.query(
            'SELECT state, created, failed FROM web_shop_shoprenter_log '
            "WHERE kind = 'orders' AND id > ? ORDER BY id", mark)
        self.assertEqual(runs, [('interrupted', committed, None),
                ('done', ORDERS - committed, 0)])
