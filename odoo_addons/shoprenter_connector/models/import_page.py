"""A page of ShopRenter orders as one unit of work (not a model): what its orders refer to,
read with one search each, and the new sales it queues to create together.

Only records that existed before the page are kept here: one an order creates (a buyer, a
product, a link) lives in that order's savepoint and is found by a search as before, so an
order rolled back never leaves an id here that its rollback took away."""
from shoprenter.sync import keys, lines
from shoprenter.values import resource_id


class ImportPage:

    def __init__(self, shop, orders):
        env = shop.env
        self.shop = shop
        self.queued = []  # [(order, sale values, notes)] of the sales to create
        self.queued_ids = set()
        self._created_ids = set()  # ShopRenter ids whose sale the page created
        order_ids, customer_ids, codes, product_ids = set(), set(), set(), set()
        for order in orders:
            try:  # a malformed order has nothing to read ahead; its import says why
                if isinstance(order.get('id'), str):
                    order_ids.add(order['id'])
                customer = keys.customer_id(order)
                if customer:
                    customer_ids.add(customer)
                for line in lines.goods_lines(order):
                    if line.key[0] == 'code':
                        codes.add(line.key[1])
                        product_ids.add(resource_id(line.item.get('product')))
            except Exception:
                continue
        product_ids.discard(None)
        self.sales = {sale.shoprenter_id: sale for sale in env['sale.order'].search([
                ('shoprenter_shop_id', '=', shop.id), ('shoprenter_id', 'in', list(order_ids))])}
        self.partners = {}
        for link in env['shoprenter.customer'].search([
                ('shop_id', '=', shop.id), ('customer_id', 'in', list(customer_ids))]):
            self.partners.setdefault(link.customer_id, link.partner_id)
        # The first of each code in the products' own order, as search(limit=1) finds it
        self.products = {}
        for product in env['product.product'].search([('default_code', 'in', list(codes))]):
            self.products.setdefault(product.default_code, product)
        self.product_links = set(env['shoprenter.product'].search([
                ('shop_id', '=', shop.id), ('shoprenter_id', 'in', list(product_ids))],
            ).mapped('shoprenter_id'))

    def sale(self, order_id):
        "The shop's sale of the order, or an empty one"
        Sale = self.shop.env['sale.order']
        if order_id in self.sales:
            return self.sales[order_id]
        if order_id in self._created_ids:
            return Sale.search([('shoprenter_shop_id', '=', self.shop.id),
                    ('shoprenter_id', '=', order_id)], limit=1)
        return Sale

    def queue(self, order, values, notes):
        self.queued.append((order, values, notes))
        self.queued_ids.add(order['id'])

    def take_queued(self):
        "The queued sales, which the caller creates now"
        queued, self.queued = self.queued, []
        self._created_ids |= self.queued_ids
        self.queued_ids = set()
        return queued
