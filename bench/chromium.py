"""Debian's chromium and the flags this machine's closed network needs (never a browser
downloaded by a test tool): shared by the browser tests and the benchmark's page measures."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("PROACTIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
