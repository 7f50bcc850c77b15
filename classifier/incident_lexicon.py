"""Word lists behind incident extraction, in the languages scamwatch reads.

A trailing ``*`` in a cue means "any word starting with this"; forms in scripts without
spaces (Chinese, Thai, Korean, …) are matched as substrings.
"""

from __future__ import annotations

from .incident_text import cue_regex

# Nouns for people: "<N> <demonym> workers", "Kenyan youths", "Hong Kong nationals".
PEOPLE_NOUNS: frozenset[str] = frozenset("""
nationals national citizens citizen workers worker victims victim men man women woman youths youth
youngsters people persons person individuals migrants migrant laborers labourers labourer laborer
employees staff returnees captives captive hostages hostage students student jobseekers seekers
survivors evacuees detainees deportees escapees residents compatriots teenagers teens boys girls
children minors graduates applicants recruits foreigners expats expatriates passengers nurses
engineers women's others ones nationals' families daughters sons brothers sisters couple wives
husbands fishermen trafficking-victims returnee evacuee escapee detainee deportee
trabajadores trabajadoras víctimas ciudadanos ciudadanas personas jóvenes nacionales connacionales
compatriotas trabalhadores vítimas cidadãos cidadão pessoas jovens nacionais homens mulheres
ressortissants ressortissant travailleurs victimes citoyens personnes jeunes étrangers escrocs
warga pekerja korban mangsa orang rakyat buruh pemuda individu jiwa remaja mahasiswa
manggagawa biktima mamamayan kababayan
""".split())
# Nouns that make a country name (not a demonym) denote its nationals: "Kenya nationals".
STRONG_NOUNS: frozenset[str] = frozenset("""
nationals national citizens citizen residents resident natives woman women man men youths
passport-holders workers victims
""".split())
# Nouns placed before the nationality in Malay/Indonesian, Vietnamese, Romance languages.
PRE_NOUNS: frozenset[str] = frozenset("""
warga warganegara negara rakyat pekerja korban mangsa orang buruh pemuda wni individu
công dân người lao động nạn nhân thanh niên
cidadãos cidadão trabalhadores jovens vítimas ciudadanos trabajadores jóvenes víctimas personas
ressortissants ressortissant travailleurs victimes citoyens personnes jeunes mamamayan manggagawa
biktima
""".split())
# Nouns that turn a demonym into an institution or a perpetrator: "Thai police", "Chinese gangs".
INSTITUTION_NOUNS: frozenset[str] = frozenset("""
embassy embassies government govt governments authorities authority officials official police
ministry minister ministers military army soldiers troops forces force officers officer
ambassador envoy consulate consul counterparts counterpart gang gangs gangsters boss bosses
syndicate syndicates company companies firm firms operators operator mafia triad triads owners
owner investors investor businessman businessmen tycoon kingpin kingpins mastermind masterminds
suspects suspect criminals criminal crime border side territory province provinces media state
language speakers speaking restaurant president premier court delegation team task airline air
navy investigators agencies agency immigration patrol junta leader leaders prime foreign
counterparts' bureau department office general commander spokesman spokesperson ministry's
parliament lawmakers senator senators mp mps diplomat diplomats mission missions partners
counterparts side's networks network ring rings groups group organisations organizations
nationalities regime economy market law laws officials' consular capital cities city
kedutaan kbri pemerintah kemlu polisi otoritas kerajaan kementerian duta
""".split())
# Words that make an '-ese' demonym used alone denote people: "60 Vietnamese escape".
VICTIM_VERBS: frozenset[str] = frozenset("""
escape escaped escapes escaping flee fled flees fleeing rescued freed released return returned
returning returns repatriated arrive arrived arriving drown drowned trapped held stranded were
are was who have had remain remained
""".split())

VICTIM_CUES = cue_regex("""
rescu* free freed frees freeing releas* repatriat* return* arriv* escap* fled flee* trapped held
hold holding hostage* captiv* detain* strand* traffick* lured lure* duped tricked deceiv* forced
abduct* kidnap* victim* evacuat* airlift* sold confin* tortur* abuse* stuck deport* enslav*
brought bring* flown flew survivor* plea appeal* missing crossed coerc*
dipulangkan pulang diselamatkan selamatkan menyelamatkan dibebaskan disekap terjebak korban
disiksa kabur melarikan dievakuasi dideportasi ditahan terjerat mangsa diperdaya ditipu tiba
terkandas terperangkap tipu evakuasi penyekapan
giải cứu trao trả về nước hồi hương bị lừa bị giam bỏ trốn trốn thoát tiếp nhận bị bán mắc kẹt
nạn nhân tạm giữ
nasagip naligtas napauwi umuwi biktima nakulong ikinulong iniligtas
resgat* libert* repatri* presos detidos traficad* vítimas mantidos fug* rescat* liberad*
retenid* atrapad* secuestrad* víctimas secour* libér* rapatri* fui fuient détenus séquestr*
piégés victimes
解救 获救 獲救 遣返 回国 回國 被骗 被騙 拘禁 囚禁 被困 受害 逃离 逃離 逃出 救出 救回 待援 返台 被拐 扣押
遣送 押送 受骗 受騙 脱困 获释 獲釋 释放 釋放
ช่วยเหลือ ถูกหลอก ติดอยู่ กักขัง ส่งกลับ กลับประเทศ หลบหนี เหยื่อ ค้ามนุษย์ สูญหาย
감금 구출 송환 귀국 귀환 풀려 구조 탈출 피해 납치 억류 구금 추방
लौटे स्वदेश बचाया फंसे बंधक मुक्त वापस भागकर
ফিরলেন ফিরেছেন মুক্ত বন্দি উদ্ধার পাচার
بازیاب ریسکیو واپس پھنس قید یرغمال
освобожд спас вернул удержива заложник жертв
""".split())

# Sentences that talk about the organisers rather than the victims.
PERPETRATOR_CUES = cue_regex("""
arrest* charged charges suspect* accused mastermind* boss bosses ringleader* kingpin* operated
run owned guards sanction* indicted convicted sentenced prosecut* extradit* recruiter* gang gangs
ditangkap tersangka 逮捕 抓获 抓獲 嫌疑人 主犯 체포 검거 피의자 จับกุม ผู้ต้องหา
""".split())

# What a scam compound is called; marks a sentence as about where compounds are.
COMPOUND_CUES = cue_regex("""
scam* compound* hub hubs camp camps centre centres center centers farm farms park fraud*
casino* syndicate* cybercrime* cyber-scam* call-centre* POGO* den dens zone SEZ
operations ring rings company companies network networks
sindikat penipuan perusahaan judi online kem 园区 園區 诈骗 詐騙 电诈 電詐 网诈 網詐 赌场 賭場
사기 스캠 보이스피싱 범죄단지 범죄조직 สแกมเมอร์ คอลเซ็นเตอร์ แก๊ง lừa đảo sòng bạc
golpe* burla* estafa* escroquer* arnaque*
""".split())

# Passing through a country is not being held there: "flown home from Thailand".
TRANSIT_CUES = cue_regex("""
via through crossed cross crossing into fled border handed flown flew airport airlifted
transit transferred entered entering bridge river immigration embassy consulate
""".split())
