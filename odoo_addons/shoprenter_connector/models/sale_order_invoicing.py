"""Invoicing a webshop sale in one click: its customer invoice posted to the shop's TOTAL to
the forint, reported to NAV by l10n_hu_edi, and e-mailed to the buyer as a PDF, all through
Odoo's own machinery (sale._create_invoices, account.move.send)."""
from decimal import Decimal

from odoo import Command, fields, models
from odoo.exceptions import UserError

from shoprenter import rounding

# NAV's payment method (l10n_hu_payment_mode) of the shop's payment codes
PAYMENT_MODES = {'cod': 'CASH', 'cash': 'CASH', 'bank_transfer': 'TRANSFER',
    'transfer': 'TRANSFER', 'barion': 'CARD', 'card': 'CARD', 'simplepay': 'CARD',
    'paypal': 'CARD', 'voucher': 'VOUCHER'}


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    # The buttons

    def action_shoprenter_invoice(self):
        """One click: post the invoice of each sale, report it to NAV and e-mail it; an
        invoice whose buyer has no e-mail address is posted and reported, and said so"""
        unsent = self.env['account.move']
        for sale in self:
            invoices = sale._shoprenter_post_invoices()
            invoices._shoprenter_report_to_nav()
            missing = invoices.filtered(lambda m: not m._shoprenter_recipient())
            (invoices - missing)._shoprenter_email(sale)
            unsent |= missing
        if unsent:
            return self._shoprenter_notify(self.env._(
                "Invoiced, but not e-mailed: %(partners)s has no e-mail address.",
                partners=', '.join(unsent.commercial_partner_id.mapped('name'))), 'warning')
        return self._shoprenter_notify(self.env._(
            "Invoiced and e-mailed: %(sales)s", sales=', '.join(self.mapped('name'))))

    def action_shoprenter_email_invoice(self):
        "E-mail the posted invoices of the sales again"
        for sale in self:
            sale._shoprenter_posted_invoices(required=True)._shoprenter_email(sale, again=True)
        return self._shoprenter_notify(self.env._(
            "E-mailed: %(sales)s", sales=', '.join(self.mapped('name'))))

    def action_shoprenter_add_to_basket(self):
        "Add the selected orders to the user's invoicing basket and open it"
        basket = self.env['shoprenter.invoice.basket']._mine()
        basket._add(self)
        return basket._action_open()

    def _shoprenter_notify(self, message, kind='success'):
        return {'type': 'ir.actions.client', 'tag': 'display_notification',
            'params': {'message': message, 'type': kind, 'sticky': kind != 'success',
                'next': {'type': 'ir.actions.client', 'tag': 'soft_reload'}}}

    # Posting

    def _shoprenter_posted_invoices(self, required=False):
        self.ensure_one()
        posted = self.invoice_ids.filtered(
            lambda m: m.move_type == 'out_invoice' and m.state == 'posted')
        if required and not posted:
            raise UserError(self.env._(
                "Sale \"%(sale)s\" has no posted invoice yet: invoice it first.",
                sale=self.name))
        return posted

    def _shoprenter_post_invoices(self):
        """Post the sale's customer invoice (created when it has none), with its fulfilment
        date, payment method and the rounding to whole forints; return the posted invoices.

        An invoiced sale is left as it is: invoicing it again changes nothing."""
        self.ensure_one()
        if self.state != 'sale':
            raise UserError(self.env._(
                "Sale \"%(sale)s\" is not a confirmed order: it cannot be invoiced.",
                sale=self.name))
        drafts = self.invoice_ids.filtered(
            lambda m: m.move_type == 'out_invoice' and m.state == 'draft')
        if not drafts and self._shoprenter_posted_invoices():
            return self._shoprenter_posted_invoices()
        if not drafts:
            drafts = self._create_invoices()
        if not drafts:
            raise UserError(self.env._(
                "Sale \"%(sale)s\" has nothing to invoice (or you may not invoice).",
                sale=self.name))
        for invoice in drafts:
            invoice.write(self._shoprenter_invoice_values(invoice))
            self._shoprenter_charge_as_shop(invoice)
        drafts.action_post()
        self._shoprenter_check_invoice_total()
        return self._shoprenter_posted_invoices()

    def _shoprenter_invoice_values(self, invoice):
        "What the sale adds to its draft invoice before posting"
        values = {}
        rounding = self.env.ref('l10n_hu_edi.cash_rounding_1_huf', raise_if_not_found=False)
        if rounding and invoice.currency_id.name == 'HUF' and not invoice.invoice_cash_rounding_id:
            # Hungarian invoices charge whole forints: Odoo's cash rounding line does it
            values['invoice_cash_rounding_id'] = rounding.id
        code = (self.shoprenter_payment_mode_id.code or '').lower()
        if 'l10n_hu_payment_mode' in invoice._fields and not invoice.l10n_hu_payment_mode:
            values['l10n_hu_payment_mode'] = PAYMENT_MODES.get(code, 'OTHER') if code else False
        if not invoice.invoice_date:
            values['invoice_date'] = fields.Date.context_today(self)
        if not invoice.delivery_date:
            # The fulfilment date: when the goods left, else the day of the invoice
            shipped = self.picking_ids.filtered(
                lambda p: p.state == 'done' and p.date_done).mapped('date_done')
            values['delivery_date'] = (fields.Date.to_date(max(shipped)) if shipped
                else values.get('invoice_date') or invoice.invoice_date)
        return values

    def _shoprenter_charge_as_shop(self, invoice):
        """Price the invoice's lines at the gross the shop charged for them (the shared
        rule: each unit's gross rounded to the currency), so that with its whole-forint
        rounding line the invoice charges the shop's TOTAL.

        ShopRenter rounds each unit's gross price; Odoo adds VAT to the net amounts: the net of
        each line becomes the one of its charged gross (rounding.net_of_gross), as the Tryton
        module prices its sale lines.  Lines that do not add up to the TOTAL (the sale was
        changed) are left as they are, for the total check to flag."""
        if not self.shoprenter_shop_id or not self.shoprenter_total:
            return
        places = rounding.currency_places({'code': invoice.currency_id.name})
        digits = self.env['decimal.precision'].precision_get('Product Price')
        charged = []
        for line in invoice.invoice_line_ids.filtered(lambda l: l.display_type == 'product'):
            taxes = line.tax_ids.filtered(lambda t: t.amount_type == 'percent')
            if line.discount or not line.quantity or len(taxes) > 1 or taxes.price_include:
                return
            rate = Decimal(str(taxes.amount or 0))
            quantity = Decimal(str(line.quantity))
            gross = rounding.line_gross(Decimal(str(line.price_unit)), quantity, rate, places)
            charged.append((line, gross, rate, quantity))
        if sum(gross for _, gross, _, _ in charged) != self._shoprenter_money(
                self.shoprenter_total):
            return
        invoice.write({'invoice_line_ids': [Command.update(line.id, {'price_unit': float(
                rounding.round_money(rounding.net_of_gross(gross, rate, digits + 2) / quantity,
                    digits))})
            for line, gross, rate, quantity in charged]})

    def _shoprenter_check_invoice_total(self):
        """Flag the sale whose only invoice does not charge the shop's TOTAL: never silently
        (someone changed the sale, or its prices cannot reach the shop's rounding)"""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: m.move_type == 'out_invoice' and m.state == 'posted')
        if len(invoices) != 1 or not self.shoprenter_shop_id or not self.shoprenter_total:
            return
        if self._shoprenter_money(invoices.amount_total) == self._shoprenter_money(
                self.shoprenter_total):
            return
        self._shoprenter_flag(self.env._(
            "Invoice %(invoice)s of ShopRenter order #%(number)s charges %(invoice_total)s, "
            "but the shop charged %(shop_total)s: credit or correct it by hand.",
            invoice=invoices.name, number=self.client_order_ref,
            invoice_total=invoices.amount_total, shop_total=self.shoprenter_total), [])

    def _shoprenter_money(self, amount):
        return Decimal(str(amount)).quantize(Decimal(str(self.currency_id.rounding)))
