"""Numbers in news text: digits with separators, number words, Chinese numerals, vague amounts.

Policy for vague amounts ("hundreds", "ratusan", "数百"): they are found as a
:class:`Quantity` with ``value=None`` and a plausible range, so that a vague headline can be
refined by an exact figure in the lead; on their own they give no count. Qualified figures
("at least 45", "more than 1,000") give the stated number as a floor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .incident_text import Token, tokens

_UNITS = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    # Indonesian / Malay
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "enam": 6, "tujuh": 7, "delapan": 8,
    "lapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11,
    # Portuguese / Spanish / French / Tagalog (ambiguous short words such as "dos" left out)
    "dois": 2, "duas": 2, "três": 3, "tres": 3, "quatro": 4, "cuatro": 4, "cinco": 5, "sete": 7,
    "siete": 7, "oito": 8, "ocho": 8, "nove": 9, "nueve": 9, "dez": 10, "diez": 10, "doze": 12,
    "doce": 12, "vinte": 20, "veinte": 20, "trinta": 30, "treinta": 30, "deux": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "huit": 8, "neuf": 9, "dix": 10, "douze": 12, "vingt": 20,
    "trente": 30, "dalawa": 2, "tatlo": 3, "apat": 4, "anim": 6, "pito": 7, "walo": 8,
    "siyam": 9, "sampu": 10,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12, "ratus": 100,
           "ribu": 1000, "juta": 1_000_000, "puluh": 10, "mil": 1000, "mille": 1000,
           "cem": 100, "cien": 100, "nghìn": 1000, "ngàn": 1000, "triệu": 1_000_000}
_PREFIXED = {"seratus": 100, "seribu": 1000, "sejuta": 1_000_000, "a": 1}
_CONNECTORS = {"and", "e", "y", "-"}
# Vague amounts and the range they suggest.
_VAGUE: dict[str, tuple[int, int]] = {}
for _words, _range in (
    ("hundreds ratusan centenas cientos centaines daan-daang หลายร้อย", (100, 999)),
    ("thousands ribuan milhares miles milliers libu-libo หลายพัน", (1000, 9999)),
    ("dozens scores puluhan dezenas decenas dizaines", (24, 99)),
):
    for _w in _words.split():
        _VAGUE[_w] = _range
_VAGUE_CJK = {"数百": (100, 999), "數百": (100, 999), "几百": (100, 999), "幾百": (100, 999),
              "上百": (100, 999), "逾百": (100, 199), "百余": (100, 199), "百餘": (100, 199),
              "数千": (1000, 9999), "數千": (1000, 9999), "上千": (1000, 9999),
              "수백": (100, 999), "수천": (1000, 9999), "수십": (20, 99),
              "hàng trăm": (100, 999), "hàng nghìn": (1000, 9999), "hàng ngàn": (1000, 9999),
              "hàng chục": (20, 99)}
_FLOOR = re.compile(r"(?:at least|more than|over|upwards of|in excess of|lebih dari|lebih|mais de|"
                    r"más de|plus de|mahigit|hơn|trên|逾|超过|超過|至少|seramai|sebanyak)\s*$",
                    re.IGNORECASE)
_ABOUT = re.compile(r"(?:nearly|almost|about|around|some|approximately|roughly|an estimated|"
                    r"estimated|close to|up to|sekitar|hampir|kurang lebih|cerca de|alrededor de|"
                    r"près de|environ|halos|khoảng|gần|约|約|近|대략|약)\s*$", re.IGNORECASE)
_APPROX_AFTER = re.compile(r"^\s*(?:多|余|餘|여|이상|กว่า|\+|lebih\b|plus\b)", re.IGNORECASE)
_DIGITS = re.compile(
    r"(?<![0-9A-Za-zÀ-ɏ.,/:$€£¥₱₹-])(\d{1,3}(?:(?:,|\.| )\d{3})+(?!\d)|\d+)(?:[.,](\d{1,2}))?"
    r"(?![0-9A-Za-zÀ-ɏ/:])"
    r"(?:\s*(million|juta|triệu|thousand|ribu|nghìn|ngàn|mil|万|萬|千))?"
)
_CURRENCY_BEFORE = re.compile(r"(?:\$|€|£|¥|₱|₹|\bRp\.?|\bRM|\bUSD|\bPHP|\bP)\s*$")
_HAN_NUMERAL = re.compile(r"[零一二两兩三四五六七八九十百千万萬]+(?=[名人位个個])")
_MULTIPLIER = {"million": 1_000_000, "juta": 1_000_000, "triệu": 1_000_000, "thousand": 1000,
               "ribu": 1000, "nghìn": 1000, "ngàn": 1000, "mil": 1000, "万": 10_000, "萬": 10_000,
               "千": 1000}


@dataclass(frozen=True)
class Quantity:
    """A number found in text; ``value`` is None for vague amounts such as "hundreds"."""

    value: int | None
    start: int
    end: int
    low: int
    high: int
    approx: bool = False


def parse_number_words(text: str) -> int | None:
    """Value of a number written in words ("twelve", "thirty-four", "two dozen", "dua puluh")."""
    words = [w for w in re.split(r"[\s-]+", text.strip().lower()) if w]
    value = _words_value(words)
    return value if value is not None and len(_number_run(words)) == len(words) else None


def _number_run(words: list[str]) -> list[str]:
    run: list[str] = []
    for i, word in enumerate(words):
        if word in _UNITS or word in _SCALES or (word in _PREFIXED and word != "a"):
            run.append(word)
        elif word == "a" and not run and i + 1 < len(words) and words[i + 1] in ("dozen", "hundred", "thousand"):
            run.append(word)
        elif word == "belas" and run:
            run.append(word)
        elif word in _CONNECTORS and run and i + 1 < len(words) and words[i + 1] in _UNITS:
            run.append(word)
        else:
            break
    while run and (run[-1] in _CONNECTORS or run[-1] == "a"):
        run.pop()
    return run


def _words_value(words: list[str]) -> int | None:
    run = _number_run(words)
    if not run:
        return None
    total, current = 0, 0
    for word in run:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _PREFIXED:
            current += _PREFIXED[word]
        elif word == "belas":
            current += 10
        elif word in ("thousand", "ribu", "mil", "mille", "nghìn", "ngàn", "million", "juta", "triệu"):
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
    return total + current or None


def _han_value(numeral: str) -> int | None:
    digits = {"零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
    scales = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "萬": 10_000}
    total, section, current = 0, 0, 0
    for ch in numeral:
        if ch in digits:
            current = digits[ch]
        elif ch in ("万", "萬"):
            total += (section + current) * 10_000
            section, current = 0, 0
        else:
            section += max(current, 1) * scales[ch]
            current = 0
    return total + section + current or None


def _make(value: int | None, start: int, end: int, text: str,
          vague: tuple[int, int] | None = None) -> Quantity:
    before, after = text[max(0, start - 25):start], text[end:end + 6]
    if vague is not None:
        return Quantity(None, start, end, vague[0], vague[1], approx=True)
    assert value is not None
    if _FLOOR.search(before) or _APPROX_AFTER.match(after):
        return Quantity(value, start, end, value, int(value * 1.6) + 1, approx=True)
    if _ABOUT.search(before):
        return Quantity(value, start, end, int(value * 0.8), int(value * 1.25) + 1, approx=True)
    return Quantity(value, start, end, value, value)


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in (normalised) text, in order; money, dates and times are skipped."""
    found = [q for q in _digit_quantities(text)]
    found += _word_quantities(text, tokens(text))
    for m in _HAN_NUMERAL.finditer(text):
        value = _han_value(m.group())
        if value:
            found.append(_make(value, m.start(), m.end(), text))
    for phrase, rng in _VAGUE_CJK.items():
        for m in re.finditer(re.escape(phrase), text, re.IGNORECASE):
            found.append(_make(None, m.start(), m.end(), text, rng))
    found.sort(key=lambda q: q.start)
    out: list[Quantity] = []
    for q in found:
        if not out or q.start >= out[-1].end:
            out.append(q)
    return out


def _digit_quantities(text: str) -> list[Quantity]:
    out = []
    for m in _DIGITS.finditer(text):
        if _CURRENCY_BEFORE.search(text[max(0, m.start() - 5):m.start()]):
            continue
        whole = int(re.sub(r"\D", "", m.group(1)))
        if m.group(2) and not m.group(3):
            continue  # a decimal such as 2.5 (hours, percent) is never a head count
        if m.group(3):
            whole = int((whole + float(f"0.{m.group(2) or 0}")) * _MULTIPLIER[m.group(3)])
        out.append(_make(whole, m.start(), m.end(), text))
    return out


def _word_quantities(text: str, toks: list[Token]) -> list[Quantity]:
    out = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        lower = tok.lower
        if lower in _VAGUE:
            out.append(_make(None, tok.start, tok.end, text, _VAGUE[lower]))
            i += 1
            continue
        words = [t.lower for t in toks[i:i + 8]]
        split = [w for part in words for w in part.split("-") if w]
        run = _number_run(split)
        if not run or (run == ["one"] and len(words) > 1 and words[1] == "of"):
            i += 1
            continue
        value = _words_value(split)
        consumed, chars = 0, 0
        for t in toks[i:]:
            chars += len([w for w in t.lower.split("-") if w])
            consumed += 1
            if chars >= len(run):
                break
        end = toks[i + consumed - 1].end
        if value:
            out.append(_make(value, tok.start, end, text))
        i += consumed
    return out
