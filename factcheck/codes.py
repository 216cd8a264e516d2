"""The finding codes, read from the comparison policies that raise them.

Each policy class carries its code and kind, and its module's docstring is the code's
explanation (anti-pattern, best practice, scope), so a code is documented where it is
decided. Selection, suppression comments, SARIF rules, `factcheck rule` and the README's
code table all read this one registry.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

from factcheck.compare import ARTICLE_POLICIES, POLICY_CHAIN
from factcheck.models import Severity
from factcheck.rules import DEFAULT_RULES_DIR, SeverityFile, load_yaml_model


@dataclass(frozen=True)
class FindingCode:
    code: str  # "FC103"
    kind: str  # "rounding_difference"
    summary: str  # one sentence, shown in SARIF rules
    explanation: str  # the policy module's docstring, printed by `factcheck rule`
    default_severity: Severity  # from the shipped rules/severity.yaml; a rules copy may differ


@functools.cache
def finding_codes() -> dict[str, FindingCode]:
    """Every code, in code order."""
    shipped = load_yaml_model(DEFAULT_RULES_DIR / "severity.yaml", SeverityFile).severity
    codes: dict[str, FindingCode] = {}
    for policy in (*POLICY_CHAIN, *ARTICLE_POLICIES):
        if policy.code is None:
            continue
        # A code's own module (fc102_value.py) explains it; a second policy elsewhere
        # (transposed.py) stands in only until the own module is reached.
        if policy.code in codes and not type(policy).__module__.rsplit(".", 1)[-1].startswith(policy.code.lower()):
            continue
        explanation = (sys.modules[type(policy).__module__].__doc__ or "").strip()
        codes[policy.code] = FindingCode(
            code=policy.code,
            kind=policy.kind,
            summary=_summary(explanation),
            explanation=explanation,
            default_severity=shipped.get(policy.code, "warning"),
        )
    return dict(sorted(codes.items()))


def _summary(explanation: str) -> str:
    """ "FC103 rounding difference: one figure is ... other." -> "One figure is ... other." """
    first = " ".join(explanation.split("\n\n")[0].split())
    text = first.partition(": ")[2] or first
    return text[:1].upper() + text[1:]
