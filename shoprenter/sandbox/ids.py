"""ShopRenter resource ids: base64 of ``<entity>-<column>=<value>``.

Only the sandbox builds ids; the client treats them as opaque strings.  Any
other string is an outer id (05_outer_id.md): one a client gave the item.
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
    parts = [part.split('=', 1) for part in key.split('&')]
    if not (sep and entity.isalnum() and all(len(part) == 2 and part[0] for part in parts)):
        raise ValueError(f'not a ShopRenter id: {resource_id!r}')
    return entity, dict(parts)


def is_api_id(resource_id):
    "Whether resource_id is a ShopRenter id (else it is an outer id, or malformed)"
    try:
        parse_id(resource_id)
    except (ValueError, TypeError):
        return False
    return True


def entity_of(resource_id):
    "The entity a ShopRenter id names ('order'), None for an outer id"
    try:
        return parse_id(resource_id)[0]
    except (ValueError, TypeError):
        return None
