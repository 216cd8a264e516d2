"""Long fuzz runs of the hostile property suite (tests/hostile/test_properties.py).

    python bench/fuzz.py --examples 20000

CI runs the same properties with 200 examples; this raises the count and seeds freshly.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000)
    args = parser.parse_args()
    env = {**os.environ, "FACTCHECK_FUZZ_EXAMPLES": str(args.examples)}
    test = "tests/hostile/test_properties.py"
    sys.exit(subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=REPO, env=env))
