"""The invoicing basket (Sales > Orders to Invoice): each user's orders picked from any sales
list, invoiced and e-mailed in one go, each order a unit of work of its own."""
import logging
from contextlib import nullcontext

from odoo import api, fields, models

from .account_move import NAV_HAS_IT

_logger = logging.getLogger(__name__)

LINE_STATES = [
    ('to_invoice', "To Invoice"),
    ('invoiced', "Invoiced"),
    ('emailed', "E-mailed"),
    ('failed', "Failed"),
]


class ShopRenterInvoiceBasket(models.Model):
    _name = 'shoprenter.invoice.basket'
    _description = "Orders to invoice"
    _rec_name = 'user_id'

    user_id = fields.Many2one(
        'res.users', "User", required=True, readonly=True, ondelete='cascade',
        default=lambda self: self.env.user, index=True)
    line_ids = fields.One2many('shoprenter.invoice.basket.line', 'basket_id', "Orders")
    to_invoice = fields.Integer("To Invoice", compute='_compute_counts')
    to_email = fields.Integer("To E-mail", compute='_compute_counts')
    failed = fields.Integer("Failed", compute='_compute_counts')

    _user_unique = models.Constraint('unique(user_id)', "A user has one invoicing basket.")

    @api.depends('line_ids.state')
    def _compute_counts(self):
        for basket in self:
            states = basket.line_ids.mapped('state')
            basket.to_invoice = states.count('to_invoice')
            basket.to_email = states.count('invoiced')
            basket.failed = states.count('failed')

    @api.model
    def _mine(self):
        "The current user's basket, made when there is none"
        return self.search([('user_id', '=', self.env.uid)], limit=1) or self.create({})

    def _add(self, sales):
        "Add the confirmed sales not in the basket yet; return the new lines"
        self.ensure_one()
        present = self.line_ids.sale_id
        new = sales.filtered(lambda s: s.state == 'sale') - present
        return self.env['shoprenter.invoice.basket.line'].create(
            [{'basket_id': self.id, 'sale_id': sale.id} for sale in new])

    def _action_open(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'shoprenter_connector.shoprenter_invoice_basket_action')
        action.update({'res_id': self.id, 'views': [(False, 'form')], 'view_mode': 'form'})
        return action

    @api.model
    def action_open_mine(self):
        return self._mine()._action_open()

    def action_invoice_all(self):
        """Post the invoice of each order not invoiced yet, each on its own (a failure is
        noted on its line and the others go on), then report the posted ones to NAV in one
        go; should that fail as a whole, each is reported on its own"""
        lines = self.line_ids.filtered(lambda l: not l.invoiced)
        posted = lines - lines._run_each(lambda line: line._post())
        if posted and posted._run_each(lambda lines: lines._report(), together=True):
            posted._run_each(lambda line: line._invoice())
        return self._action_open()

    def action_email_all(self):
        """E-mail each invoiced order's invoice to its buyer unless it was e-mailed already;
        failures are noted on their line"""
        lines = self.line_ids.filtered(
            lambda l: l.state != 'emailed' and l.invoice_id.state == 'posted')
        lines._run_each(lambda line: line._email())
        return self._action_open()

    def action_remove_done(self):
        "Take the orders whose invoices were e-mailed out of the basket"
        self.line_ids.filtered(lambda l: l.state == 'emailed').unlink()
        return self._action_open()


class ShopRenterInvoiceBasketLine(models.Model):
    _name = 'shoprenter.invoice.basket.line'
    _description = "Order in the invoicing basket"
    _order = 'id'

    basket_id = fields.Many2one(
        'shoprenter.invoice.basket', required=True, ondelete='cascade', index=True)
    user_id = fields.Many2one(related='basket_id.user_id', store=True)
    sale_id = fields.Many2one('sale.order', "Order", required=True, readonly=True,
        ondelete='cascade')
    partner_id = fields.Many2one(related='sale_id.partner_id', string="Customer")
    order_number = fields.Char(related='sale_id.client_order_ref', string="Webshop Order")
    currency_id = fields.Many2one(related='sale_id.currency_id')
    amount_total = fields.Monetary("Charged", compute='_compute_amount_total',
        help="What the buyer was charged: the webshop order's total, else the sale's. The "
        "invoice charges the same.")
    invoice_id = fields.Many2one('account.move', "Invoice", compute='_compute_invoice')
    invoice_total = fields.Monetary("Invoice Total", compute='_compute_invoice')
    nav_state = fields.Selection(selection='_nav_states', string="NAV State",
        compute='_compute_invoice', help="What NAV says of the invoice (l10n_hu_edi).")
    emailed = fields.Datetime("E-mailed", compute='_compute_invoice')
    emailed_to = fields.Char("E-mailed To", compute='_compute_invoice')
    attention = fields.Boolean(related='sale_id.shoprenter_attention')
    state = fields.Selection(LINE_STATES, compute='_compute_invoice')
    error = fields.Text(readonly=True,
        help="Why the last invoicing or e-mailing of the order failed.")

    _basket_sale_unique = models.Constraint(
        'unique(basket_id, sale_id)', "An order is once in a basket.")

    invoiced = fields.Boolean(compute='_compute_invoice',
        help="The order's invoice is posted and NAV has it.")

    @api.model
    def _nav_states(self):
        # l10n_hu_edi's states with its labels in the user's language (a selection given
        # by a method is not translated by Odoo)
        return self.env['account.move']._fields['l10n_hu_edi_state']._description_selection(
            self.env)

    @api.depends('sale_id.shoprenter_total', 'sale_id.amount_total')
    def _compute_amount_total(self):
        # Odoo adds VAT to each line's net, the shop rounds each unit's gross: the sale's own
        # total may be a forint or so off the shop's, which the invoice charges
        for line in self:
            line.amount_total = line.sale_id.shoprenter_total or line.sale_id.amount_total

    @api.depends('error', 'sale_id.invoice_ids.state', 'sale_id.invoice_ids.amount_total',
        'sale_id.invoice_ids.shoprenter_emailed_to', 'sale_id.invoice_ids.shoprenter_emailed',
        'sale_id.invoice_ids.l10n_hu_edi_state')
    def _compute_invoice(self):
        for line in self:
            invoices = line.sale_id.invoice_ids.filtered(
                lambda m: m.move_type == 'out_invoice' and m.state != 'cancel')
            posted = invoices.filtered(lambda m: m.state == 'posted')
            invoice = line.invoice_id = (posted or invoices)[-1:]
            line.invoice_total = invoice.amount_total
            line.nav_state = invoice.l10n_hu_edi_state
            line.emailed = invoice.shoprenter_emailed
            line.emailed_to = invoice.shoprenter_emailed_to
            line.invoiced = bool(posted) and not (invoices - posted) and all(
                m.l10n_hu_edi_state in NAV_HAS_IT or not m._shoprenter_nav_applies()
                for m in posted)
            if line.error:
                line.state = 'failed'
            elif line.invoiced and all(posted.mapped('shoprenter_emailed')):
                line.state = 'emailed'
            else:
                line.state = 'invoiced' if line.invoiced else 'to_invoice'

    def _post(self):
        "Post the order's invoice, unless l10n_hu_edi's checks say NAV would refuse it"
        self.sale_id._shoprenter_post_invoices()._shoprenter_check_nav()

    def _report(self):
        "Report the lines' posted invoices to NAV together; note on each line a refusal"
        invoices = self.sale_id.invoice_ids.filtered(
            lambda m: m.move_type == 'out_invoice' and m.state == 'posted')
        refused = invoices._shoprenter_report_to_nav(raise_refused=False)
        for line in self:
            line.error = '\n'.join(refused[m] for m in line.sale_id.invoice_ids if m in refused
                ) or False

    def _invoice(self):
        self._post()
        self.sale_id._shoprenter_posted_invoices()._shoprenter_report_to_nav()

    def _email(self):
        self.sale_id._shoprenter_posted_invoices()._shoprenter_email(self.sale_id)

    def _run_each(self, action, together=False):
        """Run action(line) for each line as a unit of work, or action(lines) as one with
        together; note a failure on its line(s) and return the lines that failed.  A line's
        error is cleared when its own unit succeeds (action(lines) notes its own).

        Outside tests each unit is committed before the next starts (its e-mail goes at the
        commit, l10n_hu_edi commits its NAV state itself); in tests a savepoint stands for it."""
        can_commit = self.env['account.move.send']._can_commit()
        failed = self.browse()
        for unit in ([self] if together else self):
            try:
                with self.env.cr.savepoint() if not can_commit else nullcontext():
                    action(unit)
                    if not together:
                        unit.error = False
                if can_commit:
                    self.env.cr.commit()
            except Exception as exception:  # noqa: BLE001 - each order its own unit of work
                if can_commit:
                    self.env.cr.rollback()
                self.env.invalidate_all()
                message = getattr(exception, 'args', [None])[0]
                if not isinstance(message, str) or not message:
                    _logger.exception("Invoicing basket: %s", ', '.join(
                        unit.sale_id.mapped('name')))
                    message = f'{type(exception).__name__}: {exception}'
                unit.error = message
                failed |= unit
                if can_commit:
                    self.env.cr.commit()
        return failed
