"""The shop's stock and price push, the nightly reconciliation and Create in ShopRenter.

Decisions come from shoprenter.sync.push (shared with the Tryton module); this file only
reads Odoo's figures and keeps the links (shoprenter.product) of what the shop holds."""
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from shoprenter import ShopRenterError, is_run_failure
from shoprenter.sync import push

_logger = logging.getLogger(__name__)

# Up to this many new products are looked up one SKU at a time; more, and one pass over
# the whole catalogue is cheaper
SKU_LOOKUP_MAX = 10


class ShopRenterShop(models.Model):
    _inherit = 'shoprenter.shop'

    stock_field = fields.Selection(
        [(name, name) for name in push.STOCK_FIELDS], "Stock Field",
        default=push.DEFAULT_STOCK_FIELD, required=True,
        help="The ShopRenter stock field that receives the quantity the warehouse can "
        "promise.")
    product_link_ids = fields.One2many('shoprenter.product', 'shop_id', "ShopRenter Products")
    missing_product_count = fields.Integer(compute='_compute_missing_product_count')

    def _compute_missing_product_count(self):
        counts = dict(self.env['shoprenter.product']._read_group(
                [('shop_id', 'in', self.ids), ('state', '=', 'missing')],
                ['shop_id'], ['__count']))
        for shop in self:
            shop.missing_product_count = counts.get(shop, 0)

    # Entry points: cron, buttons, the trigger after a stock change

    @api.model
    def _shoprenter_trigger_push(self):
        """Run the push cron as soon as this transaction commits (once per transaction): a
        rollback takes the trigger away with the change"""
        data = self.env.cr.precommit.data
        if data.get('shoprenter_push_triggered'):
            return
        data['shoprenter_push_triggered'] = True
        cron = self.env.ref('shoprenter_connector.ir_cron_shoprenter_push',
            raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_push_stock(self):
        self.search([])._push_stock()

    @api.model
    def _cron_reconcile(self):
        self.search([])._reconcile_stock()

    def action_push_now(self):
        return self._push_notification(self._push_stock())

    def action_reconcile_now(self):
        return self._push_notification(self._reconcile_stock())

    def action_import_master_data(self):
        "The master-data import, its preview first"
        self.ensure_one()
        return self.env['shoprenter.master.import']._open_for(self)

    def action_view_missing_products(self):
        self.ensure_one()
        action = self.env['ir.actions.act_window']._for_xml_id(
            'shoprenter_connector.shoprenter_product_action')
        action['domain'] = [('shop_id', '=', self.id)]
        action['context'] = {'search_default_missing': 1}
        return action

    def _push_notification(self, logs):
        return self._shoprenter_notification(logs,
            self.env._("Nothing to send: the shop shows the stock and prices of the ERP."))

    def _push_stock(self):
        "Send the stock and price of the changed products; return the logs that say something"
        return self._push_run('stock', '_push_changed')

    def _reconcile_stock(self):
        "Read the whole shop and repair any stock or price drift; return the logs"
        return self._push_run('reconcile', '_push_reconcile')

    def _push_run(self, kind, job, *args):
        logs = self.env['shoprenter.sync.log']
        for shop in self:
            shop = shop._shoprenter_env()
            if not shop.warehouse_id:
                continue
            if not shop._shoprenter_try_lock('push'):
                _logger.info("ShopRenter push of %s already running", shop.name)
                continue
            try:
                logs |= shop._push_unit(kind, job, *args)
            finally:
                shop._shoprenter_unlock('push')
        return logs

    def _push_unit(self, kind, job, *args):
        report = PushReport(self, kind)
        try:
            with self._shoprenter_client() as client:
                getattr(self, job)(client, report, *args)
        except (ShopRenterError, UserError) as exception:
            report.error = str(exception)
        except Exception as exception:
            report.error = f'{type(exception).__name__}: {exception}'
            report.save()
            self._shoprenter_commit()
            raise
        log = report.save()
        self._shoprenter_commit()
        return log

    # The push

    def _push_changed(self, client, report):
        self._push_link_new_products(client, report)
        links = self.env['shoprenter.product'].search([
                ('shop_id', '=', self.id), ('state', '=', 'linked'), ('changed', '=', True)])
        self._push_send(client, links, report)

    def _push_eligible_products(self):
        "The goods the shop sells: storable, salable, with an SKU, of the shop's company"
        return self.env['product.product'].search([
                ('is_storable', '=', True), ('sale_ok', '=', True),
                ('default_code', '!=', False),
                ('company_id', 'in', [False, self.company_id.id])])

    def _push_link_new_products(self, client, report):
        "Find the ShopRenter product of the goods without a link by their SKU"
        Link = self.env['shoprenter.product']
        linked = set(Link.search([('shop_id', '=', self.id)]).product_id.ids)
        new = self._push_eligible_products().filtered(lambda p: p.id not in linked)
        if not new:
            return
        looked_up = new
        if len(new) <= SKU_LOOKUP_MAX:
            items = {}
            for product in new:
                try:
                    for item in client.iter_collection('products', {'sku': product.default_code}):
                        if item.get('sku') == product.default_code:
                            items[product.default_code] = item
                except ShopRenterError as exception:
                    if is_run_failure(exception):
                        raise
                    # e.g. an SKU too long for a URL: it alone stays unlinked till next time
                    report.failed(product, exception)
                    looked_up -= product
        else:
            items = {i['sku']: i for i in client.iter_collection('products') if i.get('sku')}
        tax_classes = self._push_tax_class_names(client) if items else {}
        known = {link.shoprenter_id: link for link in Link.search(
                [('shop_id', '=', self.id), ('shoprenter_id', '!=', False)])}
        values = []
        for product in looked_up:
            item = items.get(product.default_code)
            if item and item['id'] in known:
                continue  # linked to another product already (an old SKU)
            if item:
                values.append(dict(self._push_held_values(
                            push.held_from_item(item, self.stock_field, tax_classes)),
                        shop_id=self.id, product_id=product.id, state='linked', changed=True))
            else:
                values.append({'shop_id': self.id, 'product_id': product.id,
                        'state': 'missing', 'changed': True})
                report.missing(product)
        Link.create(values)

    def _push_tax_class_names(self, client):
        return {c['id']: c.get('name') for c in client.iter_collection('taxClasses')}

    @staticmethod
    def _push_held_values(held):
        return {'shoprenter_id': held.shoprenter_id, 'sent_quantity': held.quantity or 0,
            'sent_price': float(held.price) if held.price is not None else 0.0,
            'tax_class': held.tax_class or False, 'held_known': True}

    @staticmethod
    def _push_held(link):
        "What the shop holds of a link, as the shared rules take it (unknown: nothing)"
        if not link.held_known:
            return push.Held(link.shoprenter_id, None, None, link.tax_class or None)
        return push.Held(link.shoprenter_id, link.sent_quantity,
            push.shop_price(Decimal(repr(link.sent_price))), link.tax_class or None)

    def _push_send(self, client, links, report):
        "Send what differs from the shop for links, in batch calls of at most 200"
        if not links:
            return
        Link = self.env['shoprenter.product']
        # Read before the figures: a change that comes in later keeps its link changed
        counts = {link.id: link.change_count for link in links}
        wanted = self._push_wanted(links)
        plan = push.plan([(link, self._push_held(link), wanted[link.id]) for link in links],
            self.stock_field)
        for link in plan.vat_mismatches:
            report.vat_mismatch(link)
        Link._clear_changed({link.id: counts[link.id] for link in plan.unchanged})
        # A batch call the shop refuses as a whole: each operation alone, so one it
        # refuses does not stop the others
        requests = [operation.request() for operation in plan.operations]
        for start, results in client.batch_isolated(requests, chunk_size=push.BATCH_SIZE):
            sent = {}
            for operation, result in zip(plan.operations[start:], results):
                link = operation.key
                if result.ok:
                    held = push.applied(self._push_held(link), operation.data, self.stock_field)
                    link.write(self._push_held_values(held))
                    sent[link.id] = counts[link.id]
                    report.sent(link.product_id)
                elif result.status == 404:
                    # Deleted in the shop: a missing product again
                    link.write({'state': 'missing', 'shoprenter_id': False,
                            'held_known': False})
                    report.missing(link.product_id)
                else:
                    report.failed(link.product_id, result.error)
            Link._clear_changed(sent)
            # Kept per batch call: a later call that fails does not lose this one's answers
            self._shoprenter_commit()

    def _push_wanted(self, links):
        "{link id: push.Wanted}: the promisable quantity and net price of each link's product"
        products = links.product_id
        quantities = self._push_promisable_quantities(products)
        prices = self._push_net_prices(products)
        mapped = {tax.name: tax.tax_id.id or None for tax in self.tax_ids}
        company_taxes = {product.id: product.taxes_id.filtered(
                lambda t: t.company_id in self.company_id.parent_ids).ids
            for product in products}
        return {link.id: push.Wanted(
                quantities[link.product_id.id], prices[link.product_id.id],
                push.tax_consistent(mapped.get(link.tax_class),
                    company_taxes[link.product_id.id]))
            for link in links}

    def _push_promisable_quantities(self, products):
        """{product id: what the shop's warehouse can still promise}: on hand minus the
        outgoing moves open orders reserve (Odoo's own outgoing quantity), never below 0"""
        figures = products.with_context(warehouse_id=self.warehouse_id.id)._compute_quantities_dict(
            None, None, None)
        return {product.id: push.promisable_quantity(
                figures[product.id]['qty_available'], figures[product.id]['outgoing_qty'])
            for product in products}

    def _push_net_prices(self, products):
        """{product id: the normal sale price, net of VAT, in the shop's currency}: a price
        that includes its tax is sent without it, as ShopRenter adds the VAT itself"""
        company = self.company_id
        currency = self.currency_id or company.currency_id
        prices = {}
        for product in products.with_company(company):
            price = product.lst_price
            taxes = product.taxes_id.filtered(lambda t: t.company_id in company.parent_ids)
            if any(taxes.mapped('price_include')):
                price = taxes.compute_all(price, company.currency_id, 1.0,
                    product=product)['total_excluded']
            if currency != company.currency_id:
                price = company.currency_id._convert(
                    price, currency, company, fields.Date.context_today(self), round=False)
            prices[product.id] = push.shop_price(Decimal(repr(price)))
        return prices

    # The nightly reconciliation

    def _push_reconcile(self, client, report):
        """Read the shop's products, link them by SKU and send every stock or price that
        drifted; a product the shop no longer has is listed as missing"""
        Link = self.env['shoprenter.product']
        tax_classes = self._push_tax_class_names(client)
        items = {i['sku']: i for i in client.iter_collection('products') if i.get('sku')}
        links = {link.product_id.id: link for link in Link.search([('shop_id', '=', self.id)])}
        taken = set()  # a ShopRenter product links one product of the shop
        new_values = []
        for product in self._push_eligible_products():
            link = links.get(product.id)
            item = items.get(product.default_code)
            if item and item['id'] not in taken:
                taken.add(item['id'])
                values = dict(self._push_held_values(
                        push.held_from_item(item, self.stock_field, tax_classes)),
                    state='linked', changed=True)
            else:
                if not link or link.state != 'missing':
                    report.missing(product)
                values = {'state': 'missing', 'shoprenter_id': False, 'held_known': False,
                    'changed': True}
            if link:
                link.write(values)
            else:
                new_values.append(dict(values, shop_id=self.id, product_id=product.id))
        Link.create(new_values)
        self._push_send(client, Link.search([('shop_id', '=', self.id),
                ('state', '=', 'linked'), ('changed', '=', True)]), report)

    # Products missing in ShopRenter

    def _push_create_products(self, products):
        "Create products in the shop (productExtend) with their stock, price and VAT; link them"
        self.ensure_one()
        return self._push_run('stock', '_push_create', products.ids)

    def _push_create(self, client, report, product_ids):
        Link = self.env['shoprenter.product']
        products = self.env['product.product'].browse(product_ids)
        tax_class_ids = {name: id_ for id_, name in self._push_tax_class_names(client).items()}
        language = push.product_language(client)
        quantities = self._push_promisable_quantities(products)
        prices = self._push_net_prices(products)
        links = {link.product_id.id: link for link in Link.search(
                [('shop_id', '=', self.id), ('product_id', 'in', products.ids)])}
        for product in products:
            quantity, price = quantities[product.id], prices[product.id] or Decimal(0)
            tax_class = self._push_tax_class_of(product)
            data = push.new_product(product.default_code, product.name,
                product.description_sale, price, quantity, self.stock_field, language,
                tax_class_ids.get(tax_class))
            try:
                item = client.post('productExtend', data)
            except ShopRenterError as exception:
                if is_run_failure(exception):
                    raise
                report.failed(product, exception)
                continue
            values = {'state': 'linked', 'shoprenter_id': item['id'],
                'sent_quantity': quantity, 'sent_price': float(price),
                'tax_class': tax_class or False, 'held_known': True, 'changed': False}
            if product.id in links:
                links[product.id].write(values)
            else:
                Link.create(dict(values, shop_id=self.id, product_id=product.id))
            report.created += 1

    def _push_tax_class_of(self, product):
        "The shop's VAT class whose mapped tax is the product's only sale tax"
        taxes = set(product.taxes_id.filtered(
                lambda t: t.company_id in self.company_id.parent_ids).ids)
        for mapping in self.tax_ids:
            if mapping.tax_id and {mapping.tax_id.id} == taxes:
                return mapping.name
        return None


class PushReport:
    """What one push, reconciliation or creation does, in the sync log.

    A push that sent nothing and found nothing new leaves no row: the cron runs every few
    minutes and the log stays the place for what changed and what staff must see."""

    def __init__(self, shop, kind):
        self.shop = shop
        self.kind = kind
        self.started = fields.Datetime.now()
        self.created = self.updated = 0
        self.entries = []  # (level, message, product)
        self.sent_product_ids = set()
        self.error = None

    def missing(self, product):
        self.entries.append(('warning', self.shop.env._(
            "Product %(product)s (SKU %(sku)s) is not in ShopRenter shop \"%(shop)s\": its "
            "stock and price are not sent. Create it with Create in ShopRenter, or correct "
            "the SKU.", product=product.display_name, sku=product.default_code,
            shop=self.shop.name), product))

    def vat_mismatch(self, link):
        self.entries.append(('warning', self.shop.env._(
            "The net price of %(product)s is not sent: its VAT in ShopRenter (%(vat)s) is not "
            "its sale tax in Odoo, and the shop would show a wrong gross price. Make them the "
            "same.", product=link.product_id.display_name, vat=link.tax_class), link.product_id))

    def failed(self, product, error):
        self.entries.append(('error', self.shop.env._(
            "ShopRenter refused the stock or price of %(product)s: %(error)s. It is sent "
            "again on the next push.", product=product.display_name, error=str(error)),
            product))

    def sent(self, product):
        self.updated += 1
        self.sent_product_ids.add(product.id)

    def save(self):
        "The log row of the run, or an empty recordset when there is nothing to tell"
        Log = self.shop.env['shoprenter.sync.log']
        Entry = self.shop.env['shoprenter.sync.log.entry']
        if self.sent_product_ids:
            # A product sent at last: its earlier refusal is no problem any more
            Entry.search([('shop_id', '=', self.shop.id), ('level', '=', 'error'),
                    ('product_id', 'in', list(self.sent_product_ids)),
                    ('resolved', '=', False)]).write({'resolved': True})
        if not (self.entries or self.error or self.updated or self.created
                or self.kind == 'reconcile'):
            return Log
        errors = sum(1 for level, _, _ in self.entries if level == 'error')
        log = Log.create({
            'shop_id': self.shop.id, 'kind': self.kind, 'started': self.started,
            'finished': fields.Datetime.now(), 'state': 'failed' if self.error else 'done',
            'created': self.created, 'updated': self.updated, 'failed': errors,
            'message': self.error or False})
        Entry.create([{'log_id': log.id, 'level': level, 'message': message,
                'product_id': product.id} for level, message, product in self.entries])
        return log
