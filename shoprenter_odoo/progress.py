"""A progress bar for the sync: tqdm's when it is installed (Odoo's venv has none), else
plain lines.

The sync sets .total when it learns how many orders there are, then calls update(1) per
order and refresh()."""
import sys


def progress_bar(description, unit=' orders', stream=None):
    try:
        from tqdm import tqdm
    except ImportError:
        return PlainProgress(description, unit, stream or sys.stderr)
    return tqdm(desc=description, unit=unit, file=stream or sys.stderr)


class PlainProgress:
    "What tqdm shows, as a line rewritten on a terminal, else a line every tenth of the way"

    def __init__(self, description, unit, stream):
        self.description = description
        self.unit = unit
        self.stream = stream
        self.total = None
        self.n = 0
        self._shown = -1  # the tenth of the way last written (not on a terminal)
        self._terminal = hasattr(stream, 'isatty') and stream.isatty()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def update(self, n=1):
        self.n += n
        self.refresh()

    def refresh(self):
        if self._terminal:
            self.stream.write('\r' + self._line())
            self.stream.flush()
            return
        tenth = self.n * 10 // self.total if self.total else None
        if tenth is not None and tenth != self._shown:
            self._shown = tenth
            self.stream.write(self._line() + '\n')
            self.stream.flush()

    def close(self):
        if self._terminal:
            self.stream.write('\r' + self._line() + '\n')
        elif self.total is None or self._shown != self.n * 10 // self.total:
            self.stream.write(self._line() + '\n')
        self.stream.flush()

    def _line(self):
        done = f'{self.n}/{self.total}' if self.total else f'{self.n}'
        return f'{self.description}: {done}{self.unit}'
