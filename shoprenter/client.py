"""A client for ShopRenter's API2.

One Client owns one requests.Session and one shop's credentials. It gets and renews the OAuth
token, keeps under the shop's rate limit, retries what can safely be retried (one loop: _send),
walks paged collections, sends batches and hands back normalised dicts (see values.py).
"""
import datetime as dt
import email.utils
import itertools
import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError

from .errors import (
    AuthenticationError, BatchError, ConnectionFailed, ResponseFormatError, ShopRenterError,
    ValidationError, error_for_status, is_run_failure)
from .values import normalise, resource_id, unwrap

__all__ = ['Client', 'Page', 'BatchResult', 'resource_id']

logger = logging.getLogger(__name__)

MAX_LIMIT = 200
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BATCH_METHODS = frozenset({'GET', 'POST', 'PUT', 'DELETE'})
# Renew the token this long before ShopRenter says it expires (at most 10 % of its life).
TOKEN_MARGIN = 60
# Added to the 1-second window: requests arrive at the shop later than we send them, and not
# all equally late.
RATE_MARGIN = 0.1
MAX_DELAY = 60
# Content-Type is mandatory even on GET; without Accept the answer is XML.
HEADERS = {'Accept': 'application/json', 'Content-Type': 'application/json'}


@dataclass(frozen=True)
class Page:
    "One page of a collection: its 0-based number, the page count when told, its items"
    number: int
    count: int | None
    items: list


@dataclass(frozen=True)
class BatchResult:
    "The outcome of one batch operation"
    method: str
    path: str
    status: int
    body: dict | None
    ok: bool
    error: ShopRenterError | None = None

    def raise_for_error(self):
        "Raise the operation's error when it failed"
        if self.error is not None:
            raise self.error

    @staticmethod
    def check(results):
        "Raise BatchError when any of results failed; return results otherwise"
        results = list(results)
        failures = [r for r in results if not r.ok]
        if failures:
            raise BatchError(failures, total=len(results))
        return results


class RateLimiter:
    """A sliding-window limiter shared by every Client of one shop in this process.

    It remembers when the last requests were sent; each caller passes its own rate, so clients
    configured differently still see each other's requests."""
    _registry = {}
    _registry_lock = threading.Lock()

    def __init__(self):
        self._lock = threading.Lock()
        self._sent = deque()

    @classmethod
    def for_shop(cls, shop):
        with cls._registry_lock:
            return cls._registry.setdefault(shop.lower(), cls())

    def acquire(self, rate):
        "Wait until one more request fits in the window of rate requests per second"
        if not rate:
            return
        capacity = max(1, int(rate))
        window = capacity / rate + RATE_MARGIN
        while True:
            with self._lock:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= window:
                    self._sent.popleft()
                # Entries of faster clients of the same shop may pile up beyond our capacity.
                if len(self._sent) < capacity:
                    self._sent.append(now)
                    return
                wait = window - (now - self._sent[-capacity])
            time.sleep(max(wait, 0.001))


class Client:
    "A session with one ShopRenter shop"

    def __init__(
            self, shop, client_id, client_secret, *, api_url=None, token_url=None,
            rate_limit=3.0, max_retries=6, backoff_factor=0.5, timeout=(10, 60),
            session=None):
        if not shop:
            raise ValueError('shop is required')
        self.shop = shop
        self.client_id = client_id
        self._client_secret = client_secret
        self.api_url = (api_url or f'https://{shop}.api2.myshoprenter.hu/api').rstrip('/')
        self.token_url = token_url or f'https://oauth.app.shoprenter.net/{shop}/app/token'
        self.rate_limit = rate_limit
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.timeout = timeout
        self._own_session = session is None
        self.session = session if session is not None else requests.Session()
        self._limiter = RateLimiter.for_shop(shop)
        self._token_lock = threading.Lock()
        self._access_token = None
        self._token_renew_at = 0.0
        self._count_lock = threading.Lock()
        self.request_count = 0

    def __repr__(self):
        return f'<Client shop={self.shop!r} api_url={self.api_url!r}>'

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        if self._own_session:
            self.session.close()

    # Verbs

    def get(self, path, params=None):
        "GET path (e.g. 'orders/<id>'); return the normalised answer"
        return self._call('GET', path, params=params)

    def post(self, path, data, params=None):
        "POST data (sent as {'data': data}); not retried when it may have reached the shop"
        return self._call('POST', path, params=params, data=data, idempotent=False)

    def put(self, path, data, params=None):
        return self._call('PUT', path, params=params, data=data)

    def delete(self, path):
        self._call('DELETE', path)

    def iter_pages(self, path, params=None, *, full=True, limit=MAX_LIMIT):
        "Yield the pages of the collection at path, from page 0 while the answer has next"
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f'limit must be between 1 and {MAX_LIMIT}')
        params = dict(params or {})
        params.update(full=1 if full else 0, limit=limit)
        for number in itertools.count():
            params['page'] = number
            try:
                answer = self._call('GET', path, params=params)
            except ValidationError as error:
                # 40008 page out of range: an empty collection, or one that shrank while
                # it was read.
                if error.inner_code != 40008:
                    raise
                if number:
                    logger.warning(
                        'page %d of %s out of range: the collection shrank', number, path)
                return
            page = self._page(answer, number, path)
            yield page
            if not page.items or not self._has_next(answer, page, limit):
                return

    def iter_collection(self, path, params=None, *, full=True, limit=MAX_LIMIT):
        "Yield every item of the collection at path (with full=False, {'href'} stubs)"
        for page in self.iter_pages(path, params, full=full, limit=limit):
            yield from page.items

    def batch(self, operations, *, chunk_size=MAX_LIMIT):
        """Send operations [(method, path, data or None)] by POST batch, chunk_size per call.

        Return one BatchResult per operation, in input order; a failed operation does not
        raise (see BatchResult.raise_for_error and BatchResult.check)."""
        if not 1 <= chunk_size <= MAX_LIMIT:
            raise ValueError(f'chunk_size must be between 1 and {MAX_LIMIT}')
        results = []
        operations = iter(operations)
        while chunk := list(itertools.islice(operations, chunk_size)):
            results.extend(self._batch_chunk(chunk))
        return results

    def batch_isolated(self, operations, *, chunk_size=MAX_LIMIT):
        """Yield (start, results) per batch call of operations [(method, path, data)]:
        the BatchResults of operations[start:start + len(results)].

        When the shop refuses a call as a whole, each of its operations goes alone,
        so that one the shop refuses never stops the others; an error that stops the
        whole run (is_run_failure) is raised.  Yielded per call, so that what the
        shop answered is kept even when a later call fails."""
        operations = list(operations)
        for start in range(0, len(operations), chunk_size):
            chunk = operations[start:start + chunk_size]
            try:
                results = self._batch_chunk(chunk)
            except ShopRenterError as exception:
                if is_run_failure(exception):
                    raise
                results = [self._send_alone(*operation) for operation in chunk]
            yield start, results

    def _send_alone(self, method, path, data=None):
        "One batch operation by itself, answered as a batch answers it"
        try:
            body = self._call(method.upper(), path, data=data,
                idempotent=method.upper() != 'POST')
        except ShopRenterError as exception:
            if is_run_failure(exception):
                raise
            return BatchResult(method=method, path=path, status=exception.status,
                body=None, ok=False, error=exception)
        return BatchResult(method=method, path=path, status=200, body=body, ok=True)

    # Paging and batch helpers

    @staticmethod
    def _page(answer, number, path):
        if not isinstance(answer, dict):
            raise ResponseFormatError(
                'a collection page is not an object', method='GET', path=path)
        items = answer.get('items')
        if items is None:
            items = []
        elif isinstance(items, dict):
            # A single-element page may come as an object instead of a list.
            items = [items]
        elif not isinstance(items, list):
            raise ResponseFormatError(
                f'page items are {type(items).__name__}', method='GET', path=path)
        items = [item for item in items if item is not None]
        return Page(
            number=_to_int(answer.get('page'), number),
            count=_to_int(answer.get('pageCount'), None),
            items=items)

    @staticmethod
    def _has_next(answer, page, limit):
        if 'next' in answer:
            return answer['next'] is not None
        # No link at all: fall back on the page count, then on a full page.
        if page.count is not None:
            return page.number + 1 < page.count
        return len(page.items) >= limit

    def _batch_chunk(self, chunk):
        requests_ = []
        for operation in chunk:
            method, path, data = operation
            method = method.upper()
            if method not in BATCH_METHODS:
                raise ValueError(f'unsupported batch method {method!r}')
            request = {'method': method, 'uri': self._url(path)}
            if data is not None:
                request['data'] = data
            requests_.append(request)
        answer = self._call('POST', 'batch', data={'requests': requests_})
        replies = answer.get('requests') if isinstance(answer, dict) else None
        if isinstance(replies, dict):
            replies = replies.get('request')
        if isinstance(replies, dict):
            replies = [replies]
        if not isinstance(replies, list) or len(replies) != len(chunk):
            raise ResponseFormatError(
                f'batch answer does not hold {len(chunk)} results', method='POST',
                url=self._url('batch'), path='/batch')
        return [
            self._batch_result(operation, request, reply)
            for operation, request, reply in zip(chunk, requests_, replies)]

    def _batch_result(self, operation, request, reply):
        method, path, _ = operation
        response = (reply or {}).get('response') or {}
        header = response.get('header') or {}
        status = _to_int(header.get('statusCode', header.get('statuscode')), None)
        if status is None:
            raise ResponseFormatError(
                f'batch result without a status for {request["method"]} {path}',
                method='POST', url=self._url('batch'), path='/batch')
        body = unwrap(response.get('body'))
        ok = 200 <= status < 300
        error = None
        if not ok:
            error = error_for_status(
                status, body, method=request['method'], url=request['uri'],
                path=self._relative(request['uri']))
        return BatchResult(
            method=request['method'], path=path, status=status,
            body=body if isinstance(body, dict) else None, ok=ok, error=error)

    # Transport

    def _url(self, path):
        if path.startswith(('http://', 'https://')):
            # Only our own base: the token must never go to a host taken from an answer.
            if not path.startswith(self.api_url + '/'):
                raise ValueError(f'{path!r} is not under {self.api_url!r}')
            return path
        return f'{self.api_url}/{path.lstrip("/")}'

    def _relative(self, url):
        if url.startswith(self.api_url):
            return urlsplit(url[len(self.api_url):]).path or '/'
        return urlsplit(url).path

    def _call(self, method, path, *, params=None, data=None, idempotent=True):
        "Send one API call; return its normalised JSON answer ({} when it has none)"
        body = None if data is None else _dumps({'data': data})
        response = self._send(
            method, self._url(path), params=params, body=body, idempotent=idempotent)
        if method == 'DELETE' or response.status_code == 204 or not response.content:
            return {}
        answer = normalise(_decode(response, method, self._relative(response.url)))
        if answer is None:
            # emptyBody=1 answers [].
            return {}
        if not isinstance(answer, dict):
            raise ResponseFormatError(
                f'the answer is a {type(answer).__name__}, not an object',
                status=response.status_code, method=method, url=response.url,
                path=self._relative(response.url))
        return answer

    def _send(self, method, url, *, params=None, body=None, idempotent=True, api=True):
        """Send a request with the retries it allows; return the successful response.

        The single place of retries: 429 always (the shop did nothing), 5xx and lost
        connections only when repeating is harmless (idempotent), connect failures always
        (nothing was sent). An API call renews the token once on 401."""
        path = self._relative(url) if api else urlsplit(url).path
        attempt = 0
        renewed = False
        while True:
            attempt += 1
            headers = dict(HEADERS)
            if api:
                token = self._token()
                headers['Authorization'] = f'Bearer {token}'
                self._limiter.acquire(self.rate_limit)
                with self._count_lock:
                    self.request_count += 1
            start = time.monotonic()
            try:
                response = self.session.request(
                    method, url, params=params, data=body, headers=headers,
                    timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError) as exception:
                elapsed = time.monotonic() - start
                retry = idempotent or _nothing_sent(exception)
                reason = _describe(exception)
                logger.debug(
                    '%s %s: no answer (%s), attempt %d, %.3fs',
                    method, path, reason, attempt, elapsed)
                if retry and attempt <= self.max_retries:
                    delay = self._backoff(attempt)
                    logger.warning(
                        '%s %s: %s; retry %d/%d in %.2fs',
                        method, path, reason, attempt, self.max_retries, delay)
                    time.sleep(delay)
                    continue
                raise ConnectionFailed(
                    f'no answer after {attempt} attempt(s): {reason}', method=method,
                    url=url, path=path) from exception
            elapsed = time.monotonic() - start
            status = response.status_code
            logger.debug(
                '%s %s: HTTP %d, attempt %d, %.3fs', method, path, status, attempt, elapsed)
            if status == 401 and api and not renewed:
                renewed = True
                attempt -= 1
                self._forget_token(token)
                logger.info('%s %s: token refused, requesting a new one', method, path)
                continue
            if (status in RETRY_STATUSES and (idempotent or status == 429)
                    and attempt <= self.max_retries):
                delay = _retry_after(response)
                if delay is None:
                    delay = self._backoff(attempt)
                logger.warning(
                    '%s %s: HTTP %d; retry %d/%d in %.2fs',
                    method, path, status, attempt, self.max_retries, delay)
                time.sleep(delay)
                continue
            if status >= 400:
                raise error_for_status(
                    status, _try_decode(response), method=method, url=response.url,
                    path=path, text=response.text)
            return response

    def _backoff(self, attempt):
        return min(self.backoff_factor * 2 ** (attempt - 1), MAX_DELAY)

    # Token

    def _token(self):
        with self._token_lock:
            if self._access_token is None or time.monotonic() >= self._token_renew_at:
                self._access_token, self._token_renew_at = self._request_token()
            return self._access_token

    def _forget_token(self, token):
        with self._token_lock:
            if self._access_token == token:
                self._access_token = None

    def _request_token(self):
        body = _dumps({
                'grant_type': 'client_credentials',
                'client_id': self.client_id,
                'client_secret': self._client_secret,
                })
        try:
            response = self._send('POST', self.token_url, body=body, api=False)
        except ShopRenterError as error:
            if error.status in {400, 401, 403}:
                raise AuthenticationError(
                    f'token refused: {error.message}', status=error.status,
                    inner_code=error.inner_code, method='POST', url=self.token_url,
                    path=error.path) from None
            raise
        answer = _decode(response, 'POST', urlsplit(self.token_url).path)
        token = answer.get('access_token') if isinstance(answer, dict) else None
        if not token or not isinstance(token, str):
            raise ResponseFormatError(
                'the token answer has no access_token', status=response.status_code,
                method='POST', url=self.token_url, path=urlsplit(self.token_url).path)
        expires_in = _to_int(answer.get('expires_in'), 3600)
        margin = min(TOKEN_MARGIN, expires_in / 10)
        logger.debug('new access token, expires in %ss', expires_in)
        return token, time.monotonic() + expires_in - margin


def _dumps(data):
    return json.dumps(data, default=_json_default, ensure_ascii=False).encode('utf-8')


def _json_default(value):
    # ShopRenter takes strings for every scalar.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime('%Y-%m-%dT%H:%M:%S')
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f'{type(value).__name__} is not JSON serialisable')


def _decode(response, method, path):
    try:
        return response.json(parse_float=Decimal)
    except ValueError:
        snippet = ' '.join(response.text[:80].split())
        raise ResponseFormatError(
            f'the answer is not JSON ({response.headers.get("Content-Type")}): {snippet!r}',
            status=response.status_code, method=method, url=response.url,
            path=path) from None


def _try_decode(response):
    try:
        return unwrap(response.json(parse_float=Decimal))
    except ValueError:
        return None


def _to_int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _retry_after(response):
    "Return the seconds the answer asks to wait, or None"
    value = response.headers.get('Retry-After')
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        seconds = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
    return min(max(seconds, 0.0), MAX_DELAY)


def _nothing_sent(exception):
    "Tell whether the request failed before any byte of it could reach the shop"
    if isinstance(exception, requests.ConnectTimeout):
        return True
    reason = exception.args[0] if exception.args else None
    reason = getattr(reason, 'reason', reason)
    return isinstance(reason, ConnectTimeoutError)


def _describe(exception):
    reason = exception.args[0] if exception.args else exception
    reason = getattr(reason, 'reason', reason)
    return f'{type(exception).__name__}: {reason}'
