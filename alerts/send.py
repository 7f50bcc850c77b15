"""The only module that talks to Apprise: load the channels, send one message to one service.

Channels come from ``alerts.urls`` (``${VAR}`` read from the environment, optional
``tag1,tag2=`` prefix as in Apprise's TEXT format) and ``alerts.apprise_config`` (an Apprise
YAML/TEXT file with tags). Secrets stay in the environment or that file: a service is known
to the outbox only by a hash of its privacy-masked URL, and every error text is scrubbed of
the expanded values and of URL credentials before it is stored or logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import apprise

from alerts.config import AlertsConfig
from alerts.templates import Message
from crawler.base.confschema import ConfigError
from crawler.base.logs import hide, redact

log = logging.getLogger(__name__)

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_told: set[str] = set()
_PIECES = re.compile(r"[/:@?&=,#;]+")
_TAGGED = re.compile(r"^\s*([A-Za-z0-9_][A-Za-z0-9_, -]*)=(?=[A-Za-z][A-Za-z0-9+.-]*://)")


def missing_vars(text: str) -> list[str]:
    """Names of the ``${VAR}`` in ``text`` that the environment does not set."""
    return [name for name in dict.fromkeys(_VAR.findall(text)) if name not in os.environ]


def split_tags(entry: str) -> tuple[list[str], str]:
    """``'tag1,tag2=URL'`` → (tags, URL); an entry without the prefix has no tags."""
    match = _TAGGED.match(entry)
    if not match:
        return [], entry.strip()
    return [t.strip() for t in match.group(1).split(",") if t.strip()], entry[match.end():].strip()


def expand(text: str, key: str, secrets: set[str]) -> str:
    """Replace ``${VAR}`` with the environment's value (remembered as a secret); unset → ConfigError
    naming every unset variable (never a value)."""
    missing = missing_vars(text)
    if missing:
        names = ", ".join(missing)
        raise ConfigError(key, f"environment variable{'s' if len(missing) > 1 else ''} {names} not set")

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if os.environ[name]:
            secrets.add(os.environ[name])
        return os.environ[name]
    return _VAR.sub(value, text)


class _Scrubber(logging.Filter):
    """Masks secret values in Apprise's own log lines."""

    def __init__(self, channels: Channels) -> None:
        super().__init__()
        self.channels = channels

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.channels.scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


class _Complaints(logging.Handler):
    """Collects what Apprise warns about while it reads a config file (it skips bad entries silently)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class Channels:
    """The configured Apprise services, found by tag.

    A channel that cannot be used (a secret not set, a URL Apprise cannot use, an unreadable
    ``apprise_config``) is skipped and kept in :attr:`problems`, so the others still deliver
    (commands that must not start with one run ``crawler.app.preflight`` first).
    """

    def __init__(self, config: AlertsConfig, base_dir: Path | None = None, timeout: float | None = None) -> None:
        self.secrets: set[str] = set()
        self.problems: list[ConfigError] = []
        self.broken_tags: set[str] = set()  # tags of skipped channels ('all' when a file or untagged)
        self.timeout = float(timeout if timeout is not None else config.send_timeout)
        self._filter = _Scrubber(self)  # before any URL is loaded: Apprise logs them as it loads
        apprise.logger.addFilter(self._filter)
        self.apprise = apprise.Apprise()
        for i, entry in enumerate(config.urls):
            try:
                self._add_url(entry, f"alerts.urls[{i}]")
            except ConfigError as exc:
                self._skip(exc, split_tags(entry)[0] or ["all"])
        if config.apprise_config:
            try:
                self._add_file(Path(os.path.expanduser(config.apprise_config)), base_dir)
            except ConfigError as exc:
                self._skip(exc, ["all"])
        self.throttle = config.throttle
        self._by_tag: dict[str, list[tuple[str, apprise.NotifyBase]]] = {}
        self._single: dict[int, apprise.Apprise] = {}
        hide(self.secrets)  # every log line, whichever library writes it

    def close(self) -> None:
        apprise.logger.removeFilter(self._filter)

    def _skip(self, problem: ConfigError, tags: list[str]) -> None:
        if str(problem) not in _told:  # once per process, not every daemon tick
            _told.add(str(problem))
            log.error("alert channel skipped, the others still deliver: %s", problem)
        self.problems.append(problem)
        self.broken_tags.update(tags)

    def _add_url(self, entry: str, key: str) -> None:
        tags, entry = split_tags(entry)
        url = expand(entry, key, self.secrets)
        self.secrets |= url_secrets(url)
        service = apprise.Apprise.instantiate(url, tag=tags or None)
        if service is None:
            raise ConfigError(key, f"Apprise cannot use this URL: {self.scrub(url)}")
        self.secrets |= url_secrets(url, service.url(privacy=True))
        self.apprise.add(service)

    def _add_file(self, path: Path, base_dir: Path | None) -> None:
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise ConfigError("alerts.apprise_config", f"{path} does not exist")
        config = apprise.AppriseConfig()
        if not config.add(str(path)):
            raise ConfigError("alerts.apprise_config", f"{path}: Apprise cannot read this file")
        complaints = _Complaints()
        apprise.logger.addHandler(complaints)
        try:
            loaded = config.services()
        finally:
            apprise.logger.removeHandler(complaints)
        for service in loaded:
            self.secrets |= url_secrets(service.url(), service.url(privacy=True))
        if loaded:
            self.apprise.add(config)  # the entries Apprise could read deliver; the rest is a problem
        if complaints.lines:
            raise ConfigError("alerts.apprise_config", f"{path}: {self.scrub(complaints.lines[0])}")
        if not loaded:
            raise ConfigError("alerts.apprise_config", f"{path}: no service Apprise can use")

    def services(self, tag: str) -> list[tuple[str, apprise.NotifyBase]]:
        """(service id, service) for every service the tag selects; 'all' selects every service."""
        if tag not in self._by_tag:
            found = []
            for service in self.apprise.find(tag):
                if not self.throttle:
                    service.request_rate_per_sec = 0
                found.append((service_id(service), service))
            self._by_tag[tag] = found
        return self._by_tag[tag]

    def tags(self) -> set[str]:
        """Every tag some service carries."""
        return {str(t) for s in self.apprise.find() for t in getattr(s, "tags", ())}

    def send(self, service: apprise.NotifyBase, message: Message, notify_type: str = "info") -> str | None:
        """Deliver ``message`` to one service as ``notify_type`` (info | warning | failure | success),
        cut to the service's documented size. None on success, else a scrubbed error."""
        one = self._single.get(id(service))
        if one is None:
            one = self._single[id(service)] = apprise.Apprise()
            one.add(service)
        try:
            body, title = fit(message, service)
            result = one.notify(body=body, title=title, body_format=message.body_format,
                                notify_type=notify_type, timeout=self.timeout)
        except Exception as exc:  # a plugin bug must not take the outbox down
            return self.scrub(f"{type(exc).__name__}: {exc}")
        if result:
            return None
        problems = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR", "CRITICAL")]
        detail = "; ".join(problems[-3:]) or f"Apprise reported {result.status.name}"
        return self.scrub(f"{service.service_name or service.protocol}: {detail}")

    def masked(self, service: apprise.NotifyBase) -> str:
        """The service's URL with every secret part masked, for listings, dry runs and test reports."""
        return self.scrub(service.url(privacy=True))

    def scrub(self, text: str) -> str:
        """``text`` without secret values or URL credentials."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= 4:
                text = text.replace(secret, "***")
        return redact(text)[:1000]


def skipped_channels(config: AlertsConfig, base_dir: Path | None = None) -> list[ConfigError]:
    """What keeps a configured channel from being used (see :class:`Channels`); nothing is sent."""
    channels = Channels(config, base_dir)
    channels.close()
    return channels.problems


CUT_NOTE = "\n\n[cut: too long for this channel]"


def fit(message: Message, service: apprise.NotifyBase) -> tuple[str, str]:
    """(body, title) within the service's limits (Apprise's ``body_maxlen``/``title_maxlen``); the body keeps
    its head and says it was cut. An HTML body cut mid-tag still closes as text, never as markup."""
    title_max = int(getattr(service, "title_maxlen", 0) or 0)
    title = message.title[:title_max] if title_max > 0 else message.title
    limit = int(getattr(service, "body_maxlen", 0) or 0)
    body = message.body
    if limit > 0 and len(body) + len(title) > limit:
        room = max(0, limit - len(title) - len(CUT_NOTE))
        body = body[:room]
        if message.body_format == "html" and "<" in body[body.rfind(">") + 1:]:
            body = body[:body.rfind("<")]
        body += CUT_NOTE
    return body, title


def service_id(service: apprise.NotifyBase) -> str:
    """A stable id of a service that reveals nothing secret (hash of its privacy-masked URL)."""
    return hashlib.sha256(service.url(privacy=True).encode()).hexdigest()[:16]


def url_secrets(url: str, shown: str | None = None) -> set[str]:
    """Parts of an Apprise URL to hide wherever text is logged or printed: its password, and path or
    query parts that look like tokens (long, or letters mixed with digits); given ``shown`` (Apprise's
    privacy-masked URL), also every part that Apprise itself masks."""
    try:
        parts = urlsplit(url)
        plain = {(parts.hostname or "").casefold(), str(parts.port or "")}
        password = parts.password
    except ValueError:
        plain, password = set(), None
    visible = set(_PIECES.split(shown.split("://", 1)[-1])) if shown is not None else None
    found = {password} if password else set()
    for piece in _PIECES.split(url.split("://", 1)[-1]):
        if len(piece) < 4:
            continue
        if visible is not None and piece not in visible:
            found.add(piece)
        elif piece.casefold() not in plain and (len(piece) >= 16 or (
                len(piece) >= 8 and any(c.isdigit() for c in piece) and any(c.isalpha() for c in piece))):
            found.add(piece)
    return found
