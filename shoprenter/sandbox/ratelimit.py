"At most `rate` API requests per client inside any 1.0 s window."
import collections
import time

from .errors import ApiError


class RateLimiter:

    def __init__(self, rate):
        self.rate = rate
        self._times = collections.defaultdict(collections.deque)

    def check(self, client):
        "Count one request; 429 with Retry-After when over the limit (not counted)"
        if self.rate is None:
            return
        now = time.monotonic()
        times = self._times[client]
        while times and times[0] <= now - 1.0:
            times.popleft()
        if len(times) >= self.rate:
            raise ApiError(429, 429, 'Too Many Requests', {'Retry-After': '1'})
        times.append(now)
