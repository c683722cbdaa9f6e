"""Union-find (disjoint sets) shared by the person, event and deal groupings."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)


def find_root(parent: Any, x: K) -> K:
    """The root of x in a parent table (a list or a dict), compressing the path walked."""
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


class UnionFind:
    """Disjoint sets of strings whose root is always the smallest member joined so far."""

    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        """The root of x."""
        return find_root(self.parent, x)

    def union(self, a: str, b: str) -> None:
        """Join the sets of a and b; the smaller root wins, whatever the order of unions."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra
