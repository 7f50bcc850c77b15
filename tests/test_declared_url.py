"""The original article's URL a page declares: extracted, stored (old databases upgraded), imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.app.database import MIGRATIONS, open_db
from crawler.gather.extract import extract_article
from crawler.gather.importer import import_lines

FETCHED = "https://mirror.example.net/news/2026/03/kenyans-held.html?utm_source=feed"
BODY = ("<body><nav>Home | World | Sport</nav><article><h1>Kenyans freed from a compound</h1>"
        "<p>Officers on the border found dozens of Kenyan workers inside a walled compound on Tuesday. "
        "The workers said recruiters had promised them office jobs abroad and then sold them on.</p>"
        "<p>Their embassy said it was arranging flights home for all of them within the week.</p>"
        "</article><footer>Copyright the mirror</footer></body>")


def page(head: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kenyans freed</title>{head}</head>{BODY}</html>"


@pytest.mark.parametrize(("head", "declared"), [
    ('<link rel="canonical" href="https://example.org/a">', "https://example.org/a"),
    ('<meta property="og:url" content="https://example.org/og">', "https://example.org/og"),
    # canonicalised like every URL we store: tracking parameters, fragment and host case
    ('<link rel="canonical" href="https://Example.ORG/a?utm_medium=rss&id=7#top">', "https://example.org/a?id=7"),
    # the canonical link wins over og:url
    ('<meta property="og:url" content="https://example.org/og"><link rel="canonical" href="https://example.org/a">',
     "https://example.org/a"),
    # relative values resolve against the page's URL (or its <base href>), as browsers do
    ('<link rel="canonical" href="/world/kenyans?amp=1">', "https://mirror.example.net/world/kenyans"),
    ('<link rel="canonical" href="kenyans-held">', "https://mirror.example.net/news/2026/03/kenyans-held"),
    ('<base href="https://example.org/news/"><link rel="canonical" href="a">', "https://example.org/news/a"),
    # conflicting canonical links are ignored (as search engines do); og:url is then used
    ('<link rel="canonical" href="https://example.org/a"><link rel="canonical" href="https://example.org/b">'
     '<meta property="og:url" content="https://example.org/og">', "https://example.org/og"),
    # a site's front page is no article's URL; neither is a commented-out or scripted link
    ('<link rel="canonical" href="https://example.org/">', None),
    ('<meta property="og:url" content="https://example.org/index.html">', None),
    ('<!-- <link rel="canonical" href="https://example.org/a"> -->', None),
    ("<script>document.write('<link rel=\"canonical\" href=\"https://example.org/a\">')</script>", None),
    ('<link rel="canonical" href="javascript:void(0)">', None),
    ('<link rel="alternate" href="https://example.org/feed">', None),
    # trafilatura takes <base href> for the page's URL; it declares no article
    ('<base href="https://example.org/">', None),
])
def test_declared_url(head: str, declared: str | None) -> None:
    article = extract_article(page(head), FETCHED)
    assert article.method == "trafilatura"
    assert article.declared_url == declared


def test_a_page_declaring_nothing_has_no_declared_url() -> None:
    # trafilatura's metadata would give the fetch URL back here; that is not a declaration.
    assert extract_article(page(""), FETCHED).declared_url is None
    assert extract_article(page(""), "https://example.org/a").declared_url is None


def test_declaration_after_a_megabyte_of_inline_head_scripts_is_found() -> None:
    script = "<script>var state = {" + "'k': 1, " * 130_000 + "};</script>"
    html = page(script + '<link rel="canonical" href="https://example.org/a">')
    assert len(html) > 1_000_000
    assert extract_article(html, FETCHED).declared_url == "https://example.org/a"


def test_feed_fallback_keeps_the_declaration() -> None:
    html = "<html><head><link rel='canonical' href='https://example.org/a'></head><body><p>Short.</p></body></html>"
    article = extract_article(html, FETCHED, fallback_title="Kenyans freed", fallback_summary="A summary.")
    assert article.method == "feed" and article.declared_url == "https://example.org/a"


def test_an_existing_database_gets_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    for migrations in MIGRATIONS:  # the schema as it was before declared_url
        migrations.apply(old, stop_before="m003_item_declared_url")
    assert "declared_url" not in old["items"].columns_dict
    old["items"].insert({"url": "https://example.org/a", "canonical_url": "https://example.org/a", "title": "kept"})
    old.close()

    db = open_db(path)
    assert db["items"].columns_dict["declared_url"] is str
    assert ["declared_url"] in [index.columns for index in db["items"].indexes]
    assert [(r["title"], r["declared_url"]) for r in db["items"].rows] == [("kept", None)]
    # Still an index lookup once ANALYZE has seen a column of NULLs (feed-only and imported items).
    db["items"].insert_all({"canonical_url": f"https://example.org/{n}"} for n in range(300))
    db["story_index"].insert_all({"item_id": n, "story_id": 1, "ts": 0.0} for n in range(2, 302))
    db.execute("ANALYZE")
    plan = " ".join(str(r) for r in db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM items WHERE declared_url = 'x' "
        "AND EXISTS (SELECT 1 FROM story_index AS d WHERE d.item_id = items.id) ORDER BY id DESC LIMIT 5"))
    assert "idx_items_declared_url" in plan


def test_import_reads_declared_url(db_path: Path) -> None:
    db = open_db(db_path)
    lines = [
        json.dumps({"id": 1, "title": "t", "text": "x", "url": "https://mirror.example.net/a",
                    "declared_url": "https://Example.org/a?utm_source=x"}),
        json.dumps({"id": 2, "title": "t", "text": "y", "url": "https://mirror.example.net/news/b",
                    "declared_url": "/world/b"}),
        json.dumps({"id": 3, "title": "t", "text": "z"}),
        json.dumps({"id": 4, "title": "t", "text": "w", "declared_url": "not a url"}),
        json.dumps({"id": 5, "title": "t", "text": "v", "declared_url": "https://example.org/"}),
        json.dumps({"id": 6, "title": "t", "text": "u", "declared_url": 7}),
    ]
    report = import_lines(db, lines)
    assert report.imported == 3
    assert [e.split(":")[0] for e in report.errors] == ["line 4", "line 5", "line 6"]
    assert all("'declared_url'" in e for e in report.errors)
    assert [r["declared_url"] for r in db["items"].rows] == [
        "https://example.org/a", "https://mirror.example.net/world/b", None]
