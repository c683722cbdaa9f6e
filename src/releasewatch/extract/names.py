"""People in sentences: spaCy's entity recogniser where needed, and names it misses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from .. import lexicon
from ..parties import find_parties


@dataclass(frozen=True)
class PersonSpan:
    """A person named in a sentence."""

    start: int
    end: int
    text: str


def persons_in_doc(doc: Any) -> list[PersonSpan]:
    """PERSON entities of a parsed sentence, with names after role words that NER missed."""
    spans = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            text = ent.text.strip(" '’\"“”").removesuffix("'s").removesuffix("’s").strip()
            if " " not in text and find_parties(text):
                continue  # "the Armenian and Azerbaijani detainees": a nationality, no person
            if text and text[0].isupper():
                start = (
                    ent.start_char + ent.text.index(text) if text in ent.text else ent.start_char
                )
                spans.append(_extended(doc.text, PersonSpan(start, start + len(text), text)))
    return _with_role_names(doc.text, spans)


def _extended(text: str, ps: PersonSpan) -> PersonSpan:
    """A name NER cut short at its start ("Joseph Castañeda" of "Wilbert Joseph Castañeda")."""
    m = re.search(r"((?:\b[A-ZÀ-Þ][\w'’.-]+ ){1,2})$", text[: ps.start])
    if not m:
        return ps
    words = m.group(1).split()
    while words and (words[0].lower() in _not_name_words() or find_parties(words[0])):
        words = words[1:]
    if not words or any(w.lower() in _not_name_words() or find_parties(w) for w in words):
        return ps
    start = ps.start - len(" ".join(words)) - 1
    return PersonSpan(start, ps.end, text[start : ps.end])


@lexicon.derived
def _role_name() -> re.Pattern[str]:
    """A name after a role word ("the economist Alaksandra Žukoŭskaja"), which NER may miss."""
    roles_ = "|".join(lexicon.load("events")["words"]["person_roles"])
    cap = r"[A-ZÀ-ÞĀ-ſŽŠČĆĐŁŚŹŻ][\w'’.-]+"
    cap = r"[A-ZÀ-ÞĀ-ſŽŠČĆĐŁŚŹŻ][\w'’-]*\w"
    return re.compile(rf"\b(?:{roles_})\s+(?P<name>{cap}(?:\s+{cap}){{1,2}})")


def _with_role_names(text: str, spans: list[PersonSpan]) -> list[PersonSpan]:
    """NER's persons, plus names introduced by a role word that NER did not tag."""
    out = list(spans)
    for m in _role_name().finditer(text):
        found = [m.span("name")]
        # "reporters Elnur Gasimov and Tural Mammadli": the role covers the whole list
        while (more := _AND_NAME.match(text, found[-1][1])) and not _ROLE_AFTER.match(
            text, more.end()
        ):
            found.append(more.span("name"))
        for a, b in found:
            if not any(p.start < b and a < p.end for p in out):
                out.append(PersonSpan(a, b, text[a:b]))
            elif not any(p.start == a and p.end == b for p in out):
                # NER cut the name short ("Hrodna" for "Siarhiej Ustsinovič"): the role's wins
                out = [p for p in out if not (p.start < b and a < p.end)]
                out.append(PersonSpan(a, b, text[a:b]))
    return sorted(out, key=lambda p: p.start)


# A capitalised run followed by a role word is a modifier ("Nobel Peace Prize winner X").
_ROLE_AFTER = re.compile(r"\s+(?:winner|laureate|nominee|recipient|prize|award)\b", re.I)
_CAP = r"[A-ZÀ-ÞĀ-ſŽŠČĆĐŁŚŹŻ][\w'’-]*\w"
_AND_NAME = re.compile(rf"(?:,\s+|,?\s+and\s+)(?P<name>{_CAP}(?:\s+{_CAP}){{1,2}})")


@lexicon.derived
def _honorific() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in lexicon.load("events")["words"]["honorifics"])
    return re.compile(rf"^(?i:{words})\.?\s+(?=[A-ZÀ-ÞĀ-ſ])")


def untitled(name: str) -> str:
    """A name without the honorifics before it ("Mrs Zaghari-Ratcliffe", "Rev. Octavio Ruiz")."""
    while (shorter := _honorific().sub("", name)) != name:
        name = shorter
    return name


def name_key(name: str) -> str:
    """A name folded for comparing spellings within one text ("Abdel-Rahman" = "Abdelrahman",
    "Kocak" = "Koçak")."""
    plain = unicodedata.normalize("NFKD", name)
    return re.sub(r"[\W_]", "", "".join(c for c in plain if not unicodedata.combining(c))).lower()


def cut_short(name: str, names: list[str]) -> bool:
    """Whether a name is another of the list cut short ("Alaa Abd" beside "Alaa Abd el-Fattah")."""
    return any(other != name and other.startswith(name + " ") for other in names)


def full_name(text: str, name: str) -> str:
    """Extend a name NER cut short ("Joseph Castañeda") by capitalised words before it."""
    m = re.search(rf"((?:\b(?-i:[A-Z])[\w'’.-]+ ){{1,2}}){re.escape(name)}\b", text)
    if not m:
        return name
    words = m.group(1).split()
    while words and words[0].lower() in _not_name_words():
        words = words[1:]
    return " ".join([*words, name]) if words else name


@lexicon.derived
def _not_name_words() -> frozenset[str]:
    """Words that may stand before a name but are not part of it ("journalist", "the")."""
    return frozenset(lexicon.load("events")["words"]["not_name"])


_TITLE_AFFILIATION = re.compile(
    r"(?:[Ee]nvoy|[Rr]epresentative|[Ss]ecretary|[Mm]inister|[Aa]mbassador|[Pp]resident|"
    r"[Oo]fficial|[Ss]pokes\w+|[Dd]elegation|[Nn]egotiator|[Ll]eader|[Cc]hief|[Hh]ead)"
)


def affiliations(sentence: str, persons: list[PersonSpan], parties: list[Any]) -> dict[str, str]:
    """Surname -> party for officials introduced with their state ("US envoy John Coale")."""
    out: dict[str, str] = {}
    for ps in persons:
        if any(p.start <= ps.start < p.end for p in parties):
            continue  # a leader is a party alias already ("Putin")
        before = sentence[max(0, ps.start - 60) : ps.start]
        words = before.split()[-4:]  # the title stands right before the name ("US envoy X")
        if not any(_TITLE_AFFILIATION.fullmatch(w.strip(",")) for w in words):
            continue
        near = [p for p in parties if ps.start - 60 <= p.start < ps.start]
        after = [
            p
            for p in parties
            if ps.end <= p.start < ps.end + 30
            and re.match(r"^\W*(?:the )?$", sentence[ps.end : p.start])
        ]
        pick = near[-1] if near else (after[0] if after else None)
        if pick is not None and ps.text.split():
            out[ps.text.split()[-1]] = pick.code
    return out


def with_listed_names(doc: Any, spans: list[PersonSpan]) -> list[PersonSpan]:
    """Add names listed beside a person ("Narges Mohammadi, Sepideh Gholian and others").

    A two- or three-word proper name in apposition or coordination with a person's name is a
    person too, when no word of it is an entity of another kind, a party or a role word.
    """
    out = list(spans)
    for _ in range(len(doc)):  # a list grows one name per pass
        roots = {}
        for p in out:
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is not None and len(span):
                roots[span.root.i] = p
        added = False
        for tok in doc:
            if tok.dep_ not in ("conj", "appos"):
                continue
            for a, b in ((tok, tok.head), (tok.head, tok)):
                if b.i in roots and a.i not in roots:
                    name = _name_chain(doc, a)
                    if name and not any(p.start < name.end and name.start < p.end for p in out):
                        out.append(name)
                        added = True
        if not added:
            break
    return sorted(out, key=lambda p: p.start)


def _name_chain(doc: Any, tok: Any) -> PersonSpan | None:
    """The proper name headed by `tok` (its compound words before it), if it reads as a person."""
    if tok.pos_ != "PROPN":
        return None
    words = [c for c in tok.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
    chain = [*words, tok]
    if not 2 <= len(chain) <= 3 or chain[-1].i - chain[0].i != len(chain) - 1:
        return None
    if any(
        not t.text[:1].isupper()
        or t.ent_type_ not in ("", "PERSON")
        or t.lower_ in _not_name_words()
        for t in chain
    ):
        return None
    start, end = chain[0].idx, tok.idx + len(tok.text)
    text = doc.text[start:end]
    return None if find_parties(text) else PersonSpan(start, end, text)


def captive_named(doc: Any, persons: list[PersonSpan], captives: frozenset[str]) -> list[str]:
    """People a sentence names as captives ("shows hostages Morad Tahbaz, Siamak Namazi and
    Emad Sharghi", "the prisoners, Ana Ruiz and Luis Vega, ..."): the conjoined names that a
    captive noun stands before or beside."""
    heads = {}
    for p in persons:
        tok = next((t for t in doc if t.idx <= p.end - 1 < t.idx + len(t)), None)
        if tok is not None:
            heads[tok.i] = p.text
    out: list[str] = []
    for i, name in heads.items():
        first = doc[i]
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        beside = [c for c in first.children if c.dep_ in ("compound", "amod", "appos")]
        if first.dep_ == "appos":
            beside.append(first.head)
        if any(t.lemma_.lower() in captives for t in beside) and name not in out:
            out.append(name)
    return out
