"""Reports written for the stories tests (our own words), and helpers to store them classified."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from classifier.stories import store as stories_store
from classifier.windows import lead_text
from crawler.app.config import Config
from crawler.app.database import open_db
from tests.seed import HashingEncoder, insert_classified

WIRE = (
    "Police in the border town raided a walled compound on Tuesday and found 37 Kenyan nationals "
    "who said they had been held there for months. The workers told officers they had answered "
    "online adverts for customer service jobs in Bangkok paying generous salaries. Instead they were "
    "driven across the river into Myanmar and made to run romance and investment frauds for up to "
    "sixteen hours a day. Several said their passports were taken on arrival and that those who "
    "missed targets were beaten or fined. Kenya's foreign ministry said consular staff were working "
    "to verify the identities of the group and arrange their return to Nairobi. A ministry spokesman "
    "urged job seekers to check recruitment agencies with the labour office before travelling. "
    "Rights groups estimate that thousands of Africans remain trapped in similar sites along the border."
)

OTHER_EVENT = (
    "Police in the coastal city raided an office tower on Friday and found 52 Ugandan nationals "
    "who said they had been held there for weeks. The workers told officers they had answered "
    "online adverts for data entry jobs in Phnom Penh paying generous salaries. Instead they were "
    "taken to Sihanoukville in Cambodia and made to run cryptocurrency frauds for up to fourteen "
    "hours a day. Several said their phones were taken on arrival and that those who refused were "
    "locked in a dark room. Uganda's foreign ministry said its embassy staff were working to confirm "
    "the identities of the group and arrange their flights to Entebbe. A ministry official urged job "
    "seekers to verify offers with the labour office before travelling."
)

OWN_WORDS = (
    "Thirty-seven men and women from Kenya were freed this week from a scam centre on the Myanmar "
    "side of the Moei river, according to officials in Nairobi. Relatives had raised the alarm after "
    "receiving messages describing beatings and debts imposed by the bosses. The government said a "
    "team from its embassy in Bangkok had travelled north to meet the survivors. Campaigners called "
    "for the recruiters who lured them to be prosecuted."
)


def boilerplate_copy(text: str) -> str:
    """A syndicated copy: another outlet's chrome around the text, a trimmed end, a small edit."""
    body = text.replace("Police in the border town", "Police in a town on the border", 1)
    body = body.rsplit(". ", 1)[0] + "."
    return ("Share this article. Follow us for breaking news. (Wire) -- " + body
            + " Related: read more stories from our Africa desk. Subscribe to the newsletter.")


PARTNER_HEADLINE = "Kenyan job seekers trapped by fraud gangs across the border"
PARTNER_CHROME = ("Menu Home World Africa Business Sport Opinion Video Podcasts. Sign in to keep reading. "
                  "Our partners' stories appear here as they arrive from the wires.")
PARTNER_FOOTER = ("This article was first published by our partner site and is republished in part. "
                  "Most read: fuel prices rise again; the league cup final goes to penalties; a heatwave is forecast.")


def partner_excerpt(text: str) -> str:
    """A partner's republished excerpt: its own chrome around only the first two sentences.

    Too little of the text is left for the wording to tell it is a copy (with its own headline,
    :data:`PARTNER_HEADLINE`); only the original's URL it declares can."""
    return f"{PARTNER_CHROME} {'. '.join(text.split('. ')[:2])}. {PARTNER_FOOTER}"


def record(key: str, title: str, text: str, **extra: Any) -> dict[str, Any]:
    base = {"id": key, "title": title, "text": text, "source": f"outlet-{key}", "relevant": True,
            "score": 0.9, "canonical_url": f"https://example.org/{key}"}
    base.update(extra)
    return base


def store(db: sqlite_utils.Database, *records: dict[str, Any]) -> list[int]:
    """Insert records as classified items, with title+lead vectors from the hashing encoder."""
    vectors = HashingEncoder().encode([lead_text(r["title"], r["text"]) for r in records])
    return insert_classified(db, list(records), vectors)


def story_of(db: sqlite_utils.Database, item_id: int) -> int | None:
    return stories_store.story_of(db, item_id)


@pytest.fixture
def stories_db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    db = open_db(db_path)
    yield db
    db.close()


@pytest.fixture
def config() -> Config:
    return Config()
