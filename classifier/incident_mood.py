"""Whether a status word reports something that happened, or only one planned or denied.

"were repatriated" happened; "will be repatriated", "expected to be freed", "sought help to
return home" are planned (the people are not home yet); "have not been returned", "could not
escape", "belum dipulangkan" are negated (the people are still where they were). The word
just before the cue decides, skipping auxiliaries ("to be", "have been", "được", "被") and a
coordinated verb ("expected to be freed and returned" is planned twice).
"""

from __future__ import annotations

import re

from .incident_text import is_latin

HAPPENED, PLANNED, NEGATED = "happened", "planned", "negated"

_PLANNED_WORDS = frozenset("""
to will would shall 'll could can may might must should plan plans planned planning aim aims
wants want hope hopes hoping seek seeks seeking sought await awaits awaiting wait waiting bid
effort efforts pending
akan segera untuk bakal ingin mau hendak agar supaya guna menunggu
sẽ để sắp chờ đợi nhằm
para vai vão será serão irá irão pretende pretendem pour va vont sera seront
upang para
""".split())
# "managed to escape", "began to return": the infinitive reports what happened.
_REALISED_BEFORE_TO = frozenset("""
managed able began begin begins started start starts continue continues continued came
succeeded allowed helped enough
""".split())
_NEGATION_WORDS = frozenset("""
not never no n't cannot unable failed without nor yet
belum tidak tak gagal bukan chưa không não nao nunca pas jamais hindi
""".split())
_AUXILIARIES = frozenset("""
be been being get got have has had is are was were also all then safely successfully finally
eventually soon them him her us they themselves home back quickly immediately eventually
được bị đã dapat berhasil telah sudah masih ser sido foram foi fueron fue han ha
estão están ainda todavía être été ont sont
""".split())
_COORDINATORS = frozenset("and or dan atau và hoặc e y et ou".split())

# Scripts without spaces: markers among the characters just before the cue (or after, in Korean).
_AUX_CJK_THAI = r"(?:ได้รับการ|ได้รับ|ได้|ถูก|被|能|得到)?"
_PLANNED_BEFORE = re.compile(r"(?:即将|即將|将于|將於|将被|將被|将会|將會|拟|擬|准备|準備|等待|等候|"
                             r"จะ|เพื่อ|เตรียม|เร่ง|รอการ)" + _AUX_CJK_THAI + r"\S{0,3}$")
_NEGATED_BEFORE = re.compile(r"(?:未|没有|沒有|无法|無法|不能|ไม่)" + _AUX_CJK_THAI + r"\S{0,3}$")
_PLANNED_AFTER = re.compile(r"^\S{0,4}\s?(?:예정|계획|방침)")
_NEGATED_AFTER = re.compile(r"^\S{0,4}\s?(?:못|않)")
_WORD = re.compile(r"\w+(?:'\w+)?|n't", re.IGNORECASE)
LOOKBACK_CHARS = 60


def mood(text: str, start: int, end: int) -> str:
    """How the cue at ``text[start:end]`` is asserted: HAPPENED, PLANNED or NEGATED."""
    cue = text[start:end]
    if not is_latin(cue):
        before, after = text[max(0, start - 16):start], text[end:end + 8]
        if _NEGATED_BEFORE.search(before) or _NEGATED_AFTER.search(after):
            return NEGATED
        if _PLANNED_BEFORE.search(before) or _PLANNED_AFTER.search(after):
            return PLANNED
        return HAPPENED
    before = re.split(r"[.;:!?,()\"]", text[max(0, start - LOOKBACK_CHARS):start])[-1]
    words = [w.lower() for w in _WORD.findall(before)]
    if words and words[-1] == "to" and cue.split()[0].lower().endswith("ed"):
        return HAPPENED  # "to" before a participle is a preposition: "according to rescued men"
    return _mood_of_words(words)


def _mood_of_words(words: list[str]) -> str:
    """Walk back over auxiliaries (and one coordinated verb) to the deciding word."""
    i = len(words) - 1
    coordinated = 0
    while i >= 0:
        word = words[i]
        if word.endswith("n't") or word in _NEGATION_WORDS:
            return NEGATED
        if word in _PLANNED_WORDS:
            if word == "to" and i > 0 and words[i - 1] in _REALISED_BEFORE_TO:
                return HAPPENED
            return PLANNED
        if word in _AUXILIARIES:
            i -= 1
            continue
        if word in _COORDINATORS and coordinated == 0:
            coordinated = 1
            i -= 2  # skip the coordinated verb: "freed and returned"
            continue
        return HAPPENED
    return HAPPENED
