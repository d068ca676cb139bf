from trytond.tests.test_tryton import ModuleTestCase


class WebShopShopRenterTestCase(ModuleTestCase):
    "Test Web Shop ShopRenter module"
    module = 'web_shop_shoprenter'


del ModuleTestCase
