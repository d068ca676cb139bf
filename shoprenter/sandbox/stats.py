"Counts of API requests: per call ('GET /orderExtend') and per answer status."
import collections


class Stats:

    def __init__(self):
        self.reset()

    def reset(self):
        self.requests = 0
        self.calls = collections.Counter()
        self.statuses = collections.Counter()

    def record(self, call, status):
        self.requests += 1
        self.calls[call] += 1
        self.statuses[str(status)] += 1

    def as_dict(self):
        return {'requests': self.requests, 'calls': dict(self.calls),
            'statuses': dict(self.statuses)}
