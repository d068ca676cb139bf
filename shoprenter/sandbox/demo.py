"""The sandbox's bundled demo data: a small, plausible Hungarian webshop.

``demo_seed()`` returns the seed (collection -> list of items in the API's JSON shape, links as
``{"id": …}``). It is deterministic (fixed random seed, fixed "now") and cheap to build.
The orders are placed through ``checkout.place_order`` so the demo and the checkout always agree
on prices, totals and stock; ``SCENARIOS`` says which order innerId exercises what.
"""
import random
import unicodedata
from datetime import datetime, timedelta

from .checkout import place_order
from .ids import make_id

__all__ = ['demo_seed', 'SCENARIOS', 'NOW']

RANDOM_SEED = 20261120
# The demo shop's "now": orders are spread over the 60 days before it.
NOW = datetime(2026, 11, 20, 10, 0, 0)
ORDER_DAYS = 60
ORDER_COUNT = 80
CATALOG_START = datetime(2025, 11, 3, 9, 0, 0)   # products and customers are older than orders

COLLECTIONS = (
    'products', 'productDescriptions', 'customers', 'addresses', 'orders', 'orderProducts',
    'orderTotals', 'orderStatuses', 'orderStatusDescriptions', 'taxClasses', 'taxRates',
    'paymentModes', 'shippingModes', 'shippingModeDescriptions', 'coupons', 'currencies',
    'countries', 'languages', 'webHooks', 'customerGroups')

HU, EN = 1, 2                        # language_id
HUF, EUR = 4, 2                      # currency_id (4 = HUF as in the official fixtures)
HU_GEO_ZONE = make_id('geoZone', geo_zone_id=5)
EU_GEO_ZONE = make_id('geoZone', geo_zone_id=6)
TAX_27, TAX_18, TAX_5, TAX_AAM = 10, 11, 12, 13   # tax_class_id
DEFAULT_GROUP = 8                    # customer_group_id
GLS, MPL, FOXPOST, PICKUP = 1, 2, 3, 4   # shippingMode innerId
PENDING, PROCESSING, SHIPPING, COMPLETED, CANCELLED, STORNO = '1', '2', '3', '4', '5', '6'
MAX_CART = '99999999999.9999'

# Which order (innerId = slot + 1, orders are placed oldest first) exercises which scenario.
SCENARIOS = {
    'guest_kiss_anna_messy_email': 13,    # " Kiss.Anna@Example.HU ", guest, GLS, COD
    'cancelled': 16,                      # status 5
    'company_registered': 21,             # registered company customer, tax number, transfer
    'coupon_percent': 26,                 # NYAR10
    'storno': 30,                         # status 6
    'company_guest': 34,                  # guest company: paymentCompany + taxNumber
    'abandoned_cart_1': 37,               # orderStatus null
    'service_line': 41,                   # Ajándékcsomagolás (no sku) + comment
    'parcel_locker': 45,                  # Foxpost with shippingReceivingPointId
    'guest_kiss_anna_clean_email': 48,    # "kiss.anna@example.hu", same guest, card
    'discontinued_sku': 53,               # OLD-1, not in the catalog
    'free_shipping': 56,                  # GLS, gross cart above 30 000
    'coupon_fixed': 59,                   # HUSEG2000
    'aam_line': 62,                       # a tax-exempt (AAM, 0 %) product
    'different_shipping_address': 64,     # registered buyer, parcel sent to someone else
    'abandoned_cart_2': 67,
    'foreign_address': 69,                # guest in Austria
    'personal_pickup': 71,                # Személyes átvétel, free shipping mode
    'multi_line': 74,                     # four lines, card, comment
    'abandoned_cart_3': 78,
}

FIRST_NAMES = (
    'Anna', 'Katalin', 'Éva', 'Zsófia', 'Eszter', 'Judit', 'Réka', 'Nóra', 'Ildikó', 'Erzsébet',
    'Dóra', 'Petra', 'Viktória', 'Mária', 'Gábor', 'László', 'István', 'Péter', 'Zoltán',
    'András', 'Tamás', 'Attila', 'Balázs', 'Bence', 'Dávid', 'Ferenc', 'Máté', 'Levente',
    'Csaba', 'Gergely')
LAST_NAMES = (
    'Nagy', 'Kovács', 'Tóth', 'Szabó', 'Horváth', 'Varga', 'Molnár', 'Németh', 'Farkas',
    'Balogh', 'Papp', 'Takács', 'Juhász', 'Mészáros', 'Oláh', 'Simon', 'Rácz', 'Fekete',
    'Szilágyi', 'Török', 'Fehér', 'Balázs', 'Gál', 'Kis', 'Szűcs', 'Kocsis', 'Orsós', 'Pintér')
CITIES = (
    ('Budapest', '1027'), ('Budapest', '1117'), ('Budapest', '1139'), ('Budapest', '1045'),
    ('Debrecen', '4024'), ('Szeged', '6720'), ('Miskolc', '3525'), ('Pécs', '7621'),
    ('Győr', '9021'), ('Nyíregyháza', '4400'), ('Kecskemét', '6000'), ('Székesfehérvár', '8000'),
    ('Szombathely', '9700'), ('Eger', '3300'), ('Veszprém', '8200'), ('Sopron', '9400'),
    ('Zalaegerszeg', '8900'), ('Vác', '2600'))
STREETS = (
    'Petőfi Sándor utca', 'Kossuth Lajos utca', 'Rákóczi út', 'Ady Endre utca',
    'Dózsa György út', 'Fő utca', 'Arany János utca', 'Széchenyi tér', 'Bajcsy-Zsilinszky út',
    'Jókai Mór utca', 'Béke utca', 'Kölcsey Ferenc utca', 'Deák Ferenc tér', 'Váci út')
MAIL_DOMAINS = ('gmail.com', 'freemail.hu', 'citromail.hu', 'outlook.com', 'yahoo.com')
COMPANIES = (
    'Kovács és Társa Kft.', 'Napfény Bt.', 'Tóth Építő Kft.', 'Zöldkert Kft.',
    'Pannon Papír Zrt.', 'Alföldi Ízek Kft.', 'Dunai Irodaszer Bt.', 'Bakony Faipari Kft.')
COMMENTS = (
    'Kérem, délután szállítsák, 16 óra után vagyok otthon.',
    'A kapucsengő nem működik, kérem hívjanak telefonon.',
    'Ha lehet, számlát is kérek a csomagba.',
    'Sürgős lenne, hétvégére ajándékba kell.',
    'A szomszédnál is hagyhatják a csomagot (2. ajtó).')
FOXPOST_POINTS = ('1014', '1162', '1233', '2047', '3105', '4120')

BOOK_TITLES = (
    'Egri csillagok', 'A Pál utcai fiúk', 'Légy jó mindhalálig', 'Az ember tragédiája',
    'Tüskevár', 'Abigél', 'Kincskereső kisködmön', 'A kőszívű ember fiai', 'Sorstalanság',
    'Édes Anna', 'Az arany ember', 'Rab Ráby', 'Toldi', 'János vitéz', 'Fekete város',
    'Szent Péter esernyője', 'Az öreg halász és a tenger', 'A láthatatlan ember',
    'Emberek a tanyán', 'Macskafogó – képregény')
BOOK_BINDINGS = ('puhatáblás', 'keménytáblás')
FOODS = (
    'Trappista sajt 500 g', 'Gouda szeletelt sajt 200 g', 'Vaj 82% 250 g',
    'Tejföl 20% 330 g', 'Túró Rudi 10 db', 'Pogácsa túrós 500 g', 'Kakaós csiga 4 db',
    'Kürtőskalács fahéjas', 'Bejgli diós 400 g', 'Bejgli mákos 400 g', 'Joghurt natúr 4 × 150 g',
    'Kefir 500 ml', 'Zsemle 10 db', 'Kovászos kenyér 1 kg', 'Rétes almás 4 db',
    'Pozsonyi kifli 6 db', 'Ementáli sajt 300 g', 'Parenyica sajt 150 g',
    'Házi tepertős pogácsa 500 g', 'Krémtúró vaníliás 200 g')
AAM_PRODUCTS = (
    'Kézműves levendulás szappan', 'Kézzel festett kerámia bögre', 'Horgolt amigurumi mackó')
GOODS = (   # (name, lowest net price, highest net price)
    ('Kávéfőző kotyogós', 3490, 14990), ('Vízforraló', 5990, 19990), ('Kenyérpirító', 6990, 24990),
    ('Botmixer', 7990, 29990), ('Porszívó', 24990, 89900), ('Vasaló', 8990, 34990),
    ('Serpenyő', 4990, 19990), ('Lábas', 5990, 24990), ('Bögre', 990, 3490),
    ('Tányérkészlet', 7990, 29990), ('Törölköző', 1990, 6990), ('Ágyneműhuzat', 6990, 19990),
    ('Párna', 3990, 12990), ('Takaró', 5990, 19990), ('Asztali lámpa', 6990, 24990),
    ('LED izzó', 490, 2490), ('Hosszabbító', 1990, 5990), ('Fejhallgató', 4990, 39990),
    ('Bluetooth hangszóró', 7990, 49990), ('Powerbank', 5990, 17990), ('Pendrive', 1990, 9990),
    ('Egér', 2990, 19990), ('Billentyűzet', 5990, 34990), ('Hátizsák', 6990, 29990),
    ('Esernyő', 2990, 8990), ('Pulóver', 7990, 24990), ('Póló', 2990, 7990),
    ('Sapka', 1990, 5990), ('Sál', 2990, 9990), ('Zokni 3 pár', 1490, 3990),
    ('Kerti szék', 8990, 29990), ('Locsolókanna', 1990, 5990), ('Virágcserép', 990, 6990),
    ('Társasjáték', 4990, 19990), ('Kirakó 1000 db', 2990, 7990), ('Plüssmackó', 2990, 9990),
    ('Építőkocka készlet', 5990, 39990), ('Jógamatrac', 4990, 14990), ('Kulacs', 2490, 8990),
    ('Futócipő', 14990, 49990))
VARIANTS = (
    'fekete', 'fehér', 'piros', 'kék', 'zöld', 'szürke', 'bordó', 'mustársárga', 'nagy', 'kicsi')


# --- small helpers ----------------------------------------------------------------------------

def api_time(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%S')


def link(collection_item_id):
    return {'id': collection_item_id}


def ascii_fold(text):
    "Accent-free lower case for e-mail addresses: 'Szűcs Éva' -> 'szucs eva'"
    decomposed = unicodedata.normalize('NFKD', text)
    return ''.join(char for char in decomposed if not unicodedata.combining(char)).lower()


def nice_price(rng, lowest, highest):
    "A shop-like net price ending in 90 (2490), log-uniform between lowest and highest"
    raw = lowest * (highest / lowest) ** rng.random()
    return min(max(int(round(raw / 100)) * 100 - 10, lowest), highest)


def ean13(number):
    "A valid EAN-13 with the Hungarian GS1 prefix 599"
    body = f'599{number:09d}'
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def hungarian_tax_number(rng):
    "'12345676-2-41': 8-digit ANUM with its check digit, VAT code, county code"
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
    weights = (9, 7, 3, 1, 9, 7, 3)
    check = (-sum(weight * digit for weight, digit in zip(weights, digits))) % 10
    anum = ''.join(map(str, digits)) + str(check)
    return f'{anum}-{rng.choice((2, 2, 2, 1))}-{rng.choice(("41", "42", "43", "13", "09"))}'


def phone(rng):
    return f'+36{rng.choice(("20", "30", "70"))}{rng.randint(1000000, 9999999)}'


def street_address(rng):
    return f'{rng.choice(STREETS)} {rng.randint(1, 120)}.'


# --- shop settings ----------------------------------------------------------------------------

def add_languages(data):
    data['languages'] += [
        {'id': make_id('language', language_id=HU), 'innerId': str(HU), 'name': 'Magyar',
         'code': 'hu', 'locale': 'hu_HU.UTF-8,hu_HU,hu-hu,hungarian', 'sortOrder': '1',
         'status': '1'},
        {'id': make_id('language', language_id=EN), 'innerId': str(EN), 'name': 'English',
         'code': 'en', 'locale': 'en_US.UTF-8,en_US,en-us,english', 'sortOrder': '2',
         'status': '1'},
    ]


def add_currencies(data):
    updated = CATALOG_START.strftime('%Y-%m-%d %H:%M:%S')   # currencies use the space format
    data['currencies'] += [
        {'id': make_id('currency', currency_id=HUF), 'name': 'Magyar forint', 'code': 'HUF',
         'symbolLeft': {}, 'symbolRight': ' Ft', 'decimalPlace': '0', 'value': '1.00000000',
         'status': '1', 'dateUpdated': updated},
        {'id': make_id('currency', currency_id=EUR), 'name': 'Euró', 'code': 'EUR',
         'symbolLeft': {}, 'symbolRight': ' €', 'decimalPlace': '2', 'value': '0.00250000',
         'status': '1', 'dateUpdated': updated},
    ]


def add_countries(data):
    geo_zones = {
        'HU': [{'id': HU_GEO_ZONE, 'name': 'Magyarország', 'description': 'HUN'},
               {'id': EU_GEO_ZONE, 'name': 'Európai Unió', 'description': 'EU'}],
        'EU': [{'id': EU_GEO_ZONE, 'name': 'Európai Unió', 'description': 'EU'}],
    }
    for country_id, name, iso2, iso3 in (
            (97, 'Magyarország', 'HU', 'HUN'), (14, 'Ausztria', 'AT', 'AUT'),
            (81, 'Németország', 'DE', 'DEU'), (189, 'Szlovákia', 'SK', 'SVK'),
            (175, 'Románia', 'RO', 'ROU')):
        data['countries'].append({
            'id': make_id('country', country_id=country_id), 'name': name, 'isoCode2': iso2,
            'isoCode3': iso3, 'status': '1',
            'geoZones': [dict(zone) for zone in geo_zones['HU' if iso2 == 'HU' else 'EU']],
        })


def add_customer_groups(data):
    data['customerGroups'].append({
        'id': make_id('customerGroup', customer_group_id=DEFAULT_GROUP),
        'innerId': str(DEFAULT_GROUP), 'name': 'Alapértelmezett', 'percentDiscount': '0',
        'percentDiscountSpecialPrices': '0'})


def tax_class_id(number):
    return make_id('taxClass', tax_class_id=number)


def add_taxes(data):
    created = api_time(CATALOG_START)
    for number, name, description, rate in (
            (TAX_27, '27 %', 'Általános forgalmi adó 27 %', '27.0000'),
            (TAX_18, '18 %', 'Kedvezményes ÁFA 18 % (tejtermékek, pékáru)', '18.0000'),
            (TAX_5, '5 %', 'Kedvezményes ÁFA 5 % (könyvek)', '5.0000'),
            # Alanyi adómentes: the ERP demo maps no tax to it, so such orders stop on purpose.
            (TAX_AAM, 'AAM', 'Alanyi adómentes', '0.0000')):
        data['taxClasses'].append({
            'id': tax_class_id(number), 'name': name, 'description': description,
            'dateCreated': created, 'dateUpdated': created})
        data['taxRates'].append({
            'id': make_id('taxRate', tax_rate_id=number + 84), 'priority': '1', 'rate': rate,
            'description': description, 'dateCreated': created, 'dateUpdated': created,
            'geoZone': link(HU_GEO_ZONE), 'taxClass': link(tax_class_id(number))})


def add_order_statuses(data):
    for number, hungarian, english, color in (
            (1, 'Függőben', 'Pending', '#f0ad4e'),
            (2, 'Feldolgozás alatt', 'Processing', '#5bc0de'),
            (3, 'Szállítás alatt', 'Shipping', '#337ab7'),
            (4, 'Teljesítve', 'Completed', '#5cb85c'),
            (5, 'Törölve', 'Cancelled', '#d9534f'),
            (6, 'Storno', 'Storno', '#777777')):
        status_id = make_id('orderStatus', order_status_id=number)
        data['orderStatuses'].append({'id': status_id, 'innerId': str(number)})
        for language, name in ((HU, hungarian), (EN, english)):
            data['orderStatusDescriptions'].append({
                'id': make_id('orderStatusDescription', order_status_id=number,
                              language_id=language),
                'name': name, 'color': color, 'orderStatus': link(status_id),
                'language': link(make_id('language', language_id=language))})


def add_payment_modes(data):
    for number, code, hungarian, english, fee in (
            (23, 'cod', 'Utánvét', 'Cash on delivery', '390.0000'),
            (24, 'barion', 'Bankkártyás fizetés (Barion)', 'Card payment (Barion)', None),
            (25, 'bank_transfer', 'Banki átutalás', 'Bank transfer', None)):
        mode = {
            'id': make_id('paymentMode', extension_id=number), 'innerId': str(number),
            'code': code, 'status': '1', 'sortOrder': str(number - 22), 'geoZone': None,
            'orderStatus': link(make_id('orderStatus', order_status_id=1)),
            'paymentDescription': [
                {'name': hungarian, 'description': '',
                 'language': link(make_id('language', language_id=HU))},
                {'name': english, 'description': '',
                 'language': link(make_id('language', language_id=EN))}],
        }
        if fee:
            # Sandbox extension fields (ShopRenter's API does not show payment fees): the
            # gross handling fee and its VAT rate, used by checkout for the PAYMENT total.
            mode['sandboxFeeGross'] = fee
            mode['sandboxFeeTaxRate'] = '27.0000'
        data['paymentModes'].append(mode)


def shipping_lane(lane_number, mode_id, minimum, maximum, cost_net):
    return {
        'id': make_id('shippingLane', id=lane_number), 'innerId': str(lane_number),
        'cartMinimumGross': minimum, 'cartMaximumGross': maximum, 'costNet': cost_net,
        'weightMinimum': '0.0000', 'weightMaximum': '0.0000', 'shippingMode': link(mode_id)}


def add_shipping_modes(data):
    modes = (   # number, extension, type, free from, lanes (min, max, net cost), hu, en
        (GLS, 'GLS', 'COURIER_SERVICE', '30000.0000', [('0.0000', MAX_CART, '1490.0000')],
         'GLS futárszolgálat', 'GLS courier'),
        (MPL, 'MPL', 'COURIER_SERVICE', '0.0000',
         [('0.0000', '14999.9999', '1690.0000'), ('15000.0000', MAX_CART, '1190.0000')],
         'MPL házhozszállítás', 'MPL home delivery'),
        (FOXPOST, 'FOXPOST', 'PERSONAL_RECEIPT', '20000.0000',
         [('0.0000', MAX_CART, '890.0000')], 'Foxpost csomagautomata', 'Foxpost parcel locker'),
        (PICKUP, 'WSESHIP', 'PERSONAL_RECEIPT', '0.0000', [('0.0000', MAX_CART, '0.0000')],
         'Személyes átvétel', 'Personal pickup'),
    )
    lane_number = 360
    for number, extension, shipping_type, free_from, lanes, hungarian, english in modes:
        mode_id = make_id('shippingMode', id=number)
        mode_lanes = []
        for minimum, maximum, cost_net in lanes:
            mode_lanes.append(shipping_lane(lane_number, mode_id, minimum, maximum, cost_net))
            lane_number += 1
        data['shippingModes'].append({
            'id': mode_id, 'innerId': str(number), 'sortOrder': str(number), 'enabled': '1',
            'costCalculationBy': 'PRICE', 'freeShippingFrom': free_from,
            'shippingType': shipping_type, 'extension': extension,
            'taxClass': link(tax_class_id(TAX_27)), 'geoZone': link(HU_GEO_ZONE),
            # shippingLanes are not a collection of their own in the seed: stored inline, as
            # shippingModeExtend shows them.
            'shippingLanes': mode_lanes})
        for language, name in ((HU, hungarian), (EN, english)):
            data['shippingModeDescriptions'].append({
                'id': make_id('shippingModeDescription', id=number, language_id=language),
                'name': name, 'description': '', 'shippingMode': link(mode_id),
                'language': link(make_id('language', language_id=language))})


def add_coupons(data):
    created = '2026-05-20 08:00:00'   # coupons use the space format
    for number, code, kind, percent, fixed, start, end in (
            (1, 'NYAR10', 'PERCENT', '10.0000', '0.0000', '2026-06-01', '2026-12-31'),
            (2, 'HUSEG2000', 'FIXED', '0.0000', '2000.0000', '0000-00-00', '0000-00-00'),
            (3, 'TAVASZ15', 'PERCENT', '15.0000', '0.0000', '2026-03-01', '2026-05-31')):
        data['coupons'].append({
            'id': make_id('coupon', coupon_id=number), 'code': code, 'discountType': kind,
            'percentDiscountValue': percent, 'loginRequired': '0', 'freeShipping': '0',
            'fixDiscountValue': fixed, 'dateStart': start, 'dateEnd': end,
            'totalNumberOfCoupons': '1000', 'totalNumberOfCouponsPerCustomer': '1',
            'status': '1', 'dateCreated': created, 'dateUpdated': '0000-00-00 00:00:00',
            'email': {}, 'minOrderLimit': '0.00', 'maxOrderLimit': '0.00',
            'validToSpecialProducts': '1', 'validWithGiftProducts': '1',
            'validWithBulkDiscount': '1', 'validWithLoyaltyPoints': '1',
            'bypassMinOrderLimitWithCoupon': '0', 'targetType': 'PRODUCT',
            'taxClass': link(tax_class_id(TAX_27))})


# --- catalog ----------------------------------------------------------------------------------

def product_specs(rng):
    "(name, tax class, net price) of every demo product, in catalog order"
    specs = [(f'{title} ({binding})', TAX_5, nice_price(rng, 2490, 8990))
             for title in BOOK_TITLES for binding in BOOK_BINDINGS]
    specs += [(food, TAX_18, nice_price(rng, 490, 3990)) for food in FOODS]
    specs += [(name, TAX_AAM, nice_price(rng, 1490, 6990)) for name in AAM_PRODUCTS]
    goods = [(f'{name}, {variant}', low, high) for name, low, high in GOODS
             for variant in VARIANTS]
    rng.shuffle(goods)
    goods_count = 300 - len(specs)
    specs += [(name, TAX_27, nice_price(rng, low, high)) for name, low, high in goods[:goods_count]]
    rng.shuffle(specs)
    return specs


def add_products(data, rng):
    for index, (name, tax_class, price) in enumerate(product_specs(rng)):
        number = index + 1
        sku = f'HU-{1000 + number}'
        product_id = make_id('product', product_id=number)
        created = api_time(CATALOG_START + timedelta(days=rng.randint(0, 280),
                                                     minutes=rng.randint(0, 600)))
        data['products'].append({
            'id': product_id, 'innerId': str(number), 'sku': sku, 'modelNumber': '',
            'gtin': ean13(number), 'orderable': '1', 'price': f'{price}.0000',
            'multiplier': '1.0000', 'multiplierLock': '0', 'loyaltyPoints': {},
            'stock1': str(rng.randint(0, 60)), 'stock2': '0', 'stock3': '0', 'stock4': '0',
            'subtractStock': '1', 'mainPicture': f'product/{sku.lower()}.jpg',
            'width': '0.00', 'height': '0.00', 'length': '0.00', 'weight': '0.00',
            'status': '1', 'shipped': '1', 'minimalOrderNumber': '1',
            'maximalOrderNumber': '0', 'minimalOrderNumberMultiply': '0',
            'availableDate': '0000-00-00', 'quantity': '0.0000', 'sortOrder': '0',
            'dateCreated': created, 'dateUpdated': created, 'imageAlt': name,
            'freeShipping': '0', 'durableMediaDevice': '0',
            'taxClass': link(tax_class_id(tax_class)),
            'parentProduct': link(product_id),   # ShopRenter: the product itself when no parent
        })
        data['productDescriptions'].append({
            'id': make_id('productDescription', product_id=number, language_id=HU),
            'name': name, 'metaTitle': name, 'metaKeywords': '', 'metaDescription': '',
            'shortDescription': name, 'description': f'<p>{name}</p>',
            'customContentTitle': '', 'customContent': '', 'parameters': '',
            'packagingUnit': '', 'measurementUnit': 'db', 'dateCreated': created,
            'dateUpdated': created, 'videoCode': '', 'product': link(product_id),
            'language': link(make_id('language', language_id=HU))})


# --- customers --------------------------------------------------------------------------------

def unique_person(rng, used):
    "A (firstname, lastname) pair not used yet; Kiss Anna is kept for the guest scenario"
    while True:
        person = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if person not in used and person != ('Anna', 'Kiss'):
            used.add(person)
            return person


def email_of(rng, firstname, lastname, number):
    local = ascii_fold(f'{firstname}.{lastname}').replace(' ', '')
    return f'{local}{number}@{rng.choice(MAIL_DOMAINS)}'


def add_customers(data, rng, count=40, companies=8):
    used = set()
    hungary = make_id('country', country_id=97)
    group = make_id('customerGroup', customer_group_id=DEFAULT_GROUP)
    for index in range(count):
        number = index + 1
        firstname, lastname = unique_person(rng, used)
        customer_id = make_id('customer', customer_id=number)
        address_id = make_id('address', address_id=number)
        created = api_time(CATALOG_START + timedelta(days=rng.randint(10, 300),
                                                     minutes=rng.randint(0, 900)))
        telephone = phone(rng)
        # The first customers are companies: easy to find, and the rest stay private.
        is_company = index < companies
        city, postcode = rng.choice(CITIES)
        data['customers'].append({
            'id': customer_id, 'innerId': str(number), 'firstname': firstname,
            'lastname': lastname, 'email': email_of(rng, firstname, lastname, number),
            'telephone': telephone, 'fax': {},
            'password': '$2y$10$' + ''.join(rng.choice('abcdefghijkABCDEFGH0123456789./')
                                           for _ in range(53)),
            'newsletter': rng.choice(('0', '1')), 'status': '1', 'approved': '1',
            'dateCreated': created, 'dateUpdated': created, 'freeShipping': '0',
            'defaultAddress': link(address_id), 'customerGroup': link(group)})
        data['addresses'].append({
            'id': address_id, 'innerId': str(number),
            'company': COMPANIES[index] if is_company else '',
            'firstname': firstname, 'lastname': lastname,
            'taxNumber': hungarian_tax_number(rng) if is_company else '',
            'type': 'business' if is_company else 'private',
            'address1': street_address(rng),
            'address2': f'{rng.randint(1, 8)}. emelet {rng.randint(1, 30)}.'
            if rng.random() < .3 else '',
            'postcode': postcode, 'city': city, 'dateCreated': created, 'dateUpdated': created,
            'telephone': telephone, 'customer': link(customer_id), 'country': link(hungary),
            'zone': None})


# --- orders -----------------------------------------------------------------------------------

class OrderPlanner:
    "Builds the demo's order intents: random everyday orders and the named scenarios"

    def __init__(self, data, rng):
        self.data = data
        self.rng = rng
        self.skus = [product['sku'] for product in data['products']
                     if product['taxClass']['id'] != tax_class_id(TAX_AAM)]
        self.aam_skus = [product['sku'] for product in data['products']
                         if product['taxClass']['id'] == tax_class_id(TAX_AAM)]
        self.prices = {product['sku']: int(float(product['price']))
                       for product in data['products']}
        customers = data['customers']
        self.company_customers = customers[:8]
        self.private_customers = customers[8:]

    def items(self, count=None):
        count = count or self.rng.choice((1, 1, 1, 2, 2, 3))
        skus = self.rng.sample(self.skus, count)
        return [{'sku': sku, 'quantity': self.rng.choice((1, 1, 1, 1, 2, 3))} for sku in skus]

    def guest(self):
        firstname, lastname = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        city, postcode = self.rng.choice(CITIES)
        return {
            'firstname': firstname, 'lastname': lastname, 'phone': phone(self.rng),
            'email': f'{ascii_fold(firstname + lastname).replace(" ", "")}'
                     f'{self.rng.randint(1, 99)}@{self.rng.choice(MAIL_DOMAINS)}',
            'payment': {'firstname': firstname, 'lastname': lastname,
                        'address1': street_address(self.rng), 'city': city,
                        'postcode': postcode, 'countryName': 'Magyarország'},
        }

    def delivery(self, intent):
        "Random shipping and payment, weighted like a small Hungarian shop"
        shipping = self.rng.choice((GLS, GLS, GLS, MPL, MPL, FOXPOST, FOXPOST, PICKUP))
        intent['shippingMode'] = str(shipping)
        intent['paymentCode'] = self.rng.choice(('cod', 'cod', 'barion', 'barion',
                                                 'bank_transfer'))
        if shipping == FOXPOST:
            intent['shippingReceivingPointId'] = self.rng.choice(FOXPOST_POINTS)
        return intent

    def everyday(self):
        if self.rng.random() < .6:
            intent = {'customer': self.rng.choice(self.private_customers)['innerId']}
        else:
            intent = self.guest()
        intent['items'] = self.items()
        if self.rng.random() < .2:
            intent['comment'] = self.rng.choice(COMMENTS)
        return self.delivery(intent)

    def registered(self, **fields):
        intent = {'customer': self.rng.choice(self.private_customers)['innerId'],
                  'items': self.items(), 'shippingMode': str(GLS), 'paymentCode': 'barion'}
        intent.update(fields)
        return intent

    def kiss_anna(self, email, payment_code):
        "The same guest twice, her e-mail typed differently each time"
        return {'firstname': 'Anna', 'lastname': 'Kiss', 'email': email,
                'phone': '+36301112233',
                'payment': {'firstname': 'Anna', 'lastname': 'Kiss',
                            'address1': 'Tisza Lajos körút 12.', 'city': 'Szeged',
                            'postcode': '6720', 'countryName': 'Magyarország'},
                'items': self.items(), 'shippingMode': str(GLS), 'paymentCode': payment_code}

    def expensive_items(self, minimum_gross):
        "Catalog lines whose gross value reaches minimum_gross (for the free-shipping order)"
        items, gross = [], 0
        for sku in sorted(self.skus, key=lambda sku: -self.prices[sku]):
            items.append({'sku': sku, 'quantity': 1})
            gross += self.prices[sku] * 1.27
            if gross > minimum_gross:
                return items
        return items

    def scenario(self, name):
        rng = self.rng
        if name == 'guest_kiss_anna_messy_email':
            return self.kiss_anna(' Kiss.Anna@Example.HU ', 'cod')
        if name == 'guest_kiss_anna_clean_email':
            return self.kiss_anna('kiss.anna@example.hu', 'barion')
        if name == 'cancelled':
            return self.registered(orderStatus=CANCELLED, paymentCode='cod')
        if name == 'storno':
            return self.registered(orderStatus=STORNO, paymentCode='bank_transfer')
        if name.startswith('abandoned_cart'):
            return self.registered(orderStatus=None)
        if name == 'company_registered':
            # Tax number and company come from the customer's business address.
            return {'customer': self.company_customers[0]['innerId'], 'items': self.items(3),
                    'shippingMode': str(MPL), 'paymentCode': 'bank_transfer'}
        if name == 'company_guest':
            intent = self.guest()
            intent['payment']['company'] = 'Tisza Dekor Kft.'
            intent['taxNumber'] = hungarian_tax_number(rng)
            intent.update(items=self.items(2), shippingMode=str(GLS), paymentCode='bank_transfer')
            return intent
        if name == 'coupon_percent':
            return self.registered(coupon='NYAR10', items=self.items(2))
        if name == 'coupon_fixed':
            return self.registered(coupon='HUSEG2000', paymentCode='cod')
        if name == 'service_line':
            items = self.items(1) + [{'name': 'Ajándékcsomagolás', 'price': '500',
                                      'taxRate': '27', 'quantity': 1}]
            return self.registered(items=items, comment='Kérem, ajándékba csomagolják!')
        if name == 'parcel_locker':
            return self.registered(shippingMode=str(FOXPOST), paymentCode='barion',
                                   shippingReceivingPointId=FOXPOST_POINTS[0])
        if name == 'discontinued_sku':
            # A product since deleted from the catalog: the line brings its own data.
            items = [{'sku': 'OLD-1', 'name': 'Bodum kávéfőző 0,35 l (kifutott termék)',
                      'price': '5900', 'taxRate': '27', 'quantity': 1}] + self.items(1)
            return self.registered(items=items, paymentCode='cod')
        if name == 'free_shipping':
            return self.registered(items=self.expensive_items(30000), paymentCode='barion')
        if name == 'aam_line':
            items = [{'sku': self.aam_skus[0], 'quantity': 2}] + self.items(1)
            return self.registered(items=items, shippingMode=str(MPL), paymentCode='cod')
        if name == 'different_shipping_address':
            return self.registered(shipping={
                'firstname': 'Gizella', 'lastname': 'Horváth', 'address1': 'Fő tér 3.',
                'city': 'Kaposvár', 'postcode': '7400', 'countryName': 'Magyarország'},
                comment='Ajándék a nagymamának, kérem ne tegyenek bele számlát.')
        if name == 'foreign_address':
            return {'firstname': 'Lukas', 'lastname': 'Gruber', 'email': 'lukas.gruber@gmx.at',
                    'phone': '+436641234567',
                    'payment': {'firstname': 'Lukas', 'lastname': 'Gruber',
                                'address1': 'Mariahilfer Straße 45', 'city': 'Wien',
                                'postcode': '1060', 'countryName': 'Ausztria'},
                    'items': self.items(2), 'shippingMode': str(GLS), 'paymentCode': 'barion'}
        if name == 'personal_pickup':
            return self.registered(shippingMode=str(PICKUP), paymentCode='cod')
        if name == 'multi_line':
            return self.registered(items=self.items(4), comment=rng.choice(COMMENTS))
        raise ValueError(f'unknown demo scenario {name!r}')

    def status(self, placed):
        "Older orders are mostly done, recent ones mostly pending or in progress"
        if NOW - placed > timedelta(days=30):
            return self.rng.choice((COMPLETED, COMPLETED, COMPLETED, SHIPPING, PROCESSING,
                                    PROCESSING, PENDING))
        return self.rng.choice((PENDING, PENDING, PENDING, PROCESSING, PROCESSING, SHIPPING))


def placement_times(rng, count=ORDER_COUNT):
    "Order times over the last ORDER_DAYS days, oldest first, in shop hours"
    times = []
    for _ in range(count):
        day = NOW - timedelta(days=rng.randint(1, ORDER_DAYS - 1))   # whole days inside the window
        times.append(day.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59),
                                 second=rng.randint(0, 59)))
    return sorted(times)


def add_orders(data, rng):
    planner = OrderPlanner(data, rng)
    scenario_by_inner_id = {inner_id: name for name, inner_id in SCENARIOS.items()}
    for index, placed in enumerate(placement_times(rng)):
        name = scenario_by_inner_id.get(index + 1)
        intent = planner.scenario(name) if name else planner.everyday()
        if 'orderStatus' not in intent:
            intent['orderStatus'] = planner.status(placed)
        intent['ip'] = f'84.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}'
        place_order(data, intent, placed)


def demo_seed():
    "The demo shop's seed: collection name -> list of stored items (a fresh copy each call)"
    rng = random.Random(RANDOM_SEED)
    data = {collection: [] for collection in COLLECTIONS}
    add_languages(data)
    add_currencies(data)
    add_countries(data)
    add_customer_groups(data)
    add_taxes(data)
    add_order_statuses(data)
    add_payment_modes(data)
    add_shipping_modes(data)
    add_coupons(data)
    add_products(data, rng)
    add_customers(data, rng)
    add_orders(data, rng)
    return data


def seed_without_orders():
    """The demo shop's catalogue, customers and settings without its orders (the stock as
    they left it), for a test or a bench to place orders of its own"""
    seed = demo_seed()
    for collection in ('orders', 'orderProducts', 'orderTotals'):
        seed[collection] = []
    return seed
