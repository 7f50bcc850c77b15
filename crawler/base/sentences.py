"""Sentence splitting shared by incident extraction and story fingerprints (any script)."""

from __future__ import annotations

import re

_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Lt|Col|Gen|Brig|Sgt|St|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|Gov|Govt|Rep|Sen|Capt|Maj|Prof|Inc|Ltd|Co|vs|etc|approx|Pol|Supt|Insp|Adm|Cdr|Hon|"
    r"Jr|Sr|Sdn|Bhd|Dist|Dept)|\b[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”')\]]?\s+|(?<=[。！？])|(?<=[.!?])(?=[\"“][A-Z])")


def split_sentences(text: str) -> list[str]:
    """Split into sentences: at line breaks and at sentence-final punctuation."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pending = ""
        for piece in _SENTENCE_END.split(line):
            if not piece or not piece.strip():
                continue
            pending = f"{pending} {piece.strip()}" if pending else piece.strip()
            if not _ABBREVIATION.search(pending):
                sentences.append(pending)
                pending = ""
        if pending:
            sentences.append(pending)
    return sentences
