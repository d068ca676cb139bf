from . import test_order_import
from . import test_demo_shop
from . import test_sync_lock
from . import test_shop
