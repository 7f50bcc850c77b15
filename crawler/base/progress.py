"""How far long work has got, shown on a terminal: a bar on stderr, and nothing when stderr is not one.

A stage takes a plain callback and calls it with its counts as it goes; the CLI opens
:func:`progress_bar` around the work and hands it a callback that moves the bar. Under cron or
journald stderr is a pipe: no bar is made (the context gives None), so only the work's summary
line is written, with no carriage returns. While a bar is shown, a log line first clears it, so
the two never share a line.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from typing import IO, Any, TextIO

import click


class Bar:
    """A click progress bar fed absolute counts; made on the first report (when the total is known)."""

    def __init__(self, label: str, stream: TextIO, unit: str) -> None:
        self.label, self.stream, self.unit = label, stream, unit
        self.note = ""
        self._stack = contextlib.ExitStack()
        self._bar: Any = None  # click's ProgressBar
        self.shown = False
        self.wiped = False  # a line was written over the bar: draw it again

    def __call__(self, done: int, total: int | None = None, note: str = "") -> None:
        """Show ``done`` of ``total`` (None: unknown) and ``note`` after the unit."""
        self.note = note
        if self._bar is None:
            self._bar = self._stack.enter_context(click.progressbar(
                length=total, label=self.label, file=self.stream, show_pos=True, show_percent=False,
                item_show_func=lambda _: f"{self.unit}{'  ' + self.note if self.note else ''}"))
            self.shown = True
        elif total is not None and total != self._bar.length:
            self._bar.length = total
        if done > self._bar.pos:
            self._bar.update(done - self._bar.pos)
        else:  # only the note changed (click draws on moves alone)
            self._bar.render_progress()
        self._redraw()

    def echo(self, message: str) -> None:
        """Write ``message`` on its own line above the bar (the bar is drawn again at its next move)."""
        self.wipe()
        click.echo(message, file=self.stream)

    def wipe(self) -> None:
        """Clear the bar's line for a line of text; the bar is drawn again below it."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.wiped = True

    def _redraw(self) -> None:
        if self.wiped and self._bar is not None:
            self.stream.write("\r" + self._bar.format_progress_line())
            self.stream.flush()
            self.wiped = False

    def close(self) -> None:
        """Leave the bar's last state on its own line (the cursor comes back); nothing if it was never drawn."""
        self._redraw()
        self._stack.close()
        self.shown = False


class _ClearBar(logging.Filter):
    """Wipes the bar's line before a log line is written to the same terminal."""

    def __init__(self, bar: Bar) -> None:
        super().__init__()
        self.bar = bar

    def filter(self, record: logging.LogRecord) -> bool:
        self.bar.wipe()
        return True


@contextlib.contextmanager
def progress_bar(label: str, unit: str = "", stream: TextIO | None = None,
                 beside: IO[Any] | None = None) -> Iterator[Bar | None]:
    """A :class:`Bar` on ``stream`` (default stderr) if it is a terminal, else None; closed on exit.

    ``beside``: the work's own output; when it goes to a terminal too, no bar is drawn to garble it."""
    stream = stream if stream is not None else sys.stderr
    if not _is_terminal(stream) or (beside is not None and _is_terminal(beside)):
        yield None
        return
    bar = Bar(label, stream, unit)
    clear = _ClearBar(bar)
    handlers = [h for h in logging.getLogger().handlers
                if isinstance(h, logging.StreamHandler) and getattr(h, "stream", None) is stream]
    for handler in handlers:
        handler.addFilter(clear)
    try:
        yield bar
    finally:
        for handler in handlers:
            handler.removeFilter(clear)
        bar.close()


def _is_terminal(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stand-in stream
        return False
