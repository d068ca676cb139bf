"""One click on a webshop order: its invoice posted to the shop's TOTAL, reported to NAV
(l10n_hu_edi in Demo mode) and e-mailed as a PDF, read back from a real SMTP server."""
from odoo.exceptions import UserError
from odoo.tests import tagged

from .invoicing_common import InvoicingCase, flat, huf
from .smtp_catcher import pdf_attachments


@tagged('post_install', '-at_install')
class TestInvoicing(InvoicingCase):

    def test_one_click_invoice_and_email(self):
        order = self.place_order()
        self.sync()
        sale = self.sale_of(order)
        sale.action_shoprenter_invoice()

        [invoice] = sale.invoice_ids
        self.assertEqual(invoice.state, 'posted')
        self.assertEqual(invoice.amount_total, self.shop_total(order), "the shop's TOTAL")
        self.assertEqual(invoice.amount_total, round(invoice.amount_total), "whole forints")
        self.assertFalse(sale.shoprenter_attention, sale.shoprenter_attention_reason)
        self.assertEqual(invoice.l10n_hu_payment_mode, 'CASH')
        self.assertEqual(invoice.delivery_date, invoice.invoice_date)
        self.assertEqual(invoice.l10n_hu_edi_state, 'confirmed', "NAV (Demo) has it")
        self.assertEqual(invoice.shoprenter_emailed_to, "anna.kiss@example.hu")
        self.assertTrue(invoice.shoprenter_emailed)

        [(recipients, message)] = self.received()
        self.assertEqual(recipients, ["anna.kiss@example.hu"])
        self.assertIn("anna.kiss@example.hu", message['To'])
        self.assertIn(f"Számla {invoice.name}", message['Subject'])
        self.assertIn(f"#{order['innerId']}", message['Subject'])
        [(name, text)] = pdf_attachments(message)
        self.assertTrue(name.endswith('.pdf'))
        text = flat(text)
        self.assertIn(invoice.name, text)
        self.assertIn(f"#{order['innerId']}", text, "the webshop order number")
        for rate in ('27%', '18%', '5%'):
            self.assertIn(rate, text.replace(' %', '%'), "the VAT breakdown")
        self.assertIn(f"{huf(invoice.amount_total)} Ft", text, "the total in whole forints")
        self.assertIn("12345676-2-41", text, "the seller's tax number")

        # Again: nothing new is invoiced or sent
        sale.action_shoprenter_invoice()
        self.assertEqual(sale.invoice_ids, invoice)
        self.assertEqual(len(self.received()), 1)
        # unless asked to e-mail it again
        sale.action_shoprenter_email_invoice()
        self.assertEqual(len(self.received()), 2)

    def test_email_without_hungarian_loaded(self):
        "A Hungarian seller whose Odoo has no Hungarian: the invoice goes, in English"
        Partner = self.env['res.partner'].with_context(active_test=False)
        Partner.search([('lang', '=', 'hu_HU')]).lang = 'en_US'
        self.env['res.users'].with_context(active_test=False).search(
            [('lang', '=', 'hu_HU')]).lang = 'en_US'
        self.shop.lang = 'en_US'
        self.env = self.env(context=dict(self.env.context, lang='en_US'))
        self.env['res.lang']._lang_get('hu_HU').active = False
        order = self.place_order()
        self.sync()
        sale = self.sale_of(order)
        sale.action_shoprenter_invoice()
        self.assertEqual(sale.invoice_ids.shoprenter_mail_lang, 'en_US')
        [(recipients, message)] = self.received()
        self.assertEqual(recipients, ["anna.kiss@example.hu"])
        self.assertIn(f"Your invoice {sale.invoice_ids.name}", message['Subject'])

    def test_buyer_without_email(self):
        "The invoice is posted and reported to NAV; the clerk reads why it was not sent"
        order = self.place_order(email="")
        self.sync()
        sale = self.sale_of(order)
        action = sale.action_shoprenter_invoice()
        self.assertEqual(action['params']['type'], 'warning')
        self.assertIn("nincs e-mail címe", action['params']['message'])
        self.assertEqual(sale.invoice_ids.state, 'posted')
        self.assertEqual(sale.invoice_ids.l10n_hu_edi_state, 'confirmed')
        self.assertFalse(sale.invoice_ids.shoprenter_emailed)
        self.assertEqual(self.received(), [])
        with self.assertRaisesRegex(UserError, "nincs e-mail címe"):
            sale.action_shoprenter_email_invoice()

    def test_changed_sale_is_flagged_not_hidden(self):
        "A sale changed by hand after the import: its invoice is posted, the sale flagged"
        order = self.place_order()
        self.sync()
        sale = self.sale_of(order)
        line = sale.order_line.filtered('shoprenter_id')[:1]
        line.price_unit += 100
        sale._shoprenter_post_invoices()
        self.assertEqual(sale.invoice_ids.state, 'posted')
        self.assertNotEqual(sale.invoice_ids.amount_total, self.shop_total(order))
        self.assertTrue(sale.shoprenter_attention)
        self.assertIn(sale.invoice_ids.name, sale.shoprenter_attention_reason)
        self.assertIn("kézzel", sale.shoprenter_attention_reason, "in Hungarian")
