"""ShopRenter resource ids: base64 of ``<entity>-<column>=<value>``.

Only the sandbox builds ids; the client treats them as opaque strings.
"""
import base64


def make_id(entity, **columns):
    "Return the id of the entity row keyed by columns, e.g. order_id=172"
    key = '&'.join(f'{column}={value}' for column, value in columns.items())
    return base64.b64encode(f'{entity}-{key}'.encode()).decode()


def parse_id(resource_id):
    """Return (entity, {column: value}) of a ShopRenter id.

    Raise ValueError for anything that is not such an id (outer ids)."""
    try:
        text = base64.b64decode(resource_id, validate=True).decode()
    except (ValueError, UnicodeDecodeError) as exception:
        raise ValueError(f'not a ShopRenter id: {resource_id!r}') from exception
    entity, sep, key = text.partition('-')
    if not sep or '=' not in key:
        raise ValueError(f'not a ShopRenter id: {resource_id!r}')
    return entity, dict(part.split('=', 1) for part in key.split('&'))
