"""Normalisation of ShopRenter answers, in one place at the edge.

ShopRenter sends every scalar as a string and spells "no value" four ways. After normalise():
- decimal strings ("139900.0000", "27.0000", "1.00000000", "-1.0000") are Decimal;
- "", {}, [] and null are None (at any depth, inside lists too);
- "YYYY-MM-DDTHH:MM:SS" and "YYYY-MM-DD HH:MM:SS" are datetime, "YYYY-MM-DD" is date, and the
  zero dates ("0000-00-00", "0000-00-00 00:00:00", "-0001-11-30T00:00:00", …) are None;
- a lone top-level {"response": …} (an artefact of the XML root) is unwrapped.
Integer strings stay strings: ids, innerIds, flags ("0"/"1") and stock ("12") are keys or counts
that the caller converts knowingly. Values under text keys (names, codes, SKUs, addresses, …) are
kept as written, only emptiness becomes None: a SKU "10.50" or a postcode is not a number.
"""
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import unquote, urlsplit

__all__ = ['normalise', 'normalise_scalar', 'unwrap', 'resource_id', 'is_text_key']

# A key is text when its name, case-folded, ends with one of these: it covers the plain names
# (sku, name, postcode…) and the prefixed ones (shippingPostcode, paymentTaxnumber,
# shippingMethodName, paymentMethodCode, modelNumber, languageId…).
TEXT_KEY_SUFFIXES = (
    'id', 'sku', 'gtin', 'name', 'code', 'number', 'phone', 'fax', 'email', 'comment',
    'description', 'address1', 'address2', 'city', 'company', 'text', 'title', 'href',
    'message', 'content', 'keywords', 'parameters',
    )
TEXT_KEYS = {'ip', 'key', 'uri', 'hash', 'password', 'token'}

_DECIMAL = re.compile(r'-?\d+\.\d+')
_DATETIME = re.compile(r'\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}')
_DATE = re.compile(r'\d{4}-\d{2}-\d{2}')
_ZERO_DATE = re.compile(r'(0000-00-00|-0001-11-30)([T ]00:00:00)?')


def is_text_key(key):
    "Tell whether the values under key are text, never numbers or dates"
    if not isinstance(key, str):
        return False
    key = key.lower()
    return key in TEXT_KEYS or key.endswith(TEXT_KEY_SUFFIXES)


def unwrap(obj):
    "Return the content of a lone {'response': …} wrapper, else obj"
    if isinstance(obj, dict) and len(obj) == 1 and 'response' in obj:
        return obj['response']
    return obj


def normalise(obj):
    "Return the answer obj with ShopRenter's value quirks removed (see the module doc)"
    return _normalise(unwrap(obj), None)


def _normalise(obj, key):
    if isinstance(obj, dict):
        if not obj:
            return None
        return {name: _normalise(value, name) for name, value in obj.items()}
    if isinstance(obj, list):
        if not obj:
            return None
        return [_normalise(value, key) for value in obj]
    return normalise_scalar(obj, key)


def normalise_scalar(value, key=None):
    "Return the normalised scalar value found under key"
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    if not value.strip():
        return None
    if is_text_key(key):
        return value
    if _ZERO_DATE.fullmatch(value):
        return None
    if _DECIMAL.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if _DATETIME.fullmatch(value):
        try:
            return dt.datetime.strptime(value.replace('T', ' '), '%Y-%m-%d %H:%M:%S')
        except ValueError:
            return value
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def resource_id(link):
    """Return the id a link points to, or None.

    link: {"id": …}, {"href": ".../<collection>/<id>"} (the id is the last path segment; the
    host is ignored), an href or id string, or an empty value."""
    if isinstance(link, dict):
        if link.get('id'):
            return str(link['id'])
        link = link.get('href')
    if not link or not isinstance(link, str):
        return None
    if '/' not in link:
        return link
    path = urlsplit(link).path.rstrip('/')
    segment = unquote(path.rsplit('/', 1)[-1])
    return segment or None
