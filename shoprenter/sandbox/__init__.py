"""A local ShopRenter API (API2) for development and tests.

    from shoprenter.sandbox import Sandbox, SandboxServer
    with SandboxServer(Sandbox(seed)) as server:
        ...  # server.api_url, server.token_url
"""
from .app import Sandbox
from .server import SandboxServer, serve

__all__ = ['Sandbox', 'SandboxServer', 'serve']
