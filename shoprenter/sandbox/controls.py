"""The /_sandbox/ controls: no auth, never rate limited or faulted, JSON in and out.

Each route maps to a Sandbox method (the Python API does the same things)."""
from .errors import ApiError


def handle(sandbox, method, path, body):
    "-> (status, body)"
    parts = path.strip('/').split('/', 1)
    name, rest = parts[0], (parts[1] if len(parts) > 1 else '')
    body = body if isinstance(body, dict) else {}
    if (method, name) == ('POST', 'reset'):
        sandbox.reset(body.get('seed'))
        return 200, {'reset': True}
    if (method, name) == ('POST', 'faults'):
        try:
            sandbox.set_faults(**{key: body[key] for key in
                ('seed', 'rates', 'drop', 'latency') if key in body})
        except (TypeError, ValueError) as error:
            raise ApiError(400, 40005, str(error)) from None
        return 200, sandbox.faults.settings
    if (method, name) == ('DELETE', 'faults'):
        sandbox.clear_faults()
        return 200, sandbox.faults.settings
    if (method, name) == ('POST', 'orders'):
        return 201, sandbox.place_order(body)
    if (method, name) == ('PUT', 'products') and rest:
        return 200, sandbox.update_product(rest, body)
    if (method, name) == ('POST', 'expire-tokens'):
        sandbox.expire_tokens()
        return 200, {'expired': True}
    if (method, name) == ('GET', 'stats'):
        return 200, sandbox.stats()
    if (method, name) == ('DELETE', 'stats'):
        sandbox.reset_stats()
        return 200, sandbox.stats()
    if (method, name) == ('GET', ''):
        return 200, sandbox.info()
    raise ApiError(404, 404, f'No sandbox control {method} /_sandbox/{path}')
