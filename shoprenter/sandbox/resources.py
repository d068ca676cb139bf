"""The table of API resources: one row per URL path, nothing per endpoint.

Several paths can render the same stored collection with another shape
(``orders`` and ``orderExtend``; ``shippingModes`` and ``shippingModeExtend``).
Shapes are the official example answers in shapes/; methods, filters,
read-only and required fields come from the official data.json files.
"""
from .shape import fields_of, load_shape

READ = ('GET',)
ALL = ('GET', 'POST', 'PUT', 'DELETE')

ORDER_FILTERS = ('innerId', 'innerIdMin', 'orderStatusId', 'email',
    'excludeAbandonedCart', 'excludeStorno', 'createdAtMin', 'createdAtMax',
    'updatedAtMin', 'updatedAtMax', 'createdAt', 'updatedAt',
    'shippingModeInnerId', 'externalInfo')
CUSTOMER_FILTERS = ('innerId', 'email', 'createdAtMin', 'createdAtMax',
    'updatedAtMin', 'updatedAtMax')
PRODUCT_FILTERS = ('innerId', 'sku', 'createdAt', 'updatedAt', 'parentProductId')
PRODUCT_EXTEND_FILTERS = PRODUCT_FILTERS + ('createdAfter', 'createdBefore',
    'updatedAfter', 'updatedBefore', 'published')
# "-1.0000" = no coupon / loyalty points on the order (as the examples show)
ORDER_DEFAULTS = {'couponTaxRate': '-1.0000', 'loyaltyPointsTaxRate': '-1.0000'}
PRODUCT_DEFAULTS = {'multiplier': '1.0000', 'orderable': '1', 'subtractStock': '1',
    'shipped': '1', 'minimalOrderNumber': '1'}
PRODUCT_RELATIONS = ('allImages', 'productDescriptions',
    'productRelatedProductRelations', 'productCategoryRelations', 'productSpecials',
    'productProductBadgeRelations', 'productListAttributeValueRelations',
    'numberAttributeValues', 'textAttributeValues', 'productTags',
    'productCollateralProductRelations', 'customerGroupProductPrices',
    'relatedProducts', 'collateralProducts', 'productAddons')


class Resource:
    """One API path.

    key: the id's columns; a column is a name (numbered by the sandbox) or
    (name, link field) when it is the key of a linked item (descriptions)."""

    def __init__(self, path, entity, key, *, collection=None, inner_id=True,
            methods=ALL, filters=(), read_only=(), create_only=(), required=(),
            extra=None, decimals=None, defaults=None):
        self.path = path
        self.collection = collection or path
        self.entity = entity
        self.key = key
        self.inner_id = inner_id
        self.methods = methods
        self.filters = filters
        self.read_only = set(read_only) | {'innerId', 'dateCreated', 'dateUpdated'}
        self.create_only = set(create_only)
        self.required = tuple(required)
        shape = load_shape(path)
        if extra:  # fields the reference lists but the example lacks
            shape = dict(list(shape.items())[:2] + list(extra.items())
                + list(shape.items())[2:])
        self.fields = fields_of(shape, self.collection)
        for name, places in (decimals or {}).items():
            self.fields[name].decimals = places
        for name, value in (defaults or {}).items():
            self.fields[name].override = value

    def __repr__(self):
        return f'<Resource {self.path}>'


R = Resource
TABLE = [
    R('orders', 'order', ('order_id',), methods=('GET', 'POST', 'PUT'),
        filters=ORDER_FILTERS, defaults=ORDER_DEFAULTS,
        read_only=('shippingMethodLocalizedName', 'orderProductAddons')),
    R('orderExtend', 'order', ('order_id',), collection='orders', methods=READ,
        filters=ORDER_FILTERS, defaults=ORDER_DEFAULTS),
    R('orderProducts', 'orderProduct', ('order_product_id',), filters=('orderId',),
        read_only=('productInnerId', 'parentProduct', 'grossPrice',
            'originalGrossPrice', 'originalPriceCurrency', 'priceCurrency',
            'grossPriceCurrency', 'originalGrossPriceCurrency')),
    R('orderTotals', 'orderTotal', ('order_total_id',), inner_id=False,
        filters=('orderId',)),
    R('orderStatuses', 'orderStatus', ('order_status_id',), methods=READ,
        extra={'innerId': '1'}),
    R('orderStatusDescriptions', 'orderStatusDescription',
        (('order_status_id', 'orderStatus'), ('language_id', 'language')),
        inner_id=False, methods=READ, filters=('orderStatusId', 'languageId')),
    R('orderHistories', 'orderHistory', ('order_history_id',), methods=READ,
        filters=('orderId',)),
    R('customers', 'customer', ('customer_id',), filters=CUSTOMER_FILTERS,
        required=('firstname', 'lastname', 'email', 'telephone', 'password')),
    R('customerExtend', 'customer', ('customer_id',), collection='customers',
        filters=CUSTOMER_FILTERS,
        required=('firstname', 'lastname', 'email', 'telephone', 'password')),
    R('customerGroups', 'customerGroup', ('customer_group_id',), filters=('name',),
        required=('name',)),
    R('addresses', 'address', ('address_id',), filters=('innerId', 'customerId'),
        required=('firstname', 'lastname', 'address1', 'postcode', 'city',
            'customer', 'country')),
    R('products', 'product', ('product_id',), filters=PRODUCT_FILTERS,
        read_only=PRODUCT_RELATIONS, required=('sku',), defaults=PRODUCT_DEFAULTS),
    R('productExtend', 'product', ('product_id',), collection='products',
        filters=PRODUCT_EXTEND_FILTERS,
        read_only=('productAttributeExtend', 'productPrices', 'allImages',
            'productListAttributeValueRelations', 'numberAttributeValues',
            'textAttributeValues', 'relatedProducts', 'collateralProducts',
            'productAddons'),
        required=('sku', 'productDescriptions'), defaults=PRODUCT_DEFAULTS),
    R('productDescriptions', 'productDescription',
        (('product_id', 'product'), ('language_id', 'language')), inner_id=False,
        filters=('productId', 'languageId', 'name'),
        create_only=('product', 'language'), required=('product', 'language')),
    R('taxClasses', 'taxClass', ('tax_class_id',), inner_id=False, methods=READ),
    R('taxClassExtend', 'taxClass', ('tax_class_id',), collection='taxClasses',
        inner_id=False, methods=READ),
    R('taxRates', 'taxRate', ('tax_rate_id',), inner_id=False, methods=READ,
        filters=('taxClassId',), decimals={'rate': 4}),
    R('paymentModes', 'paymentMode', ('extension_id',), methods=READ),
    R('shippingModes', 'shippingMode', ('id',), methods=READ, filters=('innerId',)),
    R('shippingModeExtend', 'shippingMode', ('id',), collection='shippingModes',
        filters=('innerId',), read_only=('extension',),
        required=('shippingModeDescriptions', 'shippingLanes')),
    R('shippingModeDescriptions', 'shippingModeDescription',
        (('id', 'shippingMode'), ('language_id', 'language')), inner_id=False,
        filters=('shippingModeId', 'languageId'),
        required=('language', 'shippingMode')),
    R('coupons', 'coupon', ('coupon_id',), inner_id=False, filters=('code',),
        required=('code',)),
    R('currencies', 'currency', ('currency_id',), inner_id=False, methods=READ,
        filters=('code',)),
    R('countries', 'country', ('country_id',), inner_id=False, methods=READ),
    R('languages', 'language', ('language_id',), methods=READ, filters=('code',)),
    R('webHooks', 'webHook', ('notification_id',), inner_id=False,
        required=('label', 'event', 'status', 'webHookParameters')),
]
RESOURCES = {resource.path: resource for resource in TABLE}
# The resource that renders a collection's items when another one embeds them.
PRIMARY = {resource.collection: resource for resource in reversed(TABLE)
    if resource.path == resource.collection}
# An extend example showing {} or null says nothing: such a field renders as in
# the plain resource (customerExtend.defaultAddress is a link, like customers').
for _resource in TABLE:
    for _name, _field in _resource.fields.items():
        _plain = PRIMARY[_resource.collection].fields.get(_name)
        if _field.kind == 'any' and _plain is not None and _plain.kind != 'any':
            _resource.fields[_name] = _plain
# The resource whose fields a seed item may use (extend shapes hold the most).
SEED_SHAPE = {**PRIMARY, **{resource.collection: resource for resource in TABLE
    if resource.path.endswith('Extend')}}
COLLECTIONS = tuple(PRIMARY)
# entity of an id -> collection, to render links nested in free-form values
ENTITY_COLLECTIONS = {resource.entity: resource.collection for resource in TABLE}
ENTITY_COLLECTIONS.update({'geoZone': 'geoZones', 'zone': 'zones',
    'stockStatus': 'stockStatuses', 'manufacturer': 'manufacturers'})
# Example hrefs that name no collection (doc oddity: orderProduct.parentProduct)
COLLECTION_ALIASES = {'product': 'products'}
