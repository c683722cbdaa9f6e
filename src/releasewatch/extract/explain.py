"""Why each row is there: the candidate sentences of an article, their frames and their fate.

`explain(article)` reads an article the way `extract` does and keeps every decision: whether
the article was read at all, each candidate sentence, the trigger and the frame read from its
parse (agent, patient, destination, place, target, partners), the status and its cause, the
parties resolved, and whether the frame was kept, with the rule that dropped it if not. The
events are those `extract` returns. `lines()` renders it as plain text for the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Article, EventMention
from .events import Candidate, read_article
from .lexicon import frame_lexicon


@dataclass(frozen=True)
class FrameView:
    """One candidate frame as a user reads it."""

    trigger: str  # the trigger words as printed
    entry: str  # the lexicon entry that matched
    type: str
    form: str
    voice: str
    roles: dict[str, str]
    status: str
    status_cause: str
    attribution: str | None
    patient: str | None
    parties: tuple[str, ...]
    kept: bool
    reason: str | None
    reason_text: str | None
    by: tuple[str, ...] = ()
    to: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentenceView:
    """A candidate sentence and its frames."""

    index: int
    text: str
    frames: tuple[FrameView, ...]
    note: str | None = None


@dataclass(frozen=True)
class Explanation:
    """Everything `explain` shows for one article."""

    article_id: str
    title: str | None
    read: bool
    scope: str
    sentences: tuple[SentenceView, ...] = ()
    events: tuple[EventMention, ...] = field(default_factory=tuple)


def _view(c: Candidate) -> FrameView | None:
    f = c.frame
    if f is None:
        return None
    text = c.sentence.text
    reasons = frame_lexicon().vetoes
    return FrameView(
        trigger=text[f.start : f.end],
        entry=f.trigger.name,
        type=f.type,
        form=f.form,
        voice=f.voice,
        roles=f.describe(text),
        status=f.status.status,
        status_cause=f.status.cause + ("" if f.strong else "; weak: adds detail only"),
        attribution=f.status.attribution,
        patient=f.patient_class,
        parties=tuple(p.describe() for p in c.parties),
        kept=c.kept,
        reason=c.reason,
        reason_text=reasons.get(c.reason or ""),
        by=tuple(c.draft.by) if c.draft else (),
        to=tuple(c.draft.to) if c.draft else (),
    )


def explain(article: Article) -> Explanation:
    """Read an article as `extract` does, keeping every candidate and decision."""
    from .merge import finalize, merge_drafts

    reader, scope = read_article(article)
    if reader is None:
        return Explanation(article.id, article.title, False, scope)
    by_sentence: dict[int, list[Candidate]] = {}
    for c in reader.candidates:
        by_sentence.setdefault(c.sentence.index, []).append(c)
    sentences = []
    for index, cands in sorted(by_sentence.items()):
        views = tuple(v for v in (_view(c) for c in cands) if v is not None)
        note = next((c.reason for c in cands if c.frame is None), None)
        sentences.append(SentenceView(index, cands[0].sentence.text, views, note))
    events = finalize(merge_drafts(reader.drafts), reader.context()) if reader.drafts else ()
    return Explanation(article.id, article.title, True, scope, tuple(sentences), events)


def lines(ex: Explanation) -> list[str]:
    """The explanation as plain text lines."""
    out = [f"article {ex.article_id}: {ex.title or '(no title)'}"]
    if not ex.read:
        return [*out, f"  not read: {ex.scope}"]
    for s in ex.sentences:
        out.append("")
        out.append(f"[{s.index}] {s.text}")
        if s.note:
            out.append(f"    skipped: {s.note} ({frame_lexicon().vetoes.get(s.note, '')})")
        if not s.frames and not s.note:
            out.append("    no trigger frame in the parse")
        for f in s.frames:
            out.append(f"  trigger {f.trigger!r} ({f.entry}): {f.type}, {f.form}, {f.voice}")
            for role, phrase in f.roles.items():
                out.append(f"    {role:<12} {phrase}")
            out.append(f"    {'status':<12} {f.status} ({f.status_cause})")
            if f.attribution:
                out.append(f"    {'attribution':<12} {f.attribution}")
            if f.patient:
                out.append(f"    {'patient is':<12} {f.patient}")
            if f.parties:
                out.append(f"    {'parties':<12} {', '.join(f.parties)}")
            if f.kept:
                out.append(f"    -> kept: by {list(f.by)} to {list(f.to)}")
            else:
                why = f": {f.reason_text}" if f.reason_text else ""
                out.append(f"    -> dropped: {f.reason}{why}")
    out.append("")
    out.append(f"events ({len(ex.events)}):")
    for e in ex.events:
        count = f" count {e.count.qualifier} {e.count.value}" if e.count else ""
        out.append(
            f"  {e.type} ({e.status}) by {list(e.by)} to {list(e.to)}{count}"
            f" persons {list(e.persons)} date {e.date} political {e.political}"
        )
        out.append(f"    evidence: {e.evidence}")
    return out
