"""The table of API resources: one row per URL path, nothing per endpoint.

Several paths can render the same stored collection with other fields
(``orders`` and ``orderExtend``; ``shippingModes`` and ``shippingModeExtend``).
Fields are declared in schema.py; methods, filters, read-only and required
fields, and the page envelope each path answers with are facts of the
official documentation (data.json files, get_page examples), written here.
"""
from .paging import NUMBERS, STRINGS, STRINGS_COUNTED, STRINGS_TIMED
from .schema import FIELDS
from .shape import fields_of

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
PRODUCT_RELATIONS = ('allImages', 'productDescriptions',
    'productRelatedProductRelations', 'productCategoryRelations', 'productSpecials',
    'productProductBadgeRelations', 'productListAttributeValueRelations',
    'numberAttributeValues', 'textAttributeValues', 'productTags',
    'productCollateralProductRelations', 'customerGroupProductPrices',
    'relatedProducts', 'collateralProducts', 'productAddons')


class Resource:
    """One API path.

    key: the id's columns; a column is a name (numbered by the sandbox) or
    (name, link field) when it is the key of a linked item (descriptions).
    envelope: how its collection pages spell page/limit/pageCount (paging.py)."""

    def __init__(self, path, entity, key, *, collection=None, inner_id=True,
            methods=ALL, filters=(), read_only=(), create_only=(), required=(),
            envelope=NUMBERS):
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
        self.envelope = envelope
        self.fields = fields_of(FIELDS[path])

    def __repr__(self):
        return f'<Resource {self.path}>'


R = Resource
TABLE = [
    R('orders', 'order', ('order_id',), methods=('GET', 'POST', 'PUT'),
        filters=ORDER_FILTERS, envelope=STRINGS,
        read_only=('shippingMethodLocalizedName', 'orderProductAddons')),
    R('orderExtend', 'order', ('order_id',), collection='orders', methods=READ,
        filters=ORDER_FILTERS),
    R('orderProducts', 'orderProduct', ('order_product_id',), filters=('orderId',),
        envelope=STRINGS,
        read_only=('productInnerId', 'parentProduct', 'grossPrice',
            'originalGrossPrice', 'originalPriceCurrency', 'priceCurrency',
            'grossPriceCurrency', 'originalGrossPriceCurrency')),
    R('orderTotals', 'orderTotal', ('order_total_id',), inner_id=False,
        filters=('orderId',), envelope=STRINGS),
    R('orderStatuses', 'orderStatus', ('order_status_id',), methods=READ,
        envelope=STRINGS),
    R('orderStatusDescriptions', 'orderStatusDescription',
        (('order_status_id', 'orderStatus'), ('language_id', 'language')),
        inner_id=False, methods=READ, filters=('orderStatusId', 'languageId'),
        envelope=STRINGS),
    R('orderHistories', 'orderHistory', ('order_history_id',), methods=READ,
        filters=('orderId',)),
    R('customers', 'customer', ('customer_id',), filters=CUSTOMER_FILTERS,
        envelope=STRINGS,
        required=('firstname', 'lastname', 'email', 'telephone', 'password')),
    R('customerExtend', 'customer', ('customer_id',), collection='customers',
        filters=CUSTOMER_FILTERS, envelope=STRINGS,
        required=('firstname', 'lastname', 'email', 'telephone', 'password')),
    R('customerGroups', 'customerGroup', ('customer_group_id',), filters=('name',),
        envelope=STRINGS, required=('name',)),
    R('addresses', 'address', ('address_id',), filters=('innerId', 'customerId'),
        envelope=STRINGS_COUNTED,
        required=('firstname', 'lastname', 'address1', 'postcode', 'city',
            'customer', 'country')),
    R('products', 'product', ('product_id',), filters=PRODUCT_FILTERS,
        envelope=STRINGS_COUNTED, read_only=PRODUCT_RELATIONS, required=('sku',)),
    R('productExtend', 'product', ('product_id',), collection='products',
        filters=PRODUCT_EXTEND_FILTERS, envelope=STRINGS_TIMED,
        read_only=('productAttributeExtend', 'productPrices', 'allImages',
            'productListAttributeValueRelations', 'numberAttributeValues',
            'textAttributeValues', 'relatedProducts', 'collateralProducts',
            'productAddons'),
        required=('sku', 'productDescriptions')),
    R('productDescriptions', 'productDescription',
        (('product_id', 'product'), ('language_id', 'language')), inner_id=False,
        filters=('productId', 'languageId', 'name'), envelope=STRINGS,
        create_only=('product', 'language'), required=('product', 'language')),
    R('taxClasses', 'taxClass', ('tax_class_id',), inner_id=False, methods=READ),
    R('taxClassExtend', 'taxClass', ('tax_class_id',), collection='taxClasses',
        inner_id=False, methods=READ),
    R('taxRates', 'taxRate', ('tax_rate_id',), inner_id=False, methods=READ,
        filters=('taxClassId',), envelope=STRINGS),
    R('paymentModes', 'paymentMode', ('extension_id',), methods=READ),
    # no official example of its own: answers as shippingModeExtend does
    R('shippingModes', 'shippingMode', ('id',), methods=READ, filters=('innerId',)),
    R('shippingModeExtend', 'shippingMode', ('id',), collection='shippingModes',
        filters=('innerId',), read_only=('extension',),
        required=('shippingModeDescriptions', 'shippingLanes')),
    R('shippingModeDescriptions', 'shippingModeDescription',
        (('id', 'shippingMode'), ('language_id', 'language')), inner_id=False,
        filters=('shippingModeId', 'languageId'),
        required=('language', 'shippingMode')),
    R('coupons', 'coupon', ('coupon_id',), inner_id=False, filters=('code',),
        envelope=STRINGS, required=('code',)),
    R('currencies', 'currency', ('currency_id',), inner_id=False, methods=READ,
        filters=('code',), envelope=STRINGS),
    R('countries', 'country', ('country_id',), inner_id=False, methods=READ,
        envelope=STRINGS),
    # no official example of its own: the newer envelope
    R('languages', 'language', ('language_id',), methods=READ, filters=('code',)),
    R('stockStatuses', 'stockStatus', ('stock_status_id',), inner_id=False,
        methods=READ, envelope=STRINGS),
    R('stockStatusDescriptions', 'stockStatusDescription',
        (('stock_status_id', 'stockStatus'), ('language_id', 'language')),
        inner_id=False, methods=READ, filters=('stockStatusId', 'languageId'),
        envelope=STRINGS),
    R('webHooks', 'webHook', ('notification_id',), inner_id=False, envelope=STRINGS,
        required=('label', 'event', 'status', 'webHookParameters')),
]
RESOURCES = {resource.path: resource for resource in TABLE}
# The resource that renders a collection's items when another one embeds them.
PRIMARY = {resource.collection: resource for resource in reversed(TABLE)
    if resource.path == resource.collection}
# The resource whose fields a seed item may use (extend resources hold the most).
SEED_SHAPE = {**PRIMARY, **{resource.collection: resource for resource in TABLE
    if resource.path.endswith('Extend')}}
COLLECTIONS = tuple(PRIMARY)
# entity of an id -> collection, to render links nested in free-form values
ENTITY_COLLECTIONS = {resource.entity: resource.collection for resource in TABLE}
ENTITY_COLLECTIONS.update({'geoZone': 'geoZones', 'zone': 'zones',
    'manufacturer': 'manufacturers'})
