"""Fill the database with synthetic data at production scale, for measuring (see institutions.scale)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core import audit
from institutions import scale

SIZES = ("institutions", "people", "register", "cases")
#: --size presets: small is what CI runs (seconds on SQLite); large is the production estimate.
PRESETS: dict[str, dict[str, int]] = {
    "small": {"institutions": 50, "people": 5_000, "register": 800, "cases": 300},
    "medium": {"institutions": 300, "people": 120_000, "register": 30_000, "cases": 5_000},
    "large": {"institutions": 1000, "people": 1_200_000, "register": 200_000, "cases": 20_000},
    # issue 8's national size: a million cases per major module (hours on 2 cores; PostgreSQL)
    "national": {"institutions": 1000, "people": 1_200_000, "register": 1_000_000, "cases": 1_000_000},
}
#: without --size, the sizes not given are the large ones; --cases then follows --people
PEOPLE_PER_CASE = 60


class Command(BaseCommand):
    help = (
        "규모 시험용 데이터(코드 접두어 SCALE-)를 한꺼번에 넣습니다. 같은 크기로 다시 실행하면 아무것도 "
        "추가하지 않고, 더 큰 크기로 실행하면 차이만 추가합니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(PRESETS),
            help="미리 정한 크기: small(CI, 기관 50·직원 5,000·모듈별 사건 300), medium, large(기본값과 같음), "
            "national(주요 모듈별 사건 100만). 따로 준 크기 옵션이 우선합니다.",
        )
        parser.add_argument("--institutions", type=int, help="기관 수 (기본 1000)")
        parser.add_argument("--people", type=int, help="직원 수 (기본 1,200,000)")
        parser.add_argument("--register", type=int, help="업무 등록부 항목 수 (기본 200,000)")
        parser.add_argument(
            "--cases",
            type=int,
            help="주요 모듈(사전컨설팅, 소극행정 신고 등)별 사건 수 합계 (기본: 직원 수 / 60). "
            "다른 모듈은 이에 비례합니다.",
        )
        parser.add_argument("--batch", type=int, default=5000, help="한 번에 넣는 행 수 (기본 5000)")
        parser.add_argument(
            "--only",
            default="",
            help="이 모듈 단계만 실행 (쉼표로 구분, 예: reports,library). 기관·직원 등 기본 단계는 항상 실행합니다.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = self.sizes(options)
        if any(value < 0 for value in sizes.values()) or sizes["batch"] < 1:
            raise CommandError("크기는 0 이상, --batch는 1 이상이어야 합니다.")
        ctx = scale.Context(
            institutions=sizes["institutions"],
            people=sizes["people"],
            register=sizes["register"],
            cases=sizes["cases"],
            batch=sizes["batch"],
            out=self.stdout.write,
        )
        started = time.monotonic()
        self.stdout.write(
            f"seed_scale: institutions={ctx.institutions:,} people={ctx.people:,} "
            f"register={ctx.register:,} cases={ctx.cases:,} batch={ctx.batch:,}"
        )
        only = frozenset(name.strip() for name in (options.get("only") or "").split(",") if name.strip())
        unknown = only - set(scale.step_names())
        if unknown:
            raise CommandError(f"알 수 없는 단계: {', '.join(sorted(unknown))} (가능: {', '.join(scale.step_names())})")
        report = scale.run(ctx, only or None)
        created = {name: n for name, n, _ in report}
        if any(created.values()):
            with transaction.atomic():
                audit.record(actor=None, action="scale.seeded", target_label="seed_scale", changes=created)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name} {n:,} ({secs:.1f}s)" for name, n, secs in report)
        self.stdout.write(self.style.SUCCESS(f"done in {elapsed:.1f}s: {summary}"))
        self.stdout.write(f"database size: {scale.database_size() / 1_000_000:,.1f} MB")

    @staticmethod
    def sizes(options: dict[str, Any]) -> dict[str, int]:
        """The options given, else the preset of --size, else the large sizes (with --cases
        following --people)."""
        preset = PRESETS[options.get("size") or "large"]
        sizes = {name: options.get(name) for name in SIZES}
        for name in ("institutions", "people", "register"):
            if sizes[name] is None:
                sizes[name] = preset[name]
        if sizes["cases"] is None:
            people = sizes["people"] or 0
            sizes["cases"] = preset["cases"] if options.get("size") else people // PEOPLE_PER_CASE
        return {**{k: int(v or 0) for k, v in sizes.items()}, "batch": int(options.get("batch") or 0)}
