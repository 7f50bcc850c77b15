"""A keyword prior: does a text use the vocabulary of scam compounds, in any language we read?

The English embedding model reads Indonesian, Chinese or Thai poorly, so the head also sees
three binary concepts found by word lists in many languages — online-fraud operations,
trafficking or captivity, and the countries and hubs where compounds are — and two of their
conjunctions. Their weights are learned with the embedding's, from the same examples.
A trailing ``*`` matches any word starting there; terms in unspaced scripts (and in scripts
with combining vowel signs: Devanagari, Bengali, Tamil, Sinhala, Arabic, Ethiopic) match as substrings.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SCAM = """
scam scams scammer* scamming cyberscam* cyber-scam* cyberfraud* cyber-fraud* fraud* "pig butchering" pig-butchering
"online scam*" "scam compound*" "scam centre*" "scam center*" "scam hub*" "scam park*" "scam factor*" "scam den*"
"scam operation*" "scam syndicate*" "scam gang*" "call cent*" "telecom fraud" "crypto scam*" "investment scam*"
"romance scam*" "online gambling" "online casino*"
penipuan penipu "judi online" "judi daring" "online scam" scammer sindiket "love scam" "macau scam"
"lừa đảo" lừa "việc nhẹ" "lương cao" "cờ bạc trực tuyến"
golpe golpes golpistas estafa* fraude* arnaque* escroquer* escroc*
诈骗 詐騙 电诈 電詐 诈骗园区 詐騙園區 电信诈骗 電信詐騙 杀猪盘 殺豬盤 网赌 網賭 赌场 賭場 詐欺 特殊詐欺
사기 보이스피싱 스캠 범죄단지 로맨스스캠 온라인 도박
หลอกลวง แก๊งคอลเซ็นเตอร์ คอลเซ็นเตอร์ สแกมเมอร์ ฉ้อโกง พนันออนไลน์
প্রতারণা প্রতারক সাইবার স্ক্যাম स्कैम ठगी धोखाधड़ी साइबर फ्रॉड سائبر فراڈ دھوکہ мошенни* афер*
詐欺拠点 闇バイト 特殊詐欺 マネーロンダリング फसवणूक மோசடி වංචා လိမ်လည် ငွေလိမ်
បោកប្រាស់ ឆបោក ຕົ້ມຕຸ໋ນ ສໍ້ໂກງ ማጭበርበ utapeli matapeli kutapeli firibgar* алдамч* алаяқ* кибермошенни*
колл-центр* "call centre" "centro de golpes" estafas "centres d'arnaque*" "centre d'arnaque*" فراڈ
"""

TRAFFICKING = """
traffick* enslav* slavery captiv* "held captive" "held against" hostage* "forced to work" "forced labour"
"forced labor" "forced to scam" "forced into" "forced to commit" lured "fake job*" "job offer*" "job scam*"
confined imprisoned detained rescued repatriat* escap* freed abduct* kidnap* ransom
"perdagangan orang" tppo disekap "dipaksa bekerja" dipaksa terjebak dipulangkan dievakuasi pemulangan
diselamatkan "pemerdagangan orang" diperdaya
"mua bán người" "buôn người" "bị giam" "bị ép" "giải cứu" "bỏ trốn" "trao trả" "hồi hương"
"tráfico de pessoas" "tráfico humano" "trata de personas" "trata de pessoas" "traite des" "travail forcé"
"trabalho forçado" "trabajo forzado" resgatad* rescatad* secuestr* sequestr* séquestr*
拐卖 拐賣 人口贩卖 人口販賣 贩卖人口 販賣人口 被骗 被騙 被困 被囚 囚禁 解救 遣返 逃出 逃离 逃離 强迫 強迫 被卖 被賣
인신매매 감금 구출 송환 탈출 납치 취업사기 강제노동
ค้ามนุษย์ กักขัง ช่วยเหลือ ส่งตัวกลับ หลบหนี ถูกหลอก ล่อลวง บังคับ
পাচার উদ্ধার আটক মানবপাচার तस्करी बंधक छुड़ाया रेस्क्यू فروخت اسمگلنگ بازیاب торговля* похищ* рабств*
監禁 拘束 救出 人身取引 閉じ込め 連れ去 帰国 禁錮 拘禁 監禁 脫困 获救
மீட்க மீட்பு மீட்கப் அடைத்து சிக்கி கடத்த बन्धक उद्धार बेचबिखन फसे कैद सुटका डांबून قید
රඳවා බේරා ජාවාරම ကယ်ဆယ် လူကုန်ကူး အကျဉ်းချ ချုပ်နှောင် ជួយសង្គ្រោះ ជួញដូរមនុស្ស ឃុំខ្លួន
ຊ່ວຍເຫຼືອ ຄ້າມະນຸດ ກັກຂັງ ታግተ ዝውውር ተለቀቁ wazuiliwa wanazuiliwa kuzuiliwa waliokolewa wameokolewa
kuokolewa wamekwama "usafirishaji haramu" "odam savdosi" "ozod qilindi" "ushlab turil*" "адам сатуу" кармалып
бошотул* "адам саудасы" босатыл* удержива* освобожд* "в плену" заложни* вызвол* cativeiro traficad*
retenid* retenu* "traite des êtres humains"
"""

HOTSPOT = """
cambodia* cambodian* myanmar* burma* burmese laos laotian lào philippine* "golden triangle" sihanoukville
"preah sihanouk" "phnom penh" poipet bavet myawaddy myawadi "shwe kokko" "kk park" "mae sot" "karen state"
"kayin state" tachileik "wa state" "boten" "bokeo" pogo pogos "dubai"
kamboja kemboja "campuchia" "miến điện" "mianmar" "camboja" "camboya" "cambodge" "birmanie" "birmania"
柬埔寨 缅甸 緬甸 缅北 緬北 妙瓦底 西港 西哈努克 老挝 老撾 寮國 金三角 菲律宾 菲律賓 園區 园区
캄보디아 미얀마 라오스 프놈펜 시아누크빌 필리핀
กัมพูชา เมียนมา พม่า เมียวดี สปป.ลาว ปอยเปต สีหนุวิลล์ ฟิลิปปินส์
কম্বোডিয়া মিয়ানমার মায়ানমার লাওস कंबोडिया कम्बोडिया म्यांमार लाओस کمبوڈیا میانمار камбодж* мьянм*
ミャンマー カンボジア ラオス ミャワディ シアヌークビル 미야와디 மியான்மர மியான்மா கம்போடிய மியாவடி லாவோ
म्यानमार म्यावाडी म्यावडी මියන්මාර කාම්බෝජ မြဝတီ ရွှေကုက္ကို ကမ္ဘောဒီးယား ព្រះសីហនុ បាវិត ប៉ោយប៉ែត
មីយ៉ាន់ម៉ា ສາມຫຼ່ຽມຄຳ ບໍ່ແກ້ວ ມຽນມາ ກຳປູເຈຍ ማይናማር ማያንማር ምያንማር ካምቦዲያ kambodia myanma* kambodja*
мьявади мьявадди
"""

LEXICON_ID = hashlib.sha256((SCAM + TRAFFICKING + HOTSPOT).encode()).hexdigest()[:12]
NAMES = ("kw_scam", "kw_trafficking", "kw_hotspot", "kw_scam_hotspot", "kw_trafficking_hotspot")
# Scripts matched as substrings: unspaced ones, and those whose vowel signs break \w-words.
_SUBSTRING = re.compile(
    r"[\u0600-\u06ff\u0900-\u09ff\u0b80-\u0bff\u0d80-\u0dff\u0e00-\u0eff\u1000-\u109f\u1200-\u137f"
    r"\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
)
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def _terms(block: str) -> list[str]:
    return [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', block)]


@dataclass(frozen=True)
class _Concept:
    """One concept's terms, split by how they are matched (sets and ``str.find`` are fast)."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, bool], ...]
    substrings: tuple[str, ...]

    @classmethod
    def build(cls, block: str) -> _Concept:
        words, prefixes, phrases, substrings = set(), [], [], []
        for term in (_SPACE.sub(" ", t.lower()) for t in _terms(block)):
            body, prefix = term.rstrip("*"), term.endswith("*")
            if _SUBSTRING.search(body):
                substrings.append(body)
            elif not _WORD.fullmatch(body):
                phrases.append((body, prefix))
            elif prefix:
                prefixes.append(body)
            else:
                words.add(body)
        return cls(frozenset(words), tuple(prefixes), tuple(phrases), tuple(substrings))

    def found(self, text: str, words: list[str]) -> bool:
        if any(s in text for s in self.substrings):
            return True
        if any(w in self.words or w.startswith(self.prefixes) for w in words):
            return True
        return any(_phrase_in(text, phrase, prefix) for phrase, prefix in self.phrases)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _phrase_in(text: str, phrase: str, prefix: bool) -> bool:
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        starts_word = at == 0 or not _is_word_char(text[at - 1])
        if starts_word and (prefix or end == len(text) or not _is_word_char(text[end])):
            return True
        at = text.find(phrase, at + 1)
    return False


@lru_cache(maxsize=1)
def _concepts() -> tuple[_Concept, _Concept, _Concept]:
    return _Concept.build(SCAM), _Concept.build(TRAFFICKING), _Concept.build(HOTSPOT)


def concepts(text: str) -> tuple[bool, bool, bool]:
    """Whether ``text`` mentions scam operations, trafficking/captivity, and a compound hotspot."""
    norm = _SPACE.sub(" ", unicodedata.normalize("NFC", text).lower())
    words = _WORD.findall(norm)
    scam, trafficking, hotspot = (c.found(norm, words) for c in _concepts())
    return scam, trafficking, hotspot


def keyword_features(texts: list[str]) -> np.ndarray:
    """Rows of the binary features named in :data:`NAMES` for ``texts``."""
    out = np.zeros((len(texts), len(NAMES)), dtype=np.float64)
    for row, text in enumerate(texts):
        scam, trafficking, hotspot = concepts(text)
        out[row] = (scam, trafficking, hotspot, scam and hotspot, trafficking and hotspot)
    return out
