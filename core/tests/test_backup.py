"""manage.py backup / restore (issue 9, ADR 0027), on whichever database the suite runs on.

The successful restore goes through the real command in a child process pointed at a new,
empty database (SQLite: a new file; PostgreSQL: a scratch database made here) and an empty
file store, as an operator would run it; the refusals run in this process and must stop
before anything is touched."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.models import Model
from django.db.utils import load_backend

from accounts.models import User
from core import backup
from core.access import actor_for
from core.models import Attachment, AuditChain, AuditEntry
from core.tests import filefactory
from institutions.models import Institution
from register.models import WorkItem
from register.services import work_item_create
from reports import services as report_services
from reports.models import Report, ReportNote
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db(transaction=True)

#: the models whose every row is compared after the restore (beside every table's count)
SAMPLED: list[type[Model]] = [Institution, User, WorkItem, Report, ReportNote, Attachment, AuditEntry, AuditChain]


@pytest.fixture
def records(cast: Cast) -> Report:
    """Records of several modules: a register entry, a public report with two files (a PDF,
    and a photo that also gets a cleaned copy), a staff note; each with its audit entries."""
    work_item_create(
        actor=actor_for(cast.aa_officer),
        reference="W-9",
        title="도로 점용 허가",
        category="permit",
        unit=cast.building,
        year=2026,
        starts_on=datetime.date(2026, 2, 1),
    )
    report, _code = submit(
        cast.district,
        uploads=[
            SimpleUploadedFile("증거.pdf", filefactory.pdf(), content_type="application/pdf"),
            SimpleUploadedFile("현장.jpg", filefactory.image("JPEG", exif=True), content_type="image/jpeg"),
        ],
    )
    report_services.add_note(actor=actor_for(cast.aa_officer), report=report, body="현장 확인 예정")
    return report


def _archive(tmp_path: Path) -> Path:
    call_command("backup", "--output", str(tmp_path / "backup.tar"), stdout=io.StringIO())
    return tmp_path / "backup.tar"


def _rewrite(archive: Path, out: Path, *, manifest: dict[str, Any] | None = None, flip: str | None = None) -> Path:
    """A copy of the archive with a new (properly sealed) manifest, or with one byte of a
    member changed in place."""
    with tarfile.open(archive) as src, tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == backup.MANIFEST and manifest is not None:
                data = backup._seal(manifest)
            if info.name == flip:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def _manifest(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive) as tar:
        data = json.loads(tar.extractfile(backup.MANIFEST).read())  # type: ignore[union-attr]
    data.pop("sha256")
    return dict(data)


def _refusal(archive: Path, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(archive), *args, stdout=io.StringIO())
    return str(caught.value)


# --- A scratch database to restore into ---------------------------------------------------


def _url(params: dict[str, Any], name: str) -> str:
    user = quote(str(params.get("USER") or ""), safe="")
    password = quote(str(params.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{name}"


def _admin() -> Any:
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        autocommit=True,
    )


@pytest.fixture
def target(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A new, empty database of the suite's kind; yields the child process's environment
    (DATABASE_URL, MEDIA_ROOT) and opens it here as the connection alias "restored"."""
    params = dict(connection.settings_dict)
    media = tmp_path / "restored-media"
    if connection.vendor == "postgresql":
        name = f"{params['NAME']}_r{uuid.uuid4().hex[:10]}"[:63]
        with _admin() as admin:
            ctype = admin.execute("SELECT datctype FROM pg_database WHERE datname = %s", [params["NAME"]]).fetchone()[0]
            admin.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE '{ctype}' LC_CTYPE '{ctype}'"
            )
        url = _url(params, name)
    else:
        name = str(tmp_path / "restored.sqlite3")
        url = f"sqlite:///{name}"
    # Registered for this thread only (not in settings): Django's test case lets a
    # connection it was not told about through.
    wrapper = load_backend(params["ENGINE"]).DatabaseWrapper({**params, "NAME": name}, alias="restored")
    connections["restored"] = wrapper
    try:
        yield {"DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    finally:
        wrapper.close()
        del connections["restored"]
        if connection.vendor == "postgresql":
            with _admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore(archive: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(archive), *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _counts(alias: str) -> dict[str, int]:
    with connections[alias].cursor() as cursor:
        return backup._state(cursor, connections[alias].vendor).tables


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- Restoring into an empty database -----------------------------------------------------


def test_restore_into_an_empty_database_brings_back_every_row_and_file(
    records: Report, tmp_path: Path, target: dict[str, str]
) -> None:
    archive = _archive(tmp_path)
    media = Path(target["MEDIA_ROOT"])

    # A file store that already holds something is refused, and nothing is written.
    media.mkdir()
    (media / "left-over.txt").write_text("이전 파일")
    refused = _restore(archive, target)
    assert refused.returncode != 0
    assert "파일 저장소(MEDIA_ROOT)가 비어 있지 않습니다" in refused.stderr
    assert _counts("restored") == {}
    (media / "left-over.txt").unlink()

    done = _restore(archive, target)
    assert done.returncode == 0, done.stderr
    assert "복원을 마쳤습니다" in done.stdout
    assert f"감사 로그 {AuditEntry.objects.count()}건 검증 완료" in done.stdout

    # Every table has its rows; the sampled models are equal row for row.
    source_counts = _counts("default")
    assert _counts("restored") == source_counts
    assert source_counts[Attachment._meta.db_table] == 2  # the PDF, and the photo with its clean copy
    for model in SAMPLED:
        restored = list(model.objects.using("restored").order_by("pk").values())
        assert restored == list(model.objects.order_by("pk").values()), model.__name__
    assert AuditEntry.objects.filter(action="attachment.add").count() == 2

    # The files are byte for byte the same, at the same paths.
    source_files = _files(Path(settings.MEDIA_ROOT))
    assert len(source_files) == 3
    assert _files(media) == source_files
    for attachment in Attachment.objects.filter(file__gt=""):
        assert (media / attachment.file.name).read_bytes() == attachment.file.read()

    # --force replaces what is there (on PostgreSQL: the schema is dropped and made anew).
    forced = _restore(archive, target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _counts("restored") == source_counts


def test_restore_reports_a_broken_audit_chain_in_the_backup(
    records: Report, tmp_path: Path, target: dict[str, str]
) -> None:
    """The check after the restore can fail: an entry altered before the backup is found."""
    entry = AuditEntry.objects.filter(action="report.submitted").get()
    sql = f"UPDATE {AuditEntry._meta.db_table} SET reason = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:  # behind the application's back, as an intruder would
        cursor.execute(sql, ["몰래 바꾼 사유", entry.pk])
    archive = _archive(tmp_path)
    done = _restore(archive, target)
    assert done.returncode != 0
    assert "감사 로그 검증 실패" in done.stderr
    assert f"entry id {entry.pk}" in done.stderr


# --- Refusals (nothing is touched) ---------------------------------------------------------
# Several cases per test: each transactional test costs a flush of every table.


def test_a_damaged_archive_is_refused_naming_the_damage(records: Report, tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    database = backup.DB_MEMBERS[connection.vendor]
    media = next(n for n in names if n.startswith(backup.MEDIA))
    before = _counts("default")

    # A changed byte in each kind of member is refused, naming the damaged member.
    for member in [database, media, backup.CHECKSUMS, backup.MANIFEST]:
        message = _refusal(_rewrite(archive, tmp_path / "bad.tar", flip=member), "--force")
        assert "손상" in message, member
        assert member in message, message

    # A truncated archive.
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    message = _refusal(cut, "--force")
    assert "손상" in message or "manifest.json이 없습니다" in message

    # A member that would land outside the file store.
    evil = tmp_path / "evil.tar"
    with tarfile.open(archive) as src, tarfile.open(evil, "w", format=tarfile.PAX_FORMAT) as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name == media:
                info.name = "media/../../escaped"
            dst.addfile(info, io.BytesIO(data))
    assert "허용되지 않는 경로" in _refusal(evil, "--force")
    assert not (tmp_path.parent / "escaped").exists()

    # The untouched archive passes the same check; nothing above changed the database.
    assert backup.verify_archive(archive)["tables"] == before
    assert _counts("default") == before


def test_a_non_empty_target_another_vendor_or_a_newer_archive_is_refused(records: Report, tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    before = _counts("default")

    message = _refusal(archive)  # the suite's own database is not empty
    assert "복원 대상 데이터베이스가 비어 있지 않습니다" in message
    assert "--force" in message

    manifest = _manifest(archive)
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest["database"]["vendor"] = other
    message = _refusal(_rewrite(archive, tmp_path / "other.tar", manifest=manifest), "--force")
    assert f"{other} 백업은 {connection.vendor} 데이터베이스에 복원할 수 없습니다" in message

    manifest = _manifest(archive)
    manifest["migrations"]["core"].append("9999_from_the_future")
    message = _refusal(_rewrite(archive, tmp_path / "newer.tar", manifest=manifest), "--force")
    assert "새로운 버전" in message
    assert "core.9999_from_the_future" in message

    assert _counts("default") == before


# --- The archive --------------------------------------------------------------------------


def test_the_manifest_describes_the_snapshot(records: Report, tmp_path: Path) -> None:
    archive = _archive(tmp_path)
    manifest = _manifest(archive)
    assert manifest["format"] == backup.FORMAT
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"] == _counts("default")
    assert manifest["tables"][Report._meta.db_table] == 1
    assert manifest["audit"]["entries"] == AuditEntry.objects.count() > 0
    assert manifest["audit"]["heads"] == {
        str(c.key): [c.last_seq, c.last_hash] for c in AuditChain.objects.order_by("key")
    }
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["media"]["files"] == 3
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == backup.DB_MEMBERS[connection.vendor]
    assert names[-2:] == [backup.CHECKSUMS, backup.MANIFEST]
    assert backup.verify_archive(archive)["checksums"] == manifest["checksums"]


@pytest.mark.django_db
def test_backup_does_not_overwrite_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "backup.tar"
    existing.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="같은 이름의 파일이 이미 있습니다"):
        call_command("backup", "--output", str(existing), stdout=io.StringIO())
    assert existing.read_bytes() == b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.tar"]  # no partial archive left
