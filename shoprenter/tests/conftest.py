"""Shared pytest fixtures: real sandbox servers on 127.0.0.1, a free port each.

- ``small_seed``: the small seed (tests/fixtures/sandbox_seed.json) as a fresh dict
- ``make_sandbox(seed=None, **kwargs)``: start a SandboxServer (stopped after the
  test); seed None = the small seed; kwargs go to Sandbox (rate_limit defaults to None)
- ``sandbox_server``: a fresh server with the small seed
- ``make_api_session(server)``: an authorised requests session on a server whose
  relative URLs are under its API URL (``.get('orders')`` …)
- ``sandbox_api``: such a session on sandbox_server
"""
import copy
import json
import pathlib

import pytest
import requests

from shoprenter.sandbox import Sandbox, SandboxServer

FIXTURES = pathlib.Path(__file__).with_name('fixtures')
with open(FIXTURES / 'sandbox_seed.json', encoding='utf-8') as _file:
    SMALL_SEED = json.load(_file)


@pytest.fixture
def small_seed():
    return copy.deepcopy(SMALL_SEED)


@pytest.fixture
def make_sandbox():
    servers = []

    def make(seed=None, **kwargs):
        kwargs.setdefault('rate_limit', None)
        sandbox = Sandbox(copy.deepcopy(SMALL_SEED) if seed is None else seed, **kwargs)
        server = SandboxServer(sandbox).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def sandbox_server(make_sandbox):
    return make_sandbox()


class ApiSession(requests.Session):
    "A requests session that prefixes the API URL and sends a bearer token"

    def __init__(self, server):
        super().__init__()
        self.server = server
        sandbox = server.sandbox
        answer = requests.post(server.token_url, json={
            'grant_type': 'client_credentials', 'client_id': sandbox.tokens.client_id,
            'client_secret': sandbox.tokens.client_secret}, timeout=10)
        answer.raise_for_status()
        self.headers['Authorization'] = 'Bearer ' + answer.json()['access_token']
        self.headers['Accept'] = 'application/json'

    def request(self, method, url, *args, **kwargs):
        if not url.startswith('http'):
            url = f'{self.server.api_url}/{url.lstrip("/")}'
        kwargs.setdefault('timeout', 10)
        return super().request(method, url, *args, **kwargs)


@pytest.fixture
def make_api_session():
    "make_api_session(server) -> an authorised ApiSession (closed after the test)"
    sessions = []

    def make(server):
        sessions.append(ApiSession(server))
        return sessions[-1]

    yield make
    for session in sessions:
        session.close()


@pytest.fixture
def sandbox_api(sandbox_server, make_api_session):
    return make_api_session(sandbox_server)
