"""OAuth client-credentials tokens: issue, check, expire.

Access tokens are JWTs, as ShopRenter's are: ``aud`` (the client id), ``jti``,
``iat``/``nbf``/``exp`` (seconds) and the app's ``scopes``.  ShopRenter signs
with RS256; the sandbox signs with HS256 and a key of its own, which is
enough to refuse a token it did not issue or one that was altered."""
import base64
import hashlib
import hmac
import json
import secrets
import time

from .errors import ApiError
from .scopes import ALL_SCOPES, check_scope

INVALID_REQUEST = ('The request is missing a required parameter, includes an invalid '
    'parameter value, includes a parameter more than once, or is otherwise malformed.')


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + '=' * (-len(text) % 4))


class Grant:
    "What a valid access token allows: its client and scopes"

    def __init__(self, client_id, scopes):
        self.client_id = client_id
        self.scopes = frozenset(scopes)

    def require(self, method, path):
        check_scope(self.scopes, method, path)


class Tokens:

    def __init__(self, client_id, client_secret, ttl, scopes=ALL_SCOPES):
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = ttl
        self.scopes = tuple(scopes)
        self._key = secrets.token_bytes(32)
        self._not_before = 0.0  # tokens issued before this are expired

    def issue(self, body):
        "(status, body) of the token endpoint for a request body"
        body = body if isinstance(body, dict) else {}
        if body.get('grant_type') != 'client_credentials':
            return 400, {'error': 'unsupported_grant_type',
                'error_description': 'The authorization grant type is not supported '
                    'by the authorization server.',
                'hint': 'Check that all required parameters have been provided',
                'message': 'The authorization grant type is not supported by the '
                    'authorization server.'}
        if not body.get('client_id'):
            return 400, {'error': 'invalid_request', 'error_description': INVALID_REQUEST,
                'hint': 'Check the `client_id` parameter', 'message': INVALID_REQUEST}
        if (body.get('client_id'), body.get('client_secret')) != (
                self.client_id, self.client_secret):
            return 401, {'error': 'invalid_client',
                'error_description': 'Client authentication failed',
                'message': 'Client authentication failed'}
        return 200, {'token_type': 'Bearer', 'expires_in': self.ttl,
            'access_token': self._sign(self.client_id)}

    def _sign(self, client_id):
        now = time.time()
        claims = {'aud': client_id, 'jti': secrets.token_hex(20), 'iat': now,
            'nbf': now, 'exp': now + self.ttl, 'sub': '', 'scopes': list(self.scopes)}
        head = _b64(json.dumps({'typ': 'JWT', 'alg': 'HS256'}).encode())
        payload = _b64(json.dumps(claims).encode())
        signature = hmac.new(self._key, f'{head}.{payload}'.encode(), hashlib.sha256)
        return f'{head}.{payload}.{_b64(signature.digest())}'

    def grant_of(self, authorization):
        "The Grant of a 'Bearer …' header; 401/40101 otherwise"
        scheme, _, token = (authorization or '').partition(' ')
        if scheme.lower() != 'bearer' or not token.strip():
            raise ApiError(401, 40101, 'Missing bearer token')
        claims = self._claims(token.strip())
        if claims is None or claims.get('aud') != self.client_id:
            raise ApiError(401, 40101, 'Unknown access token')
        if time.time() >= claims['exp'] or claims['iat'] <= self._not_before:
            raise ApiError(401, 40101, 'Access token expired')
        return Grant(claims['aud'], claims.get('scopes', ()))

    def client_of(self, authorization):
        "The client id a 'Bearer …' header belongs to; 401/40101 otherwise"
        return self.grant_of(authorization).client_id

    def _claims(self, token):
        try:
            head, payload, signature = token.split('.')
            expected = hmac.new(self._key, f'{head}.{payload}'.encode(), hashlib.sha256)
            if not hmac.compare_digest(_unb64(signature), expected.digest()):
                return None
            claims = json.loads(_unb64(payload))
        except (ValueError, TypeError):
            return None
        if not isinstance(claims, dict) or not isinstance(claims.get('exp'), (int, float)):
            return None
        return claims

    def expire_all(self):
        self._not_before = time.time()
