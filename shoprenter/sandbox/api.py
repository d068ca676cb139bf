"""API2 requests: (method, path under /api/, query, data) -> (status, body).

Used for HTTP requests and for each sub-request of a batch alike."""
from . import dates
from .errors import ApiError, not_found
from .filters import predicates
from .ids import is_api_id
from .links import link_id
from .paging import envelope, page_and_limit
from .render import Renderer
from .resources import PRIMARY, RESOURCES
from .webhooks import check_webhook, order_status_changed

PAGING = ('page', 'limit', 'full')
# Writes with emptyBody=1 answer [], except product endpoints (reference §1).
FULL_BODY_ALWAYS = ('products', 'productExtend')
# Writing these changes the order they belong to (its dateUpdated moves).
ORDER_PARTS = ('orderProducts', 'orderTotals')
# PUT to an unknown outer id creates the item, as issue 13 asks.  The outer-id
# page (05_outer_id.md) says otherwise (PUT by outer id needs an existing item;
# it is PUT by an unknown API id that creates); False follows it for outer ids.
# An unknown API id answers 404 either way: the stock push relies on it.
PUT_CREATES_OUTER_IDS = True


def handle(store, method, path, params, data, api_url):
    "params: list of (name, value) in request order"
    name, _, resource_id = path.strip('/').partition('/')
    resource = RESOURCES.get(name)
    if resource is None:
        raise ApiError(404, 40401, f'Resource matching URI "/{path.strip("/")}" not found')
    if method not in resource.methods:
        raise ApiError(405, 405, f'Method {method} not allowed on /{name}')
    renderer = Renderer(store, api_url)
    if method == 'GET':
        if resource_id:
            _allow(params, ('full',))
            return 200, renderer.item(resource, _find(store, resource, resource_id))
        return 200, _list(store, resource, params, renderer, f'{api_url}/{name}')
    _allow(params, ('emptyBody', 'sku') if name == 'productExtend' else ('emptyBody',))
    target = _target(store, resource, resource_id, params)
    if method in ('PUT', 'DELETE') and target is None:
        if not resource_id:
            raise ApiError(400, 40011, 'Resource identity missing')
        if method == 'DELETE' or is_api_id(resource_id) or not PUT_CREATES_OUTER_IDS:
            raise unknown_id(resource_id)
    if method == 'DELETE':
        store.delete(resource, target)
        _touch_order(store, resource, target)
        return 204, None
    data = _unwrap(data)
    if name == 'webHooks':
        check_webhook(data)
    if target is not None:  # PUT replaces inline lists, POST to an existing item adds
        status, item = 200, _update(store, resource, target, data, replace=method == 'PUT')
    elif not resource_id and store.get(resource.collection, data.get('id')):
        target = store.get(resource.collection, data['id'])
        status, item = 200, _update(store, resource, target, data, replace=False)
    else:  # create; the id (data.id, or /<resource>/<OUTERID>) is its outer id
        status, item = 201, store.insert(resource, data, outer_id=resource_id or None)
        _touch_order(store, resource, item)
    if dict(params).get('emptyBody') == '1' and name not in FULL_BODY_ALWAYS:
        return status, []
    return status, renderer.item(resource, item)


def _allow(params, names):
    for name, _ in params:
        if name not in names:
            raise ApiError(400, 40010, f'Parameter not available: {name}')


def _find(store, resource, resource_id):
    item = store.get(resource.collection, resource_id)
    if item is None:
        raise unknown_id(resource_id)
    return item


def unknown_id(resource_id):
    "A ShopRenter id naming nothing -> 404/40401; anything else -> 400/40007"
    if is_api_id(resource_id):
        return not_found()
    return ApiError(400, 40007, f'Wrong resource id or unknown OuterId: {resource_id}')


def _target(store, resource, resource_id, params):
    "The item a write names: by id, or by ?sku= on productExtend; None if none"
    if resource_id:
        return store.get(resource.collection, resource_id)
    sku = dict(params).get('sku')
    if sku is not None:
        for product in store.items('products'):
            if product.get('sku') == sku:
                return product
        raise ApiError(404, 40033, f'Product not found with sku: {sku}')
    return None


def _unwrap(data):
    "Bodies come with or without the {'data': …} wrapper"
    if isinstance(data, dict) and set(data) == {'data'} and isinstance(data['data'], dict):
        data = data['data']
    if not isinstance(data, dict):
        raise ApiError(400, 40001, 'Data parameter not found')
    return data


def _update(store, resource, item, data, replace):
    old_status = link_id(item.get('orderStatus'))
    store.update(resource, item, data, replace_nested=replace)
    if resource.collection == 'orders' and link_id(item.get('orderStatus')) != old_status:
        _add_history(store, item)
        order_status_changed(store, item)
    _touch_order(store, resource, item)
    return item


def _add_history(store, order):
    "A status change leaves an orderHistories row (as the shop admin does)"
    store.insert(PRIMARY['orderHistories'], {
        'comment': '', 'dateAdded': dates.now_text(dates.SPACED),
        'order': {'id': order['id']}, 'orderStatus': order.get('orderStatus')},
        seed=True)


def _touch_order(store, resource, item):
    if resource.collection in ORDER_PARTS:
        order = store.get('orders', link_id(item.get('order')))
        if order is not None:
            store.touch(PRIMARY['orders'], order)


def _list(store, resource, params, renderer, url):
    page, limit = page_and_limit(dict(params))
    full = dict(params).get('full') == '1'
    tests = predicates(store, resource, [(name, value) for name, value in params
        if name not in PAGING])
    items = [item for item in store.items(resource.collection)
        if all(test(item) for test in tests)]
    if resource.inner_id:
        items.sort(key=lambda item: int(item['innerId']) if item['innerId'].isdigit() else 0)
    kept = [(name, value) for name, value in params if name not in ('page', 'limit')]
    if full:
        def render(item):
            return renderer.item(resource, item)
    else:
        def render(item):
            return {'href': renderer.href(resource.path, item['id'])}
    return envelope(url, kept, items, page, limit, render, resource.envelope)
