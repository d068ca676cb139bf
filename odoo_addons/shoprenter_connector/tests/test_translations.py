"""Hungarian everywhere a clerk looks: every term the addon exports (fields, menus, actions,
views, reports, templates, messages) has its translation in i18n/hu.po, at its place."""
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

HU_PO = Path(__file__).resolve().parents[1] / 'i18n' / 'hu.po'


@tagged('post_install', '-at_install')
class TestTranslations(TransactionCase):

    def test_every_term_is_hungarian(self):
        translated = {}
        for entry in polib.pofile(str(HU_PO)):
            if entry.msgstr and 'fuzzy' not in entry.flags:
                translated[entry.msgid] = {':'.join(filter(None, occurrence))
                    for occurrence in entry.occurrences}
        untranslated, unplaced = [], []
        for _module, kind, name, res_id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, ['shoprenter_connector']):
            if source not in translated:
                untranslated.append(source)
            elif kind != 'code' and f'{kind}:{name}:{res_id}' not in translated[source]:
                # Odoo loads a record's translation only where the file says it is used
                unplaced.append(f'{kind}:{name}:{res_id} {source!r}')
        self.assertEqual(untranslated, [], "terms without Hungarian in i18n/hu.po")
        self.assertEqual(unplaced, [], "translations not listed at these places in i18n/hu.po")
