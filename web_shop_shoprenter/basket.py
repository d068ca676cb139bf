"""The invoicing basket: orders picked from any sale list, invoiced and
e-mailed in one go.  Invoicing posts a group of orders at a time, one unit
of work per group, a failed group split down to the single order; each
e-mail is a unit of work of its own (a message sent is not undone)."""
import logging

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, TransactionError
from trytond.wizard import StateAction, StateTransition, Wizard

from shoprenter.sync.groups import GroupFailed, GroupSize, run_groups

from .common import collect_finished

logger = logging.getLogger(__name__)

# Orders posted in one unit of work by "Invoice All".  Their invoices take
# their numbers from the strict (gapless) sequence, which a failed group
# gives back with its rollback, so the numbers stay without gaps.
INVOICE_GROUP = 20

INVOICEABLE_STATES = {'confirmed', 'processing', 'done'}
BASKET_MODELS = {
    'sale.shoprenter.invoice_basket',
    'sale.shoprenter.invoice_basket.line',
    }


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    # The record rules keep each user in a basket of their own.
    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name in BASKET_MODELS:
            context['user_id'] = Transaction().user
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if model_names & BASKET_MODELS:
            key = (*key, Transaction().user)
        return key


class Basket(ModelSQL, ModelView):
    "Orders to invoice: one user's basket of sales to invoice and e-mail"
    __name__ = 'sale.shoprenter.invoice_basket'

    user = fields.Many2One(
        'res.user', "User", required=True, readonly=True,
        ondelete='CASCADE')
    lines = fields.One2Many(
        'sale.shoprenter.invoice_basket.line', 'basket', "Orders")
    to_invoice = fields.Function(
        fields.Integer("To Invoice"), 'get_counts')
    to_email = fields.Function(
        fields.Integer("To E-mail"), 'get_counts')
    failed = fields.Function(
        fields.Integer("Failed"), 'get_counts')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('user_unique', Unique(t, t.user),
                'web_shop_shoprenter.msg_basket_user_unique'),
            ]
        cls._buttons.update({
                'invoice_all': {},
                'email_all': {},
                'remove_done': {},
                })

    @classmethod
    def default_user(cls):
        return Transaction().user

    def get_rec_name(self, name):
        return gettext('web_shop_shoprenter.msg_basket_name',
            user=self.user.rec_name)

    @classmethod
    def get_counts(cls, baskets, names):
        result = {n: {b.id: 0 for b in baskets} for n in names}
        for basket in baskets:
            for line in basket.lines:
                if 'failed' in result and line.error:
                    result['failed'][basket.id] += 1
                if 'to_invoice' in result and line.state == 'to_invoice':
                    result['to_invoice'][basket.id] += 1
                if 'to_email' in result and line.state == 'invoiced':
                    result['to_email'][basket.id] += 1
        return result

    @classmethod
    def get_mine(cls):
        "Return the current user's basket, created when it has none"
        baskets = cls.search([('user', '=', Transaction().user)], limit=1)
        if baskets:
            return baskets[0]
        basket = cls(user=Transaction().user)
        basket.save()
        return basket

    def add_sales(self, sales):
        """Add the sales not in the basket yet that can be invoiced; return
        the new lines"""
        pool = Pool()
        Line = pool.get('sale.shoprenter.invoice_basket.line')
        present = {l.sale.id for l in self.lines}
        lines = []
        for sale in sales:
            if sale.id in present or sale.state not in INVOICEABLE_STATES:
                continue
            present.add(sale.id)
            lines.append(Line(basket=self, sale=sale))
        Line.save(lines)
        return lines

    @classmethod
    @ModelView.button
    def invoice_all(cls, baskets):
        """Create and post the invoice of each order not invoiced yet, a
        group of orders at a time: an order that fails is noted on its line
        and the others go on"""
        pool = Pool()
        Line = pool.get('sale.shoprenter.invoice_basket.line')
        lines = [l for b in baskets for l in b.lines
            if l.state in {'to_invoice', 'failed'}
            and not l.sale_invoiced]
        Line.run_grouped(lines, Line.invoice_sales)

    @classmethod
    @ModelView.button
    def email_all(cls, baskets):
        """E-mail each invoiced order's invoice PDF to its buyer, unless it
        was e-mailed already; failures are noted on their line"""
        pool = Pool()
        Line = pool.get('sale.shoprenter.invoice_basket.line')
        lines = [l for b in baskets for l in b.lines if not l.emailed]
        Line.run_each(lines, Line.email_invoice)

    @classmethod
    @ModelView.button
    def remove_done(cls, baskets):
        "Take the orders whose invoice was e-mailed out of the basket"
        pool = Pool()
        Line = pool.get('sale.shoprenter.invoice_basket.line')
        Line.delete([l for b in baskets for l in b.lines
                if l.state == 'emailed'])


class BasketLine(ModelSQL, ModelView):
    "An order in the invoicing basket"
    __name__ = 'sale.shoprenter.invoice_basket.line'

    basket = fields.Many2One(
        'sale.shoprenter.invoice_basket', "Basket", required=True,
        ondelete='CASCADE')
    sale = fields.Many2One(
        'sale.sale', "Sale", required=True, readonly=True,
        ondelete='CASCADE')
    party = fields.Function(
        fields.Many2One('party.party', "Party"), 'get_sale_field')
    reference = fields.Function(
        fields.Char("Order Number"), 'get_sale_field')
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_sale_field')
    total_amount = fields.Function(
        Monetary("Total", currency='currency', digits='currency'),
        'get_sale_field')
    invoice = fields.Function(
        fields.Many2One('account.invoice', "Invoice"), 'get_invoice')
    invoice_number = fields.Function(
        fields.Char("Invoice Number",
            help="The invoice's number, or \"draft\" before posting."),
        'get_invoice')
    sale_invoiced = fields.Function(
        fields.Boolean("Invoiced"), 'get_invoice')
    emailed = fields.Function(
        fields.DateTime("E-mailed"), 'get_invoice')
    emailed_to = fields.Function(
        fields.Char("E-mailed To"), 'get_invoice')
    state = fields.Function(fields.Selection([
                ('to_invoice', "To Invoice"),
                ('invoiced', "Invoiced"),
                ('emailed', "E-mailed"),
                ('failed', "Failed"),
                ], "State"), 'get_state')
    error = fields.Text("Error", readonly=True,
        help="Why the last invoicing or e-mailing of the order failed.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('basket_sale_unique', Unique(t, t.basket, t.sale),
                'web_shop_shoprenter.msg_basket_sale_unique'),
            ]
        cls._order.insert(0, ('id', 'ASC'))

    def get_sale_field(self, name):
        value = getattr(self.sale, name)
        return value.id if isinstance(value, ModelSQL) else value

    @classmethod
    def get_invoice(cls, lines, names):
        result = {n: {} for n in names}
        for line in lines:
            posted = line.sale.shoprenter_posted_invoices
            invoices = posted or [i for i in line.sale.invoices
                if i.type == 'out' and i.state != 'cancelled']
            invoice = invoices[-1] if invoices else None
            values = {
                'invoice': invoice.id if invoice else None,
                # A draft's name is its id in brackets: no use to a clerk
                'invoice_number': (invoice.number or gettext(
                        'web_shop_shoprenter.msg_invoice_draft')
                    if invoice else None),
                'sale_invoiced': bool(posted) and not any(
                    i.state in {'draft', 'validated'}
                    for i in line.sale.invoices if i.type == 'out'),
                'emailed': (min(i.shoprenter_emailed for i in posted)
                    if posted and all(i.shoprenter_emailed for i in posted)
                    else None),
                'emailed_to': ', '.join(sorted({
                            i.shoprenter_emailed_to for i in posted
                            if i.shoprenter_emailed_to})) or None,
                }
            for name in names:
                result[name][line.id] = values[name]
        return result

    def get_state(self, name):
        if self.error:
            return 'failed'
        if self.emailed:
            return 'emailed'
        if self.sale_invoiced:
            return 'invoiced'
        return 'to_invoice'

    @classmethod
    def run_each(cls, lines, action):
        """Run action(line) for each line in a transaction of its own and
        note on the line the failure, if any; return the failed lines.

        One order that cannot be invoiced or e-mailed must not stop or undo
        the others, and what a unit did is committed (and its e-mail sent)
        before the next starts."""
        transaction = Transaction()
        failed = []
        for units, line in enumerate(lines, 1):
            try:
                cls._run_unit([line.id], lambda units: action(units[0]))
            except Exception as exception:
                message = getattr(exception, 'message', None)
                if not message:
                    logger.exception(
                        "Invoicing basket: sale %s", line.sale.rec_name)
                    message = f'{type(exception).__name__}: {exception}'
                failed.append(line)
                with transaction.new_transaction() as work:
                    cls.write([cls(line.id)], {'error': message})
                    work.commit()
            collect_finished(units)
        return failed

    @classmethod
    def run_grouped(cls, lines, action, size=INVOICE_GROUP):
        """Run action(lines) for groups of the lines, each group in a
        transaction of its own; a group that fails is undone and split
        down to the single line, which run_each notes; return the failed
        lines"""
        failed = []
        groups = 0

        def run_group(group):
            nonlocal groups
            try:
                cls._run_unit([l.id for l in group], action)
            except Exception as exception:
                raise GroupFailed(None, exception)
            groups += 1
            collect_finished(groups)

        def run_alone(line):
            failed.extend(cls.run_each([line], lambda unit: action([unit])))

        run_groups(lines, GroupSize(size), run_group, run_alone)
        return failed

    @classmethod
    def _run_unit(cls, line_ids, action):
        "Run action(lines) on the lines of line_ids in one transaction"
        transaction = Transaction()
        extras = {}
        while True:
            try:
                with transaction.new_transaction(**extras) as work:
                    units = cls.browse(line_ids)
                    action(units)
                    cleared = [u for u in units if u.error]
                    if cleared:
                        cls.write(cleared, {'error': None})
                    work.commit()
            except TransactionError as error:
                # A strict sequence (the invoice number) must be locked
                # from the start of the transaction: start again with it.
                error.fix(extras)
                continue
            return

    @classmethod
    def invoice_sales(cls, lines):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Sale.shoprenter_post_invoices([l.sale for l in lines])

    def email_invoice(self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Sale.shoprenter_email_invoices([self.sale])


class OpenBasket(Wizard):
    "Open the user's invoicing basket, created when it has none"
    __name__ = 'sale.shoprenter.invoice_basket.open'
    start = StateTransition()
    open_ = StateAction('web_shop_shoprenter.act_invoice_basket')

    def transition_start(self):
        return 'open_'

    def do_open_(self, action):
        pool = Pool()
        Basket = pool.get('sale.shoprenter.invoice_basket')
        action['res_id'] = [Basket.get_mine().id]
        action['views'].reverse()
        return action, {}


class AddToBasket(OpenBasket):
    "Add the selected sales to the user's invoicing basket and open it"
    __name__ = 'sale.shoprenter.invoice_basket.add'

    def transition_start(self):
        pool = Pool()
        Basket = pool.get('sale.shoprenter.invoice_basket')
        sales = [r if r.__name__ == 'sale.sale' else r.sale
            for r in self.records]
        basket = Basket.get_mine()
        basket.add_sales(sales)
        return 'open_'
