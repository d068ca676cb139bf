"""POST /api/batch: sub-requests run one after another, the answer is always 200.

Sub-requests are not rate limited, faulted or counted on their own."""
import urllib.parse

from . import api
from .errors import ApiError


def run(store, data, api_url, grant=None):
    "grant: the caller's token; each request needs its own scope (None: all allowed)"
    if isinstance(data, dict) and isinstance(data.get('data'), dict):
        data = data['data']
    requests = data.get('requests') if isinstance(data, dict) else None
    if isinstance(requests, dict):  # the XML-shaped form {"request": [...]}
        requests = requests.get('request')
    if not isinstance(requests, list):
        raise ApiError(400, 40001, 'Data parameter not found: requests')
    return {'requests': {'request': [one(store, sub, api_url, grant) for sub in requests]}}


def one(store, sub, api_url, grant=None):
    method = str(sub.get('method', 'GET')).upper() if isinstance(sub, dict) else ''
    uri = str(sub.get('uri', '')) if isinstance(sub, dict) else ''
    try:
        if method not in ('GET', 'POST', 'PUT', 'DELETE'):
            raise ApiError(400, 40005, f'Unknown method: {method!r}')
        path, params = split_uri(uri)
        if path.strip('/').split('/')[0] == 'batch':
            raise ApiError(400, 40005, 'A batch cannot contain a batch')
        if grant is not None:
            grant.require(method, path)
        status, body = api.handle(store, method, path, params, sub.get('data'), api_url)
    except ApiError as error:
        status, body = error.status, error.body()
    return {'method': method, 'uri': uri,
        'response': {'header': {'statusCode': str(status)}, 'body': body}}


def split_uri(uri):
    "Absolute URL, /api/… or a bare path -> (path under /api/, [(name, value)])"
    parts = urllib.parse.urlsplit(uri)
    path = urllib.parse.unquote(parts.path)
    if '/api/' in path:
        path = path.split('/api/', 1)[1]
    return path.strip('/'), urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
