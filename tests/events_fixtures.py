"""Reports of invented events for the event-grouping and replay tests (our own words)."""

from __future__ import annotations

from typing import Any

FACTS = {"held": True, "relevant": True, "score": 0.95, "nationalities": ["Indonesia"], "locations": ["Cambodia"]}

WIRE = (
    "Cambodian police on Monday found 27 Indonesian workers locked inside a casino compound in Bavet, "
    "a border town facing Vietnam. The group told officers they had been promised office jobs in "
    "Phnom Penh by an agent in Medan but were driven to the compound and forced to run online fraud. "
    "Officers said guards had confiscated the workers' passports and phones. The Indonesian embassy in "
    "Phnom Penh said its staff had met the group and were preparing their documents for the trip home. "
    "Jakarta has warned citizens repeatedly against unlicensed recruiters offering work abroad."
)
REWRITE = (
    "Twenty-seven Indonesians were discovered by Cambodian officers at a gambling complex in Bavet, "
    "according to the embassy in Phnom Penh. The 27 had travelled from Medan after a recruiter offered "
    "them well-paid administrative work, only to be made to carry out internet scams under guard. Their "
    "passports had been taken away, officials said, and diplomats are now arranging travel papers. "
    "Indonesia's foreign ministry urged job seekers to avoid agents without a licence."
)
FOREIGN = (
    "Polisi Kamboja menemukan 27 pekerja asal Indonesia yang dikurung di sebuah kompleks kasino di Bavet "
    "pada hari Senin. Mereka dijanjikan pekerjaan kantor di Phnom Penh oleh seorang agen dari Medan, "
    "tetapi dipaksa menjalankan penipuan daring. Paspor dan telepon mereka disita oleh penjaga. KBRI "
    "Phnom Penh menyatakan telah menemui para pekerja dan sedang menyiapkan dokumen kepulangan mereka."
)
UPDATED = (
    "Cambodian police on Monday found 41 Indonesian workers locked inside a casino compound in Bavet, "
    "a border town facing Vietnam, raising an earlier count of 27 after a second building was searched. "
    "The group told officers they had been promised office jobs in Phnom Penh by an agent in Medan but "
    "were driven to the compound and forced to run online fraud. Officers said guards had confiscated "
    "the workers' passports and phones. The Indonesian embassy in Phnom Penh said its staff had met the "
    "group and were preparing their documents for the trip home."
)
SECOND_GROUP = (
    "Fifteen Indonesian men escaped from an apartment block in Bavet on Saturday and walked to a police "
    "post near the market, local officials said. The men said they had been recruited in Surabaya through "
    "a social media advert for hotel jobs and held for two months by a gang that made them send "
    "investment scam messages. Provincial police said they would hand the group to the embassy."
)
LATER_INCIDENT = (
    "Nine Indonesian women were freed from a shuttered hotel in Bavet after one of them sent a message to "
    "her brother in Makassar, who alerted a migrant workers' charity. The women had been kept for six "
    "weeks and made to run dating frauds. Cambodian officers raided the hotel at dawn on Thursday."
)

DAY0 = "2026-03-02T06:00:00+00:00"


def report(key: str, title: str, text: str, published: str = DAY0, **extra: Any) -> dict[str, Any]:
    """A classified report of nationals of Indonesia held in Cambodia (override facts with ``extra``)."""
    return {"id": key, "title": title, "text": text, "source": f"outlet-{key}", "published": published,
            "canonical_url": f"https://{key}.example.org/news", "url": f"https://{key}.example.org/news",
            "lang": "en", **FACTS, **extra}


def first_event() -> list[dict[str, Any]]:
    """The wire report, another outlet's rewrite and a report in Indonesian, within a day."""
    return [
        report("wire", "27 Indonesians found held in Bavet casino compound", WIRE, count=27, status="held"),
        report("rewrite", "Embassy: Indonesians forced into scams at Cambodian gambling complex", REWRITE,
               published="2026-03-02T09:30:00+00:00", count=27, status="held"),
        report("foreign", "27 WNI disekap di kompleks kasino Bavet, Kamboja", FOREIGN, lang="id",
               published="2026-03-02T12:00:00+00:00", count=27, status="held"),
    ]


def updated_copy() -> dict[str, Any]:
    return report("updated", "41 Indonesians found held in Bavet casino compound", UPDATED,
                  published="2026-03-03T08:00:00+00:00", count=41, status="held")


def second_group() -> dict[str, Any]:
    """Another group from the same town three weeks later."""
    return report("second", "15 Indonesians escape Bavet scam gang", SECOND_GROUP,
                  published="2026-03-23T10:00:00+00:00", count=15, status="rescued")


def later_incident() -> dict[str, Any]:
    """A group in the same town after more than 30 quiet days."""
    return report("later", "Nine Indonesian women freed from Bavet hotel", LATER_INCIDENT,
                  published="2026-05-04T10:00:00+00:00", count=9, status="rescued")
