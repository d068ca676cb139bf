"""The clerk's screens in Hungarian: no English left on them.

On a database with the module (and its dependencies, as the demo has them)
and Hungarian loaded, each screen of the day is opened as the web client
opens it: its action's views (fields_view_get), the views of the lines and
addresses it embeds, its tabs (action domains), its toolbar; then the menu
(but Administration's) and the languages a party's language is chosen from.
A string is English when Hungarian gives it back the same as English does,
unless it is a name or code that reads the same in both (ALLOWED).  The
login screen is sao's: test_web_client checks its Hungarian."""
import unittest
from xml.etree import ElementTree

from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, drop_db)
from trytond.transaction import Transaction

MODULE = 'web_shop_shoprenter'

# The screens a clerk meets: their actions by XML id
SCREENS = {
    "shop": 'web_shop.act_shop',
    "sale": 'sale.act_sale_form',
    "invoice": 'account_invoice.act_invoice_out_form',
    "party": 'party.act_party_form',
    "address": 'party.act_address_form',
    "product": 'product.act_template_form',
    "variant": 'product.act_product_form',
    "carrier": 'carrier.act_carrier_form',
    "basket": f'{MODULE}.act_invoice_basket',
    "fulfillable": f'{MODULE}.act_sale_fulfillment',
    "stock analysis": f'{MODULE}.act_stock_analysis',
    "sync log": f'{MODULE}.act_log',
    "sync problems": f'{MODULE}.act_log_entry',
    "shop products": f'{MODULE}.act_shop_product',
    }

# Strings that read the same in Hungarian: names, codes, abbreviations
ALLOWED = {
    "ShopRenter": "the web shop's product name (the shop type)",
    "ID": "an identifier's abbreviation, used as such in Hungarian",
    "URL": "an address's abbreviation",
    "API URL": "abbreviations (the shop's API address)",
    "Fax": "the word Hungarian uses (a contact type)",
    "Skype": "a product's name (a contact type)",
    "SIP": "a protocol's name (a contact type)",
    "IRC": "a protocol's name (a contact type)",
    "Jabber": "a protocol's name (a contact type)",
    }


def is_english(text):
    "Whether text, the same in Hungarian as in English, is English"
    text = (text or '').strip()
    if not text or text in ALLOWED:
        return False
    # A sign such as "%" has no language
    return any(character.isalpha() for character in text)


class TranslationTestCase(unittest.TestCase):
    "The clerk's screens are Hungarian"

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module([MODULE], lang='hu')

    @classmethod
    def tearDownClass(cls):
        drop_db()

    def collect(self, language):
        "Every string of the screens and menus: (key, where, text)"
        strings = []
        with Transaction().start(DB_NAME, USER, context={
                    'language': language}):
            for screen, xml_id in SCREENS.items():
                Screen(strings, screen).action(xml_id)
            menus(strings)
            languages(strings)
        return strings

    def english(self):
        """Where each string left English is, by its translation's key and
        source; the same screens in the same order in both languages"""
        english = self.collect('en')
        hungarian = self.collect('hu')
        self.assertEqual([key for key, *_ in english],
            [key for key, *_ in hungarian])
        found = {}
        for (key, where, source), (_, _, text) in zip(english, hungarian):
            if text == source and is_english(text):
                found.setdefault(key + (source,), where)
        return found

    def test_no_english(self):
        "No English string on the screens of the day or in the menu"
        found = sorted(
            f"{where}: {key[-1]!r}" for key, where in self.english().items())
        if found:
            self.fail(f"English on the Hungarian screens ({len(found)}):\n"
                + '\n'.join(found))


class Screen:
    "Collects the strings one screen shows into strings"

    def __init__(self, strings, name):
        self.strings, self.name = strings, name
        self.seen = set()

    def add(self, key, where, text):
        "Keep text under its translation's key, where it is first seen"
        if isinstance(text, str):
            self.strings.append((key, f'{self.name}: {where}', text))

    def action(self, xml_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Window = pool.get('ir.action.act_window')
        window = Window(ModelData.get_id(xml_id))
        self.add(('model', 'ir.action,name', window.action.id), "action",
            window.name)
        for domain in window.act_window_domains:
            self.add(('model', 'ir.action.act_window.domain,name',
                    domain.id), "tab", domain.name)
        views = [(view.view.id, view.view.type)
            for view in window.act_window_views] or [
            (None, 'tree'), (None, 'form')]
        Model = pool.get(window.res_model)
        for view_id, view_type in views:
            self.view(Model, view_id, view_type)
        for keyword, actions in Model.view_toolbar_get().items():
            for action in actions:
                if isinstance(action, dict) and 'name' in action:
                    self.add(('model', 'ir.action,name', action['id']),
                        f"{keyword} menu", action['name'])

    def view(self, Model, view_id, view_type, depth=0):
        key = (Model.__name__, view_id, view_type)
        if key in self.seen:
            return
        self.seen.add(key)
        view = Model.fields_view_get(view_id=view_id, view_type=view_type)
        where = f"{Model.__name__} {view_type} view"
        # sao names tabs and line windows after their model
        self.add(('model', f'{Model.__name__},string'),
            f"{Model.__name__} name",
            Pool().get('ir.model').get_names().get(Model.__name__))
        arch = ElementTree.fromstring(view['arch'])
        for element in arch.iter():
            for attribute in ['string', 'sum', 'confirm']:
                self.add(('view', Model.__name__, element.tag,
                        element.get('name')),
                    f"{where} <{element.tag}> {attribute}",
                    element.get(attribute))
        pool = Pool()
        for name, field in view['fields'].items():
            field_name = f'{Model.__name__},{name}'
            self.add(('field', field_name), f"{Model.__name__}.{name} label",
                field.get('string'))
            selection = field.get('selection')
            if isinstance(selection, (list, tuple)):
                for value, label in selection:
                    self.add(('selection', field_name, value),
                        f"{Model.__name__}.{name} choice", label)
            # The lines, addresses, ... the form embeds
            if (depth == 0 and view_type == 'form'
                    and field['type'] in {'one2many', 'many2many'}):
                Relation = pool.get(field['relation'])
                for sub_id, sub_type in embedded_views(arch, name):
                    self.view(Relation, sub_id, sub_type, depth + 1)


def embedded_views(arch, name):
    """The (id, type) of the views the form shows its x2many field name
    in: those it names, else the default tree and form"""
    View = Pool().get('ir.ui.view')
    views = {}
    for element in arch.iter('field'):
        if element.get('name') == name and element.get('view_ids'):
            for view in View.browse(
                    map(int, element.get('view_ids').split(','))):
                views.setdefault(view.type, view.id)
    return [(views.get(type_), type_) for type_ in ['tree', 'form']]


def menus(strings):
    "The name of each menu entry the administrator sees"
    Menu = Pool().get('ir.ui.menu')
    ModelData = Pool().get('ir.model.data')
    administration = ModelData.get_id('ir', 'menu_administration')
    # Administration is the administrator's, not the clerk's
    for menu in Menu.search([
                ('id', '!=', administration),
                ('parent', 'not child_of', [administration]),
                ], order=[('id', 'ASC')]):
        strings.append((('model', 'ir.ui.menu,name', menu.id),
                f"menu: {menu.complete_name}", menu.name))


def languages(strings):
    "The languages a party's language is chosen from"
    Lang = Pool().get('ir.lang')
    for lang in Lang.search([], order=[('id', 'ASC')]):
        strings.append((('model', 'ir.lang,name', lang.id),
                f"party: language {lang.code}", lang.name))
