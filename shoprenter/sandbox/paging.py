"""The collection envelope: href, page, [pageCount,] limit, first/previous/next/last, items.

The shop's resources spell it three ways (their get_page examples): the older
ones give page and limit as strings and no pageCount (orders, customers, …),
products and addresses a string pageCount too, the newer ones numbers and
pageCount (orderExtend, taxClasses, …).  Each resource names its Envelope."""
import math
import urllib.parse
from dataclasses import dataclass

from . import dates
from .errors import ApiError, bad_data

DEFAULT_LIMIT = 25
MAX_LIMIT = 200


@dataclass(frozen=True)
class Envelope:
    "How a resource's pages spell the counters"
    numbers: bool              # page/limit/pageCount as JSON numbers, else strings
    page_count: bool           # pageCount is given
    request_time: bool = False  # a requestTime after the items (productExtend)


STRINGS = Envelope(numbers=False, page_count=False)
STRINGS_COUNTED = Envelope(numbers=False, page_count=True)
STRINGS_TIMED = Envelope(numbers=False, page_count=True, request_time=True)
NUMBERS = Envelope(numbers=True, page_count=True)


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


def envelope(url, kept, items, page, limit, render_item, spelling=NUMBERS):
    """One page of items; kept = the request's other parameters, echoed in hrefs.

    A page outside 0..last -> 400/40008 (page 0 of an empty list is fine)."""
    page_count = math.ceil(len(items) / limit)
    last = max(page_count - 1, 0)
    if not 0 <= page <= last:
        raise ApiError(400, 40008, f'Page out of range: minimum page is 0 and '
            f'maximum page is {last}')

    def href(number):
        return {'href': f'{url}?{query(kept + [("page", number), ("limit", limit)])}'}

    def counter(number):
        return number if spelling.numbers else str(number)

    body = {'href': href(page)['href'], 'page': counter(page)}
    if spelling.page_count:
        body['pageCount'] = counter(page_count)
    body.update({
        'limit': counter(limit),
        'first': href(0),
        'previous': href(page - 1) if page > 0 else None,
        'next': href(page + 1) if page < last else None,
        'last': href(last),
        'items': [render_item(item) for item in items[page * limit:(page + 1) * limit]],
    })
    if spelling.request_time:
        body['requestTime'] = dates.now_text(dates.ISO)
    return body
