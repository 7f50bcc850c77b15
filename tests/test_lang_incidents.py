"""Who (victims only), where (places of captivity) and status, in the victims' languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.gazetteer import GazetteerError, default_gazetteer, load_gazetteer
from classifier.incidents import extract_incident

# Each text also names the police, an embassy and the host country: only the victims count.
VICTIMS_BESIDE_OFFICIALS = [
    ("en", "Cambodian police free 27 Indonesians from Sihanoukville compound",
     "Cambodian police raided the building and freed 27 Indonesians, the Indonesian embassy said. "
     "Three Chinese managers were arrested.", ["Indonesia"]),
    ("en", "Thai police take in 60 Chinese nationals released in Myawaddy",
     "Thai police received 60 Chinese nationals freed by an armed group in Myawaddy; the Chinese "
     "embassy will fly them home.", ["China"]),
    ("ja", "タイ警察、ミャンマーの詐欺拠点から逃れた日本人3人を保護",
     "在タイ日本大使館によると、3人はミャワディの施設で監禁されていた。タイ当局が身柄を引き渡した。", ["Japan"]),
    ("ko", "캄보디아 경찰, 범죄단지 감금 한국인 3명 구출",
     "주캄보디아 한국대사관은 캄보디아 경찰과 공조해 한국인을 구출했다고 밝혔다.", ["South Korea"]),
    ("zh", "泰國警方協助 3名國人自緬甸妙瓦底園區脫困",
     "外交部表示，泰國警方與駐泰代表處合作，協助國人脫困。", ["Taiwan"]),
    ("zh", "一批中国公民从缅甸妙瓦底电诈园区被解救", "缅甸警方将他们移交中方，中国驻缅甸使馆协助回国。", ["China"]),
    ("th", "ตำรวจไทยรับตัวชาวจีน 60 คนจากเมียวดี",
     "ตำรวจไทยรับตัวชาวจีน 60 คนที่ได้รับการปล่อยตัวจากแหล่งสแกมเมอร์ในเมียวดี เพื่อส่งกลับประเทศจีน", ["China"]),
    ("pt", "Polícia tailandesa resgata brasileiros mantidos em Mianmar",
     "A embaixada do Brasil em Bangkok confirmou que os brasileiros estavam presos em Myawaddy.", ["Brazil"]),
    ("ru", "Белоруска погибла в лагере мошенников в Мьянме",
     "Посольство Беларуси в Таиланде и полиция Мьянмы выясняют обстоятельства.", ["Belarus"]),
    ("ru", "Граждане Казахстана удерживаются в Мьянме",
     "Посольство Казахстана в Таиланде обратилось к тайской полиции.", ["Kazakhstan"]),
    ("id", "Polisi Kamboja selamatkan 27 WNI dari sindikat penipuan online",
     "Kedutaan Besar RI di Phnom Penh menyebut 27 WNI itu disekap di Sihanoukville.", ["Indonesia"]),
    ("ta", "மியான்மரில் சிக்கிய இந்தியர்கள் மீட்பு", "தாய்லாந்து காவல்துறை உதவியுடன் மீட்கப்பட்டனர்.", ["India"]),
    ("ne", "म्यानमारमा बन्धक बनाइएका नेपाली युवाको उद्धार", "थाइल्याण्ड प्रहरीको सहयोगमा उद्धार गरिएको हो।", ["Nepal"]),
    ("am", "በማይናማር የታገቱ ኢትዮጵያውያን ተለቀቁ", "", ["Ethiopia"]),
    ("sw", "Wakenya waliookolewa kutoka Myanmar warejea", "", ["Kenya"]),
    ("uz", "O'zbekiston fuqarolari Myanmada ozod qilindi", "", ["Uzbekistan"]),
    ("ky", "Кыргызстандыктар Мьянмада кармалып турат", "", ["Kyrgyzstan"]),
    ("si", "මියන්මාරයේ රඳවාගෙන සිටි ශ්‍රී ලාංකිකයන් බේරා ගැනේ", "", ["Sri Lanka"]),
]


@pytest.mark.parametrize("lang, title, text, expected", VICTIMS_BESIDE_OFFICIALS,
                         ids=[f"{row[0]}-{i}" for i, row in enumerate(VICTIMS_BESIDE_OFFICIALS)])
def test_victims_nationality_not_police_embassy_or_host(lang: str, title: str, text: str,
                                                        expected: list[str]) -> None:
    assert extract_incident(title, text, lang).nationalities == expected


def test_no_nationality_named_gives_none() -> None:
    assert extract_incident("外國人被困緬甸園區", "", "zh").nationalities == []
    assert extract_incident("Workers freed from scam compound in Myawaddy", "", "en").nationalities == []


@pytest.mark.parametrize("text, place", [
    ("ミャワディの詐欺拠点で監禁されていた", "Myawaddy"),
    ("Их держали в Мьявади, в охраняемом комплексе", "Myawaddy"),
    ("被骗至缅甸妙瓦底的电诈园区", "Myawaddy"),
    ("ถูกหลอกไปทำงานที่เมียวดี", "Myawaddy"),
    ("被困在水沟谷园区", "Shwe Kokko"),
    ("KKパークに連れて行かれた", "KK Park"),
    ("ប៉ូលិសចុះឆែកឆេរអគារមួយនៅក្រុងព្រះសីហនុ", "Sihanoukville"),
    ("ເຂດເສດຖະກິດພິເສດສາມຫຼ່ຽມຄຳ", "Golden Triangle SEZ"),
    ("They were held in Dubai at a scam office", "Dubai"),
])
def test_places_by_local_script_aliases(text: str, place: str) -> None:
    assert place in extract_incident("", text).places


def test_transit_and_handover_places_are_not_captivity() -> None:
    inc = extract_incident("Kenyans freed from KK Park cross into Mae Sot",
                           "They were handed over at the Moei River and flown home from Suvarnabhumi Airport.")
    assert inc.places == ["KK Park"]
    thai = extract_incident("ส่งตัวคนไทยจากเมียวดีข้ามมาที่แม่สอด", "")
    assert thai.places == ["Myawaddy"]
    assert extract_incident("Embassy in Phnom Penh helps Indonesians freed in Bavet", "").places == ["Bavet"]


def test_a_region_gives_way_to_the_place_inside_it() -> None:
    inc = extract_incident("Police free workers in Bavet, Svay Rieng province", "They were held in a casino.")
    assert inc.places == ["Bavet"]
    assert extract_incident("缅北园区", "").places == []  # northern Myanmar: a country, not a place


def test_gazetteer_parent_chain() -> None:
    gaz = default_gazetteer()
    assert gaz.chain("KK Park") == ["KK Park", "Myawaddy", "Karen State", "Myanmar"]
    assert gaz.within("Bokor Mountain", "Cambodia") and not gaz.within("Bavet", "Myanmar")
    for place in gaz.places:
        assert gaz.chain(place.name)[-1] == place.country, place.name
    for name in ("Myawaddy", "KK Park", "Shwe Kokko", "Tachileik", "Laukkai", "Sihanoukville", "Bavet", "Poipet",
                 "O'Smach", "Golden Triangle SEZ", "Bamban", "Porac", "Dubai", "Kandal", "Karen State",
                 "Phnom Penh", "Koh Kong", "Bokor Mountain", "Chrey Thom", "Shan State"):
        assert gaz.by_name(name) is not None, name


def test_gazetteer_rejects_an_unknown_parent(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"places": [{"name": "A", "country": "Myanmar", "lat": 1, "lon": 1,
                                            "kind": "town", "parent": "Nowhere"}]}), "utf-8")
    with pytest.raises(GazetteerError, match="Nowhere"):
        load_gazetteer(path)


@pytest.mark.parametrize("title, text, status, held", [
    ("Twelve Nepalis rescued, awaiting repatriation", "They are in a shelter until flights are arranged.",
     "awaiting_repatriation", False),
    ("Nepalis freed from Myanmar compound return home", "", "repatriated", False),
    ("Families say 40 Kenyans still held in Myawaddy compound", "", "held", True),
    ("20 Ugandans freed while others remain trapped in KK Park", "", "mixed", True),
    ("Belarusian model died in a Myanmar scam camp", "", "dead", False),
    ("Ministry statement on scam compounds", "The ministry published guidance.", "unknown", False),
])
def test_status_vocabulary_and_held_only_while_still_held(title: str, text: str, status: str, held: bool) -> None:
    inc = extract_incident(title, text)
    assert (inc.status, inc.held) == (status, held)
