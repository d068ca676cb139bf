"""`shoprenter sandbox` serves the demo shop and says how to reach it."""
import subprocess
import sys

import requests

from ..outbox import free_port


def test_sandbox_command_serves_the_demo_shop():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, '-u', '-m', 'web_shop_shoprenter.cli', 'sandbox',
            '--port', str(port), '--client-secret', 's3cret'],
        stdout=subprocess.PIPE, text=True)
    try:
        lines = [process.stdout.readline() for _ in range(5)]
        printed = ''.join(lines)
        token_url = f'http://127.0.0.1:{port}/oauth/demo/app/token'
        assert f'http://127.0.0.1:{port}/api' in printed
        assert token_url in printed
        assert 's3cret' in printed
        token = requests.post(token_url, json={
                'grant_type': 'client_credentials',
                'client_id': 'demo-client', 'client_secret': 's3cret'},
            timeout=10).json()['access_token']
        page = requests.get(
            f'http://127.0.0.1:{port}/api/products', params={'limit': 200},
            headers={'Authorization': f'Bearer {token}',
                'Accept': 'application/json'}, timeout=10).json()
        assert int(page['pageCount']) >= 2  # a few hundred demo products
    finally:
        process.terminate()
        process.wait(timeout=10)
