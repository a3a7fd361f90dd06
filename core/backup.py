"""Backups: one tar archive with the database and the uploaded files, and its restore into an
empty database (ADR 0027).

The archive, in this order:

    database.pgdump | database.sqlite3   pg_dump --format=custom, or an SQLite copy
    media/<path>                         every file of the default storage
    SHA256SUMS                           "<sha256>  <member>" for each member above
    manifest.json                        what the restore checks (format, vendor, migrations,
                                         rows per table, audit chain heads, the SHA256SUMS hash)

Everything streams: the database is dumped to a file beside the archive, then copied in;
files are copied in blocks and hashed on the way; the restore reads the archive twice (first
every checksum, then the contents) without holding it in memory. The manifest's row counts
and audit heads are read from the very snapshot that was dumped (PostgreSQL: an exported
snapshot shared with pg_dump; SQLite: the copy made by the online backup API).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import verify_all
from core.models import AuditChain, AuditEntry

FORMAT = "proactive-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
MEDIA = "media/"
DB_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass
class DatabaseState:
    """What the restore compares: applied migrations, rows per table, the audit chains."""

    migrations: dict[str, list[str]]
    tables: dict[str, int]
    audit_entries: int
    audit_heads: dict[str, list[Any]]

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


@dataclass
class Summary:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    audit_entries: int = 0
    archive_bytes: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


def _quiet(_message: str) -> None:
    return None


def report(command: BaseCommand, work: Callable[[], Summary], message: str) -> None:
    """Run `backup` or `restore` for a management command: a failure becomes a CommandError
    (no traceback), warnings go to stderr and the summary fills `message`'s placeholders
    (path, size, tables, rows, audit, files, fbytes, sec)."""
    try:
        summary = work()
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    except DatabaseError as exc:
        raise CommandError(_("데이터베이스 오류로 중단했습니다: %(e)s") % {"e": exc}) from exc
    for warning in summary.warnings:
        command.stderr.write(command.style.WARNING(warning))
    values = {
        "path": summary.path,
        "size": human_bytes(summary.archive_bytes),
        "tables": summary.tables,
        "rows": f"{summary.rows:,}",
        "audit": f"{summary.audit_entries:,}",
        "files": f"{summary.files:,}",
        "fbytes": human_bytes(summary.file_bytes),
        "sec": summary.seconds,
    }
    command.stdout.write(command.style.SUCCESS(message % values))


# --- Reading a database's state ---------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) != 'sqlite_'")
    else:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
        )
    return sorted(str(row[0]) for row in cursor.fetchall())


def _state(cursor: Any, vendor: str) -> DatabaseState:
    tables = _tables(cursor, vendor)
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(str(app), []).append(str(name))
    heads: dict[str, list[Any]] = {}
    entries = 0
    if AuditChain._meta.db_table in counts:
        cursor.execute(f'SELECT "key", last_seq, last_hash FROM {_quote(AuditChain._meta.db_table)}')  # noqa: S608
        heads = {str(key): [int(seq), str(last)] for key, seq, last in cursor.fetchall()}
        entries = counts.get(AuditEntry._meta.db_table, 0)
    return DatabaseState(migrations=migrations, tables=counts, audit_entries=entries, audit_heads=heads)


def _migration_drift(applied: set[tuple[str, str]]) -> tuple[list[tuple[str, str]], bool]:
    """The applied migrations this code does not know (the archive is newer), and whether
    the code has migrations the archive lacks (migrate after the restore)."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    disk = set(loader.disk_migrations)
    known = set(disk)
    for migration in loader.replacements.values():
        known.update(migration.replaces)
    unknown = sorted(applied - known)
    pending = any(
        key not in applied and not (key in loader.replacements and set(loader.replacements[key].replaces) <= applied)
        for key in disk
    )
    return unknown, pending


# --- PostgreSQL -----------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    from django.db.backends.postgresql.client import DatabaseClient

    params = connection.settings_dict
    _args, extra = DatabaseClient.settings_to_cmd_args_env(params, [])
    env = {**os.environ, **(extra or {})}
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if params.get(key):
            env[var] = str(params[key])
    return env


def _pg_version() -> int:
    return int(cast("Any", connection).pg_version)


def _pg_tool(name: str) -> tuple[str, int]:
    """The client program's path and major version; a clear error when it is missing."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _("%(tool)s 프로그램을 찾을 수 없습니다. 서버와 같은 버전 이상의 PostgreSQL 클라이언트를 설치해 주십시오.")
            % {"tool": name}
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return path, int(match.group(1)) if match else 0


def _run(args: list[str], *, what: str) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise BackupError(_("%(what)s에 실패했습니다:\n%(detail)s") % {"what": what, "detail": detail})


def _pg_database_info(cursor: Any) -> dict[str, str]:
    cursor.execute("SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()")
    encoding, ctype = cursor.fetchone()
    return {"encoding": str(encoding), "ctype": str(ctype), "server_version": str(_pg_version())}


def _dump_postgresql(target: Path) -> tuple[DatabaseState, dict[str, Any]]:
    pg_dump, client = _pg_tool("pg_dump")
    server = _pg_version() // 10000
    if client < server:
        raise BackupError(
            _(
                "pg_dump %(client)s은(는) PostgreSQL %(server)s 서버를 백업할 수 없습니다. "
                "%(server)s 이상의 클라이언트를 설치해 주십시오."
            )
            % {"client": client, "server": server}
        )
    # One snapshot for the dump and the figures: a REPEATABLE READ transaction exports it and
    # stays open until pg_dump (which imports it) is done.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        state = _state(cursor, "postgresql")
        info = _pg_database_info(cursor)
        _run(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
            what=_("데이터베이스 내보내기(pg_dump)"),
        )
    return state, {**info, "tool_major": client}


def _restore_postgresql(dump: Path, meta: dict[str, Any], *, jobs: int) -> None:
    pg_restore, client = _pg_tool("pg_restore")
    if client < int(meta.get("tool_major", 0)):
        raise BackupError(
            _("이 백업은 pg_dump %(made)s(으)로 만들어졌습니다. pg_restore %(client)s(으)로는 읽을 수 없습니다.")
            % {"made": meta.get("tool_major"), "client": client}
        )
    # Comments on extensions need the extension's owner; leave them out so that an ordinary
    # application role can restore into a database where pg_trgm already exists.
    listing = subprocess.run(  # noqa: S603
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(_("데이터베이스 백업 파일을 읽을 수 없습니다: %(e)s") % {"e": listing.stderr.strip()})
    use_list = dump.with_suffix(".list")
    use_list.write_text(
        "".join(line + "\n" for line in listing.stdout.splitlines() if " COMMENT - EXTENSION " not in line),
        encoding="utf-8",
    )
    parallel = ["--jobs", str(jobs)] if jobs > 1 else ["--single-transaction"]
    name = str(connection.settings_dict["NAME"])
    connection.close()
    _run(
        [
            pg_restore,
            f"--dbname={name}",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--no-password",
            f"--use-list={use_list}",
            *parallel,
            str(dump),
        ],
        what=_("데이터베이스 복원(pg_restore)"),
    )


# --- SQLite ---------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> tuple[DatabaseState, dict[str, Any]]:
    """Copy the live database with SQLite's online backup API: one read transaction, so the
    copy is consistent, and in WAL mode writers go on meanwhile."""
    connection.ensure_connection()
    source = connection.connection
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # self-contained: no -wal file beside it
        state = _state(copy.cursor(), "sqlite")
        version = sqlite3.sqlite_version
    finally:
        copy.close()
    return state, {"server_version": version}


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(_("SQLite 데이터베이스를 복원하지 못했습니다: %(e)s") % {"e": exc}) from exc
    finally:
        source.close()


# --- Files ----------------------------------------------------------------------------


def _storage() -> Storage:
    return default_storage


def _storage_files(storage: Storage, skip: set[str]) -> Iterator[str]:
    """Every file of the storage, as a relative POSIX path, in a stable order."""
    if isinstance(storage, FileSystemStorage):
        root = Path(storage.location)
        if not root.is_dir():
            return
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                path = Path(folder) / name
                if path.is_symlink() or not path.is_file() or str(path.resolve()) in skip:
                    continue
                yield path.relative_to(root).as_posix()
        return

    def walk(prefix: str) -> Iterator[str]:
        dirs, names = storage.listdir(prefix)
        for name in sorted(names):
            yield f"{prefix}{name}"
        for sub in sorted(dirs):
            yield from walk(f"{prefix}{sub}/")

    yield from walk("")


def _storage_is_empty(storage: Storage) -> bool:
    return next(_storage_files(storage, set()), None) is None


def _safe_media_name(member: str) -> str:
    rel = member.removeprefix(MEDIA)
    parts = PurePosixPath(rel).parts
    if not rel or rel.startswith("/") or "\\" in rel or any(p in {"", ".", ".."} for p in parts):
        raise BackupError(_("백업 파일에 허용되지 않는 경로가 있습니다: %(name)s") % {"name": member})
    return rel


# --- Writing the archive ------------------------------------------------------------------


class _Hashing:
    """A reader that hashes what passes through it (tarfile copies in blocks)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.hash.update(data)
        return data


def _add(tar: tarfile.TarFile, name: str, fh: IO[bytes], *, size: int, mtime: float) -> str:
    """Copy one member in blocks; returns its sha256."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o644
    reader = _Hashing(fh)
    tar.addfile(info, reader)
    return reader.hash.hexdigest()


def _seal(body: dict[str, Any]) -> bytes:
    """The manifest with a hash of its own canonical form (a changed byte shows)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    sealed = {**body, "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}
    return json.dumps(sealed, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")


def _unseal(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
        claimed = manifest.pop("sha256")
    except (ValueError, KeyError, AttributeError) as exc:
        raise BackupError(_("백업 파일의 manifest.json이 손상되었습니다.")) from exc
    canonical = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if hashlib.sha256(canonical.encode("utf-8")).hexdigest() != claimed:
        raise BackupError(_("백업 파일의 manifest.json이 손상되었습니다."))
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("version"), int):
        raise BackupError(_("이 시스템의 백업 파일이 아닙니다."))
    if manifest["version"] > VERSION:
        raise BackupError(_("더 새로운 버전의 백업 형식입니다. 프로그램을 먼저 업데이트해 주십시오."))
    return dict(manifest)


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"proactive-{connection.vendor}-{stamp}.tar"


def create_backup(output: Path | None = None, *, progress: Progress = _quiet) -> Summary:
    """Write one archive of the database and the files. Returns what went into it."""
    started = time.monotonic()
    vendor = connection.vendor
    if vendor not in DB_MEMBERS:
        raise BackupError(_("지원하지 않는 데이터베이스입니다: %(v)s") % {"v": vendor})
    path = output or default_output()
    if path.is_dir():
        path /= default_output().name
    if path.exists():
        raise BackupError(_("같은 이름의 파일이 이미 있습니다: %(p)s") % {"p": path})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    summary = Summary(path=path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        dump = Path(work) / DB_MEMBERS[vendor]
        progress(_("데이터베이스를 내보내는 중…"))
        # The database first, then the files: a file is stored before its row commits, so
        # every file the snapshot refers to is already there when the files are read.
        state, meta = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        progress(_("파일을 묶는 중…"))
        try:
            with (
                tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar,
                tempfile.TemporaryFile(dir=work) as sums,
            ):
                with dump.open("rb") as fh:
                    digest = _add(tar, DB_MEMBERS[vendor], fh, size=dump.stat().st_size, mtime=time.time())
                sums.write(f"{digest}  {DB_MEMBERS[vendor]}\n".encode())
                dump.unlink()
                storage = _storage()
                _add_files(tar, storage, sums, summary, skip={str(partial.resolve())})
                size = sums.tell()
                sums.seek(0)
                checksums = _add(tar, CHECKSUMS, sums, size=size, mtime=time.time())
                body = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
                    "database": {"vendor": vendor, "member": DB_MEMBERS[vendor], **meta},
                    "migrations": state.migrations,
                    "tables": state.tables,
                    "audit": {"entries": state.audit_entries, "heads": state.audit_heads},
                    "media": {"storage": type(storage).__name__, "files": summary.files, "bytes": summary.file_bytes},
                    "checksums": checksums,
                }
                manifest = _seal(body)
                _add(tar, MANIFEST, io.BytesIO(manifest), size=len(manifest), mtime=time.time())
            with partial.open("rb+") as fh:
                os.fsync(fh.fileno())
            partial.rename(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    summary.tables, summary.rows, summary.audit_entries = len(state.tables), state.rows, state.audit_entries
    summary.archive_bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


def _add_files(tar: tarfile.TarFile, storage: Storage, sums: IO[bytes], summary: Summary, *, skip: set[str]) -> None:
    for rel in _storage_files(storage, skip):
        if "\n" in rel or "\r" in rel:
            summary.warnings.append(_("줄바꿈이 있는 파일 이름은 건너뜁니다: %(n)r") % {"n": rel})
            continue
        size = storage.size(rel)
        mtime = storage.get_modified_time(rel).timestamp()
        with storage.open(rel, "rb") as fh:
            digest = _add(tar, MEDIA + rel, fh, size=size, mtime=mtime)
        sums.write(f"{digest}  {MEDIA}{rel}\n".encode())
        summary.files += 1
        summary.file_bytes += size


# --- Reading the archive ------------------------------------------------------------------


def _members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """The members one by one, without tarfile's list of every member (millions of files)."""
    while True:
        try:
            info = tar.next()
        except tarfile.TarError as exc:
            raise BackupError(_("백업 파일이 손상되었습니다: %(e)s") % {"e": exc}) from exc
        if info is None:
            return
        cast("Any", tar).members.clear()
        if not info.isreg():
            raise BackupError(_("백업 파일에 예상하지 못한 항목이 있습니다: %(n)s") % {"n": info.name})
        yield info


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(_("백업 파일을 열 수 없습니다: %(e)s") % {"e": exc}) from exc


class _Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


def _copy(src: IO[bytes], dst: _Sink) -> str:
    digest = hashlib.sha256()
    while block := src.read(CHUNK):
        digest.update(block)
        dst.write(block)
    return digest.hexdigest()


def verify_archive(path: Path) -> dict[str, Any]:
    """Check every member against SHA256SUMS and SHA256SUMS against the manifest; return the
    manifest. Reads the archive once, holding one block at a time."""
    try:
        return _verify(path)
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise BackupError(_("백업 파일이 손상되었습니다: %(e)s") % {"e": exc}) from exc


def _verify(path: Path) -> dict[str, Any]:
    manifest_bytes: bytes | None = None
    with _open(path) as tar, tempfile.TemporaryFile() as computed, tempfile.TemporaryFile() as listed:
        for info in _members(tar):
            src = tar.extractfile(info)
            assert src is not None
            if info.name == MANIFEST:
                manifest_bytes = src.read()
            elif info.name == CHECKSUMS:
                _copy(src, listed)
            else:
                if info.name.startswith(MEDIA):
                    _safe_media_name(info.name)
                elif info.name not in DB_MEMBERS.values():
                    raise BackupError(_("백업 파일에 예상하지 못한 항목이 있습니다: %(n)s") % {"n": info.name})
                digest = _copy(src, _Discard())
                computed.write(f"{digest}  {info.name}\n".encode())
        if manifest_bytes is None:
            raise BackupError(_("manifest.json이 없습니다. 이 시스템의 백업 파일이 아니거나 잘린 파일입니다."))
        manifest = _unseal(manifest_bytes)
        listed.seek(0)
        if _copy(listed, _Discard()) != manifest.get("checksums"):
            raise BackupError(_("백업 파일의 SHA256SUMS가 손상되었습니다."))
        computed.seek(0)
        listed.seek(0)
        for want, got in zip(_lines(listed), _lines(computed), strict=False):
            if want != got:
                raise BackupError(
                    _("백업 파일의 %(name)s 항목이 손상되었습니다(체크섬 불일치).")
                    % {"name": want.split("  ", 1)[-1] if want else got.split("  ", 1)[-1]}
                )
    return manifest


def _lines(fh: IO[bytes]) -> Iterator[str]:
    """The lines, then one empty one: a list shorter than the other differs at its end."""
    while line := fh.readline():
        yield line.decode("utf-8").rstrip("\n")
    yield ""


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


# --- Restore ----------------------------------------------------------------------------


def _check_compatible(manifest: dict[str, Any], summary: Summary) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            _(
                "%(archive)s 백업은 %(target)s 데이터베이스에 복원할 수 없습니다. "
                "같은 종류의 데이터베이스를 지정해 주십시오."
            )
            % {"archive": vendor, "target": connection.vendor}
        )
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown, pending = _migration_drift(applied)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            _(
                "백업이 이 프로그램보다 새로운 버전에서 만들어졌습니다(모르는 마이그레이션: %(names)s). "
                "백업한 버전 이상의 프로그램으로 복원해 주십시오."
            )
            % {"names": names}
        )
    if pending:
        summary.warnings.append(
            _("백업 이후에 추가된 마이그레이션이 있습니다. 복원 후 manage.py migrate를 실행해 주십시오.")
        )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            info = _pg_database_info(cursor)
        if info["encoding"] != manifest["database"].get("encoding"):
            raise BackupError(
                _(
                    "대상 데이터베이스의 인코딩(%(target)s)이 백업(%(archive)s)과 다릅니다. "
                    "UTF8로 만든 데이터베이스에 복원해 주십시오."
                )
                % {"target": info["encoding"], "archive": manifest["database"].get("encoding")}
            )
        if info["ctype"] != manifest["database"].get("ctype"):
            summary.warnings.append(
                _(
                    "대상 데이터베이스의 LC_CTYPE(%(target)s)이 백업(%(archive)s)과 다릅니다. "
                    "한글 검색 결과가 달라질 수 있습니다."
                )
                % {"target": info["ctype"], "archive": manifest["database"].get("ctype")}
            )


def _check_empty(storage: Storage, *, force: bool) -> list[str]:
    """Refuse a target that holds anything, unless forced. Returns the target's tables."""
    with connection.cursor() as cursor:
        tables = _tables(cursor, connection.vendor)
    if tables and not force:
        raise BackupError(
            _(
                "복원 대상 데이터베이스가 비어 있지 않습니다(테이블 %(n)s개). "
                "빈 데이터베이스를 지정하거나, 기존 내용을 모두 지우고 복원하려면 --force를 붙여 주십시오."
            )
            % {"n": len(tables)}
        )
    if not force and not _storage_is_empty(storage):
        raise BackupError(
            _("파일 저장소(MEDIA_ROOT)가 비어 있지 않습니다. 빈 저장소를 지정하거나 --force를 붙여 주십시오.")
        )
    return tables


def _clear_postgresql() -> None:
    """--force on PostgreSQL: drop the schema with everything in it (tables, functions,
    extensions) and make it anew; pg_restore then finds it empty. SQLite needs nothing:
    the backup API replaces the whole database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = _quote(str(cursor.fetchone()[0]))
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")


def _restore_file(storage: Storage, rel: str, src: IO[bytes], mtime: float) -> None:
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.path(rel))
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as dst:
            _copy(src, dst)
        os.utime(target, (mtime, mtime))
        return
    if storage.exists(rel):
        storage.delete(rel)
    saved = storage.save(rel, File(src))
    if saved != rel:
        raise BackupError(_("파일을 원래 이름으로 저장하지 못했습니다: %(n)s") % {"n": rel})


def _compare(manifest: dict[str, Any], summary: Summary) -> list[str]:
    problems: list[str] = []
    with connection.cursor() as cursor:
        state = _state(cursor, connection.vendor)
    for table, expected in manifest["tables"].items():
        actual = state.tables.get(table)
        if actual is None:
            problems.append(_("테이블 %(t)s이(가) 복원되지 않았습니다.") % {"t": table})
        elif actual != expected:
            problems.append(
                _("테이블 %(t)s의 행 수가 다릅니다: 백업 %(e)s, 복원 %(a)s") % {"t": table, "e": expected, "a": actual}
            )
    if state.audit_heads != manifest["audit"]["heads"]:
        problems.append(_("감사 로그 체인의 마지막 항목이 백업과 다릅니다."))
    count, problem = verify_all()
    if problem is not None:
        problems.append(_("감사 로그 검증 실패: %(p)s") % {"p": problem})
    elif count != manifest["audit"]["entries"]:
        problems.append(
            _("감사 로그 항목 수가 다릅니다: 백업 %(e)s, 복원 %(a)s") % {"e": manifest["audit"]["entries"], "a": count}
        )
    summary.tables, summary.rows, summary.audit_entries = len(state.tables), state.rows, count
    return problems


#: sent once a backup's database and files are in place (before the checks): what an app keeps
#: in the shared cache about the old rows is read anew (library: its years and search windows)
restored = Signal()


def restore_backup(path: Path, *, force: bool = False, jobs: int = 1, progress: Progress = _quiet) -> Summary:
    """Check the archive, restore it into the configured database and file storage, then
    verify the audit chains and the row counts. Raises BackupError on any problem."""
    started = time.monotonic()
    summary = Summary(path=path)
    if not path.is_file():
        raise BackupError(_("백업 파일이 없습니다: %(p)s") % {"p": path})
    progress(_("체크섬을 확인하는 중…"))
    manifest = verify_archive(path)
    _check_compatible(manifest, summary)
    storage = _storage()
    tables = _check_empty(storage, force=force)
    vendor = manifest["database"]["vendor"]
    if tables and vendor == "postgresql":
        _clear_postgresql()
    progress(_("데이터베이스를 복원하는 중…"))
    with _open(path) as tar, tempfile.TemporaryDirectory(prefix="proactive-restore-") as work:
        for info in _members(tar):
            src = tar.extractfile(info)
            assert src is not None
            if info.name == manifest["database"]["member"]:
                dump = Path(work) / info.name
                with dump.open("wb") as dst:
                    _copy(src, dst)
                if vendor == "postgresql":
                    _restore_postgresql(dump, manifest["database"], jobs=jobs)
                else:
                    _restore_sqlite(dump)
                dump.unlink()
                progress(_("파일을 복원하는 중…"))
            elif info.name.startswith(MEDIA):
                _restore_file(storage, _safe_media_name(info.name), src, info.mtime)
                summary.files += 1
                summary.file_bytes += info.size
            elif info.name not in {CHECKSUMS, MANIFEST}:
                raise BackupError(_("백업 파일에 예상하지 못한 항목이 있습니다: %(n)s") % {"n": info.name})
    restored.send(sender=restore_backup)
    progress(_("감사 로그와 행 수를 확인하는 중…"))
    problems = _compare(manifest, summary)
    if summary.files != manifest["media"]["files"]:
        problems.append(
            _("파일 수가 다릅니다: 백업 %(e)s, 복원 %(a)s") % {"e": manifest["media"]["files"], "a": summary.files}
        )
    summary.seconds = time.monotonic() - started
    if problems:
        raise BackupError("\n".join([_("복원 후 확인에서 문제가 발견되었습니다:"), *problems]))
    return summary


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
