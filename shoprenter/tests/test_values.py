"Normalisation of ShopRenter's values (no HTTP)"
import datetime as dt
from decimal import Decimal

import pytest

from shoprenter.values import normalise, normalise_scalar, resource_id


@pytest.mark.parametrize('text, value', [
    ('139900.0000', Decimal('139900.0000')),
    ('27.0000', Decimal('27')),
    ('1.00000000', Decimal('1')),
    ('-1.0000', Decimal('-1')),
    ('0.00', Decimal('0')),
    ])
def test_decimal_strings(text, value):
    result = normalise_scalar(text, 'price')
    assert isinstance(result, Decimal)
    assert result == value
    # The written precision is kept: 4 decimals stay 4 decimals.
    assert str(result) == text


@pytest.mark.parametrize('text', ['12', '0', '1', '172', '-3', '007'])
def test_integer_strings_stay_strings(text):
    assert normalise_scalar(text, 'stock1') == text


@pytest.mark.parametrize('empty', ['', '   ', {}, [], None])
def test_empty_values_are_none(empty):
    assert normalise({'fax': empty}) == {'fax': None}
    assert normalise({'price': empty}) == {'price': None}


@pytest.mark.parametrize('text, value', [
    ('2024-03-05T14:07:09', dt.datetime(2024, 3, 5, 14, 7, 9)),
    ('2011-01-04 10:00:00', dt.datetime(2011, 1, 4, 10, 0, 0)),
    ('2024-03-05', dt.date(2024, 3, 5)),
    ])
def test_dates(text, value):
    result = normalise_scalar(text, 'dateUpdated')
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize('text', [
    '0000-00-00', '0000-00-00 00:00:00', '0000-00-00T00:00:00', '-0001-11-30T00:00:00',
    '-0001-11-30 00:00:00'])
def test_zero_dates_are_none(text):
    assert normalise_scalar(text, 'dateEnd') is None


def test_impossible_date_stays_text():
    assert normalise_scalar('2024-02-30', 'dateStart') == '2024-02-30'


@pytest.mark.parametrize('key', [
    'sku', 'modelNumber', 'gtin', 'name', 'code', 'postcode', 'phone', 'telephone', 'fax',
    'taxNumber', 'comment', 'description', 'email', 'firstname', 'lastname', 'address1',
    'address2', 'city', 'company', 'shippingPostcode', 'paymentTaxnumber', 'paymentCity',
    'shippingMethodName', 'paymentMethodCode', 'id', 'innerId', 'valueText', 'key'])
@pytest.mark.parametrize('text', ['10.50', '2024-03-05', '2024-03-05 10:00:00', '1234'])
def test_text_keys_keep_their_text(key, text):
    assert normalise({key: text}) == {key: text}


def test_text_key_empty_is_none():
    assert normalise({'sku': '', 'modelNumber': {}, 'name': None}) == {
        'sku': None, 'modelNumber': None, 'name': None}


def test_nested_structures():
    answer = {
        'innerId': '172',
        'total': '3990.0000',
        'fax': '',
        'customer': {},
        'shippingZone': None,
        'dateCreated': '2024-03-05T14:07:09',
        'orderTotals': [
            {'type': 'SUB_TOTAL', 'value': '3141.7300', 'key': {}, 'description': {}},
            {'type': 'TAX', 'value': '848.2700', 'name': 'ÁFA (27%):'},
            ],
        'orderProducts': [],
        'currency': {'code': 'HUF', 'value': '1.00000000', 'symbolLeft': {}},
        'values': ['1.5000', '', {}, '2024-01-01'],
        'flags': {'a': {}, 'b': []},
        }
    assert normalise(answer) == {
        'innerId': '172',
        'total': Decimal('3990.0000'),
        'fax': None,
        'customer': None,
        'shippingZone': None,
        'dateCreated': dt.datetime(2024, 3, 5, 14, 7, 9),
        'orderTotals': [
            {'type': 'SUB_TOTAL', 'value': Decimal('3141.73'), 'key': None,
                'description': None},
            {'type': 'TAX', 'value': Decimal('848.27'), 'name': 'ÁFA (27%):'},
            ],
        'orderProducts': None,
        'currency': {'code': 'HUF', 'value': Decimal(1), 'symbolLeft': None},
        'values': [Decimal('1.5'), None, None, dt.date(2024, 1, 1)],
        # An object whose members are all empty is still an object: only {} itself is empty.
        'flags': {'a': None, 'b': None},
        }


def test_non_string_scalars_untouched():
    assert normalise({'innerId': 1, 'default': True, 'net': Decimal('1200.5'), 'x': 0}) == {
        'innerId': 1, 'default': True, 'net': Decimal('1200.5'), 'x': 0}


def test_lone_response_unwrapped():
    assert normalise({'response': {'price': '1.0000'}}) == {'price': Decimal(1)}
    # Only a lone top-level wrapper: a response key among others is data.
    assert normalise({'response': '1', 'other': '2'}) == {'response': '1', 'other': '2'}
    assert normalise({'a': {'response': {'b': '1'}}}) == {'a': {'response': {'b': '1'}}}


def test_whole_empty_answer():
    assert normalise([]) is None
    assert normalise({}) is None


@pytest.mark.parametrize('link, expected', [
    ({'id': 'b3JkZXItb3JkZXJfaWQ9MTcy'}, 'b3JkZXItb3JkZXJfaWQ9MTcy'),
    ({'href': 'https://shop.api.myshoprenter.hu/orders/b3JkZXItb3JkZXJfaWQ9MTcy'},
        'b3JkZXItb3JkZXJfaWQ9MTcy'),
    ({'href': 'http://127.0.0.1:1/api/taxRates/dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA=='},
        'dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA=='),
    ({'href': 'http://x/api/taxRates/dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA%3D%3D?full=1'},
        'dGF4UmF0ZS10YXhfcmF0ZV9pZD05NA=='),
    ({'href': 'http://x/api/orders/abc/'}, 'abc'),
    ('http://x/api/orders/abc', 'abc'),
    ('abc', 'abc'),
    (None, None),
    ({}, None),
    ('', None),
    ({'href': None}, None),
    ])
def test_resource_id(link, expected):
    assert resource_id(link) == expected
