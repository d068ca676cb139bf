"""Sync Now: download the orders, push the stock and prices, and tell the
clerk what happened."""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard


class SyncNowResult(ModelView):
    "ShopRenter Sync Result"
    __name__ = 'web.shop.shoprenter.sync_now.result'

    message = fields.Text("Result", readonly=True)


class SyncNow(Wizard):
    "Sync ShopRenter Now"
    __name__ = 'web.shop.shoprenter.sync_now'
    start_state = 'sync'
    sync = StateTransition()
    result = StateView('web.shop.shoprenter.sync_now.result',
        'web_shop_shoprenter.sync_now_result_view_form', [
            Button("OK", 'end', 'tryton-ok', default=True),
            ])

    def transition_sync(self):
        pool = Pool()
        Shop = pool.get('web.shop')
        messages = []
        for shop in self.records:
            if shop.type != 'shoprenter':
                continue
            orders = Shop.shoprenter_sync_orders([shop])
            # Each push runs in a transaction of its own, started now: it
            # sends the stock the orders just reserved.
            pushes = Shop.shoprenter_push([shop])
            messages.append(result_message(shop, orders + pushes))
        self._message = '\n\n'.join(messages)
        return 'result'

    def default_result(self, fields):
        return {'message': getattr(self, '_message', None)}


def result_message(shop, runs):
    "What the runs of the shop did, in a few lines for the clerk"
    lines = [gettext('web_shop_shoprenter.msg_sync_now_shop',
            shop=shop.rec_name)]
    for run in runs:
        if run.error:
            lines.append(run.error)
        elif run.kind == 'orders':
            counts = run.counts
            lines.append(gettext('web_shop_shoprenter.msg_sync_now_orders',
                    created=counts['created'], updated=counts['updated'],
                    cancelled=counts['cancelled'], failed=counts['failed']))
            if counts['failed']:
                lines.append(gettext(
                        'web_shop_shoprenter.msg_sync_now_problems'))
        else:
            lines.append(gettext('web_shop_shoprenter.msg_sync_now_push',
                    updated=run.updated, failed=len(run.errors)))
            if run.errors:
                lines.append(gettext(
                        'web_shop_shoprenter.msg_sync_now_problems'))
    return '\n'.join(dict.fromkeys(lines))
