"""The one exception family of the ShopRenter client.

Every error carries what a person needs to act on it: the HTTP status, ShopRenter's inner code
(40008, 40101, …) when the answer gives one, the message, the method and the URL of the call.
"""
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    'ShopRenterError', 'AuthenticationError', 'NotFoundError', 'ValidationError',
    'RateLimitError', 'ServerError', 'ConnectionFailed', 'BatchError', 'ResponseFormatError',
    'error_for_status', 'is_run_failure',
    ]

# Query parameters that must never reach an error message or a log line.
_SECRET_PARAMETERS = {
    'access_token', 'token', 'client_secret', 'secret', 'password', 'authorization'}


def safe_url(url):
    "Return url without the query parameters that could hold a secret"
    if not url:
        return url
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = [
        (name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in _SECRET_PARAMETERS]
    return urlunsplit(parts._replace(query=urlencode(query)))


class ShopRenterError(Exception):
    "A call to the ShopRenter API failed"

    def __init__(
            self, message, *, status=None, inner_code=None, method=None, url=None,
            path=None):
        self.message = message
        self.status = status
        self.inner_code = inner_code
        self.method = method
        self.url = safe_url(url)
        # The path relative to the API base ('/orderExtend'): what a reader recognises.
        self.path = path
        super().__init__(message)

    def __str__(self):
        where = ' '.join(filter(None, [self.method, self.path or self.url]))
        if self.status is not None:
            what = f'HTTP {self.status}'
            if self.inner_code is not None:
                what += f' ({self.inner_code})'
        else:
            what = ''
        text = ' '.join(filter(None, [what, self.message]))
        return f'{where}: {text}' if where else text

    def __repr__(self):
        return (
            f'{type(self).__name__}({self.message!r}, status={self.status!r}, '
            f'inner_code={self.inner_code!r}, method={self.method!r}, url={self.url!r})')

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.__dict__))


def _rebuild(cls, message, state):
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class AuthenticationError(ShopRenterError):
    "The credentials or the token were refused (HTTP 401/403 or by the token endpoint)"


class NotFoundError(ShopRenterError):
    "The resource does not exist (HTTP 404)"


class ValidationError(ShopRenterError):
    "ShopRenter refused the request's content (HTTP 400 or 409)"


class RateLimitError(ShopRenterError):
    "Still HTTP 429 after every retry"


class ServerError(ShopRenterError):
    "HTTP 5xx (after the retries allowed for the call)"


class ConnectionFailed(ShopRenterError):
    "No answer: network error or timeout after the retries allowed for the call"


class ResponseFormatError(ShopRenterError):
    "The answer is not JSON or not of the expected shape"


class BatchError(ShopRenterError):
    "Some operations of a batch failed; failures holds their BatchResult"

    def __init__(self, failures, total=None):
        self.failures = list(failures)
        first = self.failures[0].error if self.failures else None
        count = len(self.failures)
        message = f'{count} of {total if total is not None else "?"} batch operations failed'
        if first is not None:
            message += f', first: {first}'
        super().__init__(
            message, status=first.status if first else None,
            inner_code=first.inner_code if first else None,
            method=first.method if first else None, url=first.url if first else None,
            path=first.path if first else None)

    def __str__(self):
        return self.message


def is_run_failure(exception):
    """Whether the error stops a whole run rather than one record: the shop cannot be
    reached or refuses the app, so every other call would fail too"""
    return isinstance(exception, (AuthenticationError, ConnectionFailed, RateLimitError))


def error_class(status):
    "Return the exception class for an HTTP error status"
    if status in {401, 403}:
        return AuthenticationError
    if status == 404:
        return NotFoundError
    if status in {400, 409}:
        return ValidationError
    if status == 429:
        return RateLimitError
    if status is not None and 500 <= status < 600:
        return ServerError
    return ShopRenterError


def error_for_status(status, body=None, *, method=None, url=None, path=None, text=None):
    """Build the error for an HTTP error answer.

    body is the decoded answer (a dict such as {"error": 40008, "message": "…"}, or anything
    else); text is the raw answer, used when the body says nothing readable."""
    inner_code, message = _read_error_body(status, body)
    if not message and text:
        message = ' '.join(text.split())[:200]
    if not message:
        message = _REASONS.get(status, 'error')
    return error_class(status)(
        message, status=status, inner_code=inner_code, method=method, url=url, path=path)


_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error',
    502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
    }


def _read_error_body(status, body):
    # The error body shape is undocumented: the sandbox sends {"error": <innerCode or the
    # status>, "message"}, the token endpoint {"error": "invalid_client", "error_description"},
    # a batch operation may hold only {"message"}.
    if not isinstance(body, dict):
        return None, str(body) if isinstance(body, str) and body else None
    inner_code = None
    for key in ['innerCode', 'inner_code', 'code', 'error']:
        value = body.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            if int(value) != status:
                inner_code = int(value)
            break
    message = None
    for key in ['message', 'error_description', 'errorMessage', 'error']:
        value = body.get(key)
        if isinstance(value, str) and value and not value.isdigit():
            message = value
            break
    return inner_code, message
