"""Where an alert points: the story's page on ``scamwatch serve``, and the signed feedback links.

Pages live under the served database's own name (Datasette names it after the file's stem and
tilde-encodes it in URLs), so links work whatever the database file is called.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from crawler.base.signing import VERDICTS, Feedback, secret_from_env, sign


def database_path(name: str) -> str:
    """The URL path segment Datasette gives database ``name``."""
    from datasette.utils import tilde_encode

    return tilde_encode(name)


@dataclass(frozen=True)
class Links:
    """Builds the links of one alert; every method returns None when ``public_url`` is not set."""

    public_url: str | None
    database: str
    secret: bytes | None = None

    @classmethod
    def for_database(cls, public_url: str | None, db_path: Path) -> Links:
        return cls(public_url, db_path.stem, secret_from_env())

    def _base(self) -> str | None:
        return f"{self.public_url.rstrip('/')}/{database_path(self.database)}" if self.public_url else None

    def story(self, story_id: int) -> str | None:
        base = self._base()
        return f"{base}/-/story/{story_id}" if base else None

    def incident(self, incident_id: int) -> str | None:
        base = self._base()
        return f"{base}/-/incident/{incident_id}" if base else None

    def feedback(self, story_id: int, route: str) -> list[tuple[str, str]]:
        """(label, URL) for each verdict, signed for ``route``; empty without a secret or public URL."""
        base = self._base()
        if base is None or self.secret is None:
            return []
        return [(label, f"{base}/-/feedback?t={quote(sign(self.secret, Feedback(story_id, verdict, route)))}")
                for verdict, label in VERDICTS.items()]
