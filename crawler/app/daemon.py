"""``scamwatch daemon``: the cycle on each source's schedule, forever.

Every ``daemon.tick`` the daemon wakes; when a source is due by the gather stage's own
rules (``sources.next_poll_at``, back-off) on the app's clock, it runs a full cycle,
otherwise it still runs classify, stories, alerts and the operator checks, which only
act when something is pending or due (retries, digests).
It holds the cycle lock for its whole life, so a cron ``scamwatch run`` cannot overlap.

Signals: SIGTERM/SIGINT stop the current stage soon (every stage polls
``should_stop``); if a stage is still busy after ``grace`` seconds the
process exits anyway: every stage commits row by row, so an uncommitted write is
rolled back by SQLite and redone by the next cycle. A second signal exits at once.
SIGHUP re-reads the configuration (a broken file is logged and the old one kept).
"""

from __future__ import annotations

import gc
import logging
import os
import select
import signal
import sqlite3
import threading
import time
from datetime import datetime
from types import FrameType

import sqlite_utils

from crawler.app.config import Config
from crawler.app.context import App
from crawler.app.cycle import CycleReport, abandon_running, record_stop, run_cycle
from crawler.app.preflight import ConfigProblems, require_valid
from crawler.app.sdnotify import Notifier
from crawler.base.confschema import ConfigError
from crawler.gather.health import backed_off, is_due

log = logging.getLogger(__name__)

DEFAULT_GRACE = 8.0  # seconds; systemd's TimeoutStopSec is 20 s, the issue asks for 10


def sources_due(config: Config, db: sqlite_utils.Database, now: datetime) -> list[str]:
    """Enabled sources the gather stage would poll now (its own due and back-off rules)."""
    names = [s.name for s in config.enabled_sources]
    if not names:
        return names
    rows = {r["name"]: r for r in db.query("SELECT name, next_poll_at, backoff_until FROM sources")}
    return [name for name in names if is_due(rows.get(name), now) and not backed_off(rows.get(name), now)]


class Daemon:
    """The long-running loop; :meth:`serve` returns the process's exit code."""

    def __init__(self, app: App, *, notifier: Notifier | None = None, max_cycles: int | None = None,
                 grace: float = DEFAULT_GRACE) -> None:
        self.app = app
        self.notifier = notifier or Notifier()
        self.max_cycles = max_cycles
        self.grace = grace
        self.cycles = 0
        # Signal handlers only set these flags and write to the pipe: taking a lock (an
        # Event) in a handler can deadlock against the main thread that holds it.
        self._stop_requested_at: float | None = None
        self._reload_requested = False
        self._wake_r, self._wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._watchdog_thread: threading.Thread | None = None

    # -- signals -------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_stop_signal)
        signal.signal(signal.SIGINT, self._on_stop_signal)
        signal.signal(signal.SIGHUP, self._on_hup)

    def _on_stop_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self._stop_requested_at is not None:
            log.warning("second %s: exiting now", name)
            self._force_exit()
        log.info("%s received: stopping after the current step", name)
        self.request_stop()

    def _on_hup(self, signum: int, frame: FrameType | None) -> None:
        log.info("SIGHUP received: reloading the configuration")
        self._reload_requested = True
        self._wake()

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"!")
        except BlockingIOError:
            pass  # the pipe is full: the loop is awake anyway

    def request_stop(self) -> None:
        """Ask the loop to stop; the deadline thread exits the process if a stage overruns ``grace``."""
        if self._stop_requested_at is None:
            self._stop_requested_at = time.monotonic()
            self._wake()
            self.notifier.stopping()

    def _enforce_deadline(self) -> None:
        """Background thread: exit once a stop request is older than ``grace`` seconds."""
        while True:
            time.sleep(0.2)
            asked = self._stop_requested_at
            if asked is not None and time.monotonic() - asked > self.grace:
                log.warning("a stage was still busy %.0fs after the stop request: exiting; "
                            "its uncommitted work is rolled back and redone next cycle", self.grace)
                self._force_exit()

    def _force_exit(self) -> None:
        logging.shutdown()
        os._exit(0)

    # -- loop ----------------------------------------------------------------------
    @property
    def stopping(self) -> bool:
        return self._stop_requested_at is not None

    def should_stop(self) -> bool:
        """Handed to the stages; also keeps the systemd watchdog fed during long passes."""
        self.notifier.watchdog()
        return self.stopping

    def serve(self) -> int:
        """Hold the lock and loop until stopped (raises LockHeld if another run holds it)."""
        config = self.app.config
        require_valid(config)  # a config error at start: exit 2, one line each
        with self.app.cycle_lock():
            db = self.app.db
            abandoned = abandon_running(db)
            if abandoned:
                log.warning("%d cycle(s) were cut off by an earlier crash; their stages resume now", abandoned)
            log.info("daemon started: %d sources, tick %.0fs, database %s",
                     len(config.enabled_sources), config.daemon.tick, config.db_path)
            self._watchdog_thread = threading.Thread(target=self._enforce_deadline, name="stop-deadline",
                                                     daemon=True)
            self._watchdog_thread.start()
            self.notifier.ready(f"watching {len(config.enabled_sources)} sources")
            self._loop()
            record_stop(db, "daemon", self.app.clock)
        log.info("daemon stopped after %d ticks", self.cycles)
        return 0

    def _loop(self) -> None:
        while not self.stopping:
            if self._reload_requested:
                self._reload_config()
            started = time.monotonic()
            try:
                self.tick()
            except sqlite3.DatabaseError as exc:  # locked past busy_timeout, a full disk: try again next tick
                log.error("tick failed on the database, retrying next tick: %s", exc)
            self.cycles += 1
            if self.max_cycles is not None and self.cycles >= self.max_cycles:
                break
            self.notifier.watchdog(force=True)
            remaining = self.app.config.daemon.tick - (time.monotonic() - started)
            if remaining > 0 and not self.stopping and not self._reload_requested:
                select.select([self._wake_r], [], [], remaining)
            self._drain_wake_pipe()

    def _drain_wake_pipe(self) -> None:
        try:
            while os.read(self._wake_r, 512):
                pass
        except BlockingIOError:
            pass

    def tick(self) -> CycleReport:
        """One wake-up: a full cycle if a source is due, else the downstream stages only."""
        config, db = self.app.config, self.app.db
        due = sources_due(config, db, self.app.clock.now())
        report = run_cycle(config, db, mode="daemon", gather=bool(due), should_stop=self.should_stop,
                           clock=self.app.clock)
        if not report.idle:
            log.info("%s", report.summary())
            self.notifier.status(report.summary())
        if due:
            gc.collect()  # a crawl pass leaves reference cycles (Twisted, lxml); keep the RSS flat
        self._retrain()
        return report

    def _retrain(self) -> None:
        """Once a day, learn from new labels (:mod:`classifier.retrain`); a failure is logged, never fatal."""
        if self.stopping:
            return
        from classifier.retrain import nightly_retrain

        try:
            nightly_retrain(self.app.config, self.app.db, now=self.app.clock.now())
        except Exception:
            log.exception("retrain failed; the current head stays")

    def _reload_config(self) -> None:
        self._reload_requested = False
        old_lock = self.app.config.daemon.lock_file
        try:
            config = self.app.reload(check=require_valid)
        except ConfigError as exc:
            for line in exc.lines() if isinstance(exc, ConfigProblems) else [str(exc)]:
                log.error("configuration not reloaded, keeping the running one: %s", line)
            return
        if config.daemon.lock_file != old_lock:
            log.warning("daemon.lock_file changed; it takes effect at the next restart")
        log.info("configuration reloaded: %d sources enabled", len(config.enabled_sources))
        self.notifier.status("configuration reloaded")
