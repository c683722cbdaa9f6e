"""The ledger kept up to date one article at a time, always equal to a full `resolve`.

`resolve` is a function of the set of mentions: canonical order, person grouping, blocking,
pair scores, greedy merging strongest pair first, inferred dates for undated articles and a
second clustering with them. `IncrementalResolver` keeps every intermediate of that function
and, when an article's mentions arrive, recomputes only what they can change:

- persons: `PersonRegistry` regroups the spellings around the new ones;
- candidate pairs: blocking is kept as sorted lists per block (narrow windows by start, and
  per figure, person and sector key); a pair is produced by a "generator" (a report's window
  of neighbours), and only the generators whose window an insertion shifts are recomputed;
- clusters: the greedy merge of one connected component of the scored-pair graph depends on
  that component alone, so only the components holding a changed pair or report are merged
  again (in `resolve`'s order: score, then canonical keys);
- inferred dates: the articles of changed clusters get their anchor recomputed, and their
  undated reports re-enter the second pass with it;
- events, persons and deals are rebuilt for the clusters, person ids and trade-stating
  articles that changed.

`ledger()` assembles the whole `Ledger`; tests compare it with `resolve` on random orders.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import InputError
from .config import Settings, load_settings
from .consensus import build_event, build_persons, first_seen
from .deals import find_deals
from .ledger import STATUS_ORDER, Deal, Ledger, LedgerEvent, MentionRef, Person
from .merge import Mention as Features
from .merge import _blocks, _Clusters, _keys, day_range, features, score
from .persons import Override, default_folder
from .registry import PersonRegistry

Key = tuple[str, int]
Cluster = frozenset[Key]
_NO_ANCHORS: dict[str, int] = {}
_LAST = 1 << 62  # above every mention number: (key, _LAST) sorts after every entry of key


def _pair(a: int, b: int) -> int:
    """One int for an unordered pair of mention numbers."""
    return (a << 32) | b if a < b else (b << 32) | a


class _Layer:
    """One clustering pass (without, or with, inferred dates), kept up to date."""

    def __init__(self, s: Settings) -> None:
        self.s = s
        self.half = max(1, s.max_neighbours // 2)
        self.uid: dict[Key, int] = {}
        self.key_of: list[Key] = []
        self.feats: dict[int, Features] = {}
        self.narrow: dict[tuple[str, str], list[tuple[int, Key, int]]] = defaultdict(list)
        self.bucket: dict[tuple[tuple[str, str], object], list[tuple[Key, int]]] = defaultdict(list)
        self.lookers: dict[tuple[tuple[str, str], object], list[tuple[Key, int]]] = defaultdict(
            list
        )
        self.gens: dict[tuple[object, ...], frozenset[int]] = {}
        self.owned: dict[int, set[tuple[object, ...]]] = defaultdict(set)
        self.refs: dict[int, int] = {}
        self.partners: dict[int, set[int]] = defaultdict(set)
        self.adj: dict[int, dict[int, float]] = defaultdict(dict)
        self.cluster_of: dict[int, Cluster] = {}

    def _id(self, key: Key) -> int:
        if key not in self.uid:
            self.uid[key] = len(self.key_of)
            self.key_of.append(key)
        return self.uid[key]

    # -- blocking entries of one report ------------------------------------------------------

    def _entries(self, u: int, m: Features) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """The narrow, bucket and looker entries of a report."""
        narrow, buckets, looks = [], [], []
        for block in _blocks(m):
            if m.narrow:
                narrow.append((block, (m.lo, m.ref.key, u)))
            for ikey in set(_keys(m, self.s, widen=False)):
                buckets.append(((block, ikey), (m.ref.key, u)))
            if not m.narrow:
                for ikey in set(_keys(m, self.s, widen=True)):
                    looks.append(((block, ikey), (m.ref.key, u)))
        return narrow, buckets, looks

    # -- generators: the pairs one report's window produces ----------------------------------

    def _narrow_gen(self, block: tuple[str, str], entry: tuple[int, Key, int]) -> frozenset[int]:
        """Pairs of a narrow report with the next reports of its block (merge.candidates)."""
        row = self.narrow[block]
        x = bisect_left(row, entry)
        a = self.feats[entry[2]]
        assert a.hi is not None
        out = []
        for lo, _, v in row[x + 1 : x + 1 + self.s.max_neighbours]:
            if lo > a.hi + self.s.slack_days:
                break
            out.append(_pair(entry[2], v))
        return frozenset(out)

    def _wide_gen(self, where: tuple, entry: tuple[Key, int]) -> frozenset[int]:
        """Pairs of a wide report with its neighbours in one figure/person/sector bucket."""
        row = self.bucket.get(where, [])
        at = bisect_left(row, (entry[0],))
        u = entry[1]
        return frozenset(
            _pair(u, v) for _, v in row[max(0, at - self.half) : at + self.half + 1] if v != u
        )

    def _set_gen(self, gid: tuple[object, ...], owner: int, pairs: frozenset[int] | None) -> None:
        """Replace a generator's pairs, counting each pair's producers."""
        old = self.gens.pop(gid, frozenset())
        if pairs is None:
            self.owned[owner].discard(gid)
        else:
            self.gens[gid] = pairs
            self.owned[owner].add(gid)
            pairs_new = pairs - old
            for p in pairs_new:
                n = self.refs.get(p, 0)
                self.refs[p] = n + 1
                if n == 0:
                    self._pair_on(p)
        for p in old - (pairs or frozenset()):
            n = self.refs[p] - 1
            if n:
                self.refs[p] = n
            else:
                del self.refs[p]
                self._pair_off(p)

    def _pair_on(self, p: int) -> None:
        a, b = p >> 32, p & 0xFFFFFFFF
        self.partners[a].add(b)
        self.partners[b].add(a)
        self.touched.update((a, b))

    def _pair_off(self, p: int) -> None:
        a, b = p >> 32, p & 0xFFFFFFFF
        self.partners[a].discard(b)
        self.partners[b].discard(a)
        self.touched.update((a, b))

    # -- applying a batch of changes ---------------------------------------------------------

    def apply(self, upserts: dict[Key, Features]) -> tuple[set[Cluster], set[Cluster]]:
        """Insert or replace reports; the clusters that went away and those that came."""
        self.touched: set[int] = set()
        changed = [self._id(k) for k in upserts]
        narrow_marks: dict[tuple[str, str], list[tuple]] = defaultdict(list)
        bucket_marks: dict[tuple, list[tuple]] = defaultdict(list)
        looker_new: list[tuple[tuple, tuple]] = []
        dropped: list[tuple[int, Features]] = []
        for u in changed:  # take the old entries out
            old = self.feats.get(u)
            if old is None:
                continue
            dropped.append((u, old))
            narrow, buckets, looks = self._entries(u, old)
            for block, entry in narrow:
                row = self.narrow[block]
                del row[bisect_left(row, entry)]
                narrow_marks[block].append((entry, False))
            for where, bucket_entry in buckets:
                brow = self.bucket[where]
                del brow[bisect_left(brow, bucket_entry)]
                bucket_marks[where].append((bucket_entry, False))
            for where, look_entry in looks:
                lrow = self.lookers[where]
                del lrow[bisect_left(lrow, look_entry)]
        for gid in list(itertools.chain.from_iterable(self.owned.get(u, ()) for u, _ in dropped)):
            self._set_gen(gid, gid[-1], None)  # type: ignore[arg-type]
        for key, m in upserts.items():  # put the new ones in
            u = self.uid[key]
            self.feats[u] = m
            narrow, buckets, looks = self._entries(u, m)
            for block, entry in narrow:
                insort(self.narrow[block], entry)
                narrow_marks[block].append((entry, True))
            for where, entry in buckets:
                insort(self.bucket[where], entry)
                bucket_marks[where].append((entry, True))
            for where, entry in looks:
                insort(self.lookers[where], entry)
                looker_new.append((where, entry))
        self._regenerate(narrow_marks, bucket_marks, looker_new)
        return self._recluster(changed)

    def _regenerate(
        self,
        narrow_marks: dict[tuple[str, str], list[tuple]],
        bucket_marks: dict[tuple, list[tuple]],
        looker_new: list[tuple[tuple, tuple]],
    ) -> None:
        """Recompute every generator whose window a change can have shifted."""
        K = self.s.max_neighbours
        for block, marks in narrow_marks.items():
            row = self.narrow[block]
            owners: set[int] = set()
            for entry, inserted in marks:
                p = bisect_left(row, entry)
                owners.update(range(max(0, p - K - 1), min(len(row), p + (1 if inserted else 0))))
            for x in owners:
                entry = row[x]
                self._set_gen(("n", block, entry[2]), entry[2], self._narrow_gen(block, entry))
        redo: set[tuple[tuple, tuple]] = set(looker_new)
        for where, marks in bucket_marks.items():
            looks = self.lookers.get(where)
            if not looks:
                continue
            brow = self.bucket[where]
            for bentry, _ in marks:
                q = bisect_left(brow, bentry)
                low, high = q - self.half - 2, q + self.half + 2
                start = 0 if low <= 0 else bisect_right(looks, (brow[low - 1][0], 1 << 62))
                stop = (
                    len(looks)
                    if high >= len(brow)
                    else bisect_right(looks, (brow[high][0], 1 << 62))
                )
                redo.update((where, e) for e in looks[start:stop])
        for where, entry in redo:
            self._set_gen(("w", where, entry[1]), entry[1], self._wide_gen(where, entry))

    def _recluster(self, changed: list[int]) -> tuple[set[Cluster], set[Cluster]]:
        """Rescore the touched pairs, then merge again every component holding a change."""
        s = self.s
        dirty = set(self.touched) | set(changed)
        rescore = {u for u in changed} | self.touched
        for a in rescore:
            for b in self.partners.get(a, ()):
                value = score(self.feats[a], self.feats[b], s)
                if value is None:
                    self.adj[a].pop(b, None)
                    self.adj[b].pop(a, None)
                else:
                    self.adj[a][b] = value
                    self.adj[b][a] = value
            for b in [b for b in self.adj.get(a, {}) if b not in self.partners.get(a, ())]:
                del self.adj[a][b]
                self.adj[b].pop(a, None)
        gone: set[Cluster] = set()
        came: set[Cluster] = set()
        done: set[int] = set()
        for start in dirty:
            if start in done:
                continue
            component = [start]
            done.add(start)
            for node in component:
                for other in self.adj.get(node, ()):
                    if other not in done:
                        done.add(other)
                        component.append(other)
            old = {self.cluster_of[u] for u in component if u in self.cluster_of}
            new = self._merge(component)
            gone |= old - new
            came |= new - old
        return gone, came

    def _merge(self, component: list[int]) -> set[Cluster]:
        """merge.cluster on one component: strongest pairs first, ties by canonical keys."""
        ordered = sorted(component, key=lambda u: self.key_of[u])
        local = {u: i for i, u in enumerate(ordered)}
        ms = [self.feats[u] for u in ordered]
        edges = [
            (-value, local[a], local[b])
            for a in ordered
            for b, value in self.adj.get(a, {}).items()
            if local[a] < local[b]
        ]
        edges.sort()
        state = _Clusters(ms)
        for _, i, j in edges:
            state.try_union(i, j, self.s)
        groups: dict[int, list[Key]] = defaultdict(list)
        for i, u in enumerate(ordered):
            groups[state.find(i)].append(self.key_of[u])
        clusters = set()
        for keys in groups.values():
            cluster = frozenset(keys)
            clusters.add(cluster)
            for k in keys:
                self.cluster_of[self.uid[k]] = cluster
        return clusters

    def window(self, cluster: Cluster) -> tuple[int | None, int | None]:
        """A cluster's time window: the latest start and the earliest end of its reports."""
        los = [m.lo for k in cluster if (m := self.feats[self.uid[k]]).lo is not None]
        his = [m.hi for k in cluster if (m := self.feats[self.uid[k]]).hi is not None]
        return (max(los) if los else None), (min(his) if his else None)


@dataclass
class LedgerChange:
    """What one update changed in the ledger."""

    events_removed: set[str] = field(default_factory=set)
    events_added: set[str] = field(default_factory=set)  # new or rebuilt
    persons_changed: set[str] = field(default_factory=set)
    persons_removed: set[str] = field(default_factory=set)
    deals_changed: bool = False


class IncrementalResolver:
    """A ledger that takes articles one at a time; `ledger()` equals `resolve(all mentions)`."""

    def __init__(self, overrides: Sequence[Override] = (), settings: Settings | None = None):
        self.s = settings or load_settings()
        self.registry = PersonRegistry(default_folder(), overrides)
        self.refs: dict[Key, MentionRef] = {}
        self.by_article: dict[str, list[Key]] = defaultdict(list)
        self.by_name: dict[str, set[Key]] = defaultdict(set)
        self.first: _Layer = _Layer(self.s)
        self.second: _Layer = _Layer(self.s)
        self.anchors: dict[str, int] = {}
        self.events: dict[Cluster, LedgerEvent] = {}
        self.event_of: dict[Key, LedgerEvent] = {}
        self.order: list[tuple[tuple[str, str], Cluster]] = []  # events in ledger order
        self.sort_key: dict[Cluster, tuple[str, str]] = {}
        self.persons: dict[str, Person] = {}
        self.pid_names: dict[str, set[str]] = defaultdict(set)
        self.pid_of_name: dict[str, str] = {}
        self.pid_events: dict[str, set[Cluster]] = defaultdict(set)
        self.cue_articles: set[str] = set()
        self.deals: tuple[Deal, ...] = ()

    @classmethod
    def of(
        cls,
        refs: Iterable[MentionRef],
        overrides: Sequence[Override] = (),
        settings: Settings | None = None,
    ) -> IncrementalResolver:
        """A resolver holding these mentions (one batch)."""
        resolver = cls(overrides, settings)
        resolver.add(refs)
        return resolver

    # -- adding ------------------------------------------------------------------------------

    def _check(self, refs: list[MentionRef]) -> None:
        """InputError for a mention given twice or an unknown status (as merge.canonical)."""
        ordered = sorted(refs, key=lambda r: r.key)
        for a, b in itertools.pairwise(ordered):
            if a.key == b.key:
                raise InputError(f"{a.article_id}#{a.index}", "the same mention was given twice")
        for r in ordered:
            if r.key in self.refs:
                raise InputError(f"{r.article_id}#{r.index}", "the same mention was given twice")
            if r.mention.status not in STATUS_ORDER:
                raise InputError(
                    f"{r.article_id}#{r.index}", f"unknown status {r.mention.status!r}"
                )

    def _features(self, keys: Iterable[Key], anchors: dict[str, int]) -> dict[Key, Features]:
        """Current features of the given reports."""
        person_of = self.registry.person_of
        return {
            k: features([self.refs[k]], person_of, anchors, self.s)[0] for k in sorted(set(keys))
        }

    def add(self, refs: Iterable[MentionRef]) -> LedgerChange:
        """Take new mentions (an article's, or many); what changed in the ledger."""
        refs = list(refs)
        self._check(refs)
        seen: dict[str, tuple[str, ...]] = {}
        for ref in refs:
            self.refs[ref.key] = ref
            self.by_article[ref.article_id].append(ref.key)
            for name in ref.mention.persons:
                self.by_name[name].add(ref.key)
                key = first_seen(ref)
                if name not in seen or key < seen[name]:
                    seen[name] = key
            if any(c in ref.mention.evidence.lower() for c in self.s.cues):
                self.cue_articles.add(ref.article_id)
        renamed = self.registry.update(seen)
        restated = {k for name in renamed for k in self.by_name[name]}
        new_keys = {r.key for r in refs}
        # pass one: no inferred dates
        gone1, came1 = self.first.apply(self._features(new_keys | restated, _NO_ANCHORS))
        articles = {k[0] for c in gone1 | came1 for k in c} | {r.article_id for r in refs}
        moved = self._reanchor(articles)
        # pass two: with them
        second = new_keys | restated | {k for a in moved for k in self.by_article[a]}
        gone, came = self.second.apply(self._features(second, self.anchors))
        return self._rebuild(gone, came, renamed, restated)

    def _reanchor(self, articles: set[str]) -> set[str]:
        """Recompute the inferred dates of these articles; those whose date changed."""
        s = self.s
        moved = set()
        for article in articles:
            anchor = None
            for key in self.by_article[article]:
                ref = self.refs[key]
                pub = day_range(ref.published)
                if (pub and pub[2] == "day") or ref.mention.background:
                    continue
                cluster = self.first.cluster_of[self.first.uid[key]]
                if len({k[0] for k in cluster}) < 2:
                    continue
                lo, hi = self.first.window(cluster)
                if lo is None or hi is None or hi - lo > s.narrow_days:
                    continue
                anchor = hi if anchor is None else max(anchor, hi)
            if self.anchors.get(article) != anchor:
                moved.add(article)
                if anchor is None:
                    self.anchors.pop(article, None)
                else:
                    self.anchors[article] = anchor
        return moved

    # -- events, persons, deals --------------------------------------------------------------

    def _drop_event(self, cluster: Cluster, change: LedgerChange) -> None:
        event = self.events.pop(cluster)
        key = self.sort_key.pop(cluster)
        del self.order[bisect_left(self.order, (key, cluster))]
        change.events_removed.add(event.id)
        for pid in event.persons:
            self.pid_events[pid].discard(cluster)
            change.persons_changed.add(pid)

    def _rebuild(
        self, gone: set[Cluster], came: set[Cluster], renamed: set[str], restated: set[Key]
    ) -> LedgerChange:
        """Events of the changed clusters, persons of the changed ids, deals if touched."""
        change = LedgerChange()
        person_of = self.registry.person_of
        cluster_of = self.second.cluster_of
        uid = self.second.uid
        redo = set(came) | {cluster_of[uid[k]] for k in restated}
        for cluster in gone | (redo & self.events.keys()):
            self._drop_event(cluster, change)
        for cluster in redo:
            members = [self.refs[k] for k in sorted(cluster)]
            event = build_event(members, person_of, self.s)
            key = (event.date.consensus or event.sources[0].published or "9999", event.id)
            self.events[cluster] = event
            self.sort_key[cluster] = key
            insort(self.order, (key, cluster))
            for ref in members:
                self.event_of[ref.key] = event
            for pid in event.persons:
                self.pid_events[pid].add(cluster)
                change.persons_changed.add(pid)
            change.events_added.add(event.id)
        change.events_removed -= change.events_added
        for name in renamed:
            old = self.pid_of_name.get(name)
            if old is not None:
                self.pid_names[old].discard(name)
                change.persons_changed.add(old)
            self.pid_of_name[name] = person_of[name]
            self.pid_names[person_of[name]].add(name)
            change.persons_changed.add(person_of[name])
        self._rebuild_persons(change)
        touched = {k[0] for c in gone | redo for k in c}
        if touched & self.cue_articles:
            events = {self.event_of[k] for a in self.cue_articles for k in self.by_article[a]}
            deals = find_deals(sorted(events, key=lambda e: self.sort_key[frozenset(
                r.key for r in e.members)]), self.s)  # fmt: skip
            change.deals_changed = deals != self.deals
            self.deals = deals
        return change

    def _rebuild_persons(self, change: LedgerChange) -> None:
        """Rebuild the person records whose spellings or events changed."""
        for pid in list(change.persons_changed):
            names = self.pid_names.get(pid)
            if not names:
                self.pid_names.pop(pid, None)
                self.pid_events.pop(pid, None)
                if self.persons.pop(pid, None) is not None:
                    change.persons_removed.add(pid)
                change.persons_changed.discard(pid)
                continue
            clusters = sorted(self.pid_events.get(pid, ()), key=lambda c: self.sort_key[c])
            events = [self.events[c] for c in clusters]
            built = build_persons(events, {n: pid for n in names}, self.s)
            self.persons[pid] = built[0]

    # -- the whole ledger --------------------------------------------------------------------

    def ledger(self) -> Ledger:
        """The ledger of every mention taken so far (equal to `resolve` of them)."""
        events = tuple(self.events[c] for _, c in self.order)
        assignments = tuple((k, self.event_of[k].id) for k in sorted(self.refs))
        persons = tuple(self.persons[p] for p in sorted(self.persons))
        return Ledger(events=events, persons=persons, deals=self.deals, assignments=assignments)
