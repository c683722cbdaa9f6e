"""Known news outlets, agencies and rights groups (data/outlets.toml), and names read as
outlets by their form ("the Daily Herald", "News.Az", "UNN")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .. import lexicon
from ..errors import LexiconError


@dataclass(frozen=True)
class Outlet:
    """A known outlet, agency or rights group."""

    name: str
    kind: str  # "agency", "outlet" or "rights"


@dataclass(frozen=True)
class _Outlets:
    """The outlets lexicon compiled for matching."""

    by_alias: dict[str, Outlet]
    pattern: re.Pattern[str]  # every alias, longest first, as whole words
    media_word: re.Pattern[str]
    media_noun: re.Pattern[str]
    rights_noun: re.Pattern[str]
    not_names: frozenset[str]
    organisation: re.Pattern[str]  # a capitalised name headed by an NGO word
    rights_word: re.Pattern[str]
    attributed_heads: frozenset[str]  # heads that make a source when merely attributed to
    not_ngo: re.Pattern[str]
    appositive: re.Pattern[str]  # "Name, a rights group" / "Name, the news agency of ..."


# Lower-case words a scrape glues to a linked name ("the project Nextaon December 13").
GLUE = r"(?:on|in|at|to|the|and|of|for|from|that|said|reported)"
NAME_TOKEN = r"[A-Z][\w&’'.-]*"
NAME = rf"{NAME_TOKEN}(?:[ /]{NAME_TOKEN}){{0,4}}"
# A long name with lower-case joining words: "Mechanism for the Recognition of Political
# Prisoners"; eight capitalised words at most.
_LONG_NAME = (
    r"[A-ZÀ-Þ][\w'’&-]*(?:\.\w+)*"
    r"(?:[^\S\n]+(?:(?:of|for|the|and|on|de|del|la)[^\S\n]+)*[A-ZÀ-Þ][\w'’&-]*(?:\.\w+)*){0,7}"
)


@cache
def outlets_table() -> _Outlets:
    """Compile data/outlets.toml once."""
    data = lexicon.load("outlets")
    by_alias: dict[str, Outlet] = {}
    for entry in data.get("outlet", []):
        try:
            outlet = Outlet(str(entry["name"]), str(entry.get("kind", "outlet")))
        except (KeyError, TypeError) as exc:
            raise LexiconError(f"data/outlets.toml: [[outlet]] entry {entry!r}: {exc}") from exc
        for alias in [outlet.name, *entry.get("aliases", [])]:
            by_alias.setdefault(str(alias), outlet)
    aliases = sorted(by_alias, key=len, reverse=True)
    alternation = "|".join(re.escape(a) for a in aliases)
    pattern = re.compile(rf"(?<![\w.])(?:{alternation})(?:(?![\w])|(?={GLUE}\s))")
    patterns = data.get("patterns", {})

    def words(key: str) -> str:
        return "|".join(re.escape(w) for w in sorted(patterns.get(key, []), key=len, reverse=True))

    return _Outlets(
        by_alias=by_alias,
        pattern=pattern,
        media_word=re.compile(rf"(?:{words('media_words')})$"),
        media_noun=re.compile(rf"\b(?:{words('media_nouns')})\s+(?P<name>{NAME})"),
        rights_noun=re.compile(rf"\b(?:{words('rights_nouns')})\s+(?P<name>{NAME})"),
        not_names=frozenset(patterns.get("not_names", [])),
        organisation=re.compile(
            rf"(?P<name>[A-Z][\w'’-]+(?:\s+(?:of|for|on|and|the|[A-Z][\w'’-]+)){{0,7}}?"
            rf"\s+(?P<head>{words('ngo_heads')})"
            rf"(?:\s+(?:of|for|on|to)(?:\s+the)?(?:\s+[A-Z][\w'’-]+){{1,4}}){{0,2}})\b"
        ),
        attributed_heads=frozenset(patterns.get("ngo_heads_attributed", [])),
        rights_word=re.compile(rf"\b(?:{words('rights_words')})\b"),
        not_ngo=re.compile(rf"\b(?:{words('not_ngo_words')})\b"),
        appositive=re.compile(
            rf"(?P<name>{_LONG_NAME}),\s+(?:the|a|an)\s+(?:[\w'’-]+\s+){{0,4}}?"
            rf"(?:(?P<rights>{words('rights_nouns')})|{words('appositive_media_nouns')})"
            r"(?=\s+(?:of|for|in|on|based|that|which|run|close|linked)\b|\s*[,.;)])"
        ),
    )


def known_outlet(name: str) -> Outlet | None:
    """The lexicon entry for `name` (any alias, with or without a leading "the")."""
    table = outlets_table().by_alias
    name = name.strip()
    if name in table:
        return table[name]
    for variant in (re.sub(r"^(?i:the)\s+", "", name), f"The {name}"):
        if variant in table:
            return table[variant]
    if len(name) >= _CASELESS_MIN:  # "REUTERS" as a masthead; never "Ap" for AP
        return _caseless().get(name.casefold())
    return None


# Names at least this long are also looked up regardless of case (short ones are acronyms
# whose lower-case forms are words: "ap", "ok").
_CASELESS_MIN = 5


@cache
def _caseless() -> dict[str, Outlet]:
    """Known names of at least _CASELESS_MIN characters, case-folded."""
    return {
        alias.casefold(): outlet
        for alias, outlet in outlets_table().by_alias.items()
        if len(alias) >= _CASELESS_MIN
    }


def normalise_outlet(name: str) -> str:
    """An outlet's name as commonly written: lexicon name, else as printed, trimmed."""
    name = re.sub(r"\s+", " ", name).strip(" .,;:-–—\"'“”")
    found = known_outlet(name)
    if found:
        return found.name
    return re.sub(r"^the\s+", "The ", name)


def same_outlet(a: str | None, b: str | None) -> bool:
    """Whether two outlet names are one outlet."""
    return a is not None and b is not None and normalise_outlet(a) == normalise_outlet(b)


def media_like(name: str) -> bool:
    """Whether an unknown capitalised name reads as a news outlet by its form."""
    table = outlets_table()
    name = name.strip()
    if not name or name in table.not_names:
        return False
    if known_outlet(name):
        return True
    if re.fullmatch(r"[A-Z][\w-]*\.(?:[A-Za-z]{2,4})", name):  # News.Az, TUT.BY
        return True
    if re.fullmatch(r"[A-Z]{2,6}", name):  # agency acronyms: UNN, MENAFN
        return True
    return bool(table.media_word.search(name))


def trim_name(name: str) -> str:
    """A captured name cut where it stops being a name (a sentence stop after a word,
    trailing glue, punctuation): "Bianet. The" -> "Bianet"."""
    name = re.split(r"(?<=[a-z]{2})[.!?]\s", name.strip())[0]
    name = re.sub(rf"(?:\s+{GLUE})+$", "", name)
    return name.strip(" .,;:")


def is_outlet_name(name: str) -> bool:
    """Whether `name` is a known outlet or agency, or reads as one by its form."""
    known = known_outlet(name)
    if known is not None:
        return known.kind != "rights"
    return media_like(name)


def outlet_in(text: str) -> str | None:
    """The first known outlet named anywhere in `text` (for mastheads, appeals, sign-offs)."""
    for found in outlets_table().pattern.finditer(text):
        outlet = known_outlet(found.group(0))
        if outlet and outlet.kind != "rights":
            return outlet.name
    return None
