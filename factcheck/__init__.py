"""factcheck: find numbers that disagree across financial articles.

    import factcheck
    report = factcheck.check([factcheck.Article(text=draft, name="draft.md")], against=["corpus"])
"""

from factcheck.api import Article, Settings, check, claims, claims_report
from factcheck.models import Claim, Finding, Report
from factcheck.version import __version__

__all__ = ["Article", "Claim", "Finding", "Report", "Settings", "check", "claims", "claims_report", "__version__"]
