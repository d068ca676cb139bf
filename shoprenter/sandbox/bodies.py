"""Request bodies as ShopRenter takes them: JSON, or form fields with PHP-array keys.

ShopRenter reads `Content-Type: application/json` (recommended) or
`multipart/form-data` (REFERENCE §1); the official PHP client posts curl
multipart fields `data[stock1]=77`, other public clients the same keys
urlencoded.  A form body becomes the JSON it stands for, the way PHP reads
it into $_POST and json_encode writes it:

    data[productDescriptions][0][language][id]=…  ->
        {"data": {"productDescriptions": [{"language": {"id": "…"}}]}}

A level whose keys are all integers becomes a list in index order; `x[]`
appends; a repeated key keeps its last value.  What is no such body:
    application/json that is not JSON               -> 400/40005
    a body that is not UTF-8                        -> 400/40016
    a form without `data`, or a body of another
    (or no) Content-Type, XML included              -> 400/40001
(the docs describe no XML request body, so it is refused like any other)."""
import io
import json
import re
import urllib.parse

from werkzeug.formparser import FormDataParser
from werkzeug.http import parse_options_header

from .errors import ApiError

FORM_TYPES = ('multipart/form-data', 'application/x-www-form-urlencoded')
NO_DATA = 'Data parameter not found in POST/PUT!'  # ShopRenter's wording (04_batch.md)
PHP_INT = re.compile(r'-?[1-9][0-9]*|0')
MAX_DEPTH = 64  # PHP's max_input_nesting_level


def read(content_type, raw):
    "The body as JSON-shaped data (None when there is none); ApiError when unreadable"
    if not raw.strip():
        return None
    mimetype, options = parse_options_header(content_type or '')
    mimetype = mimetype.lower()
    if mimetype == 'application/json' or mimetype.endswith('+json'):
        return _json(raw)
    if mimetype in FORM_TYPES:
        form = php_array(_fields(mimetype, options, raw))
        if 'data' not in form:
            raise ApiError(400, 40001, NO_DATA)
        return {'data': form['data']}
    told = f'Content-Type {mimetype!r}' if mimetype else 'no Content-Type'
    raise ApiError(400, 40001, f'{NO_DATA} (a body with {told} is not read: send '
        'application/json or multipart/form-data)')


def php_array(fields):
    "[(name, value)] with PHP-array names -> nested dicts/lists, as PHP reads a form"
    root = {}
    for name, value in fields:
        keys = _keys(name)
        if keys:
            _put(root, keys, value)
    return _lists(root)


def _json(raw):
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError:
        raise ApiError(400, 40016, 'The body is not valid UTF-8') from None
    try:
        return json.loads(text)
    except ValueError:
        raise ApiError(400, 40005, 'The body is not valid JSON') from None


def _fields(mimetype, options, raw):
    if mimetype == 'application/x-www-form-urlencoded':
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError:
            raise ApiError(400, 40016, 'The body is not valid UTF-8') from None
        return urllib.parse.parse_qsl(text, keep_blank_values=True)
    # No part-count or memory limits: a batch of 200 requests has thousands of
    # fields, and ShopRenter takes posts up to 32 MB.  Uploaded files ($_FILES
    # in PHP) are not data fields and are left out.
    parser = FormDataParser(max_form_memory_size=None, max_form_parts=None)
    if 'boundary' not in options:
        raise ApiError(400, 40001, f'{NO_DATA} (multipart body without a boundary)')
    _, form, _ = parser.parse(io.BytesIO(raw), mimetype, len(raw), options)
    return list(form.items(multi=True))


def _keys(name):
    """PHP's split of a field name: 'a[b][]' -> ['a', 'b', None] (None = append).

    As PHP: text after a closing bracket that opens no new one is ignored, an
    unclosed bracket ends the name ('a[b' -> ['a_b'])."""
    name = name.lstrip(' ')
    opening = name.find('[')
    if opening <= 0:
        base = name if opening < 0 else ''
        return [_base(base)] if base else []
    keys = [_base(name[:opening])]
    rest = name[opening:]
    while rest.startswith('['):
        closing = rest.find(']')
        if closing < 0:
            if len(keys) == 1:  # the first bracket unclosed: PHP keeps it in the name
                keys[0] = _base(name.replace('[', '_', 1))
            break
        inner = rest[1:closing]
        keys.append(inner if inner else None)
        rest = rest[closing + 1:]
        if len(keys) > MAX_DEPTH:
            break
    return keys


def _base(text):
    "PHP turns spaces and dots in a top-level name into underscores"
    return text.replace(' ', '_').replace('.', '_')


def _put(level, keys, value):
    for index, key in enumerate(keys):
        if key is None:  # '[]': the next integer key, as PHP
            numbers = [int(k) for k in level if PHP_INT.fullmatch(k)]
            key = str(max(numbers) + 1 if numbers else 0)
        if index == len(keys) - 1:
            level[key] = value
        else:
            if not isinstance(level.get(key), dict):  # a scalar there is overwritten
                level[key] = {}
            level = level[key]


def _lists(value):
    "Levels whose keys are all integers -> lists in index order"
    if not isinstance(value, dict):
        return value
    items = {key: _lists(item) for key, item in value.items()}
    if items and all(PHP_INT.fullmatch(key) for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items
