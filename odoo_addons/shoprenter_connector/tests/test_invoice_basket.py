"""The invoicing basket: orders added from a list, Invoice All and E-mail All each order on
its own, nothing twice when repeated, the NAV state of each invoice, one basket per user."""
from odoo.tests import new_test_user, tagged

from .invoicing_common import InvoicingCase, flat, huf
from .smtp_catcher import pdf_attachments


@tagged('post_install', '-at_install')
class TestInvoiceBasket(InvoicingCase):

    def basket_of(self, sales):
        action = self.env.ref('shoprenter_connector.action_server_sale_add_to_basket').with_context(
            active_model='sale.order', active_ids=sales.ids).run()
        basket = self.env['shoprenter.invoice.basket'].browse(action['res_id'])
        self.assertEqual(basket.user_id, self.env.user)
        return basket

    def test_invoice_all_and_email_all(self):
        orders = [self.place_order(), self.place_company_order(),
            self.place_order(email="", firstname="Cecília", lastname="Tóth")]
        self.sync()
        sales = [self.sale_of(order) for order in orders]
        basket = self.basket_of(sales[0] | sales[1])
        self.assertEqual(self.basket_of(sales[2] | sales[0]), basket, "one basket per user")
        lines = basket.line_ids
        self.assertEqual(lines.sale_id.ids, [s.id for s in sales], "each order once")
        self.assertEqual(basket.to_invoice, 3)

        basket.action_invoice_all()
        self.assertEqual(lines.mapped('state'), ['invoiced'] * 3, lines.mapped('error'))
        self.assertEqual(lines.mapped('nav_state'), ['confirmed'] * 3)
        # In one upload to NAV (not an order at a time), and each with its PDF
        self.assertEqual(len(set(lines.invoice_id.mapped('l10n_hu_edi_transaction_code'))), 1)
        self.assertEqual(sorted(lines.invoice_id.mapped('l10n_hu_edi_batch_upload_index')),
            [1, 2, 3])
        self.assertTrue(all(lines.invoice_id.mapped('invoice_pdf_report_id')))
        for line, order in zip(lines, orders):
            self.assertEqual(line.invoice_id.amount_total, self.shop_total(order))
            self.assertEqual(line.amount_total, line.invoice_total, "the charged total")
        self.assertEqual(lines[1].invoice_id.l10n_hu_payment_mode, 'TRANSFER')
        self.assertEqual(self.received(), [], "invoicing sends nothing")

        basket.action_email_all()
        self.assertEqual(lines.mapped('state'), ['emailed', 'emailed', 'failed'])
        self.assertIn("nincs e-mail címe", lines[2].error)
        self.assertIn("Tóth Cecília", lines[2].error)
        self.assertEqual(lines[:2].mapped('emailed_to'),
            ["anna.kiss@example.hu", "iroda@nagyesfia.example.hu"])
        self.assertTrue(all(lines[:2].mapped('emailed')))
        received = self.received()
        self.assertEqual([to for to, _ in received],
            [["anna.kiss@example.hu"], ["iroda@nagyesfia.example.hu"]])
        for (_, message), line in zip(received, lines):
            invoice = line.invoice_id
            self.assertIn(f"Számla {invoice.name}", message['Subject'])
            [(_, text)] = pdf_attachments(message)
            text = flat(text)
            self.assertIn(invoice.name, text)
            self.assertIn(f"{huf(invoice.amount_total)} Ft", text)
        # the company buyer's PDF carries its tax number
        self.assertIn("10537914-2-44", flat(pdf_attachments(received[1][1])[0][1]))

        # Again: nothing new is invoiced or sent; the failed order still says why
        invoices = lines.invoice_id
        basket.action_invoice_all()
        basket.action_email_all()
        self.assertEqual(len(self.received()), 2)
        self.assertEqual(lines.invoice_id, invoices)
        self.assertEqual(lines.mapped('state'), ['emailed', 'emailed', 'failed'])

        # The buyer gives an address: that order goes too, the e-mailed leave the basket
        sales[2].partner_id.email = "toth.cili@example.hu"
        basket.action_email_all()
        self.assertEqual(lines.mapped('state'), ['emailed'] * 3)
        self.assertEqual(self.received()[-1][0], ["toth.cili@example.hu"])
        basket.action_remove_done()
        self.assertFalse(basket.line_ids)

    def test_failure_is_kept_to_its_order(self):
        "A posting error is shown on its line while the other orders are invoiced"
        first, second = self.place_order(), self.place_order(firstname="Béla")
        self.sync()
        good, bad = self.sale_of(first), self.sale_of(second)
        basket = self.basket_of(good | bad)
        bad.partner_invoice_id.country_id = False  # NAV wants the buyer's address whole
        bad.partner_id.is_company = True
        basket.action_invoice_all()
        good_line, bad_line = basket.line_ids
        self.assertEqual(good_line.state, 'invoiced')
        self.assertEqual(good_line.nav_state, 'confirmed')
        self.assertEqual(bad_line.state, 'failed')
        self.assertIn("NAV", bad_line.error)
        self.assertFalse(bad_line.nav_state)

    def test_a_basket_per_user(self):
        "Each clerk has a basket of their own, opened from the menu, and works in it"
        self.place_order()
        self.sync()
        sale = self.sales()
        mine = self.basket_of(sale)
        clerk = new_test_user(self.env, 'invoicing_clerk', company_id=self.company.id,
            lang='hu_HU',
            groups='shoprenter_connector.group_shoprenter_user,account.group_account_invoice,'
                'sales_team.group_sale_salesman_all_leads')
        Basket = self.env['shoprenter.invoice.basket'].with_user(clerk)
        self.assertFalse(Basket.search([]), "the other user's basket is not theirs")
        menu = self.env.ref('shoprenter_connector.shoprenter_invoice_basket_server_action')
        action = menu.with_user(clerk).run()
        theirs = Basket.browse(action['res_id'])
        self.assertEqual(theirs.user_id, clerk)
        self.assertNotEqual(theirs, mine)
        self.assertFalse(theirs.line_ids)
        self.assertFalse(self.env['shoprenter.invoice.basket.line'].with_user(clerk).search([]))
        self.assertEqual(menu.with_user(clerk).run()['res_id'], theirs.id, "the same again")
        views = Basket.get_views([(False, 'form')])['views']['form']['arch']
        for button in ('action_invoice_all', 'action_email_all', 'action_remove_done'):
            self.assertIn(button, views)
        self.assertIn('nav_state', views)

        # The clerk invoices and e-mails the order from their basket (Odoo's invitation
        # to the new user is not the buyer's business)
        self.catcher.messages.clear()
        sale.with_user(clerk).action_shoprenter_add_to_basket()
        theirs.action_invoice_all()
        theirs.action_email_all()
        self.assertEqual(theirs.line_ids.mapped('state'), ['emailed'], theirs.line_ids.error)
        self.assertEqual([to for to, _ in self.received()], [["anna.kiss@example.hu"]])
        self.assertEqual(mine.line_ids.state, 'emailed', "the order is done in both baskets")
