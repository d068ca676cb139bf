"""ShopRenter's official example payloads, read where they live: ``../shared``.

They are never copied into the project (they are ShopRenter's, not ours); the
tests read them at test time from ``<repository>/../shared/shoprenter-api/
fixtures`` (CI lays ``shared/`` beside the clone), or from
``$SHOPRENTER_SHARED`` when set.  A test that needs them fails, naming the
folder, when they are not there: a missing reference must not pass silently.
"""
import json
import os
import pathlib

REPOSITORY = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get('SHOPRENTER_SHARED', REPOSITORY.parent / 'shared'))
FIXTURES = SHARED / 'shoprenter-api' / 'fixtures'


def fixture_path(*parts):
    "The path of an official fixture file; AssertionError when shared/ is absent"
    path = FIXTURES.joinpath(*parts)
    assert path.exists(), f'official fixture missing: {path} (set SHOPRENTER_SHARED)'
    return path


def load_json(*parts):
    "An official JSON fixture, e.g. load_json('order', 'response', 'json', 'get_id.json')"
    with open(fixture_path(*parts), encoding='utf-8') as file:
        return json.load(file)


def read_text(*parts):
    "An official fixture's text (the XML answers)"
    return fixture_path(*parts).read_text(encoding='utf-8')
