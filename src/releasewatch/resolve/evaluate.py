"""Scoring a grouping against a reference one (B-cubed), for tests, benchmarks and tuning."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> float:
    """B-cubed F1 of predicted cluster labels against gold labels, over the gold items."""
    if not gold:
        return 1.0
    pairs = Counter((predicted.get(k, ("alone", k)), gold[k]) for k in gold)
    psize = Counter(predicted.get(k, ("alone", k)) for k in gold)
    gsize = Counter(gold.values())
    p = sum(c * c / psize[pc] for (pc, _), c in pairs.items()) / len(gold)
    r = sum(c * c / gsize[gc] for (_, gc), c in pairs.items()) / len(gold)
    return 2 * p * r / (p + r)
