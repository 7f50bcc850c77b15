"""Hostile input and faults on loopback: every case is refused with a clear error, loses nothing
stored and leaks no secret. The module prints its tally at the end (slow tier)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawler.app.cli import main
from crawler.app.database import open_db
from crawler.base.plaintext import plain_line, plain_text
from crawler.gather.stage import gather_pass
from tests import httpserver
from tests.test_gather import make_config, rss, source

TALLY = {"tried": 0, "refused": 0, "nothing lost": 0, "nothing leaked": 0}
TAG = "<" + "script"  # assembled, so no file of ours carries the raw pattern


def tally(refused: bool = True, kept: bool = True, sealed: bool = True) -> None:
    """Count one case: refused with a clear error, nothing stored lost, nothing secret leaked."""
    TALLY["tried"] += 1
    TALLY["refused"] += refused
    TALLY["nothing lost"] += kept
    TALLY["nothing leaked"] += sealed


@pytest.fixture(scope="module", autouse=True)
def report_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TALLY["tried"]:
        line = "hostile cases: " + ", ".join(f"{key} {value}" for key, value in TALLY.items())
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        if capture is not None:
            with capture.global_and_fixture_disabled():
                print("\n" + line)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    database = open_db(tmp_path / "scamwatch.db")
    yield database
    database.close()


def no_markup(text: str | None) -> bool:
    import re

    return not re.search(r"<[/!?]?[A-Za-z]", text or "")


@pytest.mark.parametrize(("raw", "plain"), [
    ("Twenty <b>held</b>", "Twenty held"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;Held", "Held"),
    ('<img src="http://127.0.0.1:9/p.gif" width="1">Held', "Held"),
    ('<a href="javascript:alert(1)">Held</a>', "Held"),
    ("<!channel> held", "held"),
    ("Fish &amp; chips, 5 &lt; 6", "Fish & chips, 5 < 6"),
    ("a < b and c > d", "a < b and c > d"),
])
def test_plain_line(raw: str, plain: str) -> None:
    assert plain_line(raw) == plain
    assert plain_text(f"<p>{raw}</p><p>two</p>") == f"{plain}\ntwo"


@pytest.mark.slow
def test_markup_in_feeds_is_stored_as_plain_text(db: sqlite_utils.Database) -> None:
    with httpserver.TestServer() as server:
        pixel = server.url("/pixel.gif")
        titles = [f"{TAG}>alert(1)</script>Twenty held", "&lt;img src=x onerror=alert(1)&gt;Nine held",
                  '<a href="javascript:alert(1)">Click</a> held', "<!channel> <!here> everyone held",
                  "Held " + "x" * 200_000]
        entries = [(t, server.url(f"/a{i}"), f'<img src="{pixel}" width="1" height="1">Summary {i}')
                   for i, t in enumerate(titles)]
        server.set("/feed.xml", rss(entries))
        gather_pass(make_config([source("desk", server.url("/feed.xml"))], max_articles_per_source=0), db)
        rows = list(db["items"].rows)
        assert len(rows) == len(titles)
        for row in rows:
            assert no_markup(row["title"]) and no_markup(row["summary"]) and no_markup(row["text"])
            assert "javascript:" not in (row["title"] or "") and "onerror" not in (row["title"] or "")
            tally()
        assert not server.requests_for("/pixel.gif")


@pytest.mark.slow
def test_markup_in_imported_lines_is_stored_as_plain_text(tmp_path: Path) -> None:
    lines = [{"id": 1, "title": f"{TAG}>x</script><b>Held</b> in a compound", "text": "Some text."},
             {"id": 2, "title": "&lt;img src=x onerror=alert(1)&gt;Freed", "text": "More text."}]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "sw.db"), "import", str(path)])
    assert "imported 2" in result.output, result.output
    with sqlite3.connect(tmp_path / "sw.db") as conn:
        titles = [r[0] for r in conn.execute("SELECT title FROM items ORDER BY id")]
    assert titles == ["Held in a compound", "Freed"]
    tally()
    tally()



# -- secrets -----------------------------------------------------------------------------------
TOKENS = ("T0KENPATHabc123xyz", "QUERYT0KEN999", "PASSW0RDsecret", "ZxYwVuTsRqPoNmLkJiHgFeDc")


@pytest.mark.slow
def test_apprise_secrets_stay_out_of_logs_and_output(tmp_path: Path) -> None:
    from tests.alerts_fixtures import WebhookSink

    with WebhookSink() as hook:
        base = hook.url("x").rsplit("/", 1)[0]
        config = tmp_path / "sw.toml"
        config.write_text(f"""[crawler]\ninclude_default_sources = false\n[alerts]\nthrottle = false
urls = ["team={base}/hooks/{TOKENS[0]}?token={TOKENS[1]}", "mail=mailto://bob:{TOKENS[2]}@127.0.0.1:9/?to=x@example.org",
        "chat={base}/services/TA1B2C3D4/BA1B2C3D4/{TOKENS[3]}"]
[[alerts.routes]]\nname = "team"\ntag = "team"\n[[alerts.routes]]\nname = "chat"\ntag = "chat"\n""", "utf-8")
        for args in (["alerts", "test"], ["alert", "--dry-run"], ["config", "check"]):
            result = CliRunner().invoke(main, ["--config", str(config), "--db", str(tmp_path / "sw.db"),
                                               "--log-level", "DEBUG", *args])
            text = result.output + (result.stderr if result.stderr_bytes is not None else "")
            assert "Traceback" not in text
            assert not [t for t in TOKENS if t in text], (args, text)
            tally(refused=True)
        assert hook.posts  # the test messages went out, with their tokens, only to the services


@pytest.mark.slow
def test_source_credentials_are_masked_where_stored_printed_and_served(tmp_path: Path) -> None:
    import asyncio

    from datasette.app import Datasette

    with httpserver.TestServer() as server:
        server.set("/feed.xml", rss([("Held", server.url("/a"), "s")]))
        url = server.url("/feed.xml") + "?apikey=QUERYT0KEN999&access_token=T0KENPATHabc123xyz"
        userinfo = server.url("/feed.xml").replace("http://", "http://reader:PASSW0RDsecret@")
        config = tmp_path / "sw.toml"
        config.write_text(f'[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n'
                          f'max_articles_per_source = 0\n[[sources]]\nname = "desk"\nurl = "{url}"\n'
                          f'allow_private = true\n[[sources]]\nname = "login"\nurl = "{userinfo}"\n'
                          'allow_private = true\n', "utf-8")
        logged = CliRunner().invoke(main, ["--config", str(config), "--log-level", "DEBUG", "gather"]).output
        assert [r for r in server.requests if "QUERYT0KEN999" in r.path]  # the real URL was used to fetch
        printed = CliRunner().invoke(main, ["--config", str(config), "status", "--json"]).output
        with sqlite3.connect(tmp_path / "sw.db") as conn:
            stored = "\n".join(str(row) for table in ("sources", "cycles")
                               for row in conn.execute(f"SELECT * FROM {table}"))  # noqa: S608
        assert "reader" not in stored and "***" in stored

        async def pages() -> str:
            ds = Datasette([str(tmp_path / "sw.db")])
            bodies = [(await ds.client.get(f"/sw/{table}.json?_shape=array")).text for table in ("sources", "cycles")]
            return "\n".join(bodies)

        served = asyncio.run(pages())
        for name, where in (("stored", stored), ("printed", printed), ("served", served), ("logged", logged)):
            leaked = [t for t in ("PASSW0RDsecret", "QUERYT0KEN999", "T0KENPATHabc123xyz") if t in where]
            assert not leaked, (name, where[:3000])
            tally(refused=True)


# -- one bad line is one reject ----------------------------------------------------------------
BAD_LINES = [
    b'{"id": "bin", "title": "\xff\xfe broken bytes", "text": "x"}',
    b'{"id": "deep", "title": "t", "text": "x", "extra": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"id": "shallow-deep", "title": "t", "text": "x", "extra": ' + b"[" * 100 + b"]" * 100 + b"}",
    b'{"id": "sur", "title": "a \\ud800 b", "text": "x"}',
    b'{"id": "big", "title": "t", "text": "x", "n": ' + b"9" * 5000 + b"}",
]
PUBLISHED_OUT_OF_RANGE = b'{"id": "late", "title": "t", "text": "x", "published": "9999-12-31T23:59:59-05:00"}'


def good_line(n: int) -> bytes:
    return json.dumps({"id": f"good-{n}", "title": f"Good headline {n}",
                       "text": f"An ordinary report number {n} about the weather."}).encode()


@pytest.mark.slow
def test_import_keeps_every_good_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crawler.app.stories_commands._classify", lambda app: "classify skipped in this test")
    bad = [*BAD_LINES, PUBLISHED_OUT_OF_RANGE]
    lines = [good_line(0)] + [x for i, b in enumerate(bad, 1) for x in (b, good_line(i))] + [good_line(99)]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "sw.db"), "import", str(path)])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert f"imported {len(bad) + 2} items" in result.output, result.output
    for number in range(2, 2 * len(bad) + 1, 2):
        assert f"line {number}:" in result.output
        tally()


@pytest.mark.slow
def test_classify_keeps_every_good_line_and_loads_the_model_only_when_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import classifier.pipeline
    from tests.classifier_fakes import FakeEncoder, fake_head

    encoder = FakeEncoder()
    fake_head(encoder).save(tmp_path / "head.json")
    loads: list[str] = []

    def get(cfg: object) -> FakeEncoder:
        loads.append("model")
        return encoder

    monkeypatch.setattr(classifier.pipeline, "get_encoder", get)
    config = tmp_path / "sw.toml"
    config.write_text(f"[classifier]\nmodel = 'fake-model'\nhead_path = '{tmp_path / 'head.json'}'\n", "utf-8")
    lines = [good_line(0)] + [x for i, b in enumerate(BAD_LINES, 1) for x in (b, good_line(i))]
    out = tmp_path / "out.jsonl"
    (tmp_path / "in.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["--config", str(config), "classify", "--input", str(tmp_path / "in.jsonl"),
                                       "--output", str(out)])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()]
    assert ids == [f"good-{i}" for i in range(len(BAD_LINES) + 1)]
    for number in range(2, 2 * len(BAD_LINES) + 1, 2):
        assert f"line {number}: skipped" in result.output
        tally()
    loads.clear()
    (tmp_path / "bad.jsonl").write_bytes(b"\n".join(BAD_LINES) + b"\n")
    result = CliRunner().invoke(main, ["--config", str(config), "classify", "--input", str(tmp_path / "bad.jsonl"),
                                       "--output", str(out)])
    assert result.exit_code == 1 and loads == []  # nothing to classify: the model is never loaded


# -- faults are one line -----------------------------------------------------------------------
def import_file(tmp_path: Path, name: str, count: int, size: int = 2000) -> Path:
    path = tmp_path / name
    lines = [json.dumps({"id": f"{name}-{i}", "title": f"Headline {i}", "text": f"Report {i}. " + "w" * size})
             for i in range(count)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def with_pragma(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    """Every command's database gets ``pragma`` after opening (a full disk, a read-only file)."""
    import crawler.app.context as context

    real = context.open_db

    def limited(*args: object, **kw: object) -> sqlite_utils.Database:
        db = real(*args, **kw)  # type: ignore[arg-type]
        db.execute(pragma.format(pages=db.execute("PRAGMA page_count").fetchone()[0]))
        return db

    monkeypatch.setattr(context, "open_db", limited)


def one_line_fault(result: object, *words: str) -> bool:
    text = result.output  # type: ignore[attr-defined]  # stdout and stderr, interleaved
    errors = [line for line in text.splitlines() if line.startswith("scamwatch:")]
    return (result.exit_code == 3 and "Traceback" not in text and len(errors) == 1  # type: ignore[attr-defined]
            and all(w in errors[0] for w in words))


@pytest.mark.slow
@pytest.mark.parametrize(("pragma", "words"), [
    ("PRAGMA max_page_count = {pages}", ("database error", "full")),
    ("PRAGMA query_only = ON", ("database error", "readonly")),
])
def test_a_full_or_read_only_database_is_one_line_and_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pragma: str, words: tuple[str, ...]) -> None:
    monkeypatch.setattr("crawler.app.stories_commands._classify", lambda app: "classify skipped in this test")
    db_path = str(tmp_path / "sw.db")
    first = CliRunner().invoke(main, ["--db", db_path, "import", str(import_file(tmp_path, "a", 3))])
    assert "imported 3 items" in first.output
    with monkeypatch.context() as patched:
        with_pragma(patched, pragma)
        result = CliRunner().invoke(main, ["--db", db_path, "import", str(import_file(tmp_path, "b", 400))])
    assert one_line_fault(result, *words), result.output
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    again = CliRunner().invoke(main, ["--db", db_path, "import", str(tmp_path / "b")])
    assert "imported 400 items" in again.output  # the next run recovers
    tally()


@pytest.mark.slow
def test_a_corrupted_database_is_one_line_everywhere(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crawler.app.stories_commands._classify", lambda app: "classify skipped in this test")
    db_path = tmp_path / "sw.db"
    CliRunner().invoke(main, ["--db", str(db_path), "import", str(import_file(tmp_path, "a", 200))])
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(db_path.read_bytes())
    for n in range(pages // 2, pages - 1):  # scribble over the second half, keeping the header page
        data[n * page + 8:(n + 1) * page - 8] = b"\xa5" * (page - 16)
    db_path.write_bytes(bytes(data))
    check = CliRunner().invoke(main, ["--db", str(db_path), "status", "--check"])
    assert one_line_fault(check, "database error"), check.output
    config = tmp_path / "sw.toml"
    config.write_text("[crawler]\ninclude_default_sources = false\n", "utf-8")
    for args in (["stories"], ["status"], ["run"]):
        result = CliRunner().invoke(main, ["--config", str(config), "--db", str(db_path), *args])
        assert "Traceback" not in result.output, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        if args != ["stories"]:  # it reads no damaged page
            assert one_line_fault(result, "database error", "damaged"), (args, result.output)
        tally()


# -- sources check -----------------------------------------------------------------------------
@pytest.mark.slow
def test_sources_check_is_bounded_and_tells_stale_feeds(tmp_path: Path) -> None:
    with httpserver.TestServer() as server:
        old = ('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>http://x.invalid/</link>'
               "<description>d</description><item><title>Old</title><link>http://x.invalid/1</link>"
               "<pubDate>Mon, 05 Mar 2018 10:00:00 GMT</pubDate></item></channel></rss>")
        server.set("/old.xml", old)
        server.set("/fresh.xml", rss([("New", server.url("/n"), "s")]))
        server.set("/slow.xml", rss([("Slow", server.url("/s"), "s")]), delay=6.0)
        sources = [("old", server.url("/old.xml")), ("fresh", server.url("/fresh.xml")),
                   ("slow", server.url("/slow.xml")), ("dead", "http://127.0.0.1:1/feed")]
        config = tmp_path / "sw.toml"
        config.write_text("[crawler]\ninclude_default_sources = false\nobey_robots = false\n" + "".join(
            f'[[sources]]\nname = "{name}"\nurl = "{url}"\nallow_private = true\n' for name, url in sources), "utf-8")
        result = CliRunner().invoke(main, ["--config", str(config), "sources", "check", "--timeout", "2s",
                                           "--stale-after", "365d"])
        lines = {line.split()[0]: line for line in result.output.splitlines() if line and line[0] != " "}
        assert result.exit_code == 1
        assert "STALE: newest entry" in lines["old"] and lines["fresh"].endswith("ok")
        assert "FAIL timeout" in lines["slow"] and "FAIL connection" in lines["dead"]
        assert len(server.requests_for("/slow.xml")) == 1  # one try, no retries
        assert "1 ok, 1 stale, 2 failed" in result.output
        tally(), tally()


# -- hostile feeds in one gather pass ----------------------------------------------------------
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
          + ']><rss version="2.0"><channel><title>t</title><link>http://x.invalid/</link><description>d'
          "</description><item><title>&i;</title><link>http://x.invalid/1</link></item></channel></rss>")
XXE = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0">'
       "<channel><title>t</title><link>http://x.invalid/</link><description>d</description><item>"
       "<title>Leak &x; here</title><link>http://x.invalid/2</link></item></channel></rss>")


@pytest.mark.slow
def test_hostile_feeds_are_refused_and_the_good_one_still_gets_through(db: sqlite_utils.Database) -> None:
    import gzip

    with httpserver.TestServer() as server:
        server.set("/good.xml", rss([("A good entry", server.url("/g"), "fine")]))
        server.set("/laughs.xml", LAUGHS)
        server.set("/xxe.xml", XXE)
        server.set("/bomb.xml", gzip.compress(b"<rss>" + b" " * 30_000_000), gzip_encoded=True)
        server.set("/loop.xml", b"", status=302, headers={"Location": server.url("/loop.xml")})
        server.set("/meta.xml", b"", status=302, headers={"Location": "http://[::ffff:169.254.169.254]/latest"})
        server.set("/file.xml", b"", status=302, headers={"Location": "file:///etc/passwd"})
        names = ["good", "laughs", "xxe", "bomb", "loop", "meta", "file"]
        config = make_config([source(n, server.url(f"/{n}.xml")) for n in names], max_articles_per_source=0,
                             max_response_bytes=2_000_000)
        report = gather_pass(config, db)
        assert "good" in report.ok
        assert {"bomb", "loop", "meta", "file"} <= set(report.failed)
        stored = "\n".join(f"{r['title']} {r['text']} {r['summary']}" for r in db["items"].rows)
        assert "A good entry" in stored and "root:" not in stored and "lollollollol" * 100 not in stored
        kinds = {r["name"]: r["last_error_kind"] for r in db["sources"].rows}
        assert kinds["bomb"] == "too_large" and kinds["loop"] == "redirects"
        assert kinds["meta"] == "private_address"
        for _ in names[1:]:
            tally()


@pytest.mark.slow
def test_two_runs_at_once_the_second_exits_75(tmp_path: Path) -> None:
    from crawler.app.lock import CycleLock, lock_path

    config = tmp_path / "sw.toml"
    config.write_text('[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n', "utf-8")
    with CycleLock(lock_path(tmp_path / "sw.db", None)):
        result = CliRunner().invoke(main, ["--config", str(config), "run"])
    assert result.exit_code == 75 and "Traceback" not in result.output
    tally()


# -- operator mistakes and private-address spellings, counted here too --------------------------
@pytest.mark.slow
def test_operator_mistakes_are_each_one_line_before_anything_runs(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SW_HOSTILE_UNSET", raising=False)
    mistakes = {
        'urls = ["chat=json://127.0.0.1:9/${SW_HOSTILE_UNSET}"]\n': "SW_HOSTILE_UNSET not set",
        'urls = ["chat=jsn://127.0.0.1:9/x"]\n': "Apprise cannot use",
        'apprise_config = "missing.yml"\n': "does not exist",
        'templates_dir = "missing"\n': "is not a folder",
        'urls = ["chat=json://127.0.0.1:9/x"]\n[[alerts.routes]]\nname = "r"\ntag = "nobody"\n': "carries the tag",
        '[[alerts.routes]]\nname = "r"\nnationalities = ["Indonesian"]\n': "did you mean 'Indonesia'?",
        '[[alerts.routes]]\nname = "r"\nstatuses = ["hold"]\n': "did you mean 'held'?",
        '[[alerts.routes]]\nname = "r"\nlocations = ["Myawady"]\n': "did you mean 'Myawaddy'?",
        '[[alerts.routes]]\nname = "r"\ntemplate = "nope"\n': "template set 'nope'",
    }
    for body, problem in mistakes.items():
        config = tmp_path / "sw.toml"
        config.write_text(f'[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n'
                          f"[alerts]\n{body}", "utf-8")
        for command in (["config", "check"], ["run"]):
            result = CliRunner().invoke(main, ["--config", str(config), *command])
            errors = [line for line in result.output.splitlines() if "config error" in line]
            assert result.exit_code == 2 and len(errors) == 1 and problem in errors[0], (command, result.output)
        assert not (tmp_path / "sw.db").exists()  # refused before the database is touched
        tally()


@pytest.mark.slow
def test_private_address_spellings_are_refused() -> None:
    import asyncio

    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.gather.middlewares import PrivateAddressRefused, PrivateHostMiddleware
    from tests.test_guard import HOSTILE_HOSTS

    guard = PrivateHostMiddleware.from_crawler(get_crawler(settings_dict={}))
    for host in HOSTILE_HOSTS:
        with pytest.raises(PrivateAddressRefused, match="non-public|loopback"):
            asyncio.run(guard.process_request(Request(f"http://{host}/latest/meta-data")))
        tally()


# -- limits: endless and slow streams, oversized bodies, redirects off http ---------------------
STREAM_KINDS = {"headers": "headers_too_large", "slow-headers": "timeout", "endless": "too_large",
                "chunked": "too_large", "declared": "too_large", "drip": "timeout"}


@pytest.mark.slow
def test_endless_and_slow_streams_are_refused_and_the_good_source_still_gets_through(tmp_path: Path) -> None:
    from tests.streamserver import StreamServer, declared, drip, endless_body, endless_headers

    streams = {"headers": endless_headers, "slow-headers": drip(0.5, headers_too=True), "endless": endless_body(),
               "chunked": endless_body(chunked=True), "declared": declared(10**12), "drip": drip(1.0)}
    routes = {f"{prefix}/{name}": stream for name, stream in streams.items() for prefix in ("", "/a")}
    with StreamServer(routes) as hostile, httpserver.TestServer() as good:
        good.set("/feed.xml", rss([("A good entry", good.url("/g"), "fine")]))
        good.set("/file.xml", b"", status=302, headers={"Location": "file:///etc/passwd"})
        good.set("/a/file", b"", status=301, headers={"Location": "file:///etc/passwd"})
        links = [hostile.url("/a/" + name) for name in streams] + [good.url("/a/file")]
        good.set("/list.html", "".join(f'<li class="r"><a href="{link}"></a></li>' for link in links))
        sources = [(name, hostile.url("/" + name), "") for name in streams] + [
            ("good", good.url("/feed.xml"), ""), ("file", good.url("/file.xml"), ""),
            ("press", good.url("/list.html"), 'kind = "listing"\nlink_selector = "li.r a"\n')]
        config = tmp_path / "sw.toml"
        config.write_text('[database]\npath = "sw.db"\n[crawler]\ninclude_default_sources = false\n'
                          'obey_robots = false\ndownload_delay = 0.0\nretries = 0\ntimeout = "2s"\n'
                          "max_response_bytes = 1000000\nmax_articles_per_source = 10\n" + "".join(
                              f'[[sources]]\nname = "{name}"\nurl = "{url}"\nallow_private = true\n{extra}'
                              for name, url, extra in sources), "utf-8")
        gathered = CliRunner().invoke(main, ["--config", str(config), "gather"])
        assert "Traceback" not in gathered.output, gathered.output
        assert hostile.sent["/headers"] < 64_000_000   # read up to the limit, then hung up on
    status = CliRunner().invoke(main, ["--config", str(config), "status"]).output
    with sqlite3.connect(tmp_path / "sw.db") as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["name"]: r for r in conn.execute("SELECT * FROM sources")}
        rejects = {r["url"].rsplit("/", 1)[1]: r for r in conn.execute("SELECT * FROM rejects")}
        titles = [r[0] for r in conn.execute("SELECT title FROM items")]
    assert titles == ["A good entry"] and rows["good"]["last_error_kind"] is None
    assert rows["press"]["last_error_kind"] is None   # a listing whose links fail is itself fine
    for name, kind in {**STREAM_KINDS, "file": "bad_redirect"}.items():
        row = rows[name]
        assert row["last_error_kind"] == kind, (name, dict(row))
        if kind == "too_large":
            assert "-byte limit (crawler.max_response_bytes)" in row["last_error"], dict(row)
        assert re.search(rf"^  {name} +FAILING .* last error: {kind}$", status, re.M), (name, status)
        tally()
    for name, kind in {**STREAM_KINDS, "file": "bad_redirect"}.items():
        assert rejects[name]["kind"] == kind and "Cancelled" not in rejects[name]["reason"], dict(rejects[name])
        assert rejects[name]["permanent"] == (kind != "timeout")
        tally()
    assert "headers ran past the limit of 200 lines" in rows["headers"]["last_error"]
    assert "redirects to a file: URL" in rows["file"]["last_error"]


# -- feeds: malformed JSON, surrogates and characters that are not text (feeds section) -----------
JSON_FEED = "https://jsonfeed.org/version/1.1"


def json_feed(items: object) -> bytes:
    """A JSON Feed whose items are written as given (str: raw JSON text, else dumped)."""
    body = items if isinstance(items, str) else json.dumps(items)
    return f'{{"version": "{JSON_FEED}", "title": "Desk", "items": {body}}}'.encode()


def rss_raw(items: str) -> bytes:
    """An RSS 2.0 feed around raw ``<item>`` markup (character references left as written)."""
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk</title>'
            f"<link>http://example.invalid/</link><description>d</description>{items}</channel></rss>").encode()


def encodable(db: sqlite_utils.Database) -> list[str]:
    """Every stored text value that UTF-8 (SQLite's export, Datasette, Apprise) cannot encode."""
    bad = []
    for table in ("items", "rejects", "sources"):
        for row in db[table].rows:
            for key, value in row.items():
                try:
                    if isinstance(value, str):
                        value.encode("utf-8")
                except UnicodeEncodeError:
                    bad.append(f"{table}.{key}")
    return bad


@pytest.mark.slow
def test_hostile_feed_text_is_judged_entry_by_entry(db: sqlite_utils.Database,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with httpserver.TestServer() as server:
        u = server.url
        lone = "\\ud800"  # as the JSON escape, which json.loads turns into a lone surrogate
        server.set("/mixed.json", json_feed(
            f'[{{"url": "{u("/j1")}", "title": "Sound entry one"}},'
            f' {{"url": "{u("/j2")}", "title": "Broken {lone} title", "summary": "Odd {lone} summary"}},'
            f' {{"url": "{u("/j3")}{lone}", "title": "Link with a lone surrogate"}},'
            f' {{"url": "{u("/j4")}", "title": 42, "summary": "Summary still read", "content_html": ["no"],'
            f'   "date_published": 2026, "authors": "nobody", "id": {{"a": 1}}}},'
            f' "not an object", {{"url": 17, "title": "Number for a link"}}]'))
        server.set("/deep.json", json_feed("[" * 100_000 + "]" * 100_000))
        server.set("/cut.json", json_feed('[{"url": "' + u("/c1") + '", "title": "Cut off'))
        server.set("/items.json", json_feed('{"first": {"url": "' + u("/i1") + '"}}'))
        server.set("/latin.json", json_feed([{"url": u("/l1"), "title": "Caf\xe9 workers freed"}])
                   .replace(b"Caf\\u00e9", b"Caf\xe9"))
        server.set("/refs.xml", rss_raw(
            f"<item><title>Sound item</title><link>{u('/r1')}</link></item>"
            f"<item><title>Bad &#xD800; reference</title><link>{u('/r2')}</link>"
            f"<description>Another &#55296; one and &#x110000; and &#1;</description></item>"
            f"<item><title>Reference in the link</title><link>{u('/r3')}&#xDFFF;</link></item>"))
        server.set("/controls.xml", rss_raw(
            f"<item><title>Control \x01 byte and \x0b tab</title><link>{u('/x1')}</link></item>"
            f"<item><title>Sound neighbour</title><link>{u('/x2')}</link></item>"))
        server.set("/refs.atom", ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                                  f'<title>Desk</title><entry><title>Atom &#xDBFF; entry</title>'
                                  f'<link href="{u("/a1")}"/><id>{u("/a1")}</id></entry></feed>').encode())
        names = ["mixed", "deep", "cut", "items", "latin", "refs", "controls", "atom"]
        paths = {"atom": "/refs.atom", "refs": "/refs.xml", "controls": "/controls.xml"}
        config = make_config([source(n, u(paths.get(n, f"/{n}.json"))) for n in names], max_articles_per_source=0)
        with caplog.at_level(logging.WARNING):
            report = gather_pass(config, db)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], caplog.text
    assert set(report.ok) == {"mixed", "latin", "refs", "controls", "atom"}, report.errors
    kinds = {r["name"]: (r["last_error_kind"], r["last_error"]) for r in db["sources"].rows}
    assert kinds["deep"][0] == "malformed" and "nested" in kinds["deep"][1]
    assert kinds["cut"][0] == "malformed" and "line 1" in kinds["cut"][1]
    assert kinds["items"][0] == "not_a_feed" and "'items' is not a list" in kinds["items"][1]
    titles = {r["url"].rsplit("/", 1)[-1]: r["title"] for r in db["items"].rows}
    assert titles == {"j1": "Sound entry one", "j2": "Broken \ufffd title", "j4": None,
                      "l1": "Caf\ufffd workers freed", "r1": "Sound item", "r2": "Bad \ufffd reference",
                      "x1": "Control byte and tab", "x2": "Sound neighbour", "a1": "Atom \ufffd entry"}
    summaries = {r["url"].rsplit("/", 1)[-1]: r["summary"] for r in db["items"].rows}
    assert summaries["j2"] == "Odd \ufffd summary" and summaries["r2"] == "Another \ufffd one and \ufffd and"
    assert summaries["j4"] == "Summary still read"
    rejects = {r["source"]: (r["kind"], r["reason"]) for r in db["rejects"].rows}
    assert set(rejects) == {"mixed", "refs"} and {k for k, _ in rejects.values()} == {"bad_link"}
    assert all("not text" in reason for _, reason in rejects.values())
    assert encodable(db) == []
    for _ in names:
        tally()


@pytest.mark.slow
def test_article_pages_with_references_to_what_is_not_text_keep_their_text(db: sqlite_utils.Database) -> None:
    refs = ["&#x1;", "&#xD800;", "&#1114112;", "&#0;"]
    with httpserver.TestServer() as server:
        for i, ref in enumerate(refs):
            words = "".join(f"<p>Part {n} of story {i}: the desk learned {ref} that workers held in a compound "
                            "were freed and flown home by their embassy.</p>" for n in range(5))
            server.set(f"/p{i}", f"<html lang='en'><head><title>Freed {ref} workers</title>"
                                 f"<link rel='canonical' href='{server.url(f'/p{i}')}{ref}'></head>"
                                 f"<body><article>{words}</article></body></html>", content_type="text/html")
        server.set("/feed.xml", rss([(f"Entry {i}", server.url(f"/p{i}"), "Short summary.") for i in range(len(refs))]))
        gather_pass(make_config([source("desk", server.url("/feed.xml"))], max_articles_per_source=10), db)
    rows = list(db["items"].rows)
    assert len(rows) == len(refs)
    for row in rows:
        assert row["extraction"] == "trafilatura" and "flown home" in row["text"], row
        tally()
    assert encodable(db) == []


# -- progress on long work (progress branch) -----------------------------------------------------
def dead_sources_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """Five sources on a closed loopback port (a network outage) and a fake model that notes each load."""
    from tests.test_progress import counting_model

    return counting_model(tmp_path, monkeypatch, "retries = 0\ndownload_delay = 0\nextract_workers = 0\n" + "".join(
        f'[[sources]]\nname = "dead{n}"\nurl = "http://127.0.0.1:1/feed{n}"\nallow_private = true\n'
        for n in range(5)))


@pytest.mark.slow
def test_a_run_with_every_source_down_shows_its_progress_then_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import logging
    import sys

    from tests.test_progress import Terminal, drawn

    config, loads = dead_sources_config(tmp_path, monkeypatch)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    terminal, previous = Terminal(), sys.stderr
    monkeypatch.setattr(sys, "stderr", terminal.slave)
    try:
        with pytest.raises(SystemExit) as ended:
            main.main(["--config", str(config), "run"], standalone_mode=False)
    finally:
        monkeypatch.setattr(sys, "stderr", previous)
        root.handlers[:], root.level = handlers, level
    err = terminal.text()
    assert ended.value.code == 1 and drawn("gather", err) and "5/5  sources" in err, err
    assert "every source polled failed (5)" in err and "Traceback" not in err
    assert loads == []  # nothing gathered, nothing to classify: no model load
    tally()


@pytest.mark.slow
def test_a_run_with_every_source_down_says_one_line_per_stage_on_a_pipe(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, loads = dead_sources_config(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["--config", str(config), "run"])
    assert result.exit_code == 1 and "\r" not in result.stdout + result.stderr, result.output
    assert len([line for line in result.stderr.splitlines() if "gather: 0 ok, 5 failed" in line]) == 1
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("cycle partial")
    assert loads == []
    tally()
