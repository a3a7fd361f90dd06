"""Fill the database with synthetic data at production scale, for measuring (see institutions.scale)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from core import audit
from institutions import scale


class Command(BaseCommand):
    help = (
        "규모 시험용 데이터(코드 접두어 SCALE-)를 한꺼번에 넣습니다. 같은 크기로 다시 실행하면 아무것도 "
        "추가하지 않고, 더 큰 크기로 실행하면 차이만 추가합니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--institutions", type=int, default=1000, help="기관 수 (기본 1000)")
        parser.add_argument("--people", type=int, default=1_200_000, help="직원 수 (기본 1,200,000)")
        parser.add_argument("--register", type=int, default=200_000, help="업무 등록부 항목 수 (기본 200,000)")
        parser.add_argument("--batch", type=int, default=5000, help="한 번에 넣는 행 수 (기본 5000)")

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = {name: options[name] for name in ("institutions", "people", "register", "batch")}
        if any(value < 0 for value in sizes.values()) or sizes["batch"] < 1:
            raise CommandError("크기는 0 이상, --batch는 1 이상이어야 합니다.")
        ctx = scale.Context(**sizes, out=self.stdout.write)
        started = time.monotonic()
        self.stdout.write(
            f"seed_scale: institutions={ctx.institutions:,} people={ctx.people:,} "
            f"register={ctx.register:,} batch={ctx.batch:,}"
        )
        report = scale.run(ctx)
        created = {name: n for name, n, _ in report}
        if any(created.values()):
            with transaction.atomic():
                audit.record(actor=None, action="scale.seeded", target_label="seed_scale", changes=created)
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{name} {n:,} ({secs:.1f}s)" for name, n, secs in report)
        self.stdout.write(self.style.SUCCESS(f"done in {elapsed:.1f}s: {summary}"))
