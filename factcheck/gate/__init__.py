"""What makes factcheck a CI gate rather than a one-off report.

Settings from config files and flags (config), the stage cache that makes warm runs cheap
(cache), inline suppression comments and code selection (suppress), the baseline of
accepted findings (baseline) and the files a change touches (changes). None of them
finds anything: they decide what a run reads again and what it reports.
"""
