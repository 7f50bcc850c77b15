"""Per language, a report of nationals held in a scam compound against an adjacent negative (written by us,
kept out of the training examples): the shipped classifier must rank the report above the negative and
alert on it."""

from __future__ import annotations

import pytest

from classifier.config import ClassifierConfig
from classifier.pipeline import Classifier

# lang: (relevant title, relevant text), (adjacent negative title, text)
PAIRS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "ja": (("カンボジアの詐欺グループ拠点に日本人監禁か　20代男性の家族が救出訴え",
            "SNSの高額報酬の求人に応じて出国した男性が、カンボジアの施設に閉じ込められ、詐欺の電話をかけさせられてい"
                "ると家族が訴えている。"),
           ("特殊詐欺の受け子、高齢女性から現金をだまし取った疑いで逮捕",
            "警察は、息子を装った電話で高齢女性から現金200万円をだまし取ったとして、受け子の男を逮捕した。")),
    "ko": (("\"해외 취업인 줄\"…미얀마 사기 조직에 갇힌 한국인 청년들",
            "고수익 일자리를 믿고 태국으로 출국한 한국인 청년들이 미얀마의 범죄 조직 건물에 감금돼 사기 범행을 강요받"
                "고 있다고 가족들이 호소했다."),
           ("전세사기 일당 검거…피해액 100억 원",
            "경찰은 빌라 수십 채로 전세 보증금을 가로챈 전세사기 일당을 검거했다고 밝혔다.")),
    "zh": (("多名台灣青年受困柬埔寨詐騙園區 家屬向外交部求援",
            "家屬指出，孩子應徵高薪工作出國後，被帶進柬埔寨的詐騙園區，護照被沒收，被迫從事網路詐騙。"),
           ("警方破獲假檢警詐騙集團 逮捕12名車手",
            "警方破獲一個假冒檢警的詐騙集團，在台北逮捕12名負責提款的車手。")),
    "th": (("แม่วอนช่วยลูกชาย ถูกชวนไปกัมพูชาแล้วถูกขังให้เป็นคอลเซ็นเตอร์",
            "มารดาเผยว่าลูกชายได้รับการชักชวนไปทำงานรายได้สูง "
                "แต่ถูกพาข้ามแดนไปกักขังในตึกของแก๊งคอลเซ็นเตอร์และถูกบังคับให้หลอกคนไทย"),
           ("ตำรวจรวบมิจฉาชีพหลอกขายสินค้าออนไลน์",
            "ตำรวจจับกุมผู้ต้องหาที่หลอกขายโทรศัพท์มือถือทางเฟซบุ๊กแล้วไม่ส่งสินค้า มีผู้เสียหายกว่า 50 ราย")),
    "vi": (("Gia đình cầu cứu vì con bị giữ trong khu lừa đảo ở Campuchia",
            "Nam thanh niên sang Campuchia làm việc nhẹ lương cao nhưng bị nhốt trong khu nhà, bị ép lừa đảo qua "
                "mạng."),
           ("Bắt nhóm lừa đảo bán hàng online ở TP.HCM",
            "Công an TP.HCM bắt nhóm đối tượng lừa đảo bán hàng giả trên mạng xã hội.")),
    "id": (("Keluarga minta pemerintah bebaskan WNI yang disekap di Myanmar",
            "Seorang pemuda yang dijanjikan kerja di Thailand disekap di Myanmar dan dipaksa menjadi operator "
                "penipuan daring."),
           ("Polisi tangkap pelaku penipuan jual beli mobil",
            "Polisi menangkap dua orang yang menipu pembeli mobil bekas lewat media sosial di Surabaya.")),
    "ms": (("Keluarga rayu kerajaan bawa pulang anak terperangkap di Kemboja",
            "Seorang pemuda Malaysia dikurung oleh sindiket penipuan dalam talian di Kemboja selepas ditawarkan "
                "kerja bergaji lumayan."),
           ("Polis tahan lelaki dalam kes penipuan pinjaman",
            "Polis menahan seorang lelaki yang didakwa menipu mangsa dengan tawaran pinjaman peribadi palsu.")),
    "tl": (("Pamilya humingi ng tulong para sa OFW na ikinulong sa scam hub sa Cambodia",
            "Ayon sa pamilya, ikinulong ang OFW sa isang gusali sa Cambodia at pinipilit manloko ng mga tao online."),
           ("Lalaking nanloko sa online selling, arestado",
            "Inaresto ng pulisya ang isang lalaking nanloko ng mga mamimili sa online selling sa Cebu.")),
    "hi": (("म्यांमार में साइबर ठगी के अड्डे पर बंधक भारतीय युवक, परिवार ने लगाई गुहार",
            "थाईलैंड में नौकरी का वादा कर ले जाए गए युवकों को म्यांमार में बंधक बनाकर ऑनलाइन ठगी करवाई जा रही है।"),
           ("ऑनलाइन ठगी करने वाले तीन आरोपी गिरफ्तार",
            "पुलिस ने बैंक अधिकारी बनकर लोगों से ठगी करने वाले तीन आरोपियों को दिल्ली में गिरफ्तार किया।")),
    "ne": (("कम्बोडियामा ठगी गिरोहको कैदमा परेका नेपालीको उद्धार माग",
            "राम्रो जागिरको प्रलोभनमा कम्बोडिया पुगेका नेपाली युवालाई ठगी गिरोहले थुनेर अनलाइन ठगी गर्न लगाएको "
                "परिवारले बताएको छ।"),
           ("काठमाडौंमा अनलाइन ठगी गर्ने दुई पक्राउ",
            "प्रहरीले अनलाइन किनमेलको नाममा ठगी गर्ने दुई जनालाई काठमाडौंबाट पक्राउ गरेको छ।")),
    "bn": (("কম্বোডিয়ায় প্রতারক চক্রের হাতে আটক বাংলাদেশি যুবক, উদ্ধারের আকুতি",
            "চাকরির প্রলোভনে কম্বোডিয়ায় নিয়ে গিয়ে বাংলাদেশি যুবকদের আটকে রেখে অনলাইন প্রতারণায় বাধ্য করা হচ্ছে "
                "বলে পরিবার জানিয়েছে।"),
           ("ঢাকায় অনলাইন প্রতারক চক্রের তিন সদস্য গ্রেপ্তার",
            "ঢাকায় ই-কমার্সের নামে গ্রাহকদের টাকা আত্মসাৎকারী চক্রের তিন সদস্যকে গ্রেপ্তার করেছে পুলিশ।")),
    "ta": (("கம்போடியாவில் மோசடி கும்பலிடம் சிக்கிய தமிழக இளைஞர்கள், மீட்க கோரிக்கை",
            "வேலை வாய்ப்பு என்று அழைத்துச் செல்லப்பட்ட இளைஞர்கள் கம்போடியாவில் அடைத்து வைக்கப்பட்டு இணைய மோசடி செய்ய "
                "கட்டாயப்படுத்தப்படுகின்றனர்."),
           ("போலி நகை அடகு மோசடி: இருவர் கைது",
            "மதுரையில் போலி நகைகளை அடகு வைத்து வங்கியில் மோசடி செய்த இருவரை போலீசார் கைது செய்தனர்.")),
    "ru": (("Родные просят спасти россиянина из мошеннического лагеря в Мьянме",
            "Молодой человек поехал в Таиланд на работу, но оказался в охраняемом лагере в Мьянме, где его "
                "заставляют обманывать людей."),
           ("В Екатеринбурге задержаны телефонные мошенники",
            "Полиция задержала троих мужчин, которые звонили пенсионерам от имени банка и выманивали деньги.")),
    "pt": (("Família pede ajuda para resgatar brasileiro preso em centro de golpes no Camboja",
            "O jovem aceitou uma vaga de emprego na Ásia e acabou trancado em um prédio no Camboja, obrigado a "
                "aplicar golpes pela internet."),
           ("Polícia prende suspeitos de golpe do Pix em Belo Horizonte",
            "A polícia prendeu três suspeitos de aplicar o golpe do Pix em moradores de Belo Horizonte.")),
    "es": (("Familias piden rescatar a jóvenes retenidos por red de estafas en Camboya",
            "Los jóvenes viajaron por una oferta de trabajo y terminaron encerrados en un edificio en Camboya, "
                "obligados a estafar por internet."),
           ("Detienen a estafadores que vendían viajes falsos",
            "La policía detuvo a dos personas que vendían paquetes de viaje inexistentes por redes sociales.")),
    "fr": (("Des familles demandent la libération de jeunes retenus dans un centre d'arnaques au Cambodge",
            "Attirés par une offre d'emploi, les jeunes sont enfermés dans un immeuble au Cambodge et forcés "
                "d'escroquer des internautes."),
           ("Arnaque au faux conseiller bancaire : deux suspects interpellés",
            "La police a interpellé deux hommes soupçonnés d'avoir escroqué des retraités en se faisant passer pour "
                "leur banque.")),
}


@pytest.fixture(scope="module")
def scored() -> dict[str, tuple[dict, dict]]:
    clf = Classifier(ClassifierConfig())
    out = {}
    for lang, (pos, neg) in PAIRS.items():
        rows = clf.classify([{"id": 1, "title": pos[0], "text": pos[1]}, {"id": 2, "title": neg[0], "text": neg[1]}])
        out[lang] = (rows[0], rows[1])
    return out


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(PAIRS))
def test_report_ranks_above_its_adjacent_negative(scored: dict[str, tuple[dict, dict]], lang: str) -> None:
    pos, neg = scored[lang]
    assert pos["lang"] == lang
    assert pos["score"] > neg["score"], (pos, neg)
    assert neg["band"] != "alert", neg


@pytest.mark.slow
def test_reports_in_other_languages_are_alerted(scored: dict[str, tuple[dict, dict]]) -> None:
    missed = [lang for lang, (pos, _) in scored.items() if not pos["relevant"]]
    assert len(missed) <= 2, missed
