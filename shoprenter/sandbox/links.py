"Links: stored as {'id': …}, written as {'id': …} or {'href': …}, rendered as {'href': …}."
from .ids import parse_id
from .resources import ENTITY_COLLECTIONS


def link_id(value):
    "The id a link value names, or None for an empty link"
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        if value.get('id'):
            return str(value['id'])
        href = value.get('href')
        if isinstance(href, str) and href:
            return href.split('?', 1)[0].rstrip('/').rsplit('/', 1)[-1]
    return None


def is_link(value):
    return isinstance(value, dict) and bool(value) and set(value) <= {'href', 'id'}


def store_value(value):
    "A free-form written value with every nested link reduced to {'id': …}"
    if is_link(value):
        return {'id': link_id(value)}
    if isinstance(value, dict):
        return {key: store_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [store_value(item) for item in value]
    return value


def href_of(resource_id, api_url):
    "The href of an id, from the entity it names; None for an outer id"
    try:
        entity, _ = parse_id(resource_id)
    except (ValueError, TypeError):
        return None
    collection = ENTITY_COLLECTIONS.get(entity, entity + 's')
    return f'{api_url}/{collection}/{resource_id}'


def render_value(value, api_url):
    "A stored free-form value; nested items and links get their href"
    if isinstance(value, dict):
        rendered = {key: render_value(item, api_url) for key, item in value.items()}
        href = href_of(value.get('id'), api_url) if 'href' not in value else None
        return {'href': href, **rendered} if href else rendered
    if isinstance(value, list):
        return [render_value(item, api_url) for item in value]
    return value
