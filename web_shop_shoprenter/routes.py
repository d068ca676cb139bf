"""The route ShopRenter posts its order webhooks to (webhook.py registers it).

It answers at once: it checks the shop's token, takes the order's id from
the post and queues the fetch of that one order.  With a queue worker the
worker imports it; without one the import runs in this process right after
the answer is sent, in transactions of its own."""
import hmac
import json
import logging

from trytond.protocols.wrappers import (
    HTTPStatus, Response, abort, with_pool)
from trytond.transaction import Transaction
from trytond.worker import run_task
from trytond.wsgi import app

from .webhook import ROUTE, webhook_orders

logger = logging.getLogger(__name__)


@app.route(f'/<database_name>{ROUTE}/<int:shop_id>/<token>',
    methods={'POST'})
@with_pool
def order_webhook(request, pool, shop_id, token):
    with Transaction().start(pool.database_name, 0,
            context={'_skip_warnings': True}) as transaction:
        Shop = pool.get('web.shop')
        shops = Shop.search([
                ('id', '=', shop_id),
                ('type', '=', 'shoprenter'),
                ('shoprenter_server_url', '!=', None),
                ('shoprenter_webhook_token', '!=', None),
                ])
        if not shops or not hmac.compare_digest(
                shops[0].shoprenter_webhook_token.encode(), token.encode()):
            abort(HTTPStatus.NOT_FOUND)
        shop, = shops
        references = webhook_orders(_document(request))
        if not references:
            abort(HTTPStatus.BAD_REQUEST)
        queued = len(transaction.tasks)
        for reference in references:
            logger.info("ShopRenter webhook of %s: order %s", shop.name,
                reference[1])
            Shop.shoprenter_queue_webhook_order(shop, reference)
        transaction.commit()
        # Without a worker the tasks are this thread's to run: after the
        # answer, so ShopRenter is not kept waiting.
        tasks = transaction.tasks[queued:]
        del transaction.tasks[queued:]
    response = Response(status=HTTPStatus.NO_CONTENT)
    if tasks:
        response.call_on_close(lambda: _run(pool, transaction, tasks))
    return response


# A post names an order: a few kB at most
order_webhook.max_request_size = 64 * 1024


def _document(request):
    "The posted JSON document: the form field data, or the body itself"
    text = request.form.get('data')
    if text is None:
        text = request.get_data(as_text=True)
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _run(pool, transaction, tasks):
    "Run the queued tasks, and the tasks they queue, each in its transaction"
    pending = transaction.tasks
    pending.extend(tasks)
    while pending:
        run_task(pool, pending.pop())
