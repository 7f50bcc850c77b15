"""crawler.base.fingerprint: the translate-table normalisation equals the per-character definition."""

from __future__ import annotations

import re
import unicodedata

from crawler.base.fingerprint import content_hash, normalise_text


def by_definition(text: str) -> str:
    """NFKC, casefold; punctuation -> space, symbols/controls/format -> nothing; whitespace collapsed."""
    out = []
    for char in unicodedata.normalize("NFKC", text).casefold():
        category = unicodedata.category(char)
        if category[0] == "P":
            out.append(" ")
        elif category[0] == "S" or category in ("Cc", "Cf"):
            out.append("")
        else:
            out.append(char)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def test_every_kind_of_character_is_treated_as_defined() -> None:
    # every 7th code point (surrogates excepted): ~160k distinct characters, past the table's cache limit
    chars = "".join(chr(c) for c in range(0, 0x110000, 7) if not 0xD800 <= c <= 0xDFFF)
    for start in range(0, len(chars), 4096):
        chunk = chars[start:start + 4096]
        assert normalise_text(chunk) == by_definition(chunk), start
        assert normalise_text(chunk) == by_definition(chunk), start  # now from the filled table


def test_words_punctuation_and_symbols() -> None:
    text = "Fraud—trafficking, “quoted” ½ € 5%\u00ad ﬁne\u2028Ｆｕｌｌ"
    assert normalise_text(text) == "fraud trafficking quoted 12 5 fine full"
    assert normalise_text("\n\t ") == "" and normalise_text(None) == ""
    assert content_hash("Title", "fraud—trafficking") == content_hash("title", "fraud — trafficking")


def test_line_breaks_and_tabs_separate_words() -> None:
    assert normalise_text("forced\nto scam\tvictims") == "forced to scam victims"
