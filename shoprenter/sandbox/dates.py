"Date formats of the API: most dates use a T, some resources a space."
import datetime
import re

from .errors import ApiError

ISO = '%Y-%m-%dT%H:%M:%S'
SPACED = '%Y-%m-%d %H:%M:%S'
DAY = '%Y-%m-%d'

_DATETIME = re.compile(r'^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d$')
_DAY = re.compile(r'^\d{4}-\d\d-\d\d$')


def now_text(fmt=ISO):
    "Server local time, the way the API writes it"
    return datetime.datetime.now().strftime(fmt)


def format_of(example):
    "Return the strftime format an example date string uses, or None"
    if not isinstance(example, str):
        return None
    if re.match(r'^-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$', example):
        return ISO
    if re.match(r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$', example):
        return SPACED
    if _DAY.match(example):
        return DAY
    return None


def zero_date(fmt):
    return {ISO: '0000-00-00T00:00:00', SPACED: '0000-00-00 00:00:00',
        DAY: '0000-00-00'}[fmt]


def comparable(text):
    "A stored date as 'YYYY-MM-DDTHH:MM:SS' (any format in, '' for none)"
    if not isinstance(text, str) or not text or text.startswith(('0000', '-')):
        return ''
    return text.replace(' ', 'T')


def parse_datetime_param(name, value):
    "A datetime query parameter, or 400/40009"
    if not _DATETIME.match(value):
        raise ApiError(400, 40009,
            f'{name}: wrong datetime format, use 1990-01-01T00:00:00')
    return value.replace(' ', 'T')


def parse_day_param(name, value):
    "A date query parameter, or 400/40017"
    if not _DAY.match(value):
        raise ApiError(400, 40017, f'{name}: wrong date format, use 1990-01-01')
    return value
