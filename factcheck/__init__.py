"""factcheck: find numbers that disagree across financial articles."""

__version__ = "0.1.0"
