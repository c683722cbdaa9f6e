"""How merging scales: resolve 10,000 and 100,000 generated mentions, print time per mention.

Run: .venv/bin/python benchmarks/merge_bench.py [N ...]   (default: 10000 100000)

Mentions are generated from synthetic happenings (random types, parties, dates over ten years,
figures, sectors, persons with transliterated spelling variants); each happening is reported
by a handful of articles with noise: dates dropped (publication date only), month precision,
figures off by a few percent, background recalls months later. Also printed: B-cubed F1 of the
ledger against the generating happenings, so a speed-up that breaks merging shows.
"""

from __future__ import annotations

import random
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from releasewatch.model import Count, EventMention
from releasewatch.resolve import MentionRef, resolve
from releasewatch.resolve.evaluate import bcubed

TYPES = ("release", "exchange", "detention", "talks", "sanctions_imposed", "sanctions_eased")
PARTIES = [
    "BLR",
    "RUS",
    "UKR",
    "USA",
    "LTU",
    "POL",
    "VEN",
    "SLV",
    "IRN",
    "QAT",
    "DEU",
    "GEO",
    "FRA",
    "GBR",
    "CHN",
    "TUR",
    "ARM",
    "AZE",
    "KAZ",
    "SYR",
    "ISR",
    "EGY",
    "SAU",
    "ARE",
    "NOR",
    "SVN",
    "AFG",
    "PRK",
    "KOR",
    "JPN",
    "IND",
    "PAK",
    "EU",
    "UN",
]
SECTORS = ("potash", "oil", "banking", "aviation", "steel", "gas", "timber", "tech")
SYLLABLES = [
    "ka",
    "le",
    "sni",
    "ko",
    "va",
    "bia",
    "lia",
    "tski",
    "ba",
    "ry",
    "ma",
    "ri",
    "sia",
    "hei",
    "tsi",
    "kha",
    "nou",
    "ski",
    "vik",
    "tor",
    "pa",
    "sha",
]
START = date(2015, 1, 1)


def _variant(name: str, rng: random.Random) -> str:
    """A transliteration variant of a name, as another outlet might spell it."""
    swaps = [("a", "o"), ("ia", "e"), ("ts", "t"), ("y", "i"), ("ou", "ov"), ("h", "g")]
    old, new = rng.choice(swaps)
    return name.replace(old, new, 1)


def _names(n: int, rng: random.Random) -> list[str]:
    """Synthetic person names: given name + surname from syllables."""
    out = []
    for _ in range(n):
        given = "".join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))).capitalize()
        out.append(f"{given} {surname}")
    return out


def generate(n: int, seed: int = 7) -> tuple[list[MentionRef], dict[tuple[str, int], int]]:
    """n mentions and the happening each one reports."""
    rng = random.Random(seed)
    people = _names(max(200, n // 20), rng)
    raw = []
    happening = 0
    while len(raw) < n:
        kind = rng.choice(TYPES)
        by = tuple(rng.sample(PARTIES, 2 if kind in ("exchange", "talks") else 1))
        to = (rng.choice(PARTIES),) if kind.startswith("sanctions") else ()
        day = START + timedelta(days=rng.randrange(3650))
        count = None
        if kind in ("release", "exchange", "detention"):
            count = int(10 ** rng.uniform(0, 3.3))
        sector = rng.choice(SECTORS) if kind.startswith("sanctions") else None
        persons = tuple(rng.sample(people, rng.randint(1, 3))) if rng.random() < 0.3 else ()
        for _ in range(max(1, int(rng.expovariate(1 / 6)))):
            published = day + timedelta(days=rng.randint(0, 2))
            when: str | None = day.isoformat()
            background = False
            roll = rng.random()
            if roll < 0.25:
                when = None
            elif roll < 0.35:
                when = day.isoformat()[:7]
            elif roll < 0.42:
                published = day + timedelta(days=rng.randint(40, 200))
                when, background = day.isoformat()[:7], True
            stated = count
            if count and rng.random() < 0.05:
                stated = max(1, round(count * rng.uniform(0.92, 1.08)))
            mention = EventMention(
                type=kind,
                status="occurred",
                evidence="generated",
                start=-1,
                end=-1,
                by=by,
                to=to,
                count=Count(stated) if stated else None,
                persons=tuple(_variant(p, rng) if rng.random() < 0.4 else p for p in persons),
                sector=sector,
                date=when,
                background=background,
            )
            raw.append((mention, published.isoformat(), happening))
        happening += 1
    raw = raw[:n]
    rng.shuffle(raw)
    refs, truth = [], {}
    article = 0
    i = 0
    while i < len(raw):  # articles of one to three mentions of different happenings
        size = rng.randint(1, 3)
        for index, (mention, published, label) in enumerate(raw[i : i + size]):
            ref = MentionRef(f"art{article:07d}", index, published, "Gen", None, mention)
            refs.append(ref)
            truth[ref.key] = label
        i += size
        article += 1
    return refs, truth


def main(sizes: list[int]) -> None:
    """Time the resolver on each size and print the cost per mention."""
    for n in sizes:
        refs, truth = generate(n)
        started = time.perf_counter()
        ledger = resolve(refs)
        elapsed = time.perf_counter() - started
        pred = dict(ledger.assignments)
        per_event: dict[str, int] = defaultdict(int)
        for key in pred:
            per_event[pred[key]] += 1
        print(
            f"{n:>7} mentions: {elapsed:7.2f} s, {1e6 * elapsed / n:6.1f} us/mention, "
            f"{len(ledger.events)} events (true {len(set(truth.values()))}), "
            f"{len(ledger.persons)} persons, B-cubed F1 {bcubed(pred, truth):.3f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000])
