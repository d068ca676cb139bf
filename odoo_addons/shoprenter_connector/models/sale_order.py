"""ShopRenter orders as sales orders, on the rules of shoprenter.sync."""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo import api, fields, models

from shoprenter.sync import keys, lines, status, vat
from shoprenter.sync.errors import OrderWithoutLines
from shoprenter.sync.money import rate_label
from shoprenter.sync.order import check_order, content_digest
from shoprenter.sync.totals import check_total, shop_total

# What an order changed in the shop replaces on its sale (with the lines)
REPLACED_FIELDS = ['partner_id', 'partner_invoice_id', 'partner_shipping_id',
    'shoprenter_comment', 'date_order', 'carrier_id', 'payment_term_id', 'shoprenter_total',
    'shoprenter_payment_mode_id', 'shoprenter_digest', 'shoprenter_attention',
    'shoprenter_attention_reason']


def shop_time_to_utc(moment, zone=None):
    """A ShopRenter time (naive, in the shop's zone: zone, else the server's) as Odoo keeps
    times (UTC, naive)"""
    local = moment.replace(tzinfo=ZoneInfo(zone)) if zone else moment.astimezone()
    return local.astimezone(dt.timezone.utc).replace(tzinfo=None)


class SaleOrder(models.Model):
    _inherit = 'sale.order'

    shoprenter_shop_id = fields.Many2one(
        'shoprenter.shop', "ShopRenter Shop", readonly=True, copy=False,
        index='btree_not_null', ondelete='restrict')
    shoprenter_id = fields.Char("ShopRenter ID", readonly=True, copy=False)
    shoprenter_updated = fields.Datetime(
        "ShopRenter Updated", readonly=True, copy=False,
        help="When the order last changed in ShopRenter (the shop's time).")
    shoprenter_status = fields.Char("ShopRenter Status", readonly=True, copy=False)
    shoprenter_digest = fields.Char(
        "ShopRenter Digest", readonly=True, copy=False,
        help="A fingerprint of the order's content as imported.")
    shoprenter_payment_mode_id = fields.Many2one(
        'shoprenter.payment.mode', "ShopRenter Payment Mode", readonly=True, copy=False)
    shoprenter_total = fields.Monetary(
        "ShopRenter Total", readonly=True, copy=False,
        help="The gross total of the order in ShopRenter.")
    shoprenter_comment = fields.Text(
        "Buyer's Comment", readonly=True, copy=False,
        help="What the buyer wrote on the order in the webshop.")
    shoprenter_attention = fields.Boolean(
        "Needs Attention", readonly=True, copy=False, index=True,
        help="Something about this webshop order needs a person.")
    shoprenter_attention_reason = fields.Text("Attention Reason", readonly=True, copy=False)

    _shoprenter_id_unique = models.Constraint(
        'unique(shoprenter_shop_id, shoprenter_id)',
        "A ShopRenter order is one sale per shop.")

    @api.model_create_multi
    def create(self, vals_list):
        # A shop's sales are numbered by the shop's own sequence
        for vals in vals_list:
            shop = self.env['shoprenter.shop'].browse(vals.get('shoprenter_shop_id'))
            if shop and shop.sequence_id and not vals.get('name'):
                vals['name'] = shop.sequence_id.next_by_id()
        return super().create(vals_list)

    # The download's entry point

    @api.model
    def _shoprenter_import(self, shop, order, page=None):
        """Bring one ShopRenter order (orderExtend, normalised) into a sale.

        Return the outcome and a list of (level, message) notes.  With a page
        (import_page.ImportPage), a new sale is queued on it instead, outcome 'queued':
        the page's new sales are created together (_shoprenter_create_sales)."""
        check_order(order, shop.max_line_quantity)
        action = shop._shoprenter_status_action(status.order_status(order))
        if page is not None:
            sale = page.sale(order['id'])
        else:
            sale = self.search([('shoprenter_shop_id', '=', shop.id),
                    ('shoprenter_id', '=', order['id'])], limit=1)
        decision = status.decide(order, action, bool(sale), sale.shoprenter_updated or None)
        if decision == status.SKIP:
            return 'skipped', []
        if decision == status.CANCEL:
            return sale._shoprenter_cancel(order)
        if decision == status.UNCHANGED:
            return 'unchanged', []
        if decision == status.UPDATE:
            return sale._shoprenter_changed(order)
        notes = []
        values = dict(self._shoprenter_values(shop, order, notes, page),
            shoprenter_shop_id=shop.id, shoprenter_id=order['id'])
        if page is not None:
            page.queue(order, values, notes)
            return 'queued', notes
        self._shoprenter_create_sales([(order, values, notes)])
        return 'created', notes

    @api.model
    def _shoprenter_create_sales(self, queued):
        """The sales of queued [(order, values, notes)]: created with one create and
        confirmed with one action_confirm; each total then checked against its order's"""
        sales = self.create([values for _, values, _ in queued])
        sales._shoprenter_confirm()
        for sale, (order, _, notes) in zip(sales, queued):
            sale._shoprenter_check_total(order, notes)
        return sales

    def _shoprenter_confirm(self):
        "Confirm so that the pickings reserve the stock; the sales keep the orders' dates"
        dates = [(sale, sale.date_order) for sale in self]
        self.action_confirm()
        for sale, date_order in dates:
            sale.date_order = date_order

    # Attention

    def _shoprenter_flag(self, message, notes):
        "Flag the sale for a person, with the message as a reason"
        self.ensure_one()
        reasons = (self.shoprenter_attention_reason or '').splitlines()
        if message not in reasons:
            reasons.append(message)
        self.write({'shoprenter_attention': True,
                'shoprenter_attention_reason': '\n'.join(reasons)})
        notes.append(('warning', message))

    def _shoprenter_check_total(self, order, notes):
        "Flag the sale when its total is not ShopRenter's"
        self.ensure_one()
        product_lines = self.order_line.filtered(
            lambda l: l.shoprenter_id and not l.display_type)
        goods = [(line.price_unit, line.product_uom_qty, line.tax_ids[:1].amount)
            for line in product_lines]
        amounts = len(self.order_line) * 2  # each line's amount and its tax
        check = check_total(order, self._shoprenter_decimal(self.amount_total),
            [tuple(self._shoprenter_decimal(v) for v in g) for g in goods],
            self._shoprenter_decimal(self.currency_id.rounding), amounts)
        if check.ok:
            return
        self._shoprenter_flag(self.env._(
            "The total of ShopRenter order #%(number)s is %(shop_total)s in the shop but "
            "%(sale_total)s in the sale: check the lines, taxes and coupon of the sale.",
            number=order.get('innerId'), shop_total=check.shop_total,
            sale_total=self.amount_total), notes)

    @staticmethod
    def _shoprenter_decimal(value):
        return Decimal(str(value))

    # Cancellation and changes in the shop

    def _shoprenter_untouched(self):
        "Nothing has been done with the sale: no picking done, no invoice but drafts"
        self.ensure_one()
        if self.state in ('draft', 'sent'):
            return True
        if self.state != 'sale':
            return False
        if any(picking.state == 'done' for picking in self.picking_ids):
            return False
        return all(invoice.state == 'draft' for invoice in self.invoice_ids)

    def _shoprenter_undo(self):
        """Cancel the (untouched) sale and remove its pickings and draft invoices: the stock
        it reserved is free again"""
        self.ensure_one()
        if self.locked:
            self.action_unlock()
        self.invoice_ids.filtered(lambda i: i.state == 'draft').unlink()
        self._action_cancel()
        self.picking_ids.filtered(lambda p: p.state == 'cancel').unlink()

    def _shoprenter_cancel(self, order):
        self.ensure_one()
        if self.state == 'cancel':
            return 'unchanged', []
        self.shoprenter_updated = order.get('dateUpdated')
        if self._shoprenter_untouched():
            self._shoprenter_undo()
            return 'cancelled', []
        notes = []
        self._shoprenter_flag(self.env._(
            "ShopRenter order #%(number)s was cancelled in the shop, but sale \"%(sale)s\" is "
            "already shipped or invoiced: cancel or credit it by hand.",
            number=order.get('innerId'), sale=self.name), notes)
        return 'updated', notes

    def _shoprenter_changed(self, order):
        """Follow an order changed in the shop: a change of status only is noted; new
        content replaces the sale's while nothing has been done with it, else the sale is
        flagged"""
        self.ensure_one()
        notes = []
        values = self._shoprenter_values(self.shoprenter_shop_id, order, notes)
        self.write({'shoprenter_updated': values['shoprenter_updated'],
                'shoprenter_status': values['shoprenter_status']})
        if values['shoprenter_digest'] == self.shoprenter_digest:
            return 'unchanged', []
        if self.state == 'cancel' or not self._shoprenter_untouched():
            self._shoprenter_flag(self.env._(
                "ShopRenter order #%(number)s changed in the shop after sale \"%(sale)s\" was "
                "made from it: compare them and correct the sale by hand.",
                number=order.get('innerId'), sale=self.name), notes)
            return 'updated', notes
        if self.state == 'sale':
            self._shoprenter_undo()
        self.action_draft()
        self.order_line.unlink()
        self.write({field: values[field] for field in REPLACED_FIELDS + ['order_line']
                if field in values})
        self._shoprenter_confirm()
        self._shoprenter_check_total(order, notes)
        return 'updated', notes

    # The sale an order makes

    @api.model
    def _shoprenter_values(self, shop, order, notes, page=None):
        """The values of the sale of the ShopRenter order (its lines as commands); page
        (import_page.ImportPage) has the buyers and products read ahead"""
        number = order['innerId']
        partner = self.env['res.partner']._shoprenter_buyer(shop, order, page)
        invoice = partner._shoprenter_address(order, 'payment')
        delivery = partner._shoprenter_address(order, 'shipping')
        # Either address stands for the other when the order has only one
        invoice, delivery = invoice or delivery, delivery or invoice
        values = {
            'partner_id': partner.id,
            'partner_invoice_id': (invoice or partner).id,
            'partner_shipping_id': (delivery or partner).id,
            'company_id': shop.company_id.id,
            'warehouse_id': shop.warehouse_id.id or False,
            'team_id': shop.team_id.id or False,
            'client_order_ref': number,
            'origin': f'ShopRenter #{number}',
            'shoprenter_comment': order.get('comment') or False,
            'shoprenter_updated': order.get('dateUpdated') or False,
            'shoprenter_status': status.order_status(order),
            'shoprenter_digest': content_digest(order),
            'shoprenter_attention': False,
            'shoprenter_attention_reason': False,
            'carrier_id': False,
            'shoprenter_payment_mode_id': False,
            }
        if order.get('dateCreated'):
            values['date_order'] = shop_time_to_utc(
                order['dateCreated'], shop._shoprenter_zone())
        total = shop_total(order)
        values['shoprenter_total'] = float(total) if total is not None else False
        if not invoice:
            # Neither in the order nor on the partner: the sale still reserves the stock,
            # on the partner (with the order's country), to complete before invoicing
            reason = self.env._(
                "ShopRenter order #%(number)s has neither a billing nor a shipping address: "
                "complete the address of \"%(partner)s\" on the sale before invoicing or "
                "shipping it.", number=number, partner=partner.name)
            values.update(shoprenter_attention=True, shoprenter_attention_reason=reason)
            notes.append(('warning', reason))

        mode = self.env['shoprenter.payment.mode']._shoprenter_get(shop, order)
        if mode:
            values['shoprenter_payment_mode_id'] = mode.id
            if mode.payment_term_id:
                values['payment_term_id'] = mode.payment_term_id.id
        carrier = self.env['delivery.carrier']._shoprenter_get(shop, order)
        values['carrier_id'] = carrier.id or False
        values['order_line'] = [fields.Command.create(line)
            for line in self._shoprenter_line_values(shop, order, carrier, notes, page)]
        return values

    @api.model
    def _shoprenter_tax(self, shop, order, rate):
        return vat.mapped_tax(shop.tax_ids, rate, order.get('innerId'), lambda m: m.tax_id).tax_id

    @api.model
    def _shoprenter_line_values(self, shop, order, carrier, notes, page=None):
        "The sale lines of the order: goods, coupon, shipping, payment"
        number = order['innerId']
        goods = lines.goods_lines(order)
        result = []
        for line in goods:
            tax = self._shoprenter_tax(shop, order, line.rate)
            product, created = self.env['product.product']._shoprenter_get(
                shop, line, tax, page)
            if created:
                notes.append(('info', self.env._(
                    "ShopRenter order #%(number)s: product \"%(code)s %(name)s\" was unknown "
                    "and has been created.", number=number, code=product.default_code or '',
                    name=product.name)))
            values = {'product_id': product.id, 'product_uom_qty': line.quantity,
                'price_unit': float(line.unit_price), 'tax_ids': [fields.Command.set(tax.ids)],
                'shoprenter_id': line.item.get('id') or False}
            if line.description:
                values['name'] = line.description
            result.append(values)
        if not result:
            raise OrderWithoutLines(number)
        coupons = lines.coupon_lines(order, goods)
        if coupons:
            product = shop._shoprenter_fee_product('coupon')
            for coupon in coupons:
                result.append(self._shoprenter_fee_values(
                    shop, order, product, coupon.unit_price, coupon.rate, self.env._(
                        "Coupon %(code)s (VAT %(rate)s %%)", code=coupon.code,
                        rate=rate_label(coupon.rate))))
        for fee in lines.fee_lines(order):
            if fee.kind == 'shipping':
                values = self._shoprenter_fee_values(
                    shop, order, carrier.product_id, fee.unit_price, fee.rate, fee.name)
                values['is_delivery'] = True
            else:
                values = self._shoprenter_fee_values(
                    shop, order, shop._shoprenter_fee_product('payment_fee'), fee.unit_price,
                    fee.rate, fee.name)
            result.append(values)
        return result

    @api.model
    def _shoprenter_fee_values(self, shop, order, product, unit_price, rate, name):
        tax = self._shoprenter_tax(shop, order, rate)
        values = {'product_id': product.id, 'product_uom_qty': 1,
            'price_unit': float(unit_price), 'tax_ids': [fields.Command.set(tax.ids)]}
        if name:
            values['name'] = name
        return values
