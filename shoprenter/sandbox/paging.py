"The collection envelope: href, page, pageCount, limit, first/previous/next/last, items."
import math
import urllib.parse

from .errors import ApiError, bad_data

DEFAULT_LIMIT = 25
MAX_LIMIT = 200


def page_and_limit(params):
    "(page, limit) from the query; limit above 200 is refused, not clamped"
    try:
        page = int(params.get('page', 0))
        limit = int(params.get('limit', DEFAULT_LIMIT))
    except ValueError:
        raise bad_data('page and limit must be integers') from None
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_data(f'limit must be between 1 and {MAX_LIMIT}')
    return page, limit


def query(pairs):
    # keep base64 ids readable; '+' must stay encoded or it reads as a space
    return urllib.parse.urlencode(pairs, safe='=/:', quote_via=urllib.parse.quote)


def envelope(url, kept, items, page, limit, render_item):
    """One page of items; kept = the request's other parameters, echoed in hrefs.

    A page outside 0..last -> 400/40008 (page 0 of an empty list is fine)."""
    page_count = math.ceil(len(items) / limit)
    last = max(page_count - 1, 0)
    if not 0 <= page <= last:
        raise ApiError(400, 40008, f'Page out of range: minimum page is 0 and '
            f'maximum page is {last}')

    def href(number):
        return {'href': f'{url}?{query(kept + [("page", number), ("limit", limit)])}'}

    return {
        'href': href(page)['href'],
        'page': page,
        'pageCount': page_count,
        'limit': limit,
        'first': href(0),
        'previous': href(page - 1) if page > 0 else None,
        'next': href(page + 1) if page < last else None,
        'last': href(last),
        'items': [render_item(item) for item in items[page * limit:(page + 1) * limit]],
    }
