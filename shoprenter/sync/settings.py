"""The shop's order statuses and payment modes, named in Hungarian when the shop has the
language: read each run (4 calls whatever the number of orders)."""
from collections import defaultdict

from ..values import resource_id

__all__ = ['local_name', 'read_shop_settings']


def local_name(names, languages):
    "The name of [(language id, name)] in one of languages, else the first name, else None"
    names = [(language, name) for language, name in names if name]
    for language, name in names:
        if language in languages:
            return name
    return names[0][1] if names else None


def read_shop_settings(client):
    "({status id: name}, {payment mode code (lower case): name}) of the shop of client"
    hungarian = {
        language['id'] for language in client.iter_collection('languages')
        if (language.get('code') or '').lower() == 'hu'}
    status_names = defaultdict(list)
    for description in client.iter_collection('orderStatusDescriptions'):
        status_names[resource_id(description.get('orderStatus'))].append(
            (resource_id(description.get('language')), description.get('name')))
    statuses = {
        status['id']: local_name(status_names[status['id']], hungarian)
        or status.get('innerId') or status['id']
        for status in client.iter_collection('orderStatuses')}
    modes = {}
    for mode in client.iter_collection('paymentModes'):
        code = (mode.get('code') or '').strip().lower()
        # paymentDescription is the spelling ShopRenter answers with
        descriptions = mode.get('paymentDescription') or mode.get('paymentDescriptions') or []
        if isinstance(descriptions, dict):
            descriptions = [descriptions]
        if code:
            modes[code] = local_name(
                ((resource_id(d.get('language')), d.get('name')) for d in descriptions),
                hungarian) or code
    return statuses, modes
