"""The results of `python -m trust` as a markdown table: each check with its figure."""

from __future__ import annotations

import datetime
import json
from typing import Any


def markdown(results: list[dict[str, Any]], *, started: datetime.datetime, smoke: bool) -> str:
    lines = [
        f"# Trust: load and faults ({'smoke' if smoke else 'full'} run, {started:%Y-%m-%d %H:%M} UTC)",
        "",
        "| phase | check | figure | target | |",
        "|---|---|---|---|---|",
    ]
    for phase in results:
        for check in phase["checks"]:
            mark = "ok" if check["ok"] else "**FAIL**"
            lines.append(f"| {phase['phase']} | {check['name']} | {check['value']} | {check['target']} | {mark} |")
    for phase in results:
        lines += ["", f"## {phase['phase']}: figures", "", "```json"]
        lines.append(json.dumps(phase["figures"], indent=2, ensure_ascii=False))
        lines.append("```")
    return "\n".join(lines) + "\n"
