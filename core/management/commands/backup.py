"""manage.py backup [--output PATH]: one archive of the database and the uploaded files (ADR 0027)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from core.backup import BackupError, create_backup, human_bytes


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
        try:
            summary = create_backup(options["output"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(_("데이터베이스 오류로 중단했습니다: %(e)s") % {"e": exc}) from exc
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "백업을 만들었습니다: %(path)s (%(size)s)\n"
                    "테이블 %(tables)s개, 행 %(rows)s개, 감사 로그 %(audit)s건, "
                    "파일 %(files)s개(%(fbytes)s), %(sec).1f초"
                )
                % {
                    "path": summary.path,
                    "size": human_bytes(summary.archive_bytes),
                    "tables": summary.tables,
                    "rows": f"{summary.rows:,}",
                    "audit": f"{summary.audit_entries:,}",
                    "files": f"{summary.files:,}",
                    "fbytes": human_bytes(summary.file_bytes),
                    "sec": summary.seconds,
                }
            )
        )
