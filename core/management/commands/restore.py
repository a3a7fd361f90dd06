"""manage.py restore PATH [--force]: check a backup archive and restore it into the configured
(empty) database and file storage, then verify the audit log and the row counts (ADR 0027)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from core.backup import report, restore_backup


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "백업 파일의 체크섬을 확인한 뒤 빈 데이터베이스와 파일 저장소에 복원하고, 감사 로그와 행 수를 검증합니다."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help=_("백업 파일(.tar)"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("대상 데이터베이스와 저장소가 비어 있지 않아도 기존 내용을 지우고 복원합니다."),
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=_("PostgreSQL 병렬 복원 작업 수(기본 1: 하나의 트랜잭션으로 복원)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jobs"] < 1:
            raise CommandError(_("--jobs는 1 이상이어야 합니다."))
        report(
            self,
            lambda: restore_backup(
                options["path"], force=options["force"], jobs=options["jobs"], progress=self.stdout.write
            ),
            _(
                "복원을 마쳤습니다: %(path)s\n"
                "테이블 %(tables)s개, 행 %(rows)s개(백업과 일치), 감사 로그 %(audit)s건 검증 완료, "
                "파일 %(files)s개(%(fbytes)s), %(sec).1f초"
            ),
        )
