"""factcheck: find numbers that disagree across financial articles.

    import factcheck
    report = factcheck.check([factcheck.Article(text=draft, name="draft.md")], against=["corpus"])
"""

__version__ = "0.1.0"

# After __version__: the API's modules read it.
from factcheck.api import Article, Settings, check, claims, claims_report  # noqa: E402
from factcheck.models import Claim, Finding, Report  # noqa: E402

__all__ = ["Article", "Claim", "Finding", "Report", "Settings", "check", "claims", "claims_report", "__version__"]
