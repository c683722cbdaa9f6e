"""Cited sources: the outlets, agencies and rights groups an article attributes its
information to (SCHEMA.md "Cited sources"), read from plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .outlets import (
    NAME,
    known_outlet,
    media_like,
    normalise_outlet,
    outlets_table,
    same_outlet,
    trim_name,
)

_ATTRIBUTION_BEFORE = re.compile(
    r"(?:according\s+to|citing|cited\s+by|quoting|quoted\s+by|reported\s+by|"
    r"with\s+reference\s*to|in\s+an\s+interview\s+(?:with|to)|told|speaking\s+to|"
    r"said\s+to|confirmed\s+to|(?:a|the)\s+reports?\s+(?:by|from|in|of)|via|"
    r"data\s+(?:from|of)|sources?\s+(?:at|in|from))\s+"
    r"(?:the\s+)?(?:[\w’'-]+(?:\.\w+)*[^\S\n]+){0,3}(?:the\s+)?$",
    re.IGNORECASE,
)
# What follows a source: maybe its kind ("APA news agency"), more names or an appositive
# ("Mizan, the news agency of Iran's judiciary, confirmed"), then a verb of telling, or
# "citing" ("APA news agency, citing a source").
_ATTRIBUTION_AFTER = re.compile(
    r"^(?:\s+(?:news\s+agency|agency|newspaper|daily|weekly|broadcaster|news\s+site|"
    r"news\s+portal|TV|television|radio))?"
    rf"(?:(?:,|\s+and|\s+or)\s+(?:the\s+)?{NAME})*"
    r"(?:,\s+(?:the|a|an|its|their)\s+[^,.;:\"“”()\n]{2,60},)?,?\s+"
    r"(?:has\s+|had\s+|have\s+)?(?:also\s+)?"
    r"(?:reported|reports|report\b|wrote|writes|quoted|cited|learned|learnt|revealed|"
    r"published|obtained|informs|said|says|stated|noted|claimed|found|documented|counted|"
    r"recorded|estimated|confirmed|citing)"
)
# A group read from the form of its name that only speaks of its own stance ("said it was
# following the case closely") tells no information: it is not a source for that mention.
_OWN_STANCE = re.compile(r"^,?\s+(?:said|says)\s+(?:it|they)\s+(?:was|were|is|are|would|will)\b")
# An owner before a name and a verb of reporting after it make it an outlet ("state-run
# Al-Ahram reported"); "said" is left out, as "state-owned Gazprom said" is a company.
_OWNED_REPORTED = re.compile(
    r"\b(?:state-run|state-owned|state-controlled|state-affiliated|semi-official|"
    rf"pro-government|pro-Kremlin)\s+(?P<name>{NAME})\s+(?:has\s+)?(?:reported|reports|quoted)\b"
)
_CREDIT_AFTER_SENTENCE = re.compile(
    rf"[.!?\"”’)]\s*[-–—]\s*(?P<name>(?:The\s)?{NAME})\s*$", re.MULTILINE
)
_CREDIT_AFTER_HEADLINE = re.compile(rf"\s[-–—]\s(?P<name>(?:The\s)?{NAME})\s*$")
_AGENCY_BYLINE = re.compile(rf"^\s*By\s+(?P<name>{NAME}(?:\s+and\s+{NAME})*)\s*$", re.MULTILINE)


def find_cited_sources(
    text: str, *, title: str | None = None, outlet: str | None = None
) -> tuple[str, ...]:
    """Outlets, agencies and rights groups the text attributes information to.

    Counted: a headline's "- Reuters" suffix, a closing "- Reuters" credit, "By AFP",
    "according to / citing / with reference to / told X", "X and Y reported", and any
    rights group named. Not counted: the outlet itself, outlets named as an employer
    ("Wall Street Journal reporter"), photo credits (callers drop captions first).
    """
    found: list[str] = []
    table = outlets_table()
    if title:
        credit = _CREDIT_AFTER_HEADLINE.search(title)
        if credit and media_like(trim_name(credit.group("name"))):
            found.append(trim_name(credit.group("name")))
    for credit in _CREDIT_AFTER_SENTENCE.finditer(text):
        name = trim_name(credit.group("name"))
        if media_like(name):
            found.append(name)
    for byline in _AGENCY_BYLINE.finditer(text):
        for name in re.split(r"\s+and\s+", byline.group("name")):
            if known_outlet(name):
                found.append(name)
    for match in table.pattern.finditer(text):
        outlet_entry = known_outlet(match.group(0))
        if outlet_entry is None:
            continue
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        if (
            outlet_entry.kind == "rights"
            or _ATTRIBUTION_BEFORE.search(before)
            or _ATTRIBUTION_AFTER.match(after)
        ):
            found.append(match.group(0))
    for match in table.rights_noun.finditer(text):
        name = trim_name(match.group("name"))
        if name and name not in table.not_names and not table.pattern.match(name):
            found.append(name)
    for match in table.media_noun.finditer(text):
        name = trim_name(match.group("name"))
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        attributed = _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
        if name and attributed and name not in table.not_names and not table.pattern.match(name):
            found.append(name)
    for match in _OWNED_REPORTED.finditer(text):  # "state-run Al-Ahram reported"
        name = trim_name(match.group("name"))
        if name and name not in table.not_names:
            found.append(name)
    found.extend(_organisations(text))
    found.extend(_appositives(text))
    return _unique(found, exclude=outlet)


_CALENDAR = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Last|Earlier|Yesterday|Today"
)


def _organisations(text: str) -> list[str]:
    """Rights groups and NGOs not in the lexicon, read from the form of their name.

    A name headed by an NGO word ("Initiative", "Association", "Centre"...) is a source
    when it names rights ("the Egyptian Initiative for Personal Rights welcomed") or when
    information is attributed to it ("according to the Georgian Young Lawyers'
    Association"). Courts, councils and ministries are not ("the European Court of Human
    Rights").
    """
    table = outlets_table()
    found: list[str] = []
    for match in table.organisation.finditer(text):
        tokens = match.group("name").split()
        while tokens and (tokens[0] in table.not_names or _CALENDAR.fullmatch(tokens[0])):
            tokens.pop(0)  # "On Saturday Georgian Young Lawyers' Association"
        name = " ".join(tokens)
        if len(tokens) < 2 or table.not_ngo.search(name) or table.pattern.fullmatch(name):
            continue
        before = text[max(0, match.start() - 90) : match.start()]
        after = text[match.end() : match.end() + 120]
        if _OWN_STANCE.match(after):
            continue
        attributed = _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
        if table.rights_word.search(name) or (
            attributed and match.group("head") in table.attributed_heads
        ):
            found.append(name)
    return found


def _appositives(text: str) -> list[str]:
    """Names an appositive calls an outlet or a rights group, not in the lexicon.

    "the Mechanism for the Recognition of Political Prisoners, a Nicaraguan rights group"
    is a rights group wherever it stands; "Mizan, the news agency of Iran's judiciary,
    confirmed" is an outlet, a source when information is attributed to it.
    """
    table = outlets_table()
    found: list[str] = []
    for match in table.appositive.finditer(text):
        tokens = match.group("name").split()
        while tokens and (
            tokens[0] in table.not_names
            or _CALENDAR.fullmatch(tokens[0])
            or re.search(r"['’]s?$", tokens[0])  # "Azerbaijan's APA"
        ):
            tokens.pop(0)
        name = " ".join(tokens)
        if not name or table.not_ngo.search(name) or known_outlet(name):
            continue
        if match.group("rights") is None:
            before = text[max(0, match.start("name") - 90) : match.start("name")]
            after = text[match.end("name") : match.end("name") + 160]
            if not (_ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)):
                continue
        found.append(name)
    return found


def _unique(names: Iterable[str], *, exclude: str | None) -> tuple[str, ...]:
    """Normalised names, first mention first, without duplicates or the excluded outlet."""
    seen: list[str] = []
    for name in names:
        norm = normalise_outlet(name)
        if not norm or norm in seen or same_outlet(norm, exclude):
            continue
        seen.append(norm)
    return tuple(seen)
