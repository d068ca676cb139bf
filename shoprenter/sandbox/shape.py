"""Field kinds read from an official example answer (the shapes/*.json files).

A shape is the get_id.json of a resource: its keys are the fields, and each
value tells how the field is rendered (a string with N decimals, a link to a
collection, a link to related items, an inline list, ...) and what an empty
value of the right type looks like.
"""
import decimal
import json
import pathlib
import re

from . import dates
from .errors import bad_data

SHAPES = pathlib.Path(__file__).with_name('shapes')
_DECIMAL = re.compile(r'^-?\d+\.(\d+)$')
_SHORT_INT = re.compile(r'^-?\d{1,3}$')  # flags, counts, stocks; longer = text (sku, postcode)


def load_shape(name):
    with open(SHAPES / f'{name}.json', encoding='utf-8') as file:
        return json.load(file)


def href_path(href):
    "'https://host/orders/X' -> 'orders/X' (the host of examples is meaningless)"
    if '://' in href:
        href = href.split('://', 1)[1]
        href = href.split('/', 1)[1] if '/' in href else ''
    return href.lstrip('/')


def _link_collection(value):
    if isinstance(value, dict) and isinstance(value.get('href'), str):
        path = href_path(value['href'])
        if '?' not in path and path.count('/') == 1:
            return path.split('/')[0]
    return None


class Field:
    "How one field of a resource is rendered and written"
    kind = 'any'          # scalar link embed relation subpath list object any
    collection = None     # link/embed/list/relation target collection
    param = None          # relation: query parameter naming this item
    suffix = None         # subpath: '<collection>/<id>/<suffix>'
    backlink = None       # list: field of the sub-items pointing back at us
    decimals = None
    date_format = None
    short_int = False

    def __init__(self, name, template, owner):
        self.name = name
        self.template = template
        if isinstance(template, str):
            self.kind = 'scalar'
            match = _DECIMAL.match(template)
            if match:
                self.decimals = len(match.group(1))
            self.date_format = dates.format_of(template)
            self.short_int = bool(_SHORT_INT.match(template))
        elif isinstance(template, list):
            self.kind = 'list'
            first = template[0] if template else None
            self.collection = _link_collection(first)
            if self.collection:
                for key, value in first.items():
                    if _link_collection(value) == owner and not self.backlink:
                        self.backlink = key
        elif isinstance(template, dict) and isinstance(template.get('href'), str):
            path = href_path(template['href'])
            if '?' in path:
                self.kind = 'relation'
                self.collection, query = path.split('?', 1)
                self.param = query.split('=', 1)[0]
            elif path.count('/') >= 2:
                self.kind = 'subpath'
                self.collection, _, self.suffix = path.split('/', 2)
            else:
                self.collection = path.split('/')[0]
                self.kind = 'embed' if len(template) > 1 else 'link'
        elif isinstance(template, dict) and template:
            self.kind = 'object'

    override = None       # a default better than "empty" (e.g. multiplier 1.0000)

    def default(self):
        "An empty value of the field's type-shape (or the resource's own default)"
        if self.override is not None:
            return self.override
        if self.kind == 'any' and self.template == {}:
            return ''  # examples show {} for empty strings (fax, email, modelNumber)
        return empty(self.template)

    def normalize(self, value):
        "A written scalar as the API stores it: a string, N decimals when numeric"
        if value is None or value == {} or value == []:
            return self.default()
        if isinstance(value, bool):
            return '1' if value else '0'
        if isinstance(value, (dict, list)):
            raise bad_data(f'{self.name}: a scalar value is expected')
        if self.decimals is not None and value != '':
            try:
                number = decimal.Decimal(str(value).strip())
            except decimal.InvalidOperation:
                raise bad_data(f'{self.name}: not a number: {value!r}')
            return str(number.quantize(decimal.Decimal(1).scaleb(-self.decimals),
                rounding=decimal.ROUND_HALF_UP))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)


def empty(template):
    "The empty value of the same type-shape as an example value"
    if isinstance(template, str):
        match = _DECIMAL.match(template)
        if match:
            return '0.' + '0' * len(match.group(1))
        fmt = dates.format_of(template)
        if fmt:
            return dates.zero_date(fmt)
        return '0' if _SHORT_INT.match(template) else ''
    if isinstance(template, list):
        return []
    if isinstance(template, dict):
        if 'href' in template or not template:
            return {}
        return {key: empty(value) for key, value in template.items()}
    return template


def fields_of(shape, owner):
    "{name: Field} in the shape's order, without href/id"
    return {name: Field(name, value, owner) for name, value in shape.items()
        if name not in ('href', 'id')}
