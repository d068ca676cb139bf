"""Answers in XML or JSON, as ShopRenter gives them.

ShopRenter answers XML unless the request's Accept header asks for JSON
(REFERENCE §1).  `to_xml(body)` writes a JSON-shaped body the way the official
XML answers look:

- root <response>; each key an element, in the body's order;
- strings in CDATA; ints and floats as bare text (<innerId>6</innerId>);
  True as CDATA "1", False as empty CDATA; a page's page, limit and pageCount
  always bare (<page>0</page>), strings or not, as every official page has them;
- "", None, {} and [] as an empty element <key/>;
- the page list `items` as <items><item>…</item></items>; any other list as
  its key repeated, one element per entry (<orderProducts>…</orderProducts>
  <orderProducts>…</orderProducts>), as the official answers serialise
  orderProducts, productDescriptions and the batch's requests/request.
"""
import json
import re

JSON = 'application/json'
XML = 'application/xml'
JSON_TYPES = ('application/json', 'text/json')
XML_TYPES = ('application/xml', 'text/xml')
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
# Characters XML 1.0 cannot carry at all, even in CDATA: dropped.
NOT_XML = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
NOT_NAME = re.compile(r'[^\w.\-]', re.ASCII)
PAGE_NUMBERS = ('page', 'limit', 'pageCount')


def to_xml(body, root='response'):
    "The body (dicts, lists, scalars as in the JSON answer) as an XML document (bytes)"
    parts = [DECLARATION]
    if isinstance(body, list):  # a bare list (emptyBody=1 answers []) has one root
        body = {'item': body} if body else None
    _element(parts, _name(root), body)
    return ''.join(parts).encode('utf-8')


def negotiate(accept):
    """JSON or XML for an Accept header value (None when absent).

    XML is the default (no Accept, */*, application/xml, text/xml); JSON when
    a JSON type is named with a quality above 0 and no XML type is named with
    a higher one (equal qualities: the one listed first)."""
    best = {JSON: (0.0, 0), XML: (0.0, 0)}
    for position, part in enumerate((accept or '').split(',')):
        mimetype, *params = [piece.strip() for piece in part.split(';')]
        kind = (JSON if mimetype.lower() in JSON_TYPES
            else XML if mimetype.lower() in XML_TYPES else None)
        if kind is None:
            continue
        quality = _quality(params)
        if quality > best[kind][0]:
            best[kind] = (quality, -position)
    if best[JSON][0] > 0 and best[JSON] > best[XML]:
        return JSON
    return XML


def render(body, kind):
    "(bytes, Content-Type) of an answer body in the negotiated kind"
    if kind == JSON:
        return (json.dumps(body, ensure_ascii=False).encode('utf-8'),
            'application/json; charset=utf-8')
    return to_xml(body), 'application/xml; charset=utf-8'


def _quality(params):
    for param in params:
        name, _, value = param.partition('=')
        if name.strip().lower() == 'q':
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def _element(parts, name, value):
    if isinstance(value, list):
        if name == 'items':
            if not value:
                parts.append('<items/>')
                return
            parts.append('<items>')
            for item in value:
                _element(parts, 'item', item)
            parts.append('</items>')
        elif not value:
            parts.append(f'<{name}/>')
        else:
            for item in value:
                # a list in a list cannot repeat its key again: wrap it
                _element(parts, name, {'item': item} if isinstance(item, list) else item)
    elif isinstance(value, dict):
        if not value:
            parts.append(f'<{name}/>')
            return
        parts.append(f'<{name}>')
        page = 'items' in value
        for key, item in value.items():
            if page and key in PAGE_NUMBERS and str(item).isdigit():
                item = int(item)
            _element(parts, _name(key), item)
        parts.append(f'</{name}>')
    elif value is None or value == '':
        parts.append(f'<{name}/>')
    elif isinstance(value, bool):
        parts.append(f'<{name}>{_cdata("1" if value else "")}</{name}>')
    elif isinstance(value, (int, float)):
        parts.append(f'<{name}>{value}</{name}>')
    else:
        parts.append(f'<{name}>{_cdata(str(value))}</{name}>')


def _cdata(text):
    text = NOT_XML.sub('', text).replace(']]>', ']]]]><![CDATA[>')
    return f'<![CDATA[{text}]]>'


def _name(key):
    "A key as an element name (every key ShopRenter uses already is one)"
    name = NOT_NAME.sub('_', str(key))
    if not name or not (name[0].isalpha() or name[0] == '_'):
        name = '_' + name
    return name
