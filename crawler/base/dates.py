"""The months a report's opening names, in the languages the victims' press writes (pure functions).

Reports of one event are written within days of each other and name the same month ("on 20 February",
"2月20日", "20 Februari"); reports of two events of one nationality in one country, months or years
apart, name other months. Where a report carries no publication date (an archive, a replay), the
months it names are the only clock it has.
"""

from __future__ import annotations

import re

OPENING_CHARS = 600

# Month names and their usual abbreviations, January first, by language.
_NAMES: tuple[tuple[str, ...], ...] = (
    # English (three-letter forms are read only beside a day number: "may" is also a verb)
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"),
    # Indonesian and Malay
    ("januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
     "november", "desember"),
    ("januari", "februari", "mac", "april", "mei", "jun", "julai", "ogos", "september", "oktober", "november",
     "disember"),
    # French, Spanish, Portuguese, German
    ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
     "décembre"),
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
     "noviembre", "diciembre"),
    ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
     "novembro", "dezembro"),
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
     "dezember"),
    # Russian, genitive as dates use it ("20 февраля")
    ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
     "декабря"),
    # Thai, Hindi, Bengali
    ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
     "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
    ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"),
    ("জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর",
     "ডিসেম্বর"),
)
_SHORT = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
          "oct": 10, "nov": 11, "dec": 12}
_THAI_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")

_MONTH_OF: dict[str, int] = {}
for _names in _NAMES:
    for _number, _name in enumerate(_names, start=1):
        _MONTH_OF.setdefault(_name, _number)
# Also words or names ("may", "Mars", "April Ramos"): read only beside a day number or a year.
_AMBIGUOUS = {"may", "mar", "mai", "mac", "mei", "jun", "mars", "april", "august", "мая", "मई", "মে"}

_WORDS = "|".join(sorted(map(re.escape, _MONTH_OF), key=len, reverse=True))
_NAMED = re.compile(rf"(?<!\w)({_WORDS})(?!\w)", re.IGNORECASE)
_DAY_NEAR = re.compile(r"\d{1,2}\D{0,3}$|^\W{0,3}(?:\d{1,2}(?!\d)|(?:19|20)\d\d)")
_SHORTS = "|".join(_SHORT)
_ABBREVIATED = re.compile(rf"(?<!\w)({_SHORTS})\.?\s+\d{{1,2}}(?!\d)|(?<!\d)\d{{1,2}}\s+({_SHORTS})\b", re.IGNORECASE)
_THAI = re.compile("|".join(map(re.escape, _THAI_SHORT)))
_COUNTED = re.compile(r"(?<!\d)(\d{1,2})\s*[月월]|tháng\s*(\d{1,2})(?!\d)", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<!\d)(?:(?:19|20)\d\d[-/.](\d{1,2})[-/.]\d{1,2}"   # 2025-02-20
                      r"|\d{1,2}[-/.](\d{1,2})[-/.](?:19|20)\d\d)(?!\d)")  # 20/02/2025


def months_named(text: str) -> frozenset[int]:
    """The months (1-12) ``text`` names: month words in the languages above, "2月", "2월", "tháng 2",
    ISO and day-first numeric dates. Words that are also ordinary words or names ("may", "April") count
    only beside a day number or a year."""
    found: set[int] = set()
    for match in _NAMED.finditer(text):
        word = match.group(1).casefold()
        if word in _AMBIGUOUS and not (_DAY_NEAR.search(text[max(0, match.start() - 4):match.start()])
                                       or _DAY_NEAR.search(text[match.end():match.end() + 4])):
            continue
        found.add(_MONTH_OF[word])
    for match in _ABBREVIATED.finditer(text):
        found.add(_SHORT[(match.group(1) or match.group(2)).casefold()])
    found.update(_THAI_SHORT.index(m.group(0)) + 1 for m in _THAI.finditer(text))
    for match in _COUNTED.finditer(text):
        found.add(int(match.group(1) or match.group(2)))
    for match in _NUMERIC.finditer(text):
        found.add(int(match.group(1) or match.group(2)))
    return frozenset(m for m in found if 1 <= m <= 12)


def opening_months(title: str | None, text: str | None) -> frozenset[int]:
    """The months a report's headline and opening (its first ``OPENING_CHARS``) name; further down a
    month is usually background."""
    return months_named(f"{title or ''} {(text or '')[:OPENING_CHARS]}")


def apart(a: frozenset[int], b: frozenset[int]) -> bool:
    """Both name months and none is the same or next to one of the other's (an event may straddle a
    month's end): reports of events at other times of the year."""
    if not a or not b:
        return False
    return not any((x - y) % 12 in (0, 1, 11) for x in a for y in b)
