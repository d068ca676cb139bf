"Fault injection: a seeded share of 429/500/503 answers, dropped connections, latency."
import random

from .errors import ApiError

FAULTS = {
    '429': ApiError(429, 429, 'Too Many Requests'),
    '500': ApiError(500, 500, 'Internal Server Error'),
    '503': ApiError(503, 503, 'Service Unavailable'),
}
DROP = 'drop'


class Faults:

    def __init__(self, seed=0, rates=None, drop=0.0, latency=0.0):
        rates = {str(code): float(share) for code, share in (rates or {}).items()}
        unknown = set(rates) - set(FAULTS)
        if unknown:
            raise ValueError(f'faults: unknown status {", ".join(sorted(unknown))}'
                f' (use {", ".join(FAULTS)})')
        self.shares = [(DROP, float(drop or 0))] + sorted(rates.items())
        if sum(share for _, share in self.shares) > 1:
            raise ValueError('faults: the shares add up to more than 1')
        self.latency = float(latency or 0)
        self.random = random.Random(seed)
        self.settings = {'seed': seed, 'rates': rates, 'drop': float(drop or 0),
            'latency': self.latency}

    def draw(self):
        "None, 'drop', or the ApiError of the next request (one draw per request)"
        point = self.random.random()
        for kind, share in self.shares:
            if point < share:
                return kind if kind == DROP else FAULTS[kind]
            point -= share
        return None


NO_FAULTS = Faults()
