"""What each API path answers: its fields in order, and the kind of each field.

Our own declaration, written from ShopRenter's documentation (REFERENCE.md §4
and §7): a kind says how the field is rendered and written and what its empty
value is.  The conformance tests check it against the official examples at
test time; nothing here is read from them.

Kinds:
  TEXT, INT, FLAG       plain text, an integer string, "0"/"1" (every scalar is a string)
  BLANK_OBJECT          text, shown as {} when blank (customer fax, coupon email, …)
  dec(n)                a number with n decimals ("27.0000")
  ISO, SPACED, DAY      dates "YYYY-MM-DDTHH:MM:SS", "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD"
  link(c)               {"href": …/c/<id>}; {} when empty (null with null=True)
  embed(c)              the linked item of collection c rendered inline
  relation(c, p)        {"href": …/c?p=<our id>}: the items of c that name us
  subpath(c, s)         {"href": …/c/<our id>/s}
  inline(c, back)       the items of c whose link field back names us, inline
  LIST                  a free-form list, rendered as stored
  obj(key=kind, …)      an object with these sub-keys
"""
from dataclasses import dataclass, field as dataclass_field

from . import dates


@dataclass(frozen=True)
class Kind:
    kind: str                 # scalar link embed relation subpath list object
    empty: object = ''        # the value shown when nothing is stored
    decimals: int = None
    date_format: str = None
    collection: str = None    # link/embed/inline/relation/subpath target
    param: str = None         # relation: the query parameter naming us
    suffix: str = None        # subpath: the path after our id
    backlink: str = None      # inline: the sub-items' field pointing back at us
    keys: dict = dataclass_field(default=None, hash=False)  # object: sub-key -> Kind


def text(empty=''):
    return Kind('scalar', empty)


def dec(places, empty=None):
    return Kind('scalar', empty or '0.' + '0' * places, decimals=places)


def date(fmt):
    return Kind('scalar', dates.zero_date(fmt), date_format=fmt)


def link(collection, null=False):
    return Kind('link', None if null else {}, collection=collection)


def embed(collection):
    return Kind('embed', {}, collection=collection)


def relation(collection, param):
    return Kind('relation', {}, collection=collection, param=param)


def subpath(collection, suffix):
    return Kind('subpath', {}, collection=collection, suffix=suffix)


def inline(collection, backlink):
    return Kind('list', [], collection=collection, backlink=backlink)


def obj(**keys):
    return Kind('object', {name: kind.empty for name, kind in keys.items()}, keys=keys)


TEXT = text()
BLANK_OBJECT = text({})    # text (or a count) the shop shows as {} when blank
INT = text('0')
FLAG = text('0')
FLAG_ON = text('1')        # a flag the shop switches on by default
MONEY = dec(4)             # amounts, prices and percentages: 4 decimals
SIZE = dec(2)              # dimensions and order limits: 2 decimals
RATE = dec(8)              # currency multipliers: 8 decimals
NO_RATE = dec(4, '-1.0000')   # an order's coupon/loyalty tax rate when it has none
ISO = date(dates.ISO)
SPACED = date(dates.SPACED)
DAY = date(dates.DAY)
LIST = Kind('list', [])

DATES = dict(dateCreated=ISO, dateUpdated=ISO)


def _address(prefix):
    "The buyer's address copied onto an order (shipping… or payment…)"
    return {prefix + name: TEXT for name in ('Firstname', 'Lastname', 'Company',
        'Address1', 'Address2', 'City', 'Postcode', 'ZoneName', 'CountryName',
        'AddressFormat')}


# The fields orders and orderExtend share, up to where they differ
ORDER_COMMON = dict(
    innerId=INT, invoiceId=INT, invoicePrefix=TEXT, firstname=TEXT, lastname=TEXT,
    phone=TEXT, fax=TEXT, email=TEXT,
    **_address('shipping'),
    shippingMethodName=TEXT, shippingMethodTaxRate=MONEY, shippingMethodTaxName=TEXT,
    shippingMethodExtension=TEXT, shippingReceivingPointId=text('0'),
    **_address('payment'),
    paymentMethodName=TEXT, paymentMethodCode=TEXT, paymentMethodTaxRate=MONEY,
    paymentMethodTaxName=TEXT, paymentMethodAfter=FLAG, taxNumber=TEXT, comment=TEXT,
    total=MONEY, value=RATE, couponTaxRate=NO_RATE, **DATES, ip=TEXT,
    pickPackPontShopCode=TEXT, loyaltyPointsTaxRate=NO_RATE,
    customer=link('customers'), customerGroup=link('customerGroups'),
    shippingZone=link('zones', null=True))
EXTERNAL_INFO = obj(partner_order_id=TEXT, partner_prefix=TEXT)

PRODUCT_SCALARS = dict(
    innerId=INT, sku=TEXT, modelNumber=TEXT, orderable=FLAG_ON, price=MONEY,
    multiplier=dec(4, '1.0000'), multiplierLock=FLAG, loyaltyPoints=BLANK_OBJECT,
    stock1=INT, stock2=INT, stock3=INT, stock4=INT, subtractStock=FLAG_ON,
    mainPicture=TEXT, width=SIZE, height=SIZE, length=SIZE, weight=SIZE, status=INT,
    shipped=FLAG_ON, minimalOrderNumber=text('1'), maximalOrderNumber=INT,
    minimalOrderNumberMultiply=INT, availableDate=DAY, quantity=MONEY, sortOrder=INT,
    **DATES, imageAlt=TEXT, freeShipping=FLAG, durableMediaDevice=FLAG)


def _product_links(manufacturer):
    return dict(
        taxClass=link('taxClasses'), noStockStatus=link('stockStatuses'),
        inStockStatus=link('stockStatuses'), productClass=link('productClasses'),
        parentProduct=link('products'), volumeUnit=link('lengthClasses'),
        weightUnit=link('weightClasses'), manufacturer=manufacturer,
        **{f'onlyStock{n}Status': link('stockStatuses') for n in range(1, 5)},
        allImages=obj(mainImage=TEXT, image1=TEXT))


# A product's related rows: query links on products, inline on productExtend.
PRODUCT_PARTS = ('productDescriptions', 'productRelatedProductRelations',
    'productCategoryRelations', 'productSpecials', 'productProductBadgeRelations',
    'productListAttributeValueRelations', 'numberAttributeValues', 'textAttributeValues',
    'productTags', 'productCollateralProductRelations', 'customerGroupProductPrices')
# ...except these, query links on both
PRODUCT_QUERIED = ('productListAttributeValueRelations', 'numberAttributeValues',
    'textAttributeValues')

CUSTOMER_SCALARS = dict(
    innerId=INT, firstname=TEXT, lastname=TEXT, email=TEXT, telephone=TEXT,
    fax=BLANK_OBJECT, password=TEXT, newsletter=FLAG, status=FLAG, approved=FLAG, **DATES,
    freeShipping=FLAG, defaultAddress=link('addresses'),
    customerGroup=link('customerGroups'))

SHIPPING_MODE_SCALARS = dict(
    innerId=INT, sortOrder=INT, enabled=FLAG, costCalculationBy=TEXT,
    freeShippingFrom=MONEY, shippingType=TEXT)

TAX_CLASS_SCALARS = dict(name=TEXT, description=TEXT, **DATES)

FIELDS = {
    'orders': dict(
        **ORDER_COMMON, shippingCountry=link('countries'),
        paymentZone=link('zones', null=True), paymentCountry=link('countries'),
        orderStatus=link('orderStatuses'), language=link('languages'),
        currency=link('currencies'), shippingMode=link('shippingModes'),
        **{name: relation(name, 'orderId') for name in ('orderTotals', 'orderProducts',
            'orderGiftWrappings', 'orderProductAddons')},
        externalInfo=EXTERNAL_INFO),
    'orderExtend': dict(
        **ORDER_COMMON, shippingCountry=embed('countries'),
        paymentZone=link('zones', null=True), paymentCountry=embed('countries'),
        orderStatus=link('orderStatuses'), language=embed('languages'),
        currency=embed('currencies'), shippingMode=embed('shippingModes'),
        coupon=embed('coupons'), orderTotals=inline('orderTotals', 'order'),
        orderProducts=inline('orderProducts', 'order'), orderGiftWrappings=LIST,
        orderProductAddons=inline('orderProductAddons', 'order'),
        orderAddressIdentifications=LIST, externalInfo=EXTERNAL_INFO,
        orderCreditCards=inline('orderCreditCards', 'order')),
    'orderProducts': dict(
        innerId=INT, name=TEXT, sku=TEXT, productInnerId=INT, modelNumber=BLANK_OBJECT,
        originalPrice=MONEY, price=MONEY,
        grossPrice=TEXT, originalGrossPrice=TEXT,  # whole numbers ("3048"), as the shop sends
        originalPriceCurrency=MONEY, priceCurrency=MONEY, grossPriceCurrency=MONEY,
        originalGrossPriceCurrency=MONEY, total=MONEY, taxRate=MONEY,
        stock1=INT, stock2=INT, stock3=INT, stock4=INT, subtractStock=FLAG, **DATES,
        width=SIZE, height=SIZE, length=SIZE, weight=SIZE,
        parentProduct=link('products'),  # the shop's own href says /product/ (a typo)
        gtin=TEXT, durableMediaDevice=FLAG, order=link('orders'),
        product=link('products'),
        orderProductOptions=relation('orderProductOptions', 'orderProductId')),
    'orderTotals': dict(
        name=TEXT, valueText=TEXT, value=MONEY, sortOrder=INT, type=TEXT,
        key=BLANK_OBJECT, description=BLANK_OBJECT, **DATES, order=link('orders')),
    'orderStatuses': dict(
        innerId=INT,
        orderStatusDescriptions=relation('orderStatusDescriptions', 'orderStatusId')),
    'orderStatusDescriptions': dict(
        name=TEXT, color=TEXT, orderStatus=link('orderStatuses'),
        language=link('languages')),
    'orderHistories': dict(
        innerId=INT, comment=TEXT, dateAdded=SPACED, order=link('orders'),
        orderStatus=link('orderStatuses')),
    'customers': dict(
        **CUSTOMER_SCALARS, addresses=relation('addresses', 'customerId'),
        loyaltyPoints=relation('loyaltyPoints', 'customerId')),
    'customerExtend': dict(
        **CUSTOMER_SCALARS, addresses=inline('addresses', 'customer'),
        loyaltyPoints=inline('loyaltyPoints', 'customer')),
    'customerGroups': dict(
        innerId=INT, name=TEXT, percentDiscount=INT, percentDiscountSpecialPrices=INT),
    'addresses': dict(
        innerId=INT, company=TEXT, firstname=TEXT, lastname=TEXT, taxNumber=TEXT,
        type=TEXT, address1=TEXT, address2=TEXT, postcode=TEXT, city=TEXT, **DATES,
        telephone=TEXT, customer=link('customers'), country=link('countries'),
        zone=link('zones')),
    'products': dict(
        **PRODUCT_SCALARS, **_product_links(link('manufacturers')),
        **{name: relation(name, 'productId') for name in PRODUCT_PARTS},
        relatedProducts=subpath('products', 'relatedProducts'),
        collateralProducts=subpath('products', 'collateralProducts'),
        productAddons=subpath('productExtend', 'productAddons'),
        productAddonProductRelations=relation('productAddonProductRelations',
            'productId')),
    'productExtend': dict(
        **PRODUCT_SCALARS, productAttributeExtend=LIST, productPrices=LIST,
        **_product_links(embed('manufacturers')),
        **{name: relation(name, 'productId') if name in PRODUCT_QUERIED
            else inline(name, 'product') for name in PRODUCT_PARTS},
        relatedProducts=subpath('productExtend', 'relatedProducts'),
        collateralProducts=subpath('productExtend', 'collateralProducts'),
        urlAliases=embed('urlAliases'),
        productAddons=subpath('productExtend', 'productAddons'),
        productAddonProductRelations=inline('productAddonProductRelations', 'product')),
    'productDescriptions': dict(
        name=TEXT, metaTitle=TEXT, metaKeywords=TEXT, metaDescription=TEXT,
        shortDescription=TEXT, description=TEXT, customContentTitle=TEXT,
        customContent=TEXT, parameters=TEXT, packagingUnit=TEXT, measurementUnit=TEXT,
        **DATES, videoCode=TEXT, product=link('products'), language=link('languages')),
    'taxClasses': dict(**TAX_CLASS_SCALARS, taxRates=relation('taxRates', 'taxClassId')),
    'taxClassExtend': dict(**TAX_CLASS_SCALARS, taxRates=inline('taxRates', 'taxClass')),
    'taxRates': dict(
        priority=INT, rate=MONEY, description=TEXT, **DATES, geoZone=link('geoZones'),
        taxClass=link('taxClasses')),
    'paymentModes': dict(
        innerId=INT, code=TEXT, status=FLAG, sortOrder=INT, geoZone=link('geoZones'),
        orderStatus=link('orderStatuses'),
        paymentDescription=LIST),  # sic (singular): [{name, description, language}]
    'shippingModes': dict(
        **SHIPPING_MODE_SCALARS, taxClass=link('taxClasses'),
        geoZone=link('geoZones', null=True),
        shippingModeDescriptions=relation('shippingModeDescriptions', 'shippingModeId'),
        shippingLanes=relation('shippingLanes', 'shippingModeId')),
    'shippingModeExtend': dict(
        **SHIPPING_MODE_SCALARS, extension=TEXT, taxClass=link('taxClasses'),
        geoZone=link('geoZones'),
        shippingModeDescriptions=inline('shippingModeDescriptions', 'shippingMode'),
        shippingLanes=inline('shippingLanes', 'shippingMode')),
    'shippingModeDescriptions': dict(
        name=TEXT, description=TEXT, shippingMode=link('shippingModes'),
        language=link('languages')),
    'coupons': dict(
        code=TEXT, discountType=TEXT, percentDiscountValue=MONEY, loginRequired=FLAG,
        freeShipping=FLAG, fixDiscountValue=MONEY, dateStart=DAY, dateEnd=DAY,
        totalNumberOfCoupons=INT, totalNumberOfCouponsPerCustomer=INT, status=FLAG,
        dateCreated=SPACED, dateUpdated=SPACED, email=BLANK_OBJECT, minOrderLimit=SIZE,
        maxOrderLimit=SIZE, validToSpecialProducts=FLAG, validWithGiftProducts=FLAG,
        validWithBulkDiscount=FLAG, validWithLoyaltyPoints=FLAG,
        bypassMinOrderLimitWithCoupon=FLAG, targetType=TEXT, taxClass=link('taxClasses'),
        couponDescriptions=relation('couponDescriptions', 'couponId')),
    'currencies': dict(
        name=TEXT, code=TEXT, symbolLeft=BLANK_OBJECT, symbolRight=TEXT, decimalPlace=INT,
        value=RATE, status=FLAG, dateUpdated=SPACED),
    'countries': dict(
        name=TEXT, isoCode2=TEXT, isoCode3=TEXT, status=FLAG,
        zones=relation('zones', 'countryId'), geoZones=LIST),
    'languages': dict(
        innerId=INT, name=TEXT, code=TEXT, locale=TEXT, sortOrder=INT, status=FLAG),
    'stockStatuses': dict(
        stockStatusDescriptions=relation('stockStatusDescriptions', 'stockStatusId')),
    'stockStatusDescriptions': dict(
        name=TEXT, color=TEXT, stockStatus=link('stockStatuses'),
        language=link('languages')),
    'webHooks': dict(
        event=TEXT, status=FLAG, label=TEXT,
        # one object on GET (lists in the API's own examples of writes)
        webHookParameters=obj(type=TEXT, url=TEXT, webHook=link('webHooks'), fields=LIST),
        webHookDelay=obj(delay=INT, delayUnit=TEXT, webHook=link('webHooks'))),
}
