"OAuth client-credentials tokens: issue, check, expire."
import secrets
import time

from .errors import ApiError


class Tokens:

    def __init__(self, client_id, client_secret, ttl):
        self.client_id = client_id
        self.client_secret = client_secret
        self.ttl = ttl
        self._expiry = {}  # token -> (client id, expiry time)

    def issue(self, body):
        "The token answer for a token request body, or (status, error body)"
        if not isinstance(body, dict) or body.get('grant_type') != 'client_credentials':
            return 400, {'error': 'invalid_request',
                'error_description': 'grant_type must be client_credentials',
                'hint': 'send JSON with grant_type, client_id and client_secret',
                'message': 'The request is missing a required parameter'}
        if (body.get('client_id'), body.get('client_secret')) != (
                self.client_id, self.client_secret):
            return 401, {'error': 'invalid_client',
                'error_description': 'Client authentication failed',
                'message': 'Client authentication failed'}
        token = secrets.token_urlsafe(32)
        self._expiry[token] = (self.client_id, time.monotonic() + self.ttl)
        return 200, {'token_type': 'Bearer', 'expires_in': self.ttl,
            'access_token': token}

    def client_of(self, authorization):
        "The client id a 'Bearer …' header belongs to; 401/40101 otherwise"
        scheme, _, token = (authorization or '').partition(' ')
        if scheme.lower() != 'bearer' or not token:
            raise ApiError(401, 40101, 'Missing bearer token')
        client, expiry = self._expiry.get(token.strip(), (None, 0))
        if client is None:
            raise ApiError(401, 40101, 'Unknown access token')
        if time.monotonic() >= expiry:
            raise ApiError(401, 40101, 'Access token expired')
        return client

    def expire_all(self):
        self._expiry = {token: (client, 0) for token, (client, _) in self._expiry.items()}
