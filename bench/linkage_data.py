"""The labelled pairs behind claim linkage: story groups, their claims, and a label per pair.

Reads the gold-labelled story groups in ../shared (realnews, realnews2, the seeds) and
the project's own corpus/,
extracts every article's claims with the real pipeline (kept in a cache file keyed by the
code and rules, under .factcheck/linkage/), and labels candidate pairs:

- a pair of a gold conflict: `same` quantity (its values disagree);
- a pair of a gold clean item: `same` or `different`, from bench/data/linkage_labels.yaml;
- any other candidate pair: `different` when its values differ (the gold files list the
  conflicts of each group), unlabelled when they agree (a restatement nobody labelled).

Used by bench/train_linkage.py and bench/linkage_cv.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
LABELS = ROOT / "bench" / "data" / "linkage_labels.yaml"
CACHE = ROOT / ".factcheck" / "linkage"
ARTICLE_EXT = {".md", ".markdown", ".txt", ".html", ".htm"}

# (set name, folder, gold file): every labelled set the linkage is trained and checked on.
SETS = (
    ("realnews", SHARED / "eval" / "realnews", "gold.yaml"),
    ("realnews2", SHARED / "eval" / "realnews2", "gold.yaml"),
    ("seeds", SHARED / "seeds", "expected.yaml"),
    # the project's own corpus: articles written for it, one story of many companies
    ("corpus", ROOT / "corpus", "expected.yaml"),
)

sys.path.insert(0, str(SHARED / "tools"))
from score_findings import RANK, matches, side_match  # noqa: E402  (the scorer's own matching)

sys.path.insert(0, str(ROOT))
from factcheck.link.comparisons import figures_agree  # noqa: E402
from factcheck.models import Claim  # noqa: E402


@dataclass
class Group:
    set: str
    name: str
    files: list[Path]
    conflicts: list[dict] = field(default_factory=list)
    clean: list[dict] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.set}/{self.name}"


def load_groups() -> list[Group]:
    groups: list[Group] = []
    for set_name, folder, gold_name in SETS:
        if not folder.is_dir():
            continue
        gold = yaml.safe_load((folder / gold_name).read_text(encoding="utf-8"))
        files = [p for p in sorted(folder.iterdir()) if p.suffix in ARTICLE_EXT and p.name.lower() != "readme.md"]
        by_group: dict[str, list[Path]] = {}
        for p in files:
            # the seeds and the corpus are one story each; the eval sets name the group before the first dash
            by_group.setdefault(set_name if set_name in ("seeds", "corpus") else p.name.split("-")[0], []).append(p)
        for name, members in by_group.items():
            names = {p.name for p in members}

            def mine(item: dict) -> bool:
                return any(p[0] in names and p[2] in names for p in item["pairs"])

            groups.append(
                Group(set_name, name, members, [i for i in gold.get("conflicts", []) if mine(i)], [i for i in gold.get("clean", []) if mine(i)])
            )
    return groups


def _code_fingerprint(rules) -> str:
    # Extraction's output depends on neither linkage nor comparison, nor on the weights
    # that training writes: retraining keeps the cache.
    digest = hashlib.sha256()
    for path in sorted(Path(rules.directory).rglob("*")):
        if path.is_file() and path.name != "linkage.yaml":
            digest.update(path.name.encode() + path.read_bytes())
    for path in sorted((ROOT / "factcheck").rglob("*.py")):
        if "link" in path.parts or "compare" in path.parts:
            continue
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def attach_claims(groups: list[Group], rules) -> None:
    """Each group's claims, extracted as `factcheck check` extracts them (one run per group)."""
    from factcheck.api import claims
    from factcheck.gate.config import Settings

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"claims-{_code_fingerprint(rules)}.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for group in groups:
        if group.id not in stored:
            found = claims([str(p) for p in group.files], settings=Settings(nli="off", cache=False, jobs=1), rules=rules)
            stored[group.id] = [c.model_dump(mode="json") for c in found]
            changed = True
        group.claims = [Claim.model_validate(c) for c in stored[group.id]]
    if changed:
        path.write_text(json.dumps(stored))


def load_labels() -> dict[str, dict]:
    """clean item id -> {label, reason, pairs?} per set."""
    if not LABELS.exists():
        return {}
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8")) or {}
    return {f"{s}/{item}": spec for s, items in data.items() for item, spec in (items or {}).items()}


def _as_dict(claim: Claim) -> dict:
    return {"path": claim.path, "sentence": claim.sentence, "text": claim.text}


def gold_pair_of(a: Claim, b: Claim, pair: list) -> bool:
    """Whether claims a and b are the two sides of a gold pair, either order."""
    return matches({"claims": [_as_dict(a), _as_dict(b)]}, pair)


# A figure of a snippet, whole: "2" is not a figure of "its 2027 and 2028 fiscal years"
_FIGURE = re.compile(r"\d[\d,.]*")


def _figure_in(claim: Claim, snippet: str) -> bool:
    figures = [f.rstrip(".,") for f in _FIGURE.findall(claim.text)]
    return not figures or any(re.search(rf"(?<![\d.,]){re.escape(f)}(?!\d)", snippet) for f in figures)


def labelled_pair_of(a: Claim, b: Claim, pair: list) -> bool:
    """Whether a and b are a gold pair's two sides, as the scorer matches them, with each
    claim's figure written whole in its snippet. The scorer accepts a figure's digits
    anywhere in the snippet (`side_match`), so a sentence's "around 2%" matches a snippet
    that holds only years ("for its 2027 and 2028 fiscal years"). A finding that reaches
    such a pair still counts in scoring; a label for training should not fall on it."""
    name_a, snippet_a, name_b, snippet_b = pair

    def side(claim: Claim, name: str, snippet: str) -> bool:
        return side_match(_as_dict(claim), name, snippet) and _figure_in(claim, snippet)

    return (side(a, name_a, snippet_a) and side(b, name_b, snippet_b)) or (side(b, name_a, snippet_a) and side(a, name_b, snippet_b))


def label_pairs(group: Group, pairs: list[tuple[Claim, Claim]], labels: dict[str, dict]) -> list[tuple[int | None, str | None]]:
    """(label, gold item id) per pair: 1 same quantity, 0 different, None unlabelled."""
    sides: list[tuple[list, int, str]] = []  # (gold pair, label, item id)
    for item in group.conflicts:
        sides.extend((p, 1, item["id"]) for p in item["pairs"])
    for item in group.clean:
        spec = labels.get(f"{group.set}/{item['id']}")
        if spec is None:
            continue
        overrides = spec.get("pairs") or {}
        for k, p in enumerate(item["pairs"]):
            label = overrides.get(k, spec["label"])
            sides.append((p, 1 if label == "same" else 0, item["id"]))
    # Index gold sides by file name so each pair is checked against a handful of them.
    by_files: dict[frozenset, list] = {}
    for p, label, item in sides:
        by_files.setdefault(frozenset((p[0], p[2])), []).append((p, label, item))
    out = []
    for a, b in pairs:
        key = frozenset((Path(a.path).name, Path(b.path).name))
        hit = next(((label, item) for p, label, item in by_files.get(key, []) if labelled_pair_of(a, b, p)), None)
        if hit is not None:
            out.append(hit)
        elif figures_agree(a, b):
            out.append((None, None))
        else:
            out.append((0, None))
    return out


def gold_sides(group: Group) -> list[list]:
    """Every gold pair of the group, conflict and clean."""
    return [p for key in ("conflicts", "clean") for item in getattr(group, key) for p in item["pairs"]]


@dataclass
class GroupData:
    """A group's candidate pairs as the link stage sees them, with their labels."""

    group: Group
    pairs: list[tuple[Claim, Claim]]
    vectors: list[dict[str, str]]  # the comparisons, value-blind
    levels: list[str | None]  # the value level of each pair (link/values.py), which the assignment weighs
    verdicts: list  # compare.Verdict per pair: the finding it makes if linked, or None
    labels: list[tuple[int | None, str | None]]
    xa: object = None  # assignment design rows (numpy)
    xc: object = None  # confirmation design rows
    blocked_gold: tuple[int, int] = (0, 0)  # gold pairs reaching scoring, gold pairs with claims on both sides

    def is_conflict(self, i: int) -> bool:
        label, item = self.labels[i]
        return label == 1 and item is not None and any(c["id"] == item for c in self.group.conflicts)


# Quantity families the weights are not fitted on; their pairs are scored at check time
# with the weights the figures' pairs give. A period's last day (extract/dates.py): the
# labelled groups hold three labelled pairs of them, all of one story, and fitted with them
# the weights and thresholds of every figure moved (bench/README.md: 76/107 against 79/107
# with each group held out).
UNTRAINED_FAMILIES = frozenset({"date"})


def build_dataset(rules) -> list[GroupData]:
    """Every labelled group's candidate pairs, vectors, verdicts and labels."""
    from bench.train_linkage import ASSIGNMENT, CONFIRMATION
    from factcheck.compare import judge, value_levels
    from factcheck.link import Story, candidate_pairs, contrasted, group_by_key, pair_vectors
    from factcheck.link.comparisons import VALUE

    groups = load_groups()
    attach_claims(groups, rules)
    labels = load_labels()
    data = []
    for group in groups:
        pairs, vectors, candidates, verdicts = [], [], [], []
        for (_, family), block in group_by_key(group.claims, rules).items():
            found = list(candidate_pairs(block, rules))
            candidates += found  # blocking recall counts them: the check compares them
            if family in UNTRAINED_FAMILIES:
                continue
            scored = [(a, b) for a, b in found if not contrasted(a, b)]
            pairs += scored
            story = Story.of(block, rules)
            vectors += pair_vectors(scored, story)
            verdicts += [judge(story.placed(a), story.placed(b), rules) for a, b in scored]
        levels = value_levels(pairs, rules)
        d = GroupData(group, pairs, vectors, levels, verdicts, label_pairs(group, pairs, labels))
        d.xc = CONFIRMATION.rows(vectors)
        d.xa = ASSIGNMENT.rows([{**v, VALUE.name: level} for v, level in zip(vectors, levels)])
        d.blocked_gold = blocking_recall(group, candidates)
        data.append(d)
    return data


def blocking_recall(group: Group, pairs: list[tuple[Claim, Claim]]) -> tuple[int, int]:
    """Of the gold pairs whose two sides both carry an extracted claim, how many reach
    scoring as candidates (link.candidate_pairs; the veto of link.contrasted is scoring's)."""
    reached = possible = 0
    as_dict = {id(c): _as_dict(c) for c in group.claims}
    for p in gold_sides(group):
        left = [c for c in group.claims if side_match(as_dict[id(c)], p[0], p[1])]
        right = [c for c in group.claims if side_match(as_dict[id(c)], p[2], p[3])]
        if not left or not right:
            continue
        possible += 1
        reached += any(gold_pair_of(a, b, p) for a, b in pairs)
    return reached, possible


__all__ = ["RANK", "Group", "GroupData", "attach_claims", "build_dataset", "gold_pair_of", "gold_sides", "label_pairs", "load_groups", "load_labels", "matches", "side_match"]
