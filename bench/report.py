"""The results of one run: a row per measure, beside its baseline, written as markdown and JSON."""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Row:
    """One line of the table. `value` and `base` are in `unit`; `ratio` is value/base unless
    the measure says otherwise (a speed-up is base/value); `ok` is None when no target
    applies (a smoke run, a figure without a target)."""

    measure: str
    baseline: str
    value: float | None
    base: float | None
    unit: str
    ratio: float | None
    target: str
    ok: bool | None
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def absolute(
        cls, measure: str, value: float | None, unit: str, target: str, *, ok: bool | None, detail: dict[str, Any]
    ) -> Row:
        """A figure judged against a fixed target, with no baseline beside it."""
        return cls(measure, "— (an absolute target)", value, None, unit, None, target, ok, detail)


def p95(samples: list[float]) -> float:
    """The 95th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": round(statistics.median(samples), 2),
        "p95": round(p95(samples), 2),
        "max": round(max(samples), 2),
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in {"req/s", "rows", "KB", "MB"} or abs(value) >= 100:
        return f"{value:,.0f} {unit}".strip()
    return f"{value:,.1f} {unit}".strip()


def markdown(rows: list[Row], meta: dict[str, Any]) -> str:
    lines = [
        f"# Benchmark — {meta['size']} ({meta['started']})",
        "",
        f"{meta['machine']}; {meta['database']}; {meta['server']}; data: {meta['data']}.",
        *[
            f"Merged: {part['database']}; {part['server'] or 'in-process'}; data: {part['data']}."
            for part in meta.get("merged", [])
        ],
        "Each measure ran beside its baseline in the same run; the ratio is what counts on a shared machine.",
        "",
        "| measure | baseline (same run) | measure | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "—" if row.ratio is None else f"{row.ratio:,.2f}×"
        met = {True: "yes", False: "**no**", None: "—"}[row.ok]
        lines.append(
            f"| {row.measure} | {row.baseline} | {_number(row.value, row.unit)} | {_number(row.base, row.unit)} "
            f"| {ratio} | {row.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def write(rows: list[Row], meta: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """bench/results/<size>-<stamp>.md and .json, and latest-<size>.md/.json beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{meta['size']}-{meta['stamp']}"
    text = markdown(rows, meta)
    data = json.dumps({"meta": meta, "rows": [asdict(row) for row in rows]}, ensure_ascii=False, indent=2)
    md, js = folder / f"{stem}.md", folder / f"{stem}.json"
    md.write_text(text)
    js.write_text(data + "\n")
    (folder / f"latest-{meta['size']}.md").write_text(text)
    (folder / f"latest-{meta['size']}.json").write_text(data + "\n")
    return md, js
