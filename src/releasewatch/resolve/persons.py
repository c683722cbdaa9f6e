"""The person registry: one record per person however outlets spelled the name.

Names are folded to transliteration-neutral keys with the rules of data/translit.toml, then
compared with rapidfuzz within blocks of similar surnames. Grouping is a union of a symmetric
match relation over the set of spellings, so it does not depend on the order names arrive in.
A user's overrides ("merge", a, b) and ("split", name) are applied on top and win.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from ..errors import InputError
from .config import Settings, Translit, load_settings, load_translit
from .unionfind import UnionFind

Override = tuple[str, ...]

_INITIAL = re.compile(r"^\w\.?$|^\w\.(\w\.)*$")
_NON_WORD = re.compile(r"[^a-z]")


@dataclass(frozen=True)
class NameParts:
    """A name cut into folded given name (or its initial) and folded surname."""

    given: str | None
    initial: str | None
    surname: str


class NameFolder:
    """Folds names to transliteration-neutral keys and decides whether two name the same person."""

    def __init__(self, translit: Translit, settings: Settings) -> None:
        self.translit = translit
        self.settings = settings
        self._group: dict[str, int] = {}
        for i, group in enumerate(translit.given_names):
            for name in group:
                self._group.setdefault(self.word(name), i)

    def word(self, word: str) -> str:
        """One word folded: letters mapped, diacritics stripped, rules applied."""
        text = word.lower()
        for src, dst in self.translit.letters.items():
            text = text.replace(src, dst)
        text = unicodedata.normalize("NFKD", text)
        text = _NON_WORD.sub("", "".join(c for c in text if not unicodedata.combining(c)))
        for pattern, repl in self.translit.rules:
            text = pattern.sub(repl, text)
        return text

    def parts(self, name: str) -> NameParts:
        """The folded given name (or initial) and surname of `name`."""
        tokens = re.sub(r"\(.*?\)", " ", name).replace(",", " ").split()
        initial: str | None = None
        words = []
        for i, token in enumerate(tokens):
            if _INITIAL.match(token):
                if i == 0:
                    initial = self.word(token)[:1] or None
                continue
            folded = self.word(token)
            if folded:
                words.append(folded)
        if not words:
            return NameParts(None, initial, self.word(name))
        if len(words) == 1:
            return NameParts(None, initial, words[0])
        return NameParts(words[0], words[0][:1], words[-1])

    def fold(self, name: str) -> str:
        """A whole name folded ("Maryja Kalesnikava" -> "mara kalasnikava")."""
        parts = self.parts(name)
        return f"{parts.given or parts.initial or ''} {parts.surname}".strip()

    def given_match(self, a: NameParts, b: NameParts) -> bool:
        """Whether two given names (or initials) can be one person's."""
        if a.given and b.given:
            if a.given == b.given:
                return True
            ga, gb = self._group.get(a.given), self._group.get(b.given)
            if ga is not None and ga == gb:
                return True
            return fuzz.ratio(a.given, b.given) >= self.settings.given_min
        if a.initial and b.initial:
            return a.initial == b.initial
        return False

    def same(self, a: NameParts, b: NameParts) -> bool:
        """Whether two full names (given + surname) are spellings of one person."""
        if fuzz.ratio(a.surname, b.surname) < self.settings.surname_min:
            return False
        return self.given_match(a, b)


@cache
def default_folder() -> NameFolder:
    """A folder with the bundled (and user-extended) rules."""
    return NameFolder(load_translit(), load_settings())


def fold_name(name: str) -> str:
    """A name folded with the default rules, for display-independent lookups."""
    return default_folder().fold(name)


def _blocks(parts: NameParts) -> tuple[str, str]:
    """Blocking keys: surnames that may match share at least one."""
    s = parts.surname.replace("c", "t")
    return (s[:3], "~" + s[1:4])


def check_overrides(overrides: Sequence[Override]) -> None:
    """Raise InputError unless every override is ("merge", a, b) or ("split", name)."""
    for i, item in enumerate(overrides):
        ok = isinstance(item, tuple | list) and (
            (len(item) == 3 and item[0] == "merge") or (len(item) == 2 and item[0] == "split")
        )
        if not ok or not all(isinstance(x, str) and x for x in item):
            raise InputError(
                f"overrides[{i}]", f"expected ('merge', a, b) or ('split', name), got {item!r}"
            )


def person_id(representative: str) -> str:
    """A person's id, derived from the spelling that founded the record."""
    ascii_name = unicodedata.normalize("NFKD", representative).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    digest = hashlib.sha1(representative.encode()).hexdigest()[:6]
    return f"p-{(words[-1] if words else 'x')[:24]}-{digest}"


def group_names(
    first_seen: dict[str, tuple[str, ...]],
    overrides: Sequence[Override] = (),
    folder: NameFolder | None = None,
) -> dict[str, str]:
    """Person id for every spelling; `first_seen[name]` orders spellings to pick the founder."""
    folder = folder or default_folder()
    check_overrides(overrides)
    names = sorted(first_seen)
    split = {o[1].casefold() for o in overrides if o[0] == "split"}
    parts = {n: folder.parts(n) for n in names}
    union = UnionFind(names)
    full = [n for n in names if parts[n].given and n.casefold() not in split]
    blocks: dict[str, list[str]] = defaultdict(list)
    for name in full:
        for key in _blocks(parts[name]):
            blocks[key].append(name)
    by_fold: dict[str, str] = {}
    for name in full:  # identical folds are one person without comparing
        folded = folder.fold(name)
        if folded in by_fold:
            union.union(by_fold[folded], name)
        else:
            by_fold[folded] = name
    reps = set(by_fold.values())
    for members in blocks.values():
        members = [m for m in members if m in reps]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if union.find(a) != union.find(b) and folder.same(parts[a], parts[b]):
                    union.union(a, b)
    # Partial names ("Bialiatski", "M. Kolesnikova") join the one full-name record they fit.
    partial = [n for n in names if not parts[n].given and n.casefold() not in split]
    for name in partial:
        p = parts[name]
        roots = {
            union.find(m)
            for key in _blocks(p)
            for m in blocks.get(key, ())
            if fuzz.ratio(p.surname, parts[m].surname) >= folder.settings.surname_min
            and (p.initial is None or p.initial == parts[m].initial)
        }
        if len(roots) == 1:
            union.union(roots.pop(), name)
    alone: dict[NameParts, str] = {}
    for name in partial:  # leftover partial names with one fold are one record
        if union.find(name) == name:
            if parts[name] in alone:
                union.union(alone[parts[name]], name)
            else:
                alone[parts[name]] = name
    by_case = {n.casefold(): n for n in names}
    for override in overrides:
        if override[0] == "merge":
            first, second = (_lookup(x, by_case, union, first_seen) for x in override[1:])
            if first and second:
                union.union(first, second)
    return _ids(names, union, first_seen)


def _lookup(
    key: str,
    by_case: dict[str, str],
    union: UnionFind,
    first_seen: dict[str, tuple[str, ...]],
) -> str | None:
    """The spelling an override names: a spelling (any case) or a person id of this grouping."""
    if key.casefold() in by_case:
        return by_case[key.casefold()]
    ids = _ids(sorted(by_case.values()), union, first_seen)
    return next((n for n, pid in sorted(ids.items()) if pid == key), None)


def _ids(
    names: list[str], union: UnionFind, first_seen: dict[str, tuple[str, ...]]
) -> dict[str, str]:
    """Person ids per spelling: each group is named after its earliest-seen spelling."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        groups[union.find(name)].append(name)
    ids = {}
    for members in groups.values():
        founder = min(members, key=lambda n: (first_seen[n], n))
        pid = person_id(founder)
        for name in members:
            ids[name] = pid
    return ids
