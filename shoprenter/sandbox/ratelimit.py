"At most `rate` API requests per client inside any 1.0 s window."
import collections
import time

from .errors import ApiError


class RateLimiter:

    def __init__(self, rate):
        self.rate = rate
        self._times = collections.defaultdict(collections.deque)

    def check(self, client):
        """Count one request; 429 when over the limit (not counted).

        ShopRenter documents no Retry-After header, so none is sent: the client's
        own backoff is what a 429 exercises."""
        if self.rate is None:
            return
        now = time.monotonic()
        times = self._times[client]
        while times and times[0] <= now - 1.0:
            times.popleft()
        if len(times) >= self.rate:
            raise ApiError(429, 429, 'Too Many Requests')
        times.append(now)
