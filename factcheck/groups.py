"""Disjoint sets (union-find): the one way things that share something are grouped here,
articles into stories, pair findings into one finding per quantity, findings on a page."""

from __future__ import annotations

from collections.abc import Hashable, Iterable


class DisjointSets:
    """Items 0..n-1; each set is named by its smallest item, so groups come out in the
    order of their first item whatever the order of the joins."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> list[list[int]]:
        """Every set, its items in order, the sets in order of their first item."""
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


def sharing(keys: Iterable[Iterable[Hashable]]) -> list[list[int]]:
    """Items grouped when they share a key, directly or through other items: the indexes
    of `keys` (one iterable of keys per item), as DisjointSets.groups gives them."""
    keys = [list(k) for k in keys]
    sets = DisjointSets(len(keys))
    holder: dict[Hashable, int] = {}
    for i, item_keys in enumerate(keys):
        for key in item_keys:
            sets.join(i, holder.setdefault(key, i))
    return sets.groups()
