"""Parties: every way a text names a state (or the EU/UN), resolved to one code.

Country names come from pycountry (ISO 3166-1); adjectives, capitals, leaders and agencies
from `data/parties.toml`, which a user can extend. This is the one place party aliases live.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

from . import lexicon

KINDS = ("name", "adjective", "capital", "actor")


@dataclass(frozen=True)
class PartyMention:
    """A span of text that names a party."""

    start: int
    end: int
    code: str
    kind: str  # one of KINDS
    text: str


def _pycountry_names() -> dict[str, str]:
    """alias -> alpha-3 for every country's short and common name in pycountry."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and "(" not in value:
                names[value] = country.alpha_3
    return names


@lexicon.derived
def _table() -> dict[str, tuple[str, str]]:
    """alias -> (code, kind), lexicon entries winning over pycountry's."""
    data = lexicon.load("parties")
    table: dict[str, tuple[str, str]] = {
        alias: (code, "name") for alias, code in _pycountry_names().items()
    }
    for section, kind in (
        ("names", "name"),
        ("adjectives", "adjective"),
        ("capitals", "capital"),
        ("actors", "actor"),
    ):
        for code, aliases in data.get(section, {}).items():
            for alias in aliases:
                table[alias] = (code, kind)
    for alias in data.get("not_parties", {}).get("words", []):
        table[alias] = ("", "none")  # "South American": found as a whole, and no party
    # Headlines and tabloid ledes write names in capitals ("EGYPTIAN President ..."); aliases of
    # four letters or more are found so written too (shorter ones would catch acronyms).
    for alias, value in list(table.items()):
        upper = alias.upper()
        if len(alias) >= 4 and upper != alias and upper not in table:
            table[upper] = value
    return table


def alias_codes() -> dict[str, str]:
    """Every alias of a party -> its code (the aliases `find_parties` finds)."""
    return {alias: code for alias, (code, _) in _table().items() if code}


@lexicon.derived
def _pattern() -> re.Pattern[str]:
    """One alternation of every alias, longest first, on word boundaries."""
    aliases = sorted(_table(), key=len, reverse=True)
    body = "|".join(re.escape(a) for a in aliases)
    # An alias ending in "-" ("US-led") needs no boundary after it; others need one.
    return re.compile(rf"(?<![\w.-])(?:{body})(?:(?<=-)|(?!\w|\.\w))")


def find_parties(text: str) -> list[PartyMention]:
    """Every party alias in `text`, in order, longest match first at each place."""
    return list(_find_parties(text))


@lexicon.derived_lru(4096)
def _find_parties(text: str) -> tuple[PartyMention, ...]:
    """find_parties, remembered: each sentence is asked about several times while it is read."""
    table = _table()
    found = []
    for m in _pattern().finditer(text):
        alias = m.group(0)
        code, kind = table[alias]
        if code:
            found.append(PartyMention(m.start(), m.end(), code, kind, alias))
    return tuple(found)


def party_code(name: str) -> str | None:
    """The code of one party name or alias ("Minsk" -> "BLR"), or None."""
    name = name.strip()
    hit = _table().get(name)
    if hit:
        return hit[0]
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


@lexicon.derived
def actor_nouns() -> frozenset[str]:
    """Nouns that make a preceding party adjective an actor ("Belarusian authorities")."""
    return frozenset(lexicon.load("parties").get("actor_nouns", {}).get("words", []))
