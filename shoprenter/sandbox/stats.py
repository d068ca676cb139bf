"""Counts of API requests (per call 'GET /orderExtend' and per answer status)
and the outcome of the webhook deliveries."""
import collections

# The latest deliveries kept for /_sandbox/stats (enough to debug, bounded).
KEPT_DELIVERIES = 50


class Stats:

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.calls = collections.Counter()
        self.statuses = collections.Counter()
        self.webhooks_delivered = 0
        self.webhooks_failed = 0
        self.webhook_last_error = None
        self.deliveries = collections.deque(maxlen=KEPT_DELIVERIES)

    def record(self, call, status):
        self.requests += 1
        self.calls[call] += 1
        self.statuses[str(status)] += 1

    def record_webhook(self, event, url, kind, status, error):
        "One delivery tried: status is the listener's HTTP status (None: no answer)"
        if error is None:
            self.webhooks_delivered += 1
        else:
            self.webhooks_failed += 1
            self.webhook_last_error = f'{event} to {url}: {error}'
        self.deliveries.append({'event': event, 'url': url, 'type': kind,
            'status': None if status is None else str(status), 'error': error})

    def as_dict(self):
        stats = {'requests': self.requests, 'calls': dict(self.calls),
            'statuses': dict(self.statuses)}
        if self.deliveries or self.webhooks_delivered or self.webhooks_failed:
            # only once a webhook fired: the request counts stay as they were
            stats['webhooks'] = {'delivered': self.webhooks_delivered,
                'failed': self.webhooks_failed, 'last_error': self.webhook_last_error,
                'deliveries': list(self.deliveries)}
        return stats
