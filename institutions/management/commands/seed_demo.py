"""Load the fictional demo (한빛광역시, 새솔구, 다온구); `--print-logins` only lists the logins."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import User
from institutions import demo


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "데모 기관(한빛광역시·새솔구·다온구), 부서, 직원, 계정, 역할, 업무 등록부를 만듭니다(여러 번 실행해도 안전)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--print-logins", action="store_true", help="데모 로그인 목록만 출력하고 아무것도 바꾸지 않습니다."
        )

    def handle(self, *args: Any, print_logins: bool = False, **options: Any) -> None:
        if print_logins:
            self._print_logins()
            return
        started = time.monotonic()
        result = demo.seed()
        elapsed = time.monotonic() - started
        if result.total == 0:
            self.stdout.write(f"데모 데이터가 이미 모두 있습니다. 바꾼 것이 없습니다. ({elapsed:.1f}초)")
            return
        counts = ", ".join(f"{name} {n}" for name, n in result.created.items() if n)
        self.stdout.write(self.style.SUCCESS(f"데모 데이터를 만들었습니다: {counts} ({elapsed:.1f}초)"))

    def _print_logins(self) -> None:
        present = set(
            User.objects.filter(username__in=[r[0] for r in demo.iter_login_rows()]).values_list("username", flat=True)
        )
        rows: list[tuple[str, ...]] = [("아이디", "역할", "기관", "비밀번호")]
        rows += [row for row in demo.iter_login_rows() if row[0] in present]
        self.stdout.write("")
        self.stdout.write("데모 로그인 (모든 계정의 비밀번호가 같습니다)")
        self.stdout.write(table(rows))
        if len(rows) == 1:
            self.stdout.write("아직 데모 계정이 없습니다. 먼저 `manage.py seed_demo`를 실행해 주십시오.")
