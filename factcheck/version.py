"""The package version, beneath every layer: caches, baselines and workers stamp it, and
`import factcheck` (which loads the API) must not be what they import to read it."""

__version__ = "0.1.0"
