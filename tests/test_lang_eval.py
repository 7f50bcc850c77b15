"""The eval's language split, places F1 and the dev labels' vocabulary."""

from __future__ import annotations

from typing import Any

from classifier.evaluate import evaluate, format_report


def _pred(relevant: bool, nationalities: list[str], places: list[str], status: str | None,
          lang: str) -> dict[str, Any]:
    return {"relevant": relevant, "held": status == "held", "nationalities": nationalities, "places": places,
            "status": status, "count": None, "score": 0.9 if relevant else 0.1, "lang": lang}


def test_figures_split_english_and_other_languages_with_places_and_dev_statuses() -> None:
    gold = [
        {"id": 1, "lang": "en", "title": "Kenyans freed from KK Park", "relevant": True, "held": True,
         "nationalities": ["Kenya"], "places": ["KK Park", "Myawaddy"], "status": "rescued"},
        {"id": 2, "lang": "ja", "title": "日本人が詐欺拠点に監禁", "relevant": True, "held": True,
         "nationalities": ["Japan"], "places": ["Myawaddy"], "status": "held"},
        {"id": 3, "lang": "ko", "title": "보이스피싱 일당 검거", "relevant": False, "held": False},
    ]
    predicted = [
        _pred(True, ["Kenya"], ["KK Park"], "awaiting_repatriation", "en"),  # compared as 'rescued'
        _pred(False, [], [], None, "ja"),
        _pred(True, [], [], "unknown", "ko"),
    ]
    result = evaluate(gold, predicted)
    assert result["english"]["relevant"]["f1"] == 1.0
    assert result["non_english"]["relevant"]["tp"] == 0 and result["non_english"]["relevant"]["fp"] == 1
    assert result["overall"]["places"] == {"precision": 1.0, "recall": 0.3333, "f1": 0.5, "tp": 1, "fp": 0, "fn": 2}
    assert result["english"]["status_accuracy"] == 1.0
    assert result["overall"]["held"]["tp"] == 1  # an incident at any stage, as the dev labels mean 'held'
    assert result["language_id"] == 1.0
    report = format_report(result)
    assert "plc-F1" in report and "other langs" in report and "  ja" in report
