"""The shop record: who reads its credentials, Sync Now, the cron."""
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ShopRenterCase


@tagged('post_install', '-at_install')
class TestShop(ShopRenterCase):

    def test_credentials_are_for_managers_only(self):
        clerk = new_test_user(self.env, 'shoprenter_clerk', company_id=self.company.id,
            groups='shoprenter_connector.group_shoprenter_user')
        manager = new_test_user(self.env, 'shoprenter_manager', company_id=self.company.id,
            groups='shoprenter_connector.group_shoprenter_manager')
        self.assertEqual(self.shop.with_user(clerk).name, "ShopRenter")
        for field in ['client_id', 'client_secret', 'api_url', 'token_url']:
            with self.assertRaises(AccessError):
                self.shop.with_user(clerk).read([field])
        self.assertEqual(self.shop.with_user(manager).client_secret, 'demo-secret')
        with self.assertRaises(AccessError):
            self.shop.with_user(clerk).write({'name': "Other"})
        # A clerk syncs now: the sync reads the credentials itself
        action = self.shop.with_user(clerk).action_sync_now()
        self.assertEqual(action['params']['message'],
            'ShopRenter: Done: 0 created, 0 updated, 0 cancelled, 0 stopped')

    def test_cron_every_five_minutes(self):
        cron = self.env.ref('shoprenter_connector.ir_cron_shoprenter_sync_orders')
        self.assertEqual((cron.interval_number, cron.interval_type, cron.active),
            (5, 'minutes', True))
        self.place(firstname="Anna", lastname="Kiss", email="anna@example.hu",
            payment={'address1': "Fő utca 1.", 'city': "Budapest", 'postcode': "1011"},
            items=[{'sku': 'HU-1080', 'quantity': 1}], shippingMode='1', paymentCode='cod')
        self.env['shoprenter.shop']._cron_sync_orders()
        self.assertEqual(self.shop.log_ids.mapped('created'), [1])
        self.assertEqual(self.shop.sequence_id.prefix, 'DEMO-')
