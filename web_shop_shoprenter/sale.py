"""ShopRenter orders as sales."""
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Unique, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from shoprenter import rounding
from shoprenter.client import resource_id
from shoprenter.sync import lines as order_lines
from shoprenter.sync.money import rate_label

from .common import parse_decimal
from .exceptions import ShopRenterOrderError
from .order import (
    check_order, content_digest, line_quantity, totals_by_type)


# What an order changed in the shop replaces on its sale
SHOPRENTER_FIELDS = ['party', 'invoice_address', 'shipment_address',
    'comment', 'sale_date', 'carrier', 'payment_term', 'shoprenter_total',
    'shoprenter_payment_mode', 'shoprenter_digest']


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

        Return the outcome and a list of (level, message) notes."""
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
        sale.save()
        cls._shoprenter_confirm([sale])
        # After confirming: the total is then read from the sale's stored
        # amounts instead of computing the taxes once more
        sale._shoprenter_check_total(order, notes)
        return 'created', notes

    @classmethod
    def _shoprenter_confirm(cls, sales):
        """Confirm and process the sales in the order's unit of work: the
        stock is reserved once the order is committed, even when the run is
        cut short before the queued processing"""
        cls.quote(sales)
        cls.confirm(sales)
        cls.process(sales)

    def _shoprenter_check_total(self, order, notes):
        "Flag the sale when its total is not ShopRenter's"
        if self.shoprenter_total is not None and abs(
                self.total_amount - self._shoprenter_expected_total(order)
                ) <= self._shoprenter_tolerance(order):
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

    def _shoprenter_expected_total(self, order):
        """The sale's total that is ShopRenter's TOTAL: the shop rounds each
        unit's gross price to its currency (shoprenter.rounding), the sale
        prices the same lines at their net unit price and does not"""
        lines = [(parse_decimal(item.get('price')) or Decimal(0),
                line_quantity(item),
                parse_decimal(item.get('taxRate')) or Decimal(0))
            for item in order.get('orderProducts') or []]
        return rounding.erp_total(self.shoprenter_total, lines,
            rounding.currency_places(order.get('currency')))

    def _shoprenter_tolerance(self, order):
        """How far the totals may differ: half a unit of the order's
        currency, and the sale's own rounding of each line's amount and
        taxes"""
        lines = len([l for l in self.lines if l.type == 'line'])
        return rounding.total_tolerance(
            rounding.currency_places(order.get('currency')),
            self.currency.rounding, 2 * lines)

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
        lines = [cls._shoprenter_product_line(sale, shop, good, notes)
            for good in goods]
        lines += cls._shoprenter_coupon_lines(sale, shop, order, goods)
        for fee in order_lines.fee_lines(order):
            if fee.kind == 'shipping':
                if not carrier:
                    continue
                product = carrier.carrier_product
            else:
                product = shop.shoprenter_fee_product('payment_fee')
            lines.append(cls._shoprenter_fee_line(sale, shop, order, product, fee))
        sale.lines = lines
        return sale

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
        line.on_change_product()
        line.unit_price = unit_price
        line.taxes = [tax]
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
    def _shoprenter_coupon_lines(cls, sale, shop, order, goods):
        """One discount line per VAT rate of the goods, the coupon's gross
        amount split in proportion, so the invoice's VAT is right."""
        product = shop.shoprenter_fee_product('coupon')
        lines = []
        for coupon in order_lines.coupon_lines(order, goods):
            mapping = cls._shoprenter_tax(shop, order, coupon.rate)
            line = cls._shoprenter_line(
                sale, product, 1, coupon.unit_price, mapping.tax)
            line.description = gettext(
                'web_shop_shoprenter.msg_coupon_line',
                code=coupon.code, rate=rate_label(coupon.rate))
            lines.append(line)
        return lines
