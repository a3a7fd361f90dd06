"""manage.py backup [--output PATH]: one archive of the database and the uploaded files (ADR 0027)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from core.backup import create_backup, report


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _("데이터베이스와 첨부파일을 하나의 백업 파일(.tar)로 저장합니다.")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=_("백업 파일 경로 또는 폴더(기본: var/backups/proactive-<종류>-<시각>.tar)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report(
            self,
            lambda: create_backup(options["output"], progress=self.stdout.write),
            _(
                "백업을 만들었습니다: %(path)s (%(size)s)\n"
                "테이블 %(tables)s개, 행 %(rows)s개, 감사 로그 %(audit)s건, "
                "파일 %(files)s개(%(fbytes)s), %(sec).1f초"
            ),
        )
