"""The keyword prior: concepts found across languages, on word boundaries, never inside other words."""

from __future__ import annotations

import pytest

from classifier.keywords import NAMES, concepts, keyword_features


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Forty nationals rescued from a SCAM COMPOUND in Cambodia", (True, True, True)),
        ("Workers were trafficked to Myawaddy", (False, True, True)),
        ("Ratusan WNI terjebak penipuan online di Kamboja", (True, True, True)),
        ("缅北电诈园区解救多名中国公民", (True, True, True)),
        ("캄보디아 범죄단지 감금 한국인 구출", (True, True, True)),
        ("แก๊งคอลเซ็นเตอร์ กัมพูชา", (True, False, True)),
        ("साइबर ठगी केंद्र से भारतीय मुक्त, कंबोडियाई पुलिस", (True, False, True)),
        ("Stocks rose as oil prices gained", (False, False, False)),
        ("Người lao động Việt Nam", (False, False, False)),  # 'lao' (labour) is not Laos
        ("The scampi was excellent; the escalator broke", (False, False, False)),
    ],
)
def test_concepts(text: str, expected: tuple[bool, bool, bool]) -> None:
    assert concepts(text) == expected


def test_features_are_the_concepts_and_their_conjunctions() -> None:
    rows = keyword_features(["scam centre in Cambodia", "nothing here"])
    assert rows.shape == (2, len(NAMES))
    assert rows[0].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0] and rows[1].sum() == 0
