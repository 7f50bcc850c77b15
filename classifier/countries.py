"""Country names, demonyms and their variants in the languages scamwatch reads.

Each :class:`Country` maps surface forms to an English short country name:

* ``names`` — the country itself ("Indonesia", "Kamboja", "柬埔寨"); also used as an
  adjective in English ("Kenya nationals", "Hong Kong woman").
* ``adjectives`` — demonyms that need a people noun to mean people ("Indonesian men",
  "Chinese nationals"); the same-for-plural ones ("Vietnamese", "Chinese") also count when
  a number precedes them ("26 Vietnamese").
* ``people`` — forms that on their own denote nationals ("Indonesians", "WNI", "中国公民").

A leading ``=`` marks a case-sensitive form (abbreviations such as ``WNI``, ``PH``, ``OFW``).
People forms for Chinese, Korean and Thai are also derived from the names
(中国 → 中国人/中国公民/中国籍, 한국 → 한국인/한국 국민, ไทย → คนไทย/ชาวไทย).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    """One country and the surface forms that refer to it or to its nationals."""

    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    people: tuple[str, ...]


def _split(forms: str) -> tuple[str, ...]:
    return tuple(f.strip() for f in forms.split("|") if f.strip())


def _c(name: str, names: str = "", adjectives: str = "", people: str = "") -> Country:
    return Country(name, (name, *_split(names)), _split(adjectives), _split(people))


# fmt: off
COUNTRIES: tuple[Country, ...] = (
    # --- East and Southeast Asia -------------------------------------------------------
    _c("China", "PRC|People's Republic of China|mainland China|Tiongkok|Cina|Trung Quốc|Trung Hoa|中国|中國|大陆|"
       "大陸|중국|"
       "จีน|Китай|Китая|चीन|চীন|Chine",
       "Chinese|mainland Chinese|Tionghoa|chinês|chinesa|chino",
       "chineses|chinos|Chinois|người Trung Quốc|người Hoa|陆公民|陸公民|大陆籍|大陸籍|китайцы|китайцев|"
           "китайских граждан|चीनी नागरिक|китайц|граждан Китая|граждан КНР"),
    _c("Taiwan", "Chinese Taipei|Đài Loan|台湾|臺灣|台灣|대만|ไต้หวัน|Тайвань|Taiwán|Taïwan|Тайваня|Тайване",
       "Taiwanese|taiwanês|taiwanés|taïwanais",
       "taiwaneses|Taïwanais|người Đài Loan|台胞|名國人|位國人|國人獲救|"
       "台籍|臺籍|台湾籍|тайваньцы|тайваньцев"),
    _c("Hong Kong", "=HK|=HKSAR|Hong Kong SAR|Hongkong|Hồng Kông|香港|홍콩|ฮ่องกง|Гонконг",
       "Hong Konger|Hongkonger", "Hong Kongers|Hongkongers"),
    _c("Macau", "Macao|澳门|澳門|마카오", "Macanese", "Macanese people"),
    _c("Indonesia", "=RI|Republik Indonesia|Indonésia|Indonésie|印尼|印度尼西亚|印度尼西亞|인도네시아|อินโดนีเซีย|"
       "Индонезия|"
       "इंडोनेशिया|ইন্দোনেশিয়া|انڈونیشیا",
       "Indonesian|indonésio|indonesio|indonésien",
       "Indonesians|=WNI|warga negara Indonesia|warganegara Indonesia|warga Indonesia|orang Indonesia|"
           "pekerja migran Indonesia|=TKI|indonésios|indonesios|Indonésiens|người Indonesia|индонезийцы|"
           "индонезийц|граждан Индонезии"),
    _c("Vietnam", "Viet Nam|Việt Nam|Vietnã|Vietname|越南|베트남|เวียดนาม|Вьетнам|वियतनाम|ভিয়েতনাম|ویتنام",
       "Vietnamese|vietnamita|vietnamien",
       "người Việt|người Việt Nam|công dân Việt Nam|lao động Việt Nam|vietnamitas|Vietnamiens|вьетнамцы|"
           "вьетнамц|граждан Вьетнама"),
    _c("Thailand", "Thái Lan|Tailândia|Tailandia|Thaïlande|泰国|泰國|태국|ไทย|ประเทศไทย|Таиланд|थाईलैंड|थाइलैंड|"
       "থাইল্যান্ড|تھائی لینڈ|ထိုင်း|ថៃ|ታይላንድ|தாய்லாந்து|थाइल्याण्ड|थायलंड|Таиланде|Таиланда",
       "Thai|tailandês|tailandés|thaïlandais",
       "Thais|tailandeses|người Thái|тайцы|ထိုင်းနိုင်ငံသား|ជនជាតិថៃ|граждан Таиланда|тайцев"),
    _c("Philippines", "the Philippines|=PH|Filipina|Filipinas|Pilipinas|菲律宾|菲律賓|필리핀|ฟิลิปปินส์|Филиппины|"
       "फिलीपींस|"
       "ফিলিপাইন|فلپائن",
       "Filipino|Philippine|philippin",
       "Filipinos|Pinoy|Pinoys|=OFW|=OFWs|Pilipino|mga Pilipino|kababayan|Philippins|người Philippines|"
           "филиппинцы|филиппинц|граждан Филиппин"),
    _c("Malaysia", "=M'sia|Malásia|Malasia|Malaisie|马来西亚|馬來西亞|大马|大馬|말레이시아|มาเลเซีย|Малайзия|मलेशिया|"
       "মালয়েশিয়া|"
       "ملائیشیا",
       "Malaysian|malaio|malasio|malaisien",
       "Malaysians|=M'sians|rakyat Malaysia|pemuda Malaysia|belia Malaysia|warganegara Malaysia|warga Malaysia|"
           "orang Malaysia|malaios|"
           "malasios|Malaisiens|người Malaysia|малайзийцы|малайзийц"),
    _c("Singapore", "Singapura|新加坡|싱가포르|สิงคโปร์|Сингапур", "Singaporean", "Singaporeans"),
    _c("Myanmar", "Burma|Mianmar|Myanma|Mi-an-ma|Birmania|Birmanie|缅甸|緬甸|미얀마|เมียนมา|พม่า|Мьянма|Мьянме|"
        "Мьянмы|"
       "Бирма|म्यांमार|মিয়ানমার|میانمار|မြန်မာ|មីយ៉ាន់ម៉ា|ມຽນມາ|ማይናማር|ማያንማር|ምያንማር|மியான்மர|म्यानमार|"
        "මියන්මාර|Мьянму|Мьянмада|Мьянмадағы|Myanmada",
       "Burmese|Myanmarese|birmano|birman",
       "Burmans|birmanos|Birmans|мьянманцы|မြန်မာနိုင်ငံသား"),
    _c("Cambodia", "Kamboja|Kemboja|Campuchia|Camboja|Camboya|Cambodge|柬埔寨|캄보디아|กัมพูชา|Камбоджа|Камбодже|"
       "Камбоджи|"
       "कंबोडिया|कम्बोडिया|কম্বোডিয়া|کمبوڈیا|ကမ္ဘောဒီးယား|កម្ពុជា|ກຳປູເຈຍ|ካምቦዲያ|கம்போடிய|කාම්බෝජ|" "Kambodja",
       "Cambodian|Khmer|cambojano|camboyano|cambodgien",
       "Cambodians|Cambodgiens|камбоджийцы|ជនជាតិខ្មែរ"),
    _c("Laos", "Lao PDR|Lào|老挝|老撾|寮國|寮国|라오스|ลาว|Лаос|लाओस|লাওস|لاؤس|ລາວ|ላኦስ|லாவோஸ்|Лаосе",
       "=Lao|Laotian|laosiano|laotien",
       "Laotians|Laotiens|người Lào"),
    _c("South Korea", "Korea|Republic of Korea|=ROK|=S. Korea|Korea Selatan|Hàn Quốc|Coreia do Sul|Corea del Sur|"
       "Corée du Sud|韩国|韓國|南韩|南韓|한국|대한민국|เกาหลีใต้|เกาหลี|Южная Корея|Южной Кореи",
       "South Korean|Korean|sul-coreano|surcoreano|coreano|coréen",
       "South Koreans|Koreans|우리 국민|coreanos|sul-coreanos|Coréens|người Hàn Quốc|южнокорейцы|южнокорейц|"
           "граждан Южной Кореи"),
    _c("North Korea", "DPRK|朝鲜|朝鮮|북한|เกาหลีเหนือ", "North Korean", "North Koreans"),
    _c("Japan", "Jepang|Jepun|Nhật Bản|Japão|Japón|Japon|日本|일본|ญี่ปุ่น|Япония|日本国|ஜப்பான்|जापान|জাপান|Японии|"
       "Японию",
       "Japanese|japonês|japonés|japonais",
       "japoneses|Japonais|người Nhật|日本人|японцы|邦人|日本人男性|日本人女性|日本国籍|японец|японка|"
       "японских граждан|граждан Японии"),
    _c("Mongolia", "蒙古国|몽골|Монголия", "Mongolian", "Mongolians"),
    _c("Timor-Leste", "East Timor|Timor Leste|Timor Timur", "Timorese", "Timorese nationals"),
    _c("Brunei", "Brunei Darussalam", "Bruneian", "Bruneians"),
    # --- South Asia ------------------------------------------------------------------
    _c("India", "Ấn Độ|Índia|印度|อินเดีย|Индия|भारत|ভারত|بھارت|ہندوستان|Inde|இந்தியா|ඉන්දියා|ህንድ",
       "Indian|indiano|indien",
       "Indians|indianos|Indiens|인도인|인도 국민|người Ấn Độ|भारतीय|ভারতীয়|بھارتی|индийцы|индийских граждан|"
           "இந்தியர்|தமிழக இளைஞர்|இந்திய இளைஞர்|இந்திய நாட்டவர்|भारतीय नागरिक|भारतीयों|ඉන්දියානුවන්|" "граждан Индии"
           ),
    _c("Pakistan", "Paquistão|Paquistán|巴基斯坦|파키스탄|ปากีสถาน|Пакистан|पाकिस्तान|পাকিস্তান|پاکستان",
       "Pakistani|paquistanês|paquistaní|pakistanais",
       "Pakistanis|paquistaneses|Pakistanais|پاکستانی|पाकिस्तानी|пакистанцы|پاکستانی شہری|پاکستانیوں|пакистанц"),
    _c("Bangladesh", "Bangladés|孟加拉国|孟加拉國|방글라데시|บังกลาเทศ|Бангладеш|बांग्लादेश|বাংলাদেশ|بنگلہ دیش",
       "Bangladeshi|bangladês|bangladesí",
       "Bangladeshis|Bangladais|বাংলাদেশি|বাংলাদেশী|बांग्लादेशी|بنگلہ دیشی|বাংলাদেশি নাগরিক|"
           "বাংলাদেশী নাগরিক|бангладешц"),
    _c("Nepal", "尼泊尔|尼泊爾|네팔|เนปาล|Непал|नेपाल|নেপাল|نیپال|Népal|நேபாள|नेपालको",
       "Nepali|Nepalese|nepalês|nepalí|népalais",
       "Nepalis|nepaleses|Népalais|नेपाली|নেপালি|непальцы|नेपाली नागरिक|नेपाली युवा|நேபாளிகள்|непальц|"
           "граждан Непала"),
    _c("Sri Lanka", "斯里兰卡|斯里蘭卡|스리랑카|ศรีลังกา|Шри-Ланка|श्रीलंका|শ্রীলঙ্কা|سری لنکا|இலங்கை|ශ්‍රී ලංකා|"
       "ශ්රී ලංකා|"
       "श्रीलङ्का|Шри-Ланки",
       "Sri Lankan|srilanquês|esrilanqués|sri-lankais",
       "Sri Lankans|=Lankans|Sri-Lankais|श्रीलंकाई|இலங்கையர்|ශ්‍රී ලාංකික|ශ්රී ලාංකික|श्रीलंकाई नागरिक|"
           "श्रीलङ्काली|шриланкийц"),
    _c("Bhutan", "不丹|부탄", "Bhutanese", "Bhutanese nationals"),
    _c("Maldives", "马尔代夫|몰디브", "Maldivian", "Maldivians"),
    _c("Afghanistan", "阿富汗|아프가니스탄", "Afghan", "Afghans"),
    # --- Central Asia, Europe ---------------------------------------------------------
    _c("Kazakhstan", "哈萨克斯坦|Казахстан|Қазақстан|Казахстана|Qozog'iston",
       "Kazakh|Kazakhstani",
       "Kazakhs|Kazakhstanis|казахстанцы|казахстанц|граждан Казахстана|граждане Казахстана|қазақстандық|"
           "Қазақстан азамат"),
    _c("Kyrgyzstan", "Kyrgyz Republic|吉尔吉斯斯坦|Кыргызстан|Киргизия|Кыргызстандын|Кыргызстана|Киргизии|"
        "Qirg'iziston",
       "Kyrgyz|Kyrgyzstani",
       "Kyrgyzstanis|кыргызстанцы|кыргызстанц|киргизстанц|граждан Кыргызстана|граждане Кыргызстана|"
           "граждан Киргизии|кыргызстандык|Кыргызстандын жаран|кыргыз жаран"),
    _c("Uzbekistan", "乌兹别克斯坦|Узбекистан|O'zbekiston|Oʻzbekiston|Узбекистана",
       "Uzbek|Uzbekistani",
       "Uzbeks|узбекистанцы|узбекистанц|граждан Узбекистана|граждане Узбекистана|o'zbekistonliklar|"
           "o'zbekistonlik|oʻzbekistonliklar|oʻzbekistonlik|O'zbekiston fuqarolari|Oʻzbekiston fuqarolari|"
           "O'zbekiston fuqarosi"),
    _c("Tajikistan", "塔吉克斯坦|Таджикистан",
       "Tajik|Tajikistani",
       "Tajiks|таджикистанцы|таджикистанц|граждан Таджикистана"),
    _c("Russia", "Russian Federation|Rússia|Rusia|Russie|俄罗斯|俄羅斯|러시아|รัสเซีย|Россия|России|रूस|Ресей|Rossiya",
       "Russian|russo|ruso|russe",
       "Russians|россиян|граждан России|российских граждан|russos|rusos|Russes|người Nga|россиянк|"
           "граждане России|гражданин России|гражданка России|Rossiya fuqarolari"),
    _c("Ukraine", "Ucrânia|Ucrania|乌克兰|우크라이나|Украина|Украины",
       "Ukrainian",
       "Ukrainians|украинцы|украинц|граждан Украины"),
    _c("Belarus", "Белоруссия|Беларусь|Беларуси|Белоруссии",
       "Belarusian",
       "Belarusians|белорусы|белорус|белоруск|граждан Беларуси|граждане Беларуси|гражданка Беларуси|"
           "гражданин Беларуси"),
    _c("Georgia", "Грузия", "Georgian", "Georgians"),
    _c("Turkey", "Türkiye|土耳其|튀르키예", "Turkish", "Turks|Turkish nationals"),
    _c("United Kingdom", "UK|Britain|Great Britain|英国|영국", "British",
       "Britons|Brits"),
    _c("Germany", "Alemanha|Alemania|Allemagne|德国|독일", "German", "Germans"),
    _c("France", "Pháp|法国|프랑스", "French", "Frenchmen|Français"),
    _c("Italy", "Itália|Italia|意大利|이탈리아", "Italian", "Italians"),
    _c("Spain", "Espanha|España|Espagne|西班牙|스페인", "Spanish", "Spaniards|espanhóis|españoles"),
    _c("Portugal", "葡萄牙|포르투갈", "Portuguese|português|portugués", "portugueses"),
    _c("Czech Republic", "Czechia", "Czech", "Czechs"),
    _c("Poland", "Polska", "Polish", "=Poles"),
    # --- Africa, Middle East ------------------------------------------------------------
    _c("Kenya", "Quênia|Quénia|Kenia|肯尼亚|肯亞|케냐|เคนยา|Кения",
       "Kenyan|queniano|keniano|kényan",
       "Kenyans|quenianos|kenianos|Kényans|Wakenya|raia wa Kenya|vijana wa Kenya|кенийц"),
    _c("Uganda", "Ouganda|乌干达|烏干達|우간다|ยูกันดา|Уганда",
       "Ugandan|ugandês|ugandés|ougandais",
       "Ugandans|ugandeses|Ougandais|Waganda|raia wa Uganda|угандийц"),
    _c("Tanzania", "Tanzânia|坦桑尼亚|탄자니아",
       "Tanzanian",
       "Tanzanians|Watanzania|raia wa Tanzania"),
    _c("Rwanda", "Ruanda|卢旺达|르완다", "Rwandan|Rwandese|ruandês", "Rwandans|ruandeses"),
    _c("Burundi", "布隆迪", "Burundian", "Burundians"),
    _c("Ethiopia", "Etiópia|Etiopía|Éthiopie|埃塞俄比亚|에티오피아|เอธิโอเปีย|Эфиопия|ኢትዮጵያ|Etiopia|Uhabeshi",
       "Ethiopian|etíope|éthiopien",
       "Ethiopians|etíopes|Éthiopiens|ኢትዮጵያውያን|ኢትዮጵያዊ|ኢትዮጵያዊያን|Waethiopia|raia wa Ethiopia|"
           "warga Etiopia|warga negara Etiopia|эфиопы|эфиопов"),
    _c("Eritrea", "厄立特里亚", "Eritrean", "Eritreans"),
    _c("Somalia", "索马里", "Somali", "Somalis"),
    _c("Sudan", "Soudan", "Sudanese", "Sudanese nationals"),
    _c("Egypt", "Egito|Egipto|埃及|이집트", "Egyptian", "Egyptians"),
    _c("Morocco", "Marrocos|Marruecos|Maroc|摩洛哥|모로코", "Moroccan|marocain", "Moroccans|Marocains"),
    _c("Tunisia", "Tunísia|Tunisie|突尼斯", "Tunisian|tunisien", "Tunisians|Tunisiens"),
    _c("Algeria", "Argélia|Algérie|阿尔及利亚", "Algerian|algérien", "Algerians|Algériens"),
    _c("Nigeria", "Nigéria|尼日利亚|나이지리아|ไนจีเรีย|Нигерия",
       "Nigerian|nigeriano|nigérian",
       "Nigerians|nigerianos|Nigérians|Wanaijeria|raia wa Nigeria|нигерийц"),
    _c("Ghana", "Gana|加纳", "Ghanaian|ganês", "Ghanaians|ganeses"),
    _c("Cameroon", "Camarões|Camerún|Cameroun|喀麦隆|카메룬", "Cameroonian|camerounais",
       "Cameroonians|Camerounais"),
    _c("Sierra Leone", "Serra Leoa|塞拉利昂", "Sierra Leonean", "Sierra Leoneans"),
    _c("Liberia", "Libéria|利比里亚", "Liberian", "Liberians"),
    _c("Senegal", "Sénégal|塞内加尔", "Senegalese|sénégalais", "Sénégalais"),
    _c("Ivory Coast", "Côte d'Ivoire|Costa do Marfim|科特迪瓦", "Ivorian|ivoirien", "Ivorians|Ivoiriens"),
    _c("Zimbabwe", "津巴布韦|짐바브웨", "Zimbabwean", "Zimbabweans"),
    _c("Zambia", "Zâmbia|赞比亚", "Zambian", "Zambians"),
    _c("Malawi", "Malaui|马拉维", "Malawian", "Malawians"),
    _c("Mozambique", "Moçambique|莫桑比克", "Mozambican|moçambicano",
       "Mozambicans|moçambicanos"),
    _c("Angola", "安哥拉", "Angolan|angolano", "Angolans|angolanos"),
    _c("Namibia", "Namíbia|纳米比亚", "Namibian", "Namibians"),
    _c("South Africa", "África do Sul|Sudáfrica|Afrique du Sud|南非|남아프리카공화국|남아공|แอฟริกาใต้",
       "South African|sul-africano|sudafricano|sud-africain", "South Africans|sul-africanos"),
    _c("DR Congo", "Democratic Republic of the Congo|Congo|刚果", "Congolese", "Congolese nationals"),
    _c("Madagascar", "马达加斯加", "Malagasy", "Malagasy nationals"),
    _c("Mauritius", "毛里求斯", "Mauritian", "Mauritians"),
    _c("Iran", "伊朗", "Iranian", "Iranians"),
    _c("Iraq", "伊拉克|이라크", "Iraqi", "Iraqis"),
    _c("Jordan", "约旦", "Jordanian", "Jordanians"),
    _c("Lebanon", "黎巴嫩", "Lebanese", "Lebanese nationals"),
    _c("Syria", "叙利亚", "Syrian", "Syrians"),
    _c("Saudi Arabia", "沙特阿拉伯|사우디아라비아", "Saudi", "Saudis"),
    _c("United Arab Emirates", "=UAE|Emirates|阿联酋|阿聯酋|아랍에미리트|สหรัฐอาหรับเอมิเรตส์|ОАЭ",
       "Emirati", "Emiratis"),
    _c("Qatar", "卡塔尔", "Qatari", "Qataris"),
    _c("Israel", "以色列|이스라엘", "Israeli", "Israelis"),
    # --- Americas, Oceania --------------------------------------------------------------
    _c("United States", "=US|=U.S.|=USA|United States of America|Estados Unidos|"
       "États-Unis|Hoa Kỳ|Mỹ|美国|美國|미국|สหรัฐอเมริกา|США",
       "American|norte-americano|estadounidense|américain", "Americans|Américains"),
    _c("Canada", "Canadá|加拿大|캐나다", "Canadian|canadense|canadiense", "Canadians"),
    _c("Mexico", "México|Mexique|墨西哥", "Mexican|mexicano", "Mexicans|mexicanos"),
    _c("Brazil", "Brasil|Brésil|巴西|브라질|บราซิล|Бразилия|Бразилии",
       "Brazilian|brasileiro|brasileira|brasileño|brésilien",
       "Brazilians|brasileiros|brasileiras|brasileños|Brésiliens|бразильцы|бразильц|граждан Бразилии"),
    _c("Colombia", "Colômbia|Colombie|哥伦比亚|콜롬비아", "Colombian|colombiano|colombien",
       "Colombians|colombianos|colombianas|Colombiens"),
    _c("Argentina", "阿根廷", "Argentine|Argentinian|argentino", "Argentines|Argentinians|argentinos"),
    _c("Peru", "Perú|Pérou|秘鲁", "Peruvian|peruano|péruvien", "Peruvians|peruanos"),
    _c("Chile", "Chili|智利", "Chilean|chileno", "Chileans|chilenos"),
    _c("Ecuador", "Equador|Équateur|厄瓜多尔", "Ecuadorian|equatoriano|ecuatoriano",
       "Ecuadorians|equatorianos|ecuatorianos"),
    _c("Venezuela", "委内瑞拉", "Venezuelan|venezuelano|venezolano", "Venezuelans|venezuelanos|venezolanos"),
    _c("Bolivia", "Bolívia|玻利维亚", "Bolivian|boliviano", "Bolivians|bolivianos"),
    _c("Paraguay", "Paraguai|巴拉圭", "Paraguayan|paraguaio|paraguayo", "Paraguayans|paraguaios|paraguayos"),
    _c("Uruguay", "Uruguai|乌拉圭", "Uruguayan|uruguaio|uruguayo", "Uruguayans|uruguaios|uruguayos"),
    _c("Cuba", "古巴", "Cuban|cubano", "Cubans|cubanos"),
    _c("Australia", "Austrália|Australie|澳大利亚|澳洲|호주", "Australian|australiano", "Australians|Aussies"),
    _c("New Zealand", "新西兰|뉴질랜드", "New Zealander", "New Zealanders"),
    _c("Fiji", "斐济", "Fijian", "Fijians"),
    _c("Papua New Guinea", "巴布亚新几内亚", "Papua New Guinean", "Papua New Guineans"),
)
# fmt: on

_HAN_PEOPLE = ("人", "公民", "籍", "籍人员", "籍人員", "民众", "民眾", "劳工", "勞工", "青年", "男子",
               "女子", "受害者", "被害人", "同胞", "员工", "員工", "工人", "游客", "遊客", "人士")
_HANGUL_PEOPLE = ("인", "인들", "국민", " 국민", "청년", " 청년", "청년들", " 청년들", "노동자", " 노동자",
                  "근로자", " 근로자", "대학생", " 대학생", "여성", " 여성", "남성", " 남성")
_THAI_PEOPLE = ("คน", "ชาว", "แรงงาน", "พลเมือง", "ผู้เสียหายชาว")


def _script(form: str) -> str:
    for ch in form:
        o = ord(ch)
        if 0x4E00 <= o <= 0x9FFF:
            return "han"
        if 0xAC00 <= o <= 0xD7AF:
            return "hangul"
        if 0x0E00 <= o <= 0x0E7F:
            return "thai"
    return "other"


def derived_people(names: tuple[str, ...]) -> tuple[str, ...]:
    """People forms built from Chinese, Korean and Thai country names."""
    out: list[str] = []
    for name in names:
        script = _script(name)
        if script == "han":
            out += [name + s for s in _HAN_PEOPLE]
        elif script == "hangul":
            out += [name + s for s in _HANGUL_PEOPLE]
        elif script == "thai" and name != "ประเทศไทย":
            out += [p + name for p in _THAI_PEOPLE]
    return tuple(out)


def country_forms() -> Iterator[tuple[str, str, str]]:
    """Yield ``(form, country name, kind)`` for every form; kind is name, adj or people."""
    for country in COUNTRIES:
        for form in country.names:
            yield form, country.name, "name"
        for form in country.adjectives:
            yield form, country.name, "adj"
        for form in (*country.people, *derived_people(country.names)):
            yield form, country.name, "people"


COUNTRY_NAMES: frozenset[str] = frozenset(c.name for c in COUNTRIES)
