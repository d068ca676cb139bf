"""Webhooks that fire: a real listener on 127.0.0.1 receives the sandbox's posts.

Deliveries run in the sandbox's background thread; ``sandbox.webhooks.wait()``
returns once every due delivery has been tried, so nothing here sleeps."""
import json
import socket
import threading
import xml.etree.ElementTree as ElementTree

import pytest
import requests
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from shoprenter.sandbox.ids import make_id
from shoprenter.sandbox.server import QuietHandler

from official import load_json

PENDING = make_id('orderStatus', order_status_id=1)   # "Függőben" in the small seed
STORNO = make_id('orderStatus', order_status_id=6)    # "Sztornózott (Storno)"
INTENT = {'items': [{'sku': 'MUG-1', 'quantity': 2}], 'shippingMode': '1',
    'paymentCode': 'cod', 'firstname': 'Béla', 'lastname': 'Tóth',
    'email': 'bela.toth@example.hu'}


class Listener:
    "A small HTTP server that keeps what it is posted; answers[path] = status to answer"

    def __init__(self):
        self.received = []
        self.answers = {}
        self.gate = None  # a threading.Event the handler waits for, when set
        self._lock = threading.Lock()
        self._server = make_server('127.0.0.1', 0, self._app, threaded=True,
            request_handler=QuietHandler)
        self.url = f'http://127.0.0.1:{self._server.server_port}'
        self._thread = threading.Thread(target=self._server.serve_forever,
            kwargs={'poll_interval': 0.05}, daemon=True)
        self._thread.start()

    def _app(self, environ, start_response):
        request = Request(environ)
        if self.gate is not None:
            self.gate.wait(10)
        with self._lock:
            self.received.append({'path': request.path, 'headers': dict(request.headers),
                'form': request.form.to_dict(flat=False)})
        return Response('ok', status=self.answers.get(request.path, 200))(
            environ, start_response)

    def at(self, path):
        with self._lock:
            return [post for post in self.received if post['path'] == path]

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.stop()


@pytest.fixture
def shop(sandbox_server, make_api_session):
    "The small seed's sandbox with no webhook yet (the seed's one is removed)"
    api = make_api_session(sandbox_server)
    for item in api.get('webHooks').json()['items']:
        assert api.delete(item['href']).status_code == 204
    return sandbox_server, api


def add_webhook(api, event, url, kind='json', status='1', **extra):
    answer = api.post('webHooks', json={'label': f'{event} {kind}', 'event': event,
        'status': status, 'webHookParameters': [{'type': kind, 'url': url, **extra}]})
    assert answer.status_code == 201, answer.text
    return answer.json()


def place_order(server, intent=INTENT):
    answer = requests.post(server.url + '/_sandbox/orders', json=intent, timeout=10)
    assert answer.status_code == 201, answer.text
    return answer.json()


def delivered(server):
    assert server.sandbox.webhooks.wait(10), 'deliveries still pending'
    return server.sandbox.stats().get('webhooks', {'delivered': 0, 'failed': 0})


def json_order(post):
    (document,) = post['form']['data']
    return json.loads(document)['orders']['order'][0]


def xml_order(post):
    (document,) = post['form']['data']
    root = ElementTree.fromstring(document)
    assert root.tag == 'orders'
    (order,) = root.findall('order')
    return order


def test_order_confirm_posts_json_and_xml(shop, listener):
    server, api = shop
    add_webhook(api, 'order_confirm', listener.url + '/json')
    add_webhook(api, 'order_confirm', listener.url + '/xml', kind='xml')
    order = place_order(server)
    assert delivered(server)['delivered'] == 2

    (post,) = listener.at('/json')
    assert post['headers']['Content-Type'].startswith('multipart/form-data')
    assert post['headers']['User-Agent'] == 'ShopRenter'
    sent = json_order(post)
    assert sent['storeName'] == server.sandbox.shop
    assert sent['innerId'] == order['innerId']
    assert sent['innerResourceId'] == f'orders/{order["id"]}'
    assert (sent['firstname'], sent['email']) == ('Béla', 'bela.toth@example.hu')
    assert sent['orderHistory']['status'] == '1'
    assert sent['orderHistory']['statusText'] == 'Függőben'
    # 2 mugs at 1000 net, 27 % VAT, GLS at 1000 net + VAT
    assert (sent['total'], sent['taxPrice'], sent['totalGross']) == (
        '2000.0000', '540.0000', '3810.0000')
    assert (sent['shippingNetPrice'], sent['shippingGrossPrice']) == ('1000.0000', '1270.0000')
    assert sent['customerId'] == '0' and sent['paymentMethodCode'] == 'COD'  # confirm only
    assert 'newsletterChecked' not in sent  # status change only
    (line,) = sent['orderProducts']['orderProduct']
    assert (line['sku'], line['quantity'], line['price']) == ('MUG-1', '2', '1000.0000')
    assert line['innerResourceId'].startswith('orderProducts/')

    (post,) = listener.at('/xml')
    assert post['headers']['User-Agent'] == 'ShopRenter'
    sent = xml_order(post)
    assert sent.findtext('innerId') == order['innerId']
    assert sent.findtext('innerResourceId') == f'orders/{order["id"]}'
    assert sent.findtext('orderHistory/statusText') == 'Függőben'
    assert sent.findtext('orderProducts/orderProduct/sku') == 'MUG-1'


def test_order_status_change_posts_the_selected_fields(shop, listener):
    server, api = shop
    add_webhook(api, 'order_status_change', listener.url + '/json', fields=[
        'order_innerId', 'order_innerResourceId', 'order_newsletterChecked',
        'order_customerId', 'orderHistory_status', 'orderHistory_statusText',
        'orderProduct_sku'])
    add_webhook(api, 'order_status_change', listener.url + '/xml', kind='xml')
    order = place_order(server)
    assert delivered(server)['delivered'] == 0  # placing is no status change

    answer = api.put(f'orders/{order["id"]}', json={'orderStatus': {'id': STORNO}})
    assert answer.status_code == 200
    assert delivered(server)['delivered'] == 2
    (post,) = listener.at('/json')
    sent = json_order(post)
    # only what the selection names, unprefixed; customerId is not sent on a status change
    assert set(sent) == {'innerId', 'innerResourceId', 'newsletterChecked',
        'orderHistory', 'orderProducts'}
    assert sent['innerResourceId'] == f'orders/{order["id"]}'
    assert sent['orderHistory'] == {'status': '6', 'statusText': 'Sztornózott (Storno)'}
    assert sent['orderProducts'] == {'orderProduct': [{'sku': 'MUG-1'}]}
    (post,) = listener.at('/xml')
    sent = xml_order(post)
    assert sent.findtext('innerId') == order['innerId']
    assert sent.findtext('orderHistory/statusText') == 'Sztornózott (Storno)'
    assert sent.findtext('orderHistory/dateAdded')  # the new history row's date

    # the same status again changes nothing; a batch sub-request changes it back
    api.put(f'orders/{order["id"]}', json={'orderStatus': {'id': STORNO}})
    answer = api.post('batch', json={'data': {'requests': [{'method': 'PUT',
        'uri': f'{server.api_url}/orders/{order["id"]}',
        'data': {'orderStatus': {'id': PENDING}}}]}})
    assert answer.json()['requests']['request'][0]['response']['header']['statusCode'] == '200'
    assert delivered(server)['delivered'] == 4
    assert [json_order(post)['orderHistory']['status'] for post in listener.at('/json')] == [
        '6', '1']


def test_disabled_webhook_posts_nothing(shop, listener):
    server, api = shop
    add_webhook(api, 'order_confirm', listener.url + '/disabled', status='0')
    add_webhook(api, 'order_status_change', listener.url + '/other-event')
    add_webhook(api, 'order_confirm', listener.url + '/enabled')
    place_order(server)
    assert delivered(server) == {'delivered': 1, 'failed': 0, 'last_error': None,
        'deliveries': [{'event': 'order_confirm', 'url': listener.url + '/enabled',
            'type': 'json', 'status': '200', 'error': None}]}
    assert len(listener.at('/enabled')) == 1
    assert listener.at('/disabled') == [] and listener.at('/other-event') == []


def test_abandoned_cart_is_not_an_order_confirm(shop, listener):
    server, api = shop
    add_webhook(api, 'order_confirm', listener.url + '/confirm')
    add_webhook(api, 'abandoned_cart', listener.url + '/cart')
    cart = place_order(server, {**INTENT, 'orderStatus': None})
    assert delivered(server)['delivered'] == 1
    assert listener.at('/confirm') == []
    sent = json_order(listener.at('/cart')[0])
    assert sent['innerId'] == cart['innerId'] and 'shippingInnerResourceId' not in sent


def test_failed_deliveries_are_counted_in_stats(shop, listener):
    server, api = shop
    with socket.socket() as probe:  # a port nobody listens on any more
        probe.bind(('127.0.0.1', 0))
        closed = probe.getsockname()[1]
    add_webhook(api, 'order_confirm', f'http://127.0.0.1:{closed}/hook')
    listener.answers['/broken'] = 500
    add_webhook(api, 'order_confirm', listener.url + '/broken', kind='xml')
    place_order(server)
    assert server.sandbox.webhooks.wait(10)
    stats = requests.get(server.url + '/_sandbox/stats', timeout=10).json()['webhooks']
    assert (stats['delivered'], stats['failed']) == (0, 2)
    outcomes = {delivery['url']: (delivery['status'], delivery['error'])
        for delivery in stats['deliveries']}
    assert outcomes[listener.url + '/broken'] == ('500', 'HTTP 500')
    status, error = outcomes[f'http://127.0.0.1:{closed}/hook']
    assert status is None and 'ConnectionError' in error
    assert len(listener.at('/broken')) == 1  # tried once, never retried
    cleared = requests.delete(server.url + '/_sandbox/stats', timeout=10).json()
    assert 'webhooks' not in cleared


def test_the_answer_does_not_wait_for_the_delivery(shop, listener):
    server, api = shop
    add_webhook(api, 'order_confirm', listener.url + '/slow')
    listener.gate = threading.Event()
    try:
        place_order(server)  # answered while the listener still holds the post
        assert server.sandbox.webhooks.pending == 1
        assert api.get('webHooks').status_code == 200  # the lock is free meanwhile
    finally:
        listener.gate.set()
    assert delivered(server)['delivered'] == 1


def test_a_delayed_webhook_waits_its_delay(shop, listener):
    server, api = shop
    answer = api.post('webHooks', json={'label': 'later', 'event': 'order_confirm',
        'status': '1', 'webHookParameters': [{'type': 'json', 'url': listener.url + '/later'}],
        'webHookDelay': [{'delay': '1', 'delayUnit': 'hour'}]})
    assert answer.status_code == 201
    add_webhook(api, 'order_confirm', listener.url + '/now')
    place_order(server)
    assert not server.sandbox.webhooks.wait(0.5)  # the hour-late one is still queued
    assert server.sandbox.webhooks.pending == 1
    assert len(listener.at('/now')) == 1 and listener.at('/later') == []


@pytest.mark.parametrize('change, wrong', [
    ({'event': 'order_created'}, 'event'),
    ({'status': 'yes'}, 'status'),
    ({'webHookParameters': [{'type': 'csv', 'url': 'http://127.0.0.1/hook'}]}, 'type'),
    ({'webHookParameters': [{'type': 'json', 'url': 'ftp://127.0.0.1/hook'}]}, 'url'),
    ({'webHookParameters': [{'type': 'json', 'url': 'not a url'}]}, 'url'),
    ({'webHookParameters': []}, 'webHookParameters'),
    ({'webHookDelay': [{'delay': '2', 'delayUnit': 'week'}]}, 'delayUnit'),
])
def test_webhook_writes_are_checked(shop, change, wrong):
    _, api = shop
    official = load_json('webhook', 'request', 'post.json')
    created = api.post('webHooks', json=official)
    assert created.status_code == 201, created.text
    assert created.json()['event'] == 'order_confirm'
    answer = api.post('webHooks', json={**official, **change})
    assert answer.status_code == 400
    assert answer.json()['error'] == 40005 and wrong in answer.json()['message']
    answer = api.put(f'webHooks/{created.json()["id"]}', json=change)
    assert (answer.status_code, answer.json()['error']) == (400, 40005)
    assert len(api.get('webHooks').json()['items']) == 1


def test_every_documented_event_is_accepted(shop):
    _, api = shop
    for event in ('order_confirm', 'order_status_change', 'newsletter_subscribe',
            'newsletter_unsubscribe', 'newsletter_update_subscriber', 'abandoned_cart'):
        add_webhook(api, event, 'https://127.0.0.1/hook', kind='xml')
    assert len(api.get('webHooks').json()['items']) == 6
