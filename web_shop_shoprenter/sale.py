"""ShopRenter orders as sales."""
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.modules.product import round_price
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from shoprenter import rounding
from shoprenter.client import resource_id
from shoprenter.sync import lines as order_lines
from shoprenter.sync.money import rate_label

from .common import parse_decimal
from .exceptions import ShopRenterOrderError
from .order import (
    check_order, content_digest, totals_by_type)


# What an order changed in the shop replaces on its sale
SHOPRENTER_FIELDS = ['party', 'invoice_address', 'shipment_address',
    'comment', 'sale_date', 'carrier', 'payment_term', 'shoprenter_total',
    'shoprenter_payment_mode', 'shoprenter_digest']
# The product of the rounding lines (_shoprenter_rounding_line)
ROUNDING_CODE = 'SHOPRENTER-ROUNDING'


# The new sales of the group being imported (import_shoprenter_group)
_group = ContextVar('shoprenter_group', default=None)
# Context keys of status.py (which extends this class, so cannot be imported
# here): work the shop asked for; an order done in the shop imported
FROM_SHOP = '_shoprenter_from_shop'
DONE_AS_IMPORT = '_shoprenter_done_as_import'


@contextmanager
def _blame(index):
    "Name the order at index of a group as the one that failed"
    try:
        yield
    except Exception as exception:
        if index is not None and getattr(
                exception, 'shoprenter_group_index', None) is None:
            try:
                exception.shoprenter_group_index = index
            except AttributeError:  # an exception without a __dict__
                pass
        raise


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'

    shoprenter_id = fields.Char("ShopRenter ID", readonly=True)
    shoprenter_updated = fields.DateTime(
        "ShopRenter Updated", readonly=True,
        help="When the order last changed in ShopRenter.")
    shoprenter_status = fields.Char("ShopRenter Status", readonly=True)
    shoprenter_digest = fields.Char(
        "ShopRenter Digest", readonly=True,
        help="A fingerprint of the order's content as imported.")
    shoprenter_payment_mode = fields.Many2One(
        'web.shop.shoprenter.payment_mode', "ShopRenter Payment Mode",
        readonly=True)
    shoprenter_total = Monetary(
        "ShopRenter Total", currency='currency', digits='currency',
        readonly=True,
        help="The gross total of the order in ShopRenter.")
    shoprenter_attention = fields.Boolean(
        "Needs Attention", readonly=True,
        help="Something about this webshop order needs a person.")
    shoprenter_attention_reason = fields.Text(
        "Attention Reason", readonly=True,
        states={'invisible': ~Eval('shoprenter_attention')})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('web_shop_shoprenter_id_unique',
                Unique(t, t.web_shop, t.shoprenter_id),
                'web_shop_shoprenter.msg_sale_shoprenter_id_unique'),
            ]

    @classmethod
    def default_shoprenter_attention(cls):
        return False

    @classmethod
    def set_number(cls, sales):
        "Number the sales of a ShopRenter shop with the shop's sequence"
        for sale in sales:
            shop = sale.web_shop
            if (not sale.number and shop
                    and shop.shoprenter_sale_sequence):
                sale.number = shop.shoprenter_sale_sequence.get()
        super().set_number(sales)

    def set_shipment_cost(self):
        # The shipping fee of a webshop order is one of its own lines.
        if self.web_shop and self.web_shop.type == 'shoprenter':
            return []
        return super().set_shipment_cost()

    @classmethod
    def import_shoprenter(cls, shop, order):
        """Bring one ShopRenter order (orderExtend, normalised) into a sale.

        Return the outcome and a list of (level, message) notes.  Called by
        import_shoprenter_group, a new sale is left to the group, which
        saves and confirms it with the others and adds its notes to the
        list returned here."""
        check_order(order, shop.shoprenter_max_line_quantity)
        status_id = resource_id(order.get('orderStatus'))
        if not status_id:
            return 'skipped', []  # an abandoned cart
        action = shop.shoprenter_status_action(status_id)
        if action is None:
            raise ShopRenterOrderError(gettext(
                    'web_shop_shoprenter.msg_order_malformed',
                    number=order['innerId'],
                    problem=f'its status {status_id} is not in the shop'))
        sales = cls.search([
                ('web_shop', '=', shop.id),
                ('shoprenter_id', '=', order['id']),
                ])
        sale = sales[0] if sales else None
        if action == 'ignore' or (action == 'cancel' and not sale):
            return 'skipped', []
        if action == 'cancel':
            return sale._shoprenter_cancel(order)
        if sale:
            if sale.shoprenter_updated == order.get('dateUpdated'):
                return 'unchanged', []
            return sale._shoprenter_changed(order)
        notes = []
        sale = cls.get_from_shoprenter(shop, order, notes)
        group = _group.get()
        # An order done in the shop is shipped at once by its caller
        # (status.py): its sale cannot wait for the group
        if group is not None and not Transaction().context.get(
                DONE_AS_IMPORT):
            group.append((sale, order, notes))
            return 'created', notes
        cls._shoprenter_create([(sale, order, notes)])
        return 'created', notes

    @classmethod
    def import_shoprenter_group(cls, shop, orders):
        """Bring ShopRenter orders into sales in the current transaction,
        each through import_shoprenter, the new sales then saved, quoted,
        confirmed and processed with one call each on the list: the bulk
        calls share Tryton's validation and query building among them.

        Return the (outcome, notes) of each order.  An order that fails
        raises with its position in the exception's
        shoprenter_group_index, so that the group can be split around it."""
        Shop = shop.__class__
        if len(orders) > 1:
            cls._shoprenter_prepare_group(Shop(shop.id), orders)
        new, positions, results = [], [], []
        token = _group.set(new)
        try:
            for index, order in enumerate(orders):
                with _blame(index):
                    # A shop of its own per order, as when each order was a
                    # transaction: what an order adds to it (a payment mode,
                    # a fee product) is read again by the next
                    results.append(cls.import_shoprenter(
                            Shop(shop.id), order))
                positions.extend([index] * (len(new) - len(positions)))
        finally:
            _group.reset(token)
        if new:
            # As import_shoprenter does its work (status.py): what the shop
            # said is never written back to it
            with Transaction().set_context(**{FROM_SHOP: True}):
                cls._shoprenter_create(new, positions)
        return results

    @classmethod
    def _shoprenter_prepare_group(cls, shop, orders):
        """Find or create at once what the group's new sales need, that the
        orders one by one would look up or create each: their products (one
        search and one save for the group)"""
        pool = Pool()
        Product = pool.get('product.product')
        wanted = []
        for order in cls._shoprenter_new_orders(shop, orders):
            for good in order_lines.goods_lines(order):
                mapping = shop.shoprenter_tax(good.rate)
                if mapping and mapping.tax:
                    wanted.append((good.item, mapping))
        Product.shoprenter_prepare(shop, wanted)

    @classmethod
    def _shoprenter_new_orders(cls, shop, orders):
        """The orders of a group that make a new sale (their status imports
        them, and they have no sale yet), found with one search"""
        todo = {}
        for index, order in enumerate(orders):
            with _blame(index):
                status_id = resource_id(order.get('orderStatus'))
                if shop.shoprenter_status_action(status_id) == 'import':
                    todo[order['id']] = order
        for sale in cls.search([
                    ('web_shop', '=', shop.id),
                    ('shoprenter_id', 'in', list(todo)),
                    ]):
            todo.pop(sale.shoprenter_id, None)
        return list(todo.values())

    @classmethod
    def _shoprenter_create(cls, new, positions=None):
        "Save and confirm the new sales of (sale, order, notes)"
        sales = [sale for sale, _, _ in new]
        cls.save(sales)
        cls._shoprenter_confirm(sales)
        for position, (sale, order, notes) in enumerate(new):
            with _blame(positions[position] if positions else None):
                # After confirming: the total is then read from the
                # sale's stored amounts instead of computing the taxes
                # once more
                sale._shoprenter_check_total(order, notes)

    @classmethod
    def shoprenter_groupable(cls, shop, order):
        """Whether the order passes what can be checked without writing:
        its shape, its status and the VAT mapping of its rates.  An order
        that does not is imported alone, so it never spoils a group (its
        unit of work then says what is wrong, as it always did)."""
        try:
            check_order(order, shop.shoprenter_max_line_quantity)
            status_id = resource_id(order.get('orderStatus'))
            if not status_id:
                return True
            action = shop.shoprenter_status_action(status_id)
            if action is None:
                return False
            if action != 'import':
                return True
            goods = order_lines.goods_lines(order)
            if not goods:
                return False
            places = rounding.currency_places(order.get('currency'))
            rates = {good.rate for good in goods}
            rates.update(coupon.rate for coupon in
                order_lines.whole_coupon_lines(order, goods, places))
            rates.update(fee.rate for fee in order_lines.fee_lines(order))
            for rate in rates:
                cls._shoprenter_tax(shop, order, rate)
        except Exception:
            return False
        return True

    @classmethod
    def _shoprenter_confirm(cls, sales):
        """Confirm and process the sales in the order's unit of work: the
        stock is reserved once the order is committed, even when the run is
        cut short before the queued processing"""
        cls.quote(sales)
        cls.confirm(sales)
        cls.process(sales)

    def _shoprenter_check_total(self, order, notes):
        """Flag the sale when its total is not ShopRenter's TOTAL to the
        unit: the lines were priced to charge it (_shoprenter_charge), so
        any difference left is one a person must look at"""
        if (self.shoprenter_total is not None
                and self.total_amount == self.shoprenter_total):
            return
        self._shoprenter_flag(gettext(
                'web_shop_shoprenter.msg_sale_total_differs',
                number=order.get('innerId'),
                shop_total=self.shoprenter_total,
                sale_total=self.total_amount), notes)

    def _shoprenter_flag(self, message, notes):
        "Flag the (saved) sale for a person, with the message as a reason"
        self._shoprenter_add_attention(message, notes)
        self.save()

    def _shoprenter_add_attention(self, message, notes):
        "Add the message to the sale's attention reasons and to the notes"
        self.shoprenter_attention = True
        reasons = (getattr(self, 'shoprenter_attention_reason', None)
            or '').splitlines()
        if message not in reasons:
            self.shoprenter_attention_reason = '\n'.join(reasons + [message])
        notes.append(('warning', message))

    def _shoprenter_reopen(self):
        """Bring the sale back to draft when nothing has been done with it:
        no shipment picked, packed or sent, no invoice posted.

        Return False, leaving the sale as it is, when something has."""
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        Invoice = pool.get('account.invoice')
        cls = self.__class__
        if self.state in {'draft', 'quotation', 'confirmed'}:
            if self.state != 'draft':
                cls.draft([self])
            return True
        if self.state != 'processing' or self.shipment_returns:
            return False
        if any(s.state not in {'draft', 'waiting', 'assigned'}
                for s in self.shipments):
            return False
        if any(i.state != 'draft' for i in self.invoices):
            return False
        shipments = list(self.shipments)
        Shipment.cancel(shipments)
        Shipment.delete(shipments)
        Invoice.delete(list(self.invoices))
        # Processing has no way back in the workflow; with its shipments
        # and invoices gone the sale is as it was when confirmed.
        cls.write([self], {'state': 'confirmed'})
        cls.draft([self])
        return True

    def _shoprenter_cancel(self, order):
        if self.state == 'cancelled':
            return 'unchanged', []
        self.shoprenter_updated = order.get('dateUpdated')
        self.save()
        if self._shoprenter_reopen():
            self.__class__.cancel([self])
            return 'cancelled', []
        notes = []
        self._shoprenter_flag(gettext(
                'web_shop_shoprenter.msg_sale_cancelled_in_shop',
                number=order.get('innerId'), sale=self.rec_name), notes)
        return 'updated', notes

    def _shoprenter_changed(self, order):
        """Follow an order changed in the shop: a change of status only is
        noted; new content replaces the sale's while nothing has been done
        with it, else the sale is flagged"""
        pool = Pool()
        Line = pool.get('sale.line')
        notes = []
        new = self.get_from_shoprenter(self.web_shop, order, notes)
        self.shoprenter_updated = new.shoprenter_updated
        self.shoprenter_status = new.shoprenter_status
        if new.shoprenter_digest == self.shoprenter_digest:
            self.save()
            return 'unchanged', []
        if self.state == 'cancelled' or not self._shoprenter_reopen():
            self._shoprenter_flag(gettext(
                    'web_shop_shoprenter.msg_sale_changed_in_shop',
                    number=order.get('innerId'), sale=self.rec_name), notes)
            return 'updated', notes
        Line.delete(list(self.lines))
        for field in SHOPRENTER_FIELDS:
            setattr(self, field, getattr(new, field, None))
        for line in new.lines:
            line.sale = self
        self.lines = new.lines
        self.shoprenter_attention = new.shoprenter_attention
        self.shoprenter_attention_reason = getattr(
            new, 'shoprenter_attention_reason', None)
        self.save()
        self.__class__._shoprenter_confirm([self])
        self._shoprenter_check_total(order, notes)
        return 'updated', notes

    @classmethod
    def get_from_shoprenter(cls, shop, order, notes):
        "Return a new sale (not saved) for the ShopRenter order"
        pool = Pool()
        Party = pool.get('party.party')
        Carrier = pool.get('carrier')
        PaymentMode = pool.get('web.shop.shoprenter.payment_mode')

        party = Party.get_from_shoprenter(shop, order)
        sale = shop.get_sale(party=party)
        number = order['innerId']
        invoice_address = party.shoprenter_address(order, 'payment')
        shipment_address = party.shoprenter_address(order, 'shipping')
        # Either address stands for the other when the order has only one
        sale.invoice_address = invoice_address or shipment_address
        sale.shipment_address = shipment_address or invoice_address
        address_missing = not sale.invoice_address
        if address_missing:
            # Neither in the order nor on the party: the sale still reserves
            # the stock, on an address to complete before invoicing
            sale.invoice_address = sale.shipment_address = (
                party.shoprenter_blank_address(order))
        sale.shoprenter_id = order['id']
        sale.reference = number
        sale.description = f'ShopRenter #{number}'
        sale.comment = order.get('comment')
        created = order.get('dateCreated')
        if created:
            sale.sale_date = created.date()
        sale.shoprenter_updated = order.get('dateUpdated')
        sale.shoprenter_status = resource_id(order.get('orderStatus'))
        sale.shoprenter_digest = content_digest(order)
        totals = totals_by_type(order)
        shop_total = parse_decimal(
            totals['TOTAL'] if 'TOTAL' in totals else order.get('total'))
        sale.shoprenter_total = (
            sale.currency.round(shop_total) if shop_total is not None
            else None)
        sale.shoprenter_attention = False
        if address_missing:
            sale._shoprenter_add_attention(gettext(
                    'web_shop_shoprenter.msg_order_without_address',
                    number=number, party=party.rec_name), notes)

        payment_mode = PaymentMode.get_from_shoprenter(shop, order)
        if payment_mode:
            sale.shoprenter_payment_mode = payment_mode
            if payment_mode.payment_term:
                sale.payment_term = payment_mode.payment_term
        carrier = Carrier.get_from_shoprenter(shop, order)
        if carrier:
            sale.carrier = carrier

        # The lines as the shared rules make them: goods, coupon, fees
        goods = order_lines.goods_lines(order)
        if not goods:
            raise ShopRenterOrderError(gettext(
                    'web_shop_shoprenter.msg_order_without_lines',
                    number=number))
        # Each with the gross the shop charged for it (whole forints)
        places = rounding.currency_places(order.get('currency'))
        charged = []
        for good in goods:
            charged.append((
                    cls._shoprenter_product_line(sale, shop, good, notes),
                    order_lines.goods_gross(good, places), good.rate))
        charged += cls._shoprenter_coupon_lines(
            sale, shop, order, goods, places)
        for fee in order_lines.fee_lines(order):
            if fee.kind == 'shipping':
                if not carrier:
                    continue
                product = carrier.carrier_product
            else:
                product = shop.shoprenter_fee_product('payment_fee')
            charged.append((
                    cls._shoprenter_fee_line(
                        sale, shop, order, product, fee),
                    fee.gross, fee.rate))
        sale.lines = [line for line, _, _ in charged]
        left = cls._shoprenter_charge(sale, charged)
        if (left and sale.shoprenter_total is not None
                and abs(left) <= Decimal(1).scaleb(-places)):
            sale.lines = list(sale.lines) + [
                cls._shoprenter_rounding_line(sale, shop, left)]
        return sale

    @classmethod
    def _shoprenter_charge(cls, sale, charged):
        """Price the lines (line, gross, VAT %) so that the sale charges the
        gross the shop charged; return what is left to the shop's TOTAL.

        Tryton rounds the VAT of each tax once over the net of its lines
        of one sign (tax rounding "document"), so each such group gets the
        net that, with its rounded VAT, is the group's gross: each line's
        net from its own gross, then the group's largest line moved by a
        few fillér until the group's gross is reached.  Rarely no net in
        fillér reaches it (the VAT of one more fillér rounds up a fillér):
        then the same VAT's group of the other sign takes the fillér, or it
        is left for a rounding line."""
        unit = sale.currency.rounding
        digits = max(-unit.as_tuple().exponent, 0)
        groups = defaultdict(list)
        for line, gross, rate in charged:
            cls._shoprenter_set_net(
                line, rounding.net_of_gross(gross, rate, digits))
            groups[cls._shoprenter_group(line, gross)].append((line, gross))
        targets = {key: sum(gross for _, gross in members)
            for key, members in groups.items()}
        adjusted = {key: max(members, key=lambda m: (
                    m[0].quantity == 1, abs(m[1])))[0]
            for key, members in groups.items()}
        missed = {}
        for key in groups:
            missed[key] = cls._shoprenter_fit(
                sale, adjusted[key], [key], targets, unit)
        # A group out by a fillér: its VAT's group of the other sign (the
        # coupon's and the goods') may take it, the VAT rate's gross stays
        for key in groups:
            partner = (key[0], not key[1])
            if missed[key] and partner in groups:
                missed[key] = missed[partner] = cls._shoprenter_fit(
                    sale, adjusted[partner], [key, partner], targets, unit)
        if sale.shoprenter_total is None:
            return Decimal(0)
        return sale.shoprenter_total - cls._shoprenter_gross(sale)

    @classmethod
    def _shoprenter_fit(cls, sale, line, keys, targets, unit):
        """Move the line's net by up to 3 fillér until the groups of keys
        reach their gross; return what they still miss"""
        start = line.amount
        best = None
        for step in [0, 1, -1, 2, -2, 3, -3]:
            cls._shoprenter_set_net(line, start + step * unit)
            grosses = cls._shoprenter_group_gross(sale)
            missing = sum(targets[k] - grosses[k] for k in keys)
            if best is None or abs(missing) < abs(best[1]):
                best = (step, missing)
            if not missing:
                break
        cls._shoprenter_set_net(line, start + best[0] * unit)
        return best[1]

    @staticmethod
    def _shoprenter_set_net(line, net):
        "Give the line the net amount net (its unit price: net / quantity)"
        quantity = Decimal(str(line.quantity))
        line.unit_price = round_price(net / quantity)
        line.amount = line.on_change_with_amount()

    @staticmethod
    def _shoprenter_group(line, gross):
        "The key of the VAT rounding group of the line: its taxes and sign"
        return (tuple(sorted(t.id for t in line.taxes)), gross >= 0)

    @classmethod
    def _shoprenter_group_gross(cls, sale):
        "The gross (net + rounded VAT) of each VAT rounding group of the sale"
        grosses = defaultdict(Decimal)
        for line in sale.lines:
            if line.type == 'line' and line.taxes:
                key = cls._shoprenter_group(line, line.amount)
                grosses[key] += line.amount
        for tax_line in sale._get_taxes().values():
            for key in grosses:
                if tax_line.tax.id in key[0] and key[1] == (
                        tax_line.base >= 0):
                    grosses[key] += tax_line.amount
                    break
        return grosses

    @staticmethod
    def _shoprenter_gross(sale):
        "The sale's total as Tryton computes it from its lines"
        currency = sale.currency
        untaxed = currency.round(sum(
                (l.amount for l in sale.lines if l.type == 'line'),
                Decimal(0)))
        return untaxed + currency.round(sale.get_tax_amount())

    @classmethod
    def _shoprenter_rounding_line(cls, sale, shop, amount):
        """A line without VAT of the fillér no net price can reach, in
        sight on the sale and the invoice"""
        pool = Pool()
        Product = pool.get('product.product')
        products = Product.search([
                ('code', '=', ROUNDING_CODE),
                ('type', '=', 'service'),
                ], limit=1)
        if products:
            product, = products
        else:
            product = Product.shoprenter_create(
                gettext('web_shop_shoprenter.msg_rounding_product_name'),
                'service', Decimal(0), shop.shoprenter_account_category,
                code=ROUNDING_CODE)
        line = cls._shoprenter_line(sale, product, 1, amount, None)
        line.description = gettext(
            'web_shop_shoprenter.msg_rounding_line')
        line.amount = line.on_change_with_amount()
        return line

    @classmethod
    def _shoprenter_tax(cls, shop, order, rate):
        mapping = shop.shoprenter_tax(rate)
        if not mapping or not mapping.tax:
            name = mapping.name if mapping else f'{rate_label(rate)} %'
            raise ShopRenterOrderError(gettext(
                    'web_shop_shoprenter.msg_tax_not_mapped',
                    number=order.get('innerId'), tax=name, shop=shop.name))
        return mapping

    @classmethod
    def _shoprenter_line(cls, sale, product, quantity, unit_price, tax):
        pool = Pool()
        Line = pool.get('sale.line')
        line = Line(type='line', sale=sale, product=product,
            quantity=quantity)
        # Tryton's own defaults of a line (and those of modules extending
        # them), before the order's price and VAT replace them
        line.on_change_product()
        line.unit_price = unit_price
        line.taxes = [tax] if tax else []
        return line

    @classmethod
    def _shoprenter_product_line(cls, sale, shop, good, notes):
        "The sale line of a shoprenter.sync.lines.GoodsLine"
        pool = Pool()
        Product = pool.get('product.product')
        order = {'innerId': sale.reference}
        mapping = cls._shoprenter_tax(shop, order, good.rate)
        product, created = Product.get_from_shoprenter(shop, good.item, mapping)
        if created:
            notes.append(('info', gettext(
                        'web_shop_shoprenter.msg_product_created',
                        number=sale.reference, code=product.code or '',
                        name=product.name)))
        line = cls._shoprenter_line(
            sale, product, good.quantity, good.unit_price, mapping.tax)
        if good.description:
            line.description = good.description
        return line

    @classmethod
    def _shoprenter_fee_line(cls, sale, shop, order, product, fee):
        "The sale line of a shoprenter.sync.lines.FeeLine"
        mapping = cls._shoprenter_tax(shop, order, fee.rate)
        line = cls._shoprenter_line(
            sale, product, 1, fee.unit_price, mapping.tax)
        if fee.name:
            line.description = fee.name
        return line

    @classmethod
    def _shoprenter_coupon_lines(cls, sale, shop, order, goods, places):
        """One discount line per VAT rate of the goods, the coupon's gross
        amount split in proportion, so the invoice's VAT is right; return
        (line, gross, VAT %) each."""
        product = shop.shoprenter_fee_product('coupon')
        lines = []
        for coupon in order_lines.whole_coupon_lines(order, goods, places):
            mapping = cls._shoprenter_tax(shop, order, coupon.rate)
            line = cls._shoprenter_line(
                sale, product, 1, coupon.unit_price, mapping.tax)
            line.description = gettext(
                'web_shop_shoprenter.msg_coupon_line',
                code=coupon.code, rate=rate_label(coupon.rate))
            lines.append((line, coupon.gross, coupon.rate))
        return lines


class SaleLine(metaclass=PoolMeta):
    __name__ = 'sale.line'

    # A list shows a Many2Many as "( 1 )": the clerk wants the rate
    shoprenter_tax_names = fields.Function(
        fields.Char("VAT"), 'on_change_with_shoprenter_tax_names')

    @fields.depends('taxes')
    def on_change_with_shoprenter_tax_names(self, name=None):
        return ', '.join(t.rec_name for t in self.taxes or [])
