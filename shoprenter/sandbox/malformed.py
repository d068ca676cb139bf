"""Malformed orders served among a sandbox's good ones, for the ERPs' tests.

The sandbox validates what it stores, so it never serves a malformed order;
MalformedShop is a thin proxy in front of it whose orderExtend list holds
the malformed orders too and which forwards every other call."""
import copy
import json
import threading
from urllib.parse import urlencode

import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

__all__ = ['malformations', 'malformed_orders', 'MalformedShop', 'serve_malformed']


def malformations():
    "Ways an order can be broken, each a function changing a copy of one"
    def drop(key):
        return lambda order: order.pop(key, None)

    def set_(key, value):
        return lambda order: order.__setitem__(key, value)

    def first_line(key, value):
        def change(order):
            order['orderProducts'][0][key] = value
        return change

    return [
        drop('innerId'),                                # missing keys
        drop('id'),
        set_('orderProducts', "not a list"),            # wrong types
        set_('firstname', {'nested': 'object'}),
        set_('orderTotals', [{'type': 'TOTAL', 'value': 'lots'}]),
        first_line('price', 'abc'),
        set_('dateUpdated', '2024-13-45T99:00:00'),     # bad date
        first_line('stock1', '-3'),                     # negative quantity
        set_('comment', 'x' * 200_000),                 # huge string
        set_('orderStatus', {'id': 'bm8tc3VjaC1zdGF0dXM='}),  # dangling
        ]


def malformed_orders(good, count):
    """count malformed copies of the good orders (as orderExtend gives them),
    each way of malformations() in turn, with ids bad-N and numbers 100000+N"""
    ways = malformations()
    bad = []
    for n in range(count):
        order = copy.deepcopy(good[n % len(good)])
        order['id'] = f'bad-{n}'
        order['innerId'] = str(100_000 + n)
        ways[n % len(ways)](order)
        bad.append(order)
    return bad


class MalformedShop:
    "A WSGI proxy to the sandbox at sandbox_url whose orderExtend list is orders"

    def __init__(self, sandbox_url, orders):
        self.sandbox_url = sandbox_url
        self.orders = orders

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.method == 'GET' and request.path == '/api/orderExtend':
            response = self.order_page(request)
        else:
            answer = requests.request(
                request.method, self.sandbox_url + request.full_path,
                data=request.get_data(), timeout=30, headers={
                    k: v for k, v in request.headers.items() if k.lower() != 'host'})
            response = Response(answer.content, answer.status_code,
                content_type=answer.headers.get('Content-Type'))
        return response(environ, start_response)

    def order_page(self, request):
        limit = int(request.args.get('limit', 25))
        page = int(request.args.get('page', 0))
        count = -(-len(self.orders) // limit)

        def link(number):
            args = dict(request.args, page=number)
            return {'href': f'{request.host_url}api/orderExtend?{urlencode(args)}'}
        return Response(json.dumps({
                    'href': link(page)['href'], 'page': page, 'pageCount': count,
                    'limit': limit, 'first': link(0), 'last': link(count - 1),
                    'previous': link(page - 1) if page else None,
                    'next': link(page + 1) if page + 1 < count else None,
                    'items': self.orders[page * limit:(page + 1) * limit],
                    }), content_type='application/json')


def serve_malformed(sandbox_url, orders):
    """Start a MalformedShop on a free loopback port in a thread; the server
    (its API at http://127.0.0.1:<server.server_port>/api); shut it down after"""
    proxy = make_server('127.0.0.1', 0, MalformedShop(sandbox_url, orders), threaded=True)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    return proxy
