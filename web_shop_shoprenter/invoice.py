"""Customer invoices of webshop orders: one click to post, a Hungarian PDF,
and the e-mail to the buyer through Tryton's own ir.email."""
import datetime as dt
import html
import mimetypes
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage
from email.utils import getaddresses
from html.parser import HTMLParser

from trytond import config

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import ModelView, dualmethod, fields
from trytond.modules.account_invoice.invoice import file_id, store_prefix
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.report import Report
from trytond.rpc import RPC
from trytond.sendmail import send_message_transactional
from trytond.tools import slugify
from trytond.tools.email_ import format_address, set_from_header
from trytond.transaction import Transaction

# Amounts of these currencies are shown without decimals on the invoice
# (forint amounts are rounded to whole forints on Hungarian invoices).
WHOLE_CURRENCIES = {'HUF'}
NBSP = '\u00a0'
# The Hungarian tax number (adószám): 8 digits, VAT code, county code
HU_TAX_NUMBER = re.compile(r'^\d{8}-?[1-5]-?\d{2}$')


class InvoicingError(UserError):
    "A webshop order that cannot be invoiced as it is"


class InvoiceEmailError(UserError):
    "An invoice that cannot be e-mailed as it is"


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    shoprenter_fulfilment_date = fields.Date(
        "Fulfilment Date",
        states={
            'readonly': Eval('state').in_(['posted', 'paid', 'cancelled']),
            'invisible': Eval('type') != 'out',
            },
        help="The date of supply (teljesítés dátuma) printed on the "
        "invoice; empty: set at posting to the date the goods were "
        "shipped, or the invoice date.")
    shoprenter_emailed = fields.DateTime(
        "E-mailed", readonly=True,
        states={'invisible': Eval('type') != 'out'},
        help="When the invoice was e-mailed to the buyer.")
    shoprenter_emailed_to = fields.Char(
        "E-mailed To", readonly=True,
        states={'invisible': Eval('type') != 'out'},
        help="The address the invoice was e-mailed to.")
    # The Hungarian PDF of a posted invoice, rendered once and kept, as
    # account_invoice keeps its own report in invoice_report_cache (which
    # the stock report fills at posting, so it cannot hold this one).
    shoprenter_report_cache = fields.Binary(
        "Invoice PDF", readonly=True,
        file_id=file_id, store_prefix=store_prefix)
    shoprenter_report_cache_id = fields.Char("Invoice PDF ID", readonly=True)
    shoprenter_report_format = fields.Char(
        "Invoice PDF Format", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Sending a posted invoice is recorded on it, and its PDF is kept.
        cls._check_modify_exclude |= {
            'shoprenter_emailed', 'shoprenter_emailed_to',
            'shoprenter_report_cache', 'shoprenter_report_cache_id',
            'shoprenter_report_format'}
        cls._buttons.update({
                'shoprenter_send_email': {
                    'invisible': (
                        (Eval('type') != 'out')
                        | ~Eval('state').in_(['posted', 'paid'])),
                    'depends': ['type', 'state'],
                    },
                })

    @classmethod
    def copy(cls, invoices, default=None):
        default = default.copy() if default is not None else {}
        for field in ['shoprenter_fulfilment_date', 'shoprenter_emailed',
                'shoprenter_emailed_to', 'shoprenter_report_cache',
                'shoprenter_report_cache_id', 'shoprenter_report_format']:
            default.setdefault(field, None)
        return super().copy(invoices, default=default)

    @classmethod
    def _post(cls, invoices):
        for invoice in invoices:
            if invoice.shoprenter_webshop:
                invoice.shoprenter_check_seller()
        # Fixed before the number and the PDF: a posted invoice must not
        # change what it says.
        for invoice in invoices:
            if invoice.type == 'out' and not invoice.shoprenter_fulfilment_date:
                invoice.shoprenter_fulfilment_date = (
                    invoice.shoprenter_get_fulfilment_date())
        super()._post(invoices)
        cls._shoprenter_check_totals(invoices)

    @classmethod
    def _shoprenter_check_totals(cls, invoices):
        """Flag the sale whose only invoice does not charge the shop's
        TOTAL: someone changed it after the import, never silently"""
        for invoice in invoices:
            if not invoice.shoprenter_webshop:
                continue
            for sale in invoice.sales:
                others = [i for i in sale.invoices if i != invoice
                    and i.type == 'out' and i.state != 'cancelled']
                if (others or sale.shoprenter_total is None
                        or invoice.total_amount == sale.shoprenter_total):
                    continue
                sale._shoprenter_flag(gettext(
                        'web_shop_shoprenter.msg_invoice_total_differs',
                        invoice=invoice.number, number=sale.reference,
                        invoice_total=invoice.total_amount,
                        shop_total=sale.shoprenter_total), [])

    @property
    def shoprenter_webshop(self):
        "Whether this is the customer invoice of a ShopRenter order"
        return self.type == 'out' and any(
            s.web_shop and s.web_shop.type == 'shoprenter'
            for s in self.sales)

    def shoprenter_check_seller(self):
        """Refuse the invoice when the seller lacks what a Hungarian
        invoice must show: its address and its tax number"""
        seller = self.company.party
        orders = ', '.join('#' + n for n in self.shoprenter_order_numbers)
        values = dict(orders=orders or self.rec_name, company=seller.rec_name)
        if not any(a.street and a.postal_code and a.city
                for a in seller.addresses):
            raise InvoicingError(gettext(
                    'web_shop_shoprenter.msg_invoice_seller_no_address',
                    **values))
        if not any(HU_TAX_NUMBER.match(re.sub(r'\s', '', i.code or ''))
                for i in seller.identifiers):
            raise InvoicingError(gettext(
                    'web_shop_shoprenter.msg_invoice_seller_no_tax_number',
                    **values))

    @dualmethod
    def print_invoice(cls, invoices):
        """Also render and keep the Hungarian PDF of the customer invoices:
        posting queues this, so the document is the one of the day of
        issue"""
        pool = Pool()
        InvoiceReport = pool.get('web_shop_shoprenter.invoice', type='report')
        super().print_invoice(invoices)
        for invoice in invoices:
            if (invoice.shoprenter_report_versioned
                    and not invoice.shoprenter_report_cache):
                InvoiceReport.execute([invoice.id], {})

    @property
    def shoprenter_report_versioned(self):
        "Whether the Hungarian PDF is rendered once and kept"
        return self.invoice_report_versioned

    @property
    def shoprenter_language(self):
        """The language of the invoice's PDF and e-mail: the buyer's, else
        the company's, else Hungarian (the language of the layout)"""
        pool = Pool()
        Lang = pool.get('ir.lang')
        for party in [self.party, self.company.party]:
            lang = party.get_multivalue('lang', company=self.company.id)
            if lang:
                return lang
        langs = Lang.search([('code', '=', 'hu')], limit=1)
        return langs[0] if langs else Lang.get()

    def shoprenter_get_fulfilment_date(self):
        """The latest day the goods of the invoice's sales were shipped, or
        the invoice date when nothing was shipped (a service, or invoiced
        before dispatch)"""
        pool = Pool()
        Date = pool.get('ir.date')
        dates = [
            shipment.effective_date
            for sale in self.sales
            for shipment in sale.shipments
            if shipment.state == 'done' and shipment.effective_date]
        if dates:
            return max(dates)
        if self.invoice_date:
            return self.invoice_date
        with Transaction().set_context(company=self.company.id):
            return Date.today()

    @property
    def shoprenter_order_numbers(self):
        "The webshop order numbers of the invoice's sales"
        return sorted({s.reference for s in self.sales if s.reference})

    @property
    def shoprenter_payment_method(self):
        "The webshop payment method of the sales, else the payment term"
        names = sorted({
                s.shoprenter_payment_mode.rec_name for s in self.sales
                if s.shoprenter_payment_mode})
        if names:
            return ', '.join(names)
        if self.payment_term:
            return self.payment_term.rec_name
        return ''

    @property
    def shoprenter_due_date(self):
        dates = [l.maturity_date for l in self.lines_to_pay
            if l.maturity_date]
        if dates:
            return max(dates)
        return self.payment_term_date or self.invoice_date

    def shoprenter_email_values(self):
        """Return the recipient, subject, body and report ids of the
        invoice's e-mail; the wording comes from the merchant's template.

        The recipient is the buyer's e-mail for invoices, else its first
        e-mail, taken as it is: buyers type accented addresses, which the
        template's own address formatting refuses."""
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Template = pool.get('ir.email.template')
        template = Template(ModelData.get_id(
                'web_shop_shoprenter', 'email_template_invoice'))
        mechanism = self.party.contact_mechanism_get('email', usage='invoice')
        if not mechanism or not (mechanism.email or '').strip():
            raise InvoiceEmailError(gettext(
                    'web_shop_shoprenter.msg_invoice_no_email',
                    invoice=self.rec_name, party=self.party.rec_name))
        # In the language of the PDF: the merchant's wording for it (a
        # translation of the template, else the template as written) and
        # its dates and amounts formatted the Hungarian way.
        with Transaction().set_context(
                language=self.shoprenter_language.code):
            values = Template(template.id).get(self)
        values['to'] = [mechanism.email.strip()]
        return values

    @classmethod
    @ModelView.button
    def shoprenter_send_email(cls, invoices):
        cls.shoprenter_email(invoices, again=True)

    @classmethod
    def shoprenter_email(cls, invoices, again=False):
        """E-mail each posted invoice with its PDF to its buyer.

        The message goes when the transaction commits; an invoice already
        e-mailed is skipped unless again is set.  Return the e-mailed ones."""
        pool = Pool()
        Email = pool.get('ir.email')
        # Two people e-mailing the same invoice at once send it once.
        cls.lock(invoices)
        invoices = cls.browse(invoices)
        sent = []
        for invoice in invoices:
            if invoice.type != 'out' or invoice.state not in {
                    'posted', 'paid'}:
                raise InvoiceEmailError(gettext(
                        'web_shop_shoprenter.msg_invoice_not_posted',
                        invoice=invoice.rec_name))
            if invoice.shoprenter_emailed and not again:
                continue
            values = invoice.shoprenter_email_values()
            to = ', '.join(values['to'])
            invoice.shoprenter_send_message(
                Email, to, values.get('subject', ''), values.get('body', ''),
                values.get('reports') or [])
            invoice.shoprenter_emailed = dt.datetime.now()
            invoice.shoprenter_emailed_to = to
            sent.append(invoice)
        cls.save(sent)
        return sent


    def shoprenter_send_message(self, Email, to, subject, body, reports):
        """Send the invoice's e-mail when the transaction commits and keep
        it as an ir.email, as ir.email.send does, but with a plain-text
        part that says what the HTML says and no signature rule"""
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Attachment = pool.get('ir.attachment')
        User = pool.get('res.user')
        user = User(Transaction().user)
        msg = EmailMessage()
        msg.set_content(email_text(body))
        msg.add_alternative(EMAIL_HTML % {
                'subject': html.escape(subject), 'body': body},
            subtype='html')
        files = []
        for report_id in reports:
            report = ActionReport(report_id)
            Report = pool.get(report.report_name, type='report')
            ext, content, _, title = Report.execute(
                [self.id], {'action_id': report.id})
            if isinstance(content, str):
                content = content.encode('utf-8')
            files.append(('%s.%s' % (slugify(title), ext), content))
        for name, data in files:
            ctype = mimetypes.guess_type(name)[0] or 'application/octet-stream'
            maintype, subtype = ctype.split('/', 1)
            msg.add_attachment(data, maintype=maintype, subtype=subtype,
                filename=('utf-8', '', name))
        from_ = config.get('email', 'from')
        set_from_header(msg, from_, user.email or from_)
        msg['To'] = [format_address(a, n) for n, a in getaddresses([to])]
        msg['Subject'] = subject
        send_message_transactional(msg, strict=True)
        email = Email.from_message(
            msg, body=body, resource=[self.__name__, self.id])
        email.save()
        Attachment.save([Attachment(resource=email, name=name, data=data)
                for name, data in files])
        return email


# The HTML of the invoice e-mail: Tryton's without its signature rule
EMAIL_HTML = """<!DOCTYPE html>
<html>
<head><meta charset="utf-8"/><title>%(subject)s</title></head>
<body>%(body)s</body>
</html>"""


class _TextOfHTML(HTMLParser):
    "The text of an e-mail body: paragraphs apart, <br/> a line break"
    BLOCKS = {'p', 'div', 'h1', 'h2', 'h3', 'table', 'tr', 'ul', 'ol', 'li'}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = [[]]

    def handle_starttag(self, tag, attrs):
        if tag == 'br':
            self.paragraphs[-1].append('\n')
        elif tag in self.BLOCKS:
            self.paragraphs.append([])

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data):
        # Line breaks in the HTML source are spaces; no-break spaces stay
        self.paragraphs[-1].append(re.sub(r'[ \t\r\n]+', ' ', data))

    def text(self):
        result = []
        for parts in self.paragraphs:
            lines = ''.join(parts).split('\n')
            lines = [re.sub(' +', ' ', l).strip(' ') for l in lines]
            paragraph = '\n'.join(l for l in lines if l)
            if paragraph:
                result.append(paragraph)
        return '\n\n'.join(result) + '\n'


def email_text(body):
    "The plain text of an HTML e-mail body, markup gone"
    parser = _TextOfHTML()
    parser.feed(body)
    parser.close()
    return parser.text()


class InvoiceLine(metaclass=PoolMeta):
    __name__ = 'account.invoice.line'

    # A list shows a Many2Many as "( 1 )": the clerk wants the rate
    shoprenter_tax_names = fields.Function(
        fields.Char("VAT"), 'on_change_with_shoprenter_tax_names')

    @fields.depends('taxes')
    def on_change_with_shoprenter_tax_names(self, name=None):
        return ', '.join(t.rec_name for t in self.taxes or [])


class InvoiceReport(Report):
    """A Hungarian invoice as HTML, printed to PDF by weasyprint, in the
    buyer's language (translated names: the unit "db", the country).

    The PDF of a posted invoice is rendered once and kept on the invoice:
    a reprint or another e-mail gives the same document."""
    __name__ = 'web_shop_shoprenter.invoice'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The first print of a posted invoice stores its PDF.
        cls.__rpc__['execute'] = RPC(False)

    @classmethod
    def _execute(cls, records, header, data, action):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        # Re-instantiate because records are TranslateModel
        invoices = Invoice.browse(records)
        if len(invoices) != 1:
            # Not a "single" report any more: render, keep nothing.
            return super()._execute(records, header, data, action)
        invoice, = invoices
        if invoice.shoprenter_report_cache:
            return (invoice.shoprenter_report_format,
                invoice.shoprenter_report_cache)
        # The report's own strings too, should they be translated.
        with Transaction().set_context(
                language=invoice.shoprenter_language.code):
            result = super()._execute(records, header, data, action)
        if invoice.shoprenter_report_versioned:
            format_, content = result
            if isinstance(content, str):
                content = content.encode('utf-8')
            invoice.shoprenter_report_format = format_
            invoice.shoprenter_report_cache = (
                Invoice.shoprenter_report_cache.cast(content))
            invoice.save()
        return result

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Lang = pool.get('ir.lang')
        Invoice = pool.get('account.invoice')
        context = super().get_context(records, header, data)
        # The records read their fields in the buyer's language.
        for record, invoice in zip(records, Invoice.browse(records)):
            record.set_lang(invoice.shoprenter_language)
        # Numbers and dates the Hungarian way, as the layout is Hungarian.
        try:
            lang, = Lang.search([('code', '=', 'hu')], limit=1)
        except ValueError:
            lang = Lang.get()
        context['lang'] = lang
        context['money'] = lambda value, currency: money(
            lang, value, currency)
        context['unit_price'] = lambda value, currency: unit_price(
            lang, value, currency)
        context['date'] = lambda value: (
            lang.strftime(value, '%Y.%m.%d.') if value else '')
        context['rate'] = rate_label
        context['line_vat'] = line_vat
        context['vat_breakdown'] = vat_breakdown
        context['tax_numbers'] = tax_numbers
        context['address_lines'] = address_lines
        return context


def hungarian_number(value, digits):
    "1234567.891 → '1 234 567,89' (non-breaking spaces between thousands)"
    value = Decimal(value).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f'{value:,.{digits}f}'.replace(',', NBSP).replace('.', ',')


def money(lang, value, currency):
    "The amount with the currency symbol; whole forints for HUF"
    if value is None:
        return ''
    digits = currency.digits
    # A rounding line of a fillér must not read "0 Ft"
    if currency.code in WHOLE_CURRENCIES and (
            abs(value) >= 1 or value == value.to_integral_value()):
        digits = 0
    return hungarian_number(value, digits) + NBSP + currency.symbol


def unit_price(lang, value, currency):
    "Net unit prices keep their decimals: a gross price / 1.27 has some"
    if value is None:
        return ''
    return (hungarian_number(value, max(currency.digits, 2))
        + NBSP + currency.symbol)


def rate_label(rate):
    "0.27 → '27 %'"
    if rate is None:
        return ''
    return f'{(Decimal(rate) * 100).normalize():f} %'


def line_vat(line):
    "Return the VAT rate label, the VAT and the gross amount of a line"
    pool = Pool()
    Tax = pool.get('account.tax')
    invoice = line.invoice
    if line.type != 'line':
        return '', Decimal(0), line.amount
    taxes = Tax.compute(
        Tax.browse(line.taxes), line.unit_price, line.quantity,
        invoice.tax_date if invoice else None)
    vat = sum((t['amount'] for t in taxes), Decimal(0))
    if invoice:
        vat = invoice.currency.round(vat)
    labels = ', '.join(rate_label(t.rate) for t in line.taxes
        if t.type == 'percentage')
    return labels or '0 %', vat, line.amount + vat


def vat_breakdown(invoice):
    "Return (rate label, base, VAT, gross) per VAT rate of the invoice"
    by_rate = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for tax in invoice.taxes:
        rate = tax.tax.rate if tax.tax and tax.tax.type == 'percentage' else (
            None)
        by_rate[rate][0] += tax.base
        by_rate[rate][1] += tax.amount
    return [
        (rate_label(rate) if rate is not None else '', base, amount,
            base + amount)
        for rate, (base, amount) in sorted(
            by_rate.items(), key=lambda i: -(i[0] or 0))]


def tax_numbers(party):
    """Return (label, number) of the party's tax numbers: the Hungarian
    tax number as given and the EU VAT number"""
    numbers = []
    for identifier in party.identifiers:
        if identifier.type in {'hu_vat', 'eu_vat'}:
            number = ('Közösségi adószám', identifier.code)
        elif identifier.type is None:
            number = ('Adószám', identifier.code)
        else:
            continue
        if number not in numbers:
            numbers.append(number)
    return numbers


def address_lines(address):
    "Street, postal code and city, country: as Hungarians write them"
    if not address:
        return []
    lines = (address.street or '').splitlines()
    lines.append(' '.join(filter(None, [address.postal_code, address.city])))
    if address.country:
        lines.append(address.country.name)
    return [l.strip() for l in lines if l.strip()]


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    shoprenter_invoice_emailed = fields.Function(fields.Boolean(
            "Invoice E-mailed",
            help="The posted invoices of the sale were e-mailed to the "
            "buyer."),
        'get_shoprenter_invoice_emailed')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        invoiced = Eval('invoice_state').in_(
            ['awaiting payment', 'partially paid', 'paid'])
        cls._buttons.update({
                'shoprenter_invoice': {
                    'invisible': (
                        ~Eval('state').in_(['confirmed', 'processing', 'done'])
                        | invoiced),
                    'depends': ['state', 'invoice_state'],
                    },
                'shoprenter_email_invoice': {
                    'invisible': (
                        ~invoiced | Eval('shoprenter_invoice_emailed', False)),
                    'depends': ['invoice_state', 'shoprenter_invoice_emailed'],
                    },
                })

    def get_shoprenter_invoice_emailed(self, name):
        invoices = self.shoprenter_posted_invoices
        return bool(invoices) and all(i.shoprenter_emailed for i in invoices)

    @property
    def shoprenter_posted_invoices(self):
        return [i for i in self.invoices
            if i.type == 'out' and i.state in {'posted', 'paid'}]

    @classmethod
    @ModelView.button
    def shoprenter_invoice(cls, sales):
        cls.shoprenter_post_invoices(sales)

    @classmethod
    @ModelView.button
    def shoprenter_email_invoice(cls, sales):
        cls.shoprenter_email_invoices(sales)

    @classmethod
    def shoprenter_post_invoices(cls, sales):
        """Post the customer invoice of each sale; return the invoices.

        A webshop sale (invoice method "On Order") has its draft invoice
        from processing: it is posted as it is.  A sale not processed yet,
        or invoiced manually, gets its invoice first.  Posted invoices are
        left alone, so a repeated call changes nothing."""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        sales = cls.browse(sales)
        for sale in sales:
            if sale.state not in {'confirmed', 'processing', 'done'}:
                raise InvoicingError(gettext(
                        'web_shop_shoprenter.msg_sale_not_invoiceable',
                        sale=sale.rec_name))
        uninvoiced = [s for s in sales if not s.invoices]
        if uninvoiced:
            # The queue has not processed them yet, or they invoice manually.
            with Transaction().set_context(_sale_manual_invoice=True):
                cls.process(uninvoiced)
            sales = cls.browse(sales)
        invoices, to_post = [], []
        for sale in sales:
            sale_invoices = [i for i in sale.invoices
                if i.type == 'out' and i.state != 'cancelled']
            if not sale_invoices:
                raise InvoicingError(gettext(
                        'web_shop_shoprenter.msg_sale_nothing_to_invoice',
                        sale=sale.rec_name))
            invoices.extend(sale_invoices)
            to_post.extend(i for i in sale_invoices
                if i.state in {'draft', 'validated'})
        if to_post:
            # The lines carry the VAT of the shop's mapping on purpose, not
            # always the product's default taxes: no warning about them.
            with Transaction().set_context(_skip_warnings=True):
                Invoice.post(to_post)
        return Invoice.browse(invoices)

    @classmethod
    def shoprenter_email_invoices(cls, sales):
        """E-mail the posted invoices of the sales not e-mailed yet;
        return those e-mailed"""
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoices = []
        for sale in cls.browse(sales):
            posted = sale.shoprenter_posted_invoices
            if not posted:
                raise InvoiceEmailError(gettext(
                        'web_shop_shoprenter.msg_sale_not_invoiced',
                        sale=sale.rec_name))
            invoices.extend(posted)
        return Invoice.shoprenter_email(invoices)
