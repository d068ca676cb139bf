"""What a failed call to ShopRenter tells the clerk: what happened and what
to do, in their language, from the client's typed errors."""
from trytond.i18n import gettext

from shoprenter import (
    AuthenticationError, ConnectionFailed, RateLimitError, ServerError)
# Whether an error stops a whole run rather than one record: a rule of the core
from shoprenter.errors import is_run_failure  # noqa: F401


def failure_message(shop, exception):
    "The message of a run or call that failed with a ShopRenterError"
    values = {'shop': shop.rec_name, 'error': str(exception)}
    if isinstance(exception, AuthenticationError):
        if exception.status == 403:
            # The token was granted: the API user lacks a permission.
            return gettext(
                'web_shop_shoprenter.msg_failure_forbidden', **values)
        return gettext(
            'web_shop_shoprenter.msg_failure_credentials', **values)
    if isinstance(exception, RateLimitError):
        return gettext('web_shop_shoprenter.msg_failure_rate_limited', **values)
    if isinstance(exception, (ConnectionFailed, ServerError)):
        return gettext('web_shop_shoprenter.msg_failure_unreachable', **values)
    return gettext('web_shop_shoprenter.msg_failure_refused', **values)
