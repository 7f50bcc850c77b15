"""Months named in a report, in the languages of the victims' press (crawler.base.dates)."""

from __future__ import annotations

import pytest

from crawler.base.dates import apart, months_named


@pytest.mark.parametrize(("text", "months"), [
    ("Police raided the site on 14 February.", {2}),
    ("The group flew home on Feb. 20 after weeks of talks.", {2}),
    ("Officials may send a team soon.", set()),          # "may" the verb is no month
    ("The flight lands on May 9.", {5}),
    ("Mereka dipulangkan pada 3 Maret lalu.", {3}),
    ("Rombongan tiba 12 Ogos di Kuala Lumpur.", {8}),
    ("Les travailleurs sont rentrés le 2 août.", {8}),
    ("Regresaron a casa el 5 de octubre.", {10}),
    ("20名工人于11月3日获救。", {11}),
    ("지난 7월 말 구조됐다.", {7}),
    ("Họ được giải cứu hôm 9 tháng 12.", {12}),
    ("กลับถึงไทยเมื่อ 4 ก.ย. ที่ผ่านมา", {9}),
    ("Их освободили 18 января.", {1}),
    ("Records dated 2025-06-30 and 01/07/2025.", {6, 7}),
])
def test_months_named(text: str, months: set[int]) -> None:
    assert months_named(text) == frozenset(months)


def test_months_apart_allow_a_month_boundary() -> None:
    assert not apart(frozenset({1}), frozenset({12}))    # an event straddling the new year
    assert not apart(frozenset({3}), frozenset())         # one names none: no evidence
    assert apart(frozenset({3}), frozenset({10}))
