"""ShopRenter API client and local sandbox, free of any ERP."""
from .client import Client  # noqa: F401
from .errors import *  # noqa: F401,F403
