"""What happened to the group: held, rescued, awaiting repatriation, repatriated, detained after
rescue, dead, mixed (some freed, others still held).

The headline decides first, the lead (first sentences) refines it:
"rescued" in the headline and "in immigration detention" in the lead is
``detained_after_rescue``; freed people next to others "still trapped" is ``mixed``, and so
are escapes reported beside deaths. People stopped before leaving ("intercepted at the
airport") were never held: None. Only what happened counts (see :mod:`.incident_mood`):
"vows to rescue" leaves people held, "will be flown home" means not home yet, "have not been
freed" means still held. A plea to be sent home ("minta dipulangkan") means the people are
out of the compound but not home: ``rescued``.
"""

from __future__ import annotations

import re

from crawler.base.sentences import split_sentences

from .incident_mood import HAPPENED, NEGATED, PLANNED, mood
from .incident_text import cue_regex, normalize, phrases

_FREED = frozenset({"rescued", "repatriated"})
STATUSES = ("held", "rescued", "awaiting_repatriation", "repatriated", "detained_after_rescue", "dead", "mixed",
            "unknown")
STILL_HELD = frozenset({"held", "mixed"})

_CUES: dict[str, re.Pattern[str]] = {
    "repatriated": cue_regex(phrases("""
        帰国 帰還 送還 நாடு_திரும்ப தாயகம்_திரும்ப தாயகம்_வந்த फर्किए फर्काइयो फर्काइए स्वदेश_फर्क वापस_लौटे घर_लौटे
        ተመለሱ warejea wamerejea walirejea kurejeshwa vatanga_qaytar мекенине_кайт елге_қайт ආපසු_පැමිණ ပြန်ပို့
        ပြန်လည်ရောက် បញ្ជូនត្រឡប់ ສົ່ງຕົວກັບ вернулись возвращены вернули вернуть_домой repatriad* regresaron rapatriés
        repatriat* deport* homecoming returnees return*_home returned_to_the_country brought_home
        brought_back brings_home brings_back bring_home bring_back flown_home flown_back flew_home
        flew_back fly_home arriv*_home arrived_back head*_home way_home return*_from return_of
        reunited came_home back_home sent_home landed returned_to return_to returns_to
        safely_returned airlifts airlifted airlift home_safe now_home safely_home
        dipulangkan pemulangan memulangkan kembali_ke_tanah_air tiba_di_tanah_air pulang_ke
        penghantaran_pulang dihantar_pulang dibawa_pulang selamat_tiba tiba_di
        hồi_hương về_nước trao_trả trở_về tiếp_nhận đưa_về về_đến
        遣返 回国 回國 返台 返回 接回 归国 歸國 送回 返乡 返鄉
        ส่งกลับ กลับประเทศ กลับไทย กลับถึง เดินทางกลับ ส่งตัวกลับ
        송환 귀국 귀환 돌아왔 돌아와 추방
        repatriad* regressa* retorna* voltaram rapatri* napauwi umuwi nakauwi nakabalik pinauwi
        स्वदेश लौटे वापस_लाया দেশে_ফির ফিরলেন ফিরেছেন وطن_واپس вернул
    """)),
    "rescued": cue_regex(phrases("""
        保護され 保護した を保護 保護された 救出 解放され 脱出 மீட்க மீட்கப் மீட்பு विमुक्त उद्धार छुड़ा छुडा सुटका ተለቀቁ ተለቀቀ ተረፉ
        waliookolewa wameokolewa kuokolewa waliokolewa wameachiliwa ozod_qilindi ozod_etildi qutqarildi
        бошотулду бошотулган куткарылды босатылды құтқарылды බේරා_ගැනු බේරාගත් ကယ်ဆယ် ကယ်တင် ជួយសង្គ្រោះ
        ຊ່ວຍເຫຼືອ освобождены освободили вызволили спасены resgate_de resgate_dos resgate_das resgata resgatam
        fueron_rescatados ont_été_libérés
        rescu* freed frees freeing were_released was_released been_released released_from
        released_after release_of escap* fled flee* saved liberat* evacuat* walked_out
        managed_to_leave handed_over hands_over hand_over
        diselamatkan menyelamatkan selamatkan dibebaskan kabur melarikan_diri keluar_dari lolos
        berhasil_keluar dievakuasi evakuasi
        giải_cứu giải_thoát trốn_thoát bỏ_trốn thoát_khỏi được_thả bàn_giao
        解救 获救 獲救 救出 救回 逃离 逃離 逃出 逃脱 逃脫 脱困 脫困 释放 釋放 获释 獲釋
        ช่วยเหลือ หลบหนี ช่วยออก ปล่อยตัว หนีออก 구출 구조 풀려 탈출 석방 구해냈 빠져나
        resgatad* resgatou resgataram libertados libertadas libertou libertaram liberou fugiram
        rescatad* rescató rescataron liberad* liberó liberaron secouru* libéré* ont_fui fuient
        nasagip iniligtas nailigtas बचाया मुक्त भागकर উদ্ধার মুক্তি بازیاب ریسکیو освобожд спас
    """)),
    "held": cue_regex(phrases("""
        監禁 拘束され 閉じ込め 軟禁 சிக்கி அடைத்து_வைக்க சிக்கித்_தவி बन्धक फसे फसेका कैद डांबून ታግተ ተይዘው wanazuiliwa
        wazuiliwa wamezuiliwa wamekwama ushlab_turil qamalib кармалып_тур камалып ұсталып_отыр රඳවා_ගෙන
        රඳවාගෙන အကျဉ်းချ ချုပ်နှောင် ឃុំខ្លួន ກັກຂັງ удерживают удерживаются удерживали в_плену
        held_in held_at held_captive held_hostage held_against held_by being_held were_held
        are_held is_held been_held held_for trapped captive* hostage* confined locked_up
        imprisoned stuck enslaved kept_captive detained_by
        disekap terjebak disandera terperangkap dikurung terkandas
        bị_giam bị_giữ mắc_kẹt bị_nhốt giam_giữ bị_khống_chế kêu_cứu cầu_cứu
        被困 困在 扣押 扣留 拘禁 囚禁 受困 关押 關押 求救 求助
        ติดอยู่ กักขัง ถูกกักตัว ถูกขัง ถูกคุมขัง 감금 억류 갇혀 붙잡혀 구해_달라 구해달라
        presos mantidos retidos cativeiro retenidos atrapados secuestrados cautiverio
        nakakulong ikinulong bihag naipit फंसे बंधक বন্দি پھنس یرغمال قید удержива заложник
        séquestr* retenus piégés
    """)),
    "still": cue_regex(phrases("""
        still_trapped still_held still_stuck still_in still_being still_need* still_missing
        remain*_trapped remain*_held remain*_captive remain*_stranded remain*_in_captivity
        remain_in remain_behind
        remains_in yet_to_be await*_rescue need*_to_be_rescued needing_rescue resist* refuse*
        others_remain more_remain masih_terjebak masih_disekap masih_di masih_dijejaki
        cuba_kesan
        待援 仍有 仍被 尚有 仍在 아직 여전히 ยังติด ยังอยู่ vẫn_còn còn_lại
    """)),
    "detained": cue_regex(phrases("""
        in_detention detention_cent* detention_facilit* immigration_detention detained_by_thai
        detained_by_immigration detained_by_authorities detained_by_the_thai in_custody custody
        await*_deportation await*_processing await*_handover
        pending_their pending_handover pending_deportation to_be_deported
        will_be_deported would_be_deported face_deportation
        facing_deportation will_remain handed_over_to_thai being_processed illegal_entry
        illegally_entering illegally_crossing shelter shelters prepared_for_deportation
        apprehended immigration_cent* were_detained been_detained
        took_them_away taken_away for_processing for_verification
        rumah_detensi detensi otoritas_imigrasi diamankan depoh_tahanan tahanan_imigresen
        押送 涉诈 涉詐 涉网 涉網 羁押 羈押 集中安置 拘留 遣送 امیگریشن بنکاک_امیگریشن tạm_giữ
        ตม. สถานกักตัว 출입국 보호소 수용소 이민국 ditahan
    """)),
    "awaiting": cue_regex(phrases("""
        await*_repatriation await*_their_return await*_return await*_flights await*_travel_documents
        pending_repatriation waiting_to_be_repatriated waiting_to_be_sent_home waiting_for_repatriation
        waiting_to_return waiting_to_go_home to_be_repatriated will_be_repatriated would_be_repatriated
        yet_to_be_repatriated before_repatriation ahead_of_repatriation
        menunggu_pemulangan menunggu_dipulangkan menunggu_kepulangan chờ_hồi_hương chờ_về_nước chờ_trao_trả
        等待遣返 待遣返 等候遣返 等待回国 等待回國 帰国を待 귀국을_기다 송환을_기다 송환_대기 รอส่งตัวกลับ รอเดินทางกลับ
        aguardam_repatriação aguardando_repatriação esperan_ser_repatriados en_attente_de_rapatriement
        ожидают_возвращения ожидают_депортации
    """)),
    "dead": cue_regex(phrases("""
        死亡 死去 遺体 மரணம் உயிரிழ मृत्यु ज्यान_गुमा ሞተ ሕይወቱ_አለፈ alifariki wamefariki погиб умерла умер скончал тело мертв
        died dead death deaths killed body bodies drown* murdered lost_their_lives
        tử_vong thiệt_mạng 死亡 身亡 遇难 遇難 尸体 屍體 사망 숨진 숨져 시신 ศพ เสียชีวิต meninggal tewas
        mortos muertos morts
    """)),
    "intercepted": cue_regex(phrases("""
        intercept* offload* barred_from_leaving prevented_from_leaving stopped_from_leaving
        bound_for dicegah digagalkan ditunda_keberangkatan
    """)),
}


_REQUEST = re.compile(
    r"\b(?:minta|meminta|memohon|permohonan|urges?|urged|demands?|demanded|calls? for|called for|"
    r"seeks?|seeking|sought|requests?|requested|appeals? for|pleads? for|asks?|asked)\s+"
    r"(?:\w+\s+){0,2}?(?:(?P<back>repatriat\w*|deport\w*|dipulangkan|pemulangan|return\w*)|rescue\w*|"
    r"release\w*|diselamatkan|dibebaskan|dievakuasi)(?:\s+(?:and|or|dan)\s+\w+)?", re.IGNORECASE)
# Pleas for a rescue in other languages: the people are still inside.
_PLEA = re.compile(r"救出(?:を)?(?:訴え|求め|要請|願)|救出して|救助を求め|उद्धार(?:को)?\s*माग|छुड़ाने\s*की\s*(?:गुहार|मांग)|"
                   r"மீட்க\s*(?:கோரிக்கை|வேண்டும்|கோரி)|구출\s*요청|구조\s*요청|營救|营救|просят\s+(?:спасти|освободить)|"
                   r"pede[mn]?\s+ajuda\s+para\s+resgatar|piden\s+rescatar|demandent\s+la\s+libération|"
                   r"minta\s+(?:pemerintah\s+)?(?:bebaskan|selamatkan)", re.IGNORECASE)
_REQUEST_THAI = re.compile(r"(?:วอน|ขอให้|เร่ง|เรียกร้อง)\S{0,8}ช่วย")
_ESCAPED_DEATH = re.compile(r"\b(?:escap\w*|cheat\w*|avoid\w*|surviv\w*|narrowly|near)\s+$",
                            re.IGNORECASE)
_PART_OF = re.compile(r"\b\d[\d,]*\s+(?:out\s+)?of\s+(?:the\s+)?(?:more than\s+|over\s+)?\d",
                      re.IGNORECASE)


def status_cues(text: str) -> set[str]:
    """Cue names found in text. Pleas for rescue are not rescues ("requested"), pleas to go
    home mean the people are out ("requested_return"); a planned return is "planned_return",
    a denied release ("have not been freed") is "still"; "23 out of 34" is partial."""
    found: set[str] = set()
    for m in _REQUEST.finditer(text):
        found.add("requested_return" if m.group("back") else "requested")
    if _REQUEST_THAI.search(text) or _PLEA.search(text):
        found.add("requested")
    text = _PLEA.sub(" ", _REQUEST.sub(" ", text))
    for name, rx in _CUES.items():
        for m in rx.finditer(text):
            if name == "dead" and _ESCAPED_DEATH.search(text[:m.start()]):
                continue  # "escaped death", "survived": the people are alive
            said = mood(text, m.start(), m.end()) if name in _FREED else HAPPENED
            if said == NEGATED:
                found.add("still")
            elif said == PLANNED:
                found.add("planned_return" if name == "repatriated" else "requested")
            else:
                found.add(name)
    if _PART_OF.search(text) and found & _FREED:
        found.add("still")
    if {"still", "detained"} <= found and "held" not in found:
        found.discard("still")  # "will remain in a shelter awaiting deportation": detention
    return found


def status_from_cues(title: set[str], lead: set[str]) -> str | None:
    """Decide the status from the cue sets of the headline and of the lead."""
    if "planned_return" in title:
        # "India to airlift 540 citizens": out and waiting, unless the lead says the return began
        title = title | ({"repatriated"} if "repatriated" in lead else {"rescued", "awaiting"})
    both = title | lead
    freed = {"rescued", "repatriated"}
    if "intercepted" in title and not title & (freed | {"held"}):
        return None
    if "still" in both and both & freed and ("still" in title or title & freed):
        return "mixed"
    if "dead" in title and not title & (freed | {"held"}):
        return "dead"
    if "dead" in title and title & freed:  # "hundreds flee; some drown"
        return "mixed"
    if title and title <= {"held", "requested"} and lead & freed:
        return "mixed"  # trapped (or rescue urged), says the headline; some got out, the lead
    if "awaiting" in title and title & freed and "detained" not in title:
        return "awaiting_repatriation"  # the headline's word beats a shelter in the lead
    if "detained" in title and title & freed:
        return "detained_after_rescue"
    if "detained" in both and both & freed and "repatriated" not in title:
        return "detained_after_rescue"
    if "awaiting" in both and "repatriated" not in title and (both & freed or "detained" not in both):
        return "awaiting_repatriation"  # out of the compound, not yet home: "rescued, awaiting repatriation"
    for cues in (title, lead):
        if "repatriated" in cues:
            return "repatriated"
        if "rescued" in cues:
            return "repatriated" if "repatriated" in lead else "rescued"
        if "held" in cues:
            return "held"
    if "still" in both:
        return "held"
    if "requested_return" in both or "planned_return" in both:
        return "rescued"
    return None


def detect_status(text: str, title: str = "", lead_sentences: int = 3) -> str | None:
    """Status of the main group; ``title`` (optional) weighs first, then the lead of ``text``."""
    lead = {c for s in split_sentences(normalize(text))[:lead_sentences] for c in status_cues(s)}
    return status_from_cues(status_cues(normalize(title)), lead)
