"""Prefix trees of words, the shape every word-list pattern here is compiled from.

Python's re tries the branches of a flat alternation one by one at every position; a
trie-shaped pattern lets the first character pick the branch. Each user emits the tree in
its own way (case classes, lookaheads), all from this one builder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def prefix_tree(words: Iterable[str], flags: int = 0) -> dict:
    """Nested dicts, one level per character; the key "" marks the end of a word.

    With re.IGNORECASE, characters re treats as one ("A"/"a", "ß"/"ẞ", "K"/Kelvin sign)
    share a branch, so that two siblings never both match."""
    fold = bool(flags & re.IGNORECASE)
    canonical: dict[str, str] = {}

    def key(ch: str) -> str:
        if not fold:
            return ch
        if ch not in canonical:
            same = (rep for rep in set(canonical.values()) if re.fullmatch(re.escape(rep), ch, flags))
            canonical[ch] = next(same, ch)
        return canonical[ch]

    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(key(ch), {})
        node[""] = {}  # a word ends here
    return root
