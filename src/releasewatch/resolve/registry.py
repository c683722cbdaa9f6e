"""The person registry kept up to date one spelling at a time, equal to `group_names`.

`group_names` groups every spelling at once: full names (given name and surname) joined when
their folds are equal or `NameFolder.same` holds within a surname block; then each partial name
("Bialiatski") joins the one full-name record it fits; then partial names left on their own
(the smallest spelling of their record) are joined when their parts are equal; every record is
named after its earliest-seen spelling. `PersonRegistry` holds the same relations and, when a
spelling arrives (or an old one is seen earlier), recomputes only the records it can touch:
the full-name records it joins, the partial names whose candidates it adds to or merges, and
the records those partial names belong to. Merge overrides relate records anywhere, so with any
"merge" override the registry falls back to `group_names` over every spelling.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from .persons import (
    NameFolder,
    NameParts,
    Override,
    _blocks,
    check_overrides,
    group_names,
    person_id,
)
from .unionfind import UnionFind, find_root

Key = tuple[str, ...]


class PersonRegistry:
    """Spelling -> person id, updated incrementally; `person_of` equals `group_names`'s."""

    def __init__(self, folder: NameFolder, overrides: Sequence[Override] = ()) -> None:
        check_overrides(overrides)
        self.folder = folder
        self.overrides = tuple(overrides)
        self.merging = any(o[0] == "merge" for o in overrides)
        self.split = {o[1].casefold() for o in overrides if o[0] == "split"}
        self.first_seen: dict[str, Key] = {}
        self.person_of: dict[str, str] = {}
        self.parts: dict[str, NameParts] = {}
        self.full = UnionFind(())  # full names; root = smallest member
        self.full_groups: dict[str, set[str]] = {}  # full-name record root -> its full names
        self.by_fold: dict[str, str] = {}
        self.full_blocks: dict[str, list[str]] = defaultdict(list)  # every full name
        self.rep_blocks: dict[str, list[str]] = defaultdict(list)  # one full name per fold
        self.partial_blocks: dict[str, set[str]] = defaultdict(set)
        self.candidates: dict[str, set[str]] = {}  # partial -> full names it fits
        self.fitted_by: dict[str, set[str]] = defaultdict(set)  # full name -> partials
        self.by_parts: dict[NameParts, set[str]] = defaultdict(set)  # partials by parts
        self.record: dict[str, str] = {}  # spelling -> its record's smallest spelling
        self.members: dict[str, set[str]] = {}  # record -> spellings

    # -- public ------------------------------------------------------------------------------

    def update(self, seen: Mapping[str, Key]) -> set[str]:
        """Take spellings with their first-seen keys; the spellings whose person id changed."""
        new = [n for n in seen if n not in self.first_seen]
        earlier = [n for n in seen if n in self.first_seen and seen[n] < self.first_seen[n]]
        if not new and not earlier:
            return set()
        for name in new:
            self.first_seen[name] = seen[name]
        for name in earlier:
            self.first_seen[name] = seen[name]
        if self.merging:
            return self._regroup_all()
        region: set[str] = set()
        for name in sorted(new):
            region |= self._add(name)
        for name in earlier:
            region |= self.members.get(self.record.get(name, name), {name})
        return self._settle(region)

    def persons_named(self, name: str) -> set[str]:
        """The ids of the persons a name (a watchlist's, say) names: those holding a spelling
        that is the same name by `group_names`'s rules (the same fold, a full name
        `NameFolder.same` accepts, a partial name fitting a full one, either way round)."""
        parts = self.folder.parts(name)
        wanted = name.casefold()
        if self.merging:  # the blocks are not kept: compare with every spelling
            candidates: set[str] = set(self.person_of)
        else:
            candidates = {n for n in self.person_of if n.casefold() == wanted}
            for key in _blocks(parts):
                candidates.update(self.full_blocks.get(key, ()))
                candidates.update(self.partial_blocks.get(key, ()))
        return {
            self.person_of[n]
            for n in candidates
            if n in self.person_of
            and (n.casefold() == wanted or self._same_name(parts, self.folder.parts(n)))
        }

    def _same_name(self, a: NameParts, b: NameParts) -> bool:
        """Whether two names are one person's by the grouping rules (overrides aside)."""
        if a.given and b.given:
            return (a.given, a.surname) == (b.given, b.surname) or self.folder.same(a, b)
        if b.given:
            return self._fits(a, b)
        if a.given:
            return self._fits(b, a)
        return a == b

    # -- adding one spelling -----------------------------------------------------------------

    def _join(self, a: str, b: str) -> None:
        """Join the full-name records of a and b (the smaller root stays)."""
        ra, rb = self.full.find(a), self.full.find(b)
        if ra == rb:
            return
        self.full.union(a, b)
        keep = self.full.find(a)
        gone = rb if keep == ra else ra
        self.full_groups[keep] |= self.full_groups.pop(gone)

    def _add(self, name: str) -> set[str]:
        """Insert a spelling into the relations; the spellings whose record may change."""
        parts = self.folder.parts(name)
        self.parts[name] = parts
        if name.casefold() in self.split:
            return {name}
        if not parts.given:
            cands = {
                m
                for key in _blocks(parts)
                for m in self.full_blocks.get(key, ())
                if self._fits(parts, self.parts[m])
            }
            self.candidates[name] = cands
            for m in cands:
                self.fitted_by[m].add(name)
            for key in _blocks(parts):
                self.partial_blocks[key].add(name)
            self.by_parts[parts].add(name)
            return {name}
        self.full.parent[name] = name
        self.full_groups[name] = {name}
        folded = self.folder.fold(name)
        rep = self.by_fold.get(folded)
        if rep is not None:  # an identical fold: the same person, nothing to compare
            self._join(rep, name)
        else:
            self.by_fold[folded] = name
            for key in _blocks(parts):
                for other in self.rep_blocks[key]:
                    if self.full.find(other) != self.full.find(name) and self.folder.same(
                        parts, self.parts[other]
                    ):
                        self._join(other, name)
                self.rep_blocks[key].append(name)
        for key in _blocks(parts):
            self.full_blocks[key].append(name)
            for partial in self.partial_blocks.get(key, ()):
                if self._fits(self.parts[partial], parts):
                    self.candidates[partial].add(name)
                    self.fitted_by[name].add(partial)
        group = self.full_groups[self.full.find(name)]
        return set(group) | {p for m in group for p in self.fitted_by.get(m, ())}

    def _fits(self, partial: NameParts, full: NameParts) -> bool:
        """Whether a partial name fits a full name (group_names's rule)."""
        return fuzz.ratio(partial.surname, full.surname) >= self.folder.settings.surname_min and (
            partial.initial is None or partial.initial == full.initial
        )

    # -- recomputing the records of a region -------------------------------------------------

    def _closure(self, seeds: set[str]) -> set[str]:
        """Every spelling whose record the seeds can change: records, full-name records, the
        full-name records a partial name fits, and partial names of the same parts."""
        region: set[str] = set()
        pending = list(seeds)
        while pending:
            name = pending.pop()
            if name in region:
                continue
            region.add(name)
            record = self.record.get(name)
            if record is not None:
                pending.extend(self.members[record])
            if name in self.full.parent:
                pending.extend(self.full_groups[self.full.find(name)])
            elif name in self.candidates:
                pending.extend(self.by_parts[self.parts[name]])
                for m in self.candidates[name]:
                    pending.extend(self.full_groups[self.full.find(m)])
        return region

    def _settle(self, seeds: set[str]) -> set[str]:
        """Recompute the records of the region around the seeds; spellings whose id changed."""
        region = self._closure(seeds)
        local: dict[str, str] = {n: n for n in region}

        def find(x: str) -> str:
            return find_root(local, x)

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                if rb < ra:
                    ra, rb = rb, ra
                local[rb] = ra

        for name in region:
            if name in self.full.parent:
                union(self.full.find(name), name)
        partial = sorted(n for n in region if n in self.candidates)
        for name in partial:  # as group_names: a partial joins the one record it fits
            roots = {self.full.find(m) for m in self.candidates[name]}
            if len(roots) == 1:
                union(roots.pop(), name)
        alone: dict[NameParts, str] = {}
        for name in partial:  # then partials still the smallest of their record, by parts
            if find(name) == name:
                parts = self.parts[name]
                if parts in alone:
                    union(alone[parts], name)
                else:
                    alone[parts] = name
        groups: dict[str, list[str]] = defaultdict(list)
        for name in region:
            groups[find(name)].append(name)
        for name in region:  # forget the old records of the region
            old = self.record.pop(name, None)
            if old is not None:
                self.members.pop(old, None)
        changed: set[str] = set()
        for root, names in groups.items():
            founder = min(names, key=lambda n: (self.first_seen[n], n))
            pid = person_id(founder)
            self.members[root] = set(names)
            for name in names:
                self.record[name] = root
                if self.person_of.get(name) != pid:
                    self.person_of[name] = pid
                    changed.add(name)
        return changed

    def _regroup_all(self) -> set[str]:
        """With merge overrides: group every spelling anew (group_names)."""
        fresh = group_names(self.first_seen, self.overrides, self.folder)
        changed = {n for n, pid in fresh.items() if self.person_of.get(n) != pid}
        self.person_of = fresh
        return changed
