"""Master-data import from a ShopRenter shop: VAT classes, payment and shipping modes,
products and customers with their addresses.

The wizard first shows what it will create, link or change; Apply computes the same plan
again and carries it out, so a second run finds everything in place and changes nothing. It
never touches stock, and an existing product keeps its price and name: the ERP is the truth.
"""
from odoo import api, fields, models
from odoo.exceptions import UserError

from shoprenter import ShopRenterError
from shoprenter.sync import keys, push
from shoprenter.sync.master_data import (
    KINDS, Plan, customer_as_buyer, first_name)
from shoprenter.values import resource_id

class ShopRenterMasterImport(models.TransientModel):
    _name = 'shoprenter.master.import'
    _description = "ShopRenter master-data import"

    shop_id = fields.Many2one('shoprenter.shop', required=True, readonly=True)
    summary = fields.Text("What Will Happen", readonly=True)

    @api.model
    def _open_for(self, shop):
        wizard = self.create({'shop_id': shop.id})
        wizard.summary = wizard._summary(wizard._plan())
        return {
            'type': 'ir.actions.act_window', 'res_model': self._name, 'res_id': wizard.id,
            'view_mode': 'form', 'target': 'new',
            'name': self.env._("Import Master Data from ShopRenter")}

    def action_apply(self):
        self.ensure_one()
        plan = self._plan()
        plan.apply()
        return {'type': 'ir.actions.client', 'tag': 'display_notification', 'params': {
            'title': self.env._("ShopRenter"), 'message': self._summary(plan, details=False),
            'type': 'success', 'next': {'type': 'ir.actions.act_window_close'}}}

    def _summary(self, plan, details=True):
        names = {'tax': self.env._("VAT classes"), 'payment': self.env._("Payment modes"),
            'shipping': self.env._("Shipping modes"), 'product': self.env._("Products"),
            'customer': self.env._("Customers")}
        lines = [self.env._(
            "%(kind)s: %(create)s to create, %(link)s to link, %(change)s to change, "
            "%(unchanged)s unchanged", kind=names[kind],
            **plan.counts(kind)) for kind in KINDS]
        if details:
            actions = {'create': self.env._("create"), 'link': self.env._("link"),
                'change': self.env._("change")}
            changes = [f"  {actions[action]} {names[kind].lower()}: {label}"
                for kind, action, label in plan.changes()]
            lines += [''] + changes if changes else []
        return '\n'.join(lines)

    def _plan(self):
        "Read the shop's master data; the plan of what the ERP lacks"
        shop = self.shop_id._shoprenter_env()
        plan = Plan()
        try:
            with shop._shoprenter_client() as client:
                self._plan_taxes(shop, client, plan)
                self._plan_payment_modes(shop, client, plan)
                self._plan_shipping_modes(shop, client, plan)
                self._plan_products(shop, client, plan)
                self._plan_customers(shop, client, plan)
        except ShopRenterError as error:
            raise UserError(str(error))
        return plan

    @api.model
    def _plan_taxes(self, shop, client, plan):
        known = set(shop.tax_ids.mapped('name'))
        names = [c.get('name') for c in client.iter_collection('taxClasses') if c.get('name')]
        new = [name for name in names if name not in known]
        for name in names:
            if name not in new:
                plan.add('tax', 'unchanged', name)
            else:
                # Load VAT Classes adds every new class with its tax of the same rate
                plan.add('tax', 'create', name,
                    shop.action_load_taxes if name == new[0] else None)

    @api.model
    def _plan_payment_modes(self, shop, client, plan):
        Mode = self.env['shoprenter.payment.mode']
        known = {mode.code.lower(): mode for mode in shop.payment_mode_ids}
        for item in client.iter_collection('paymentModes'):
            code = (item.get('code') or '').strip().lower()
            if not code:
                continue
            name = first_name(item.get('paymentDescription') or item.get(
                'paymentDescriptions')) or item.get('name')
            mode = known.get(code)
            if not mode:
                plan.add('payment', 'create', f'{code} ({name})', lambda code=code, name=name:
                    Mode.create({'shop_id': shop.id, 'code': code, 'name': name}))
            elif name and mode.name != name:
                plan.add('payment', 'change', f'{code}: {mode.name} → {name}',
                    lambda mode=mode, name=name: mode.write({'name': name}))
            else:
                plan.add('payment', 'unchanged', code)

    @api.model
    def _plan_shipping_modes(self, shop, client, plan):
        Carrier = self.env['delivery.carrier']
        names = {}
        for description in client.iter_collection('shippingModeDescriptions'):
            mode_id = resource_id(description.get('shippingMode'))
            if mode_id not in names and description.get('name'):
                names[mode_id] = description['name']
        known = {keys.carrier_key(carrier.name) for carrier in Carrier.search([])}
        for name in names.values():
            if keys.carrier_key(name) in known:
                plan.add('shipping', 'unchanged', name)
            else:
                known.add(keys.carrier_key(name))
                plan.add('shipping', 'create', name, lambda name=name:
                    Carrier._shoprenter_get(shop, {'shippingMethodName': name}))

    @api.model
    def _plan_products(self, shop, client, plan):
        Product = self.env['product.product']
        Link = self.env['shoprenter.product']
        tax_classes = {c['id']: c.get('name') for c in client.iter_collection('taxClasses')}
        links = {link.product_id.id: link for link in Link.search([('shop_id', '=', shop.id)])}
        for item in client.iter_collection('productExtend'):
            sku = (item.get('sku') or '').strip()
            if not sku:
                continue
            name = first_name(item.get('productDescriptions')) or sku
            held = push.held_from_item(item, shop.stock_field, tax_classes)
            product = Product.search([('default_code', '=', sku)], limit=1)
            if not product:
                plan.add('product', 'create', f'{sku} {name}',
                    lambda item=item, name=name, held=held, sku=sku:
                    self._create_product(shop, sku, name, item, held))
                continue
            link = links.get(product.id)
            if link and link.state == 'linked' and link.shoprenter_id == item['id']:
                plan.add('product', 'unchanged', sku)
            else:
                plan.add('product', 'change' if link else 'link', sku,
                    lambda product=product, held=held, link=link:
                    self._link_product(shop, product, held, link))

    @api.model
    def _create_product(self, shop, sku, name, item, held):
        tax = shop.tax_ids.filtered(lambda m: m.name == held.tax_class).tax_id
        product = self.env['product.product']._shoprenter_create(
            name, 'consu', held.price or 0, tax=tax or None, code=sku)
        self._link_product(shop, product, held, None)

    @api.model
    def _link_product(self, shop, product, held, link):
        values = dict(shop._push_held_values(held), state='linked', changed=True)
        if link:
            link.write(values)
        else:
            self.env['shoprenter.product'].create(
                dict(values, shop_id=shop.id, product_id=product.id))

    @api.model
    def _plan_customers(self, shop, client, plan):
        Partner = self.env['res.partner']
        countries = {c['id']: c.get('isoCode2') for c in client.iter_collection('countries')}
        addresses = {}
        for address in client.iter_collection('addresses'):
            addresses.setdefault(resource_id(address.get('customer')), []).append(address)
        links = {link.customer_id: link.partner_id for link in self.env[
            'shoprenter.customer'].search([('shop_id', '=', shop.id)])}
        for customer in client.iter_collection('customers'):
            buyer = customer_as_buyer(customer, addresses.get(customer['id'], []), countries)
            label = f"{keys.buyer_name(buyer)} <{buyer.get('email') or ''}>"
            partner = links.get(customer['id'])
            if not partner:
                plan.add('customer', 'create', label, lambda buyer=buyer:
                    self._import_customer(shop, buyer))
                continue
            known = {keys.address_key(contact._shoprenter_address_values())
                for contact in partner.child_ids}
            new = []
            for address in buyer['addresses']:
                values = keys.address_values(address, 'payment')
                if values:
                    values['country'] = Partner._shoprenter_country(values['country']).id or None
                    if keys.address_key(values) not in known:
                        new.append(address)
            if new:
                plan.add('customer', 'change', self.env._(
                    "%(customer)s: %(count)s new address(es)", customer=label, count=len(new)),
                    lambda buyer=buyer, partner=partner:
                    self._import_customer(shop, buyer, partner))
            else:
                plan.add('customer', 'unchanged', label)

    @api.model
    def _import_customer(self, shop, buyer, partner=None):
        partner = partner or self.env['res.partner']._shoprenter_buyer(shop, buyer)
        for address in buyer['addresses']:
            partner._shoprenter_address(address, 'payment')
