"""A resource's fields as the store and the renderer use them, built from schema.py.

A Field knows how it is rendered (a string with N decimals, a link to a
collection, a link to related items, an inline list, ...), how a written value
is stored, and what an empty value of its kind looks like.
"""
import decimal

from .errors import bad_data


def _fresh(value):
    "A copy of an empty value that a caller may change ({}, [], objects)"
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return []
    return value


class Field:
    "How one field of a resource is rendered and written"

    def __init__(self, name, kind):
        self.name = name
        self.kind = kind.kind             # scalar link embed relation subpath list object
        self.collection = kind.collection  # link/embed/list/relation/subpath target
        self.param = kind.param           # relation: query parameter naming this item
        self.suffix = kind.suffix         # subpath: '<collection>/<id>/<suffix>'
        self.backlink = kind.backlink     # list: field of the sub-items pointing back at us
        self.decimals = kind.decimals
        self.date_format = kind.date_format
        self.keys = kind.keys             # object: sub-key -> kind
        self._empty = kind.empty

    def __repr__(self):
        return f'<Field {self.name} {self.kind}>'

    def default(self):
        "The empty value of the field's kind"
        return _fresh(self._empty)

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


def fields_of(declaration):
    "{name: Field} in the declaration's order"
    return {name: Field(name, kind) for name, kind in declaration.items()}
