"""Regenerate the README's screenshot of the html report on corpus/ (docs/html-report.png).

    .venv/bin/python bench/html_screenshot.py [--output docs/html-report.png] [--width 1366 --height 768]

Needs Debian's chromium and chromium-driver (`apt-get install -y chromium chromium-driver`)
and selenium (the `test` extra). The report is made by the real CLI, exactly as the
README's command makes it, then photographed in headless Chromium at a fixed viewport
(1366x768 by default: the first screen a reader sees) so that refreshed screenshots differ
only where the report does.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def screenshot(page: Path, out: Path, width: int, height: int) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        sys.exit("html_screenshot: chromium and chromedriver are needed (apt-get install -y chromium chromium-driver)")
    options = Options()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        # --window-size is the outer window; the page's viewport is set exactly, so the
        # picture is the first screen a reader at that size sees.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        driver.get(page.as_uri())
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "html-report.png")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        command = [sys.executable, "-m", "factcheck", "check", "corpus", "--nli", "off", "--no-cache", "--format", "html", "--output-file", str(page)]
        status = subprocess.run(command, cwd=REPO).returncode
        if status not in (0, 1):  # 1: the corpus has planted conflicts
            sys.exit(f"html_screenshot: factcheck exited {status}")
        screenshot(page, args.output.resolve(), args.width, args.height)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
