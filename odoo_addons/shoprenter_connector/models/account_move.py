"""Customer invoices of webshop orders: reported to NAV and e-mailed with their PDF through
Odoo's Send & Print machinery (account.move.send, which l10n_hu_edi extends with NAV 3.0),
and when and to whom each was e-mailed."""
from odoo import api, fields, models
from odoo.exceptions import UserError

try:
    from odoo.addons.base.models.ir_actions_report import _wkhtml
except ImportError:  # not in this Odoo: render one document a run, which always works
    _wkhtml = None

MAIL_TEMPLATE = 'shoprenter_connector.mail_template_shoprenter_invoice'
# NAV has the invoice: l10n_hu_edi's states after an upload it did not refuse
NAV_HAS_IT = ('sent', 'confirmed', 'confirmed_warning')


def renders_together():
    """Whether wkhtmltopdf renders several invoices in one run: only the build with its
    patched Qt does (Debian's refuses, "Tried to convert multiple documents ... unpatched QT")"""
    return bool(_wkhtml and _wkhtml().is_patched_qt)


class AccountMove(models.Model):
    _inherit = 'account.move'

    shoprenter_emailed = fields.Datetime(
        "E-mailed", readonly=True, copy=False,
        help="When the invoice was e-mailed to the buyer.")
    shoprenter_emailed_to = fields.Char(
        "E-mailed To", readonly=True, copy=False,
        help="The address the invoice was e-mailed to.")
    shoprenter_order_number = fields.Char(
        "Webshop Order Number", compute='_compute_shoprenter_order_number',
        help="The number of the webshop order the invoice is for.")

    shoprenter_mail_lang = fields.Char(
        "E-mail Language", compute='_compute_shoprenter_mail_lang',
        help="The language the invoice is e-mailed in: Hungarian for a Hungarian seller "
        "(the law asks for it), else the buyer's.")

    @api.depends('company_id.country_code', 'partner_id.lang')
    def _compute_shoprenter_mail_lang(self):
        # Hungarian only once loaded: rendering in a language Odoo does not have fails
        hungarian = 'hu_HU' in dict(self.env['res.lang'].get_installed())
        for move in self:
            move.shoprenter_mail_lang = ('hu_HU' if hungarian
                and move.company_id.country_code == 'HU' else move.partner_id.lang)

    @api.depends('invoice_line_ids.sale_line_ids.order_id.client_order_ref')
    def _compute_shoprenter_order_number(self):
        for move in self:
            sales = move.invoice_line_ids.sale_line_ids.order_id.filtered('shoprenter_shop_id')
            move.shoprenter_order_number = ', '.join(sorted(
                '#' + number for number in sales.mapped('client_order_ref') if number)) or False

    def _shoprenter_nav_applies(self):
        self.ensure_one()
        return 'l10n_hu_edi_state' in self._fields and bool(
            self._l10n_hu_edi_get_valid_actions())

    def _shoprenter_complete_buyer(self):
        """A company buyer's address is on its billing contact only (the import keeps the
        order's addresses as contacts): NAV wants it on the company, which gets it when it has
        none"""
        buyer, billing = self.commercial_partner_id, self.partner_id
        if buyer.is_company and billing != buyer and not (buyer.street or buyer.city):
            buyer.write({field: billing[field].id if field == 'country_id' else billing[field]
                for field in ('street', 'street2', 'zip', 'city', 'country_id')})

    def _shoprenter_nav_errors(self):
        "What keeps NAV from receiving the invoice, as l10n_hu_edi checks it: messages"
        self.ensure_one()
        if not self._shoprenter_nav_applies():
            return []
        return [error['message'] for error in self._l10n_hu_edi_check_invoices().values()]

    def _shoprenter_to_report(self):
        "The posted invoices l10n_hu_edi has to upload to NAV"
        return self.filtered(lambda m: m._shoprenter_nav_applies()
            and 'upload' in m._l10n_hu_edi_get_valid_actions())

    def _shoprenter_check_nav(self):
        "Raise what l10n_hu_edi's checks say NAV would refuse of the invoices to report"
        for move in self._shoprenter_to_report():
            move._shoprenter_complete_buyer()
            errors = move._shoprenter_nav_errors()
            if errors:
                raise UserError(self.env._(
                    "Invoice %(invoice)s cannot be reported to NAV:\n%(errors)s",
                    invoice=move.name, errors='\n'.join(f'- {e}' for e in errors)))

    def _shoprenter_report_to_nav(self, raise_refused=True):
        """Report the posted invoices to NAV (l10n_hu_edi, in the company's server mode) in
        one go, as l10n_hu_edi uploads in batches, then make the PDF of each NAV received,
        as Send & Print does without sending.  Invoices NAV has already are left alone.

        Return {invoice: why NAV did not receive it}; with raise_refused, raise it instead."""
        self._shoprenter_check_nav()
        Send = self.env['account.move.send']
        to_report = self._shoprenter_to_report()
        if to_report:
            # l10n_hu_edi's step before the PDF: the upload, then NAV's answer
            Send._call_web_service_before_invoice_pdf_render({
                move: Send._get_default_sending_settings(move, sending_methods=[])
                for move in to_report})
        refused = {move: Send._format_error_text(move.l10n_hu_edi_messages or {
                'error_title': self.env._("NAV did not receive invoice %(invoice)s.",
                    invoice=move.name)})
            for move in to_report if move.l10n_hu_edi_state not in NAV_HAS_IT}
        if refused and raise_refused:
            raise UserError(next(iter(refused.values())))
        without_pdf = self.filtered(lambda m: m not in refused and not m.invoice_pdf_report_id)
        for moves in ([without_pdf] if renders_together() else without_pdf):
            Send._generate_and_send_invoices(moves, sending_methods=[], allow_raising=True)
        return refused

    def _shoprenter_recipient(self):
        "The buyer's e-mail address for the invoice: its billing contact's, else the buyer's"
        self.ensure_one()
        partner = self.partner_id if self.partner_id.email else self.commercial_partner_id
        return partner if partner.email else self.env['res.partner']

    def _shoprenter_email(self, sale, again=False):
        """E-mail each posted invoice with its PDF to the buyer with the addon's (editable)
        template, once NAV has it; skip those e-mailed already unless again"""
        template = self.env.ref(MAIL_TEMPLATE)
        for move in self:
            if move.shoprenter_emailed and not again:
                continue
            recipient = move._shoprenter_recipient()
            if not recipient:
                raise UserError(self.env._(
                    "Invoice %(invoice)s of sale \"%(sale)s\" cannot be e-mailed: buyer "
                    "\"%(partner)s\" has no e-mail address.", invoice=move.name,
                    sale=sale.name, partner=move.commercial_partner_id.name))
            move._shoprenter_report_to_nav()
            self.env['account.move.send']._generate_and_send_invoices(
                move, sending_methods=['email'], mail_template=template,
                mail_partner_ids=recipient.ids, allow_raising=True)
            move.write({'shoprenter_emailed': fields.Datetime.now(),
                'shoprenter_emailed_to': recipient.email})
