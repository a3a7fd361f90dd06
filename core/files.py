"""Attachments: accepted by what a file IS, stored under a random name, served only through
a permission-checked download.

The type is decided from the content, never from the name or the browser's claim: PDF,
PNG, JPEG, GIF, WebP, HWP 5 (an OLE compound file whose FileHeader stream carries the HWP
signature), HWPX, DOCX/XLSX/PPTX (macro-free), and plain text or CSV in UTF-8 or CP949.
Everything else is refused - executables, HTML, SVG (also when renamed), archives, zip
bombs. Images keep their original (evidence) and get a re-encoded copy without EXIF/GPS
metadata.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import lzma
import struct
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from core import audit
from core.access import Actor
from core.errors import DomainError
from core.models import Attachment

HEAD_BYTES = 8192
#: Zip archives (HWPX, DOCX, XLSX, PPTX): limits checked on the central directory, before
#: anything is decompressed.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNCOMPRESSED = 512 * 1024 * 1024
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_SIZE = 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
HWP = "application/x-hwp"
HWPX = "application/hwp+zip"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"
CSV = "text/csv"

EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    GIF: (".gif",),
    WEBP: (".webp",),
    HWP: (".hwp",),
    HWPX: (".hwpx",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    TEXT: (".txt", ".text", ".log", ".md", ".tsv"),
    CSV: (".csv",),
}
IMAGE_FORMATS = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}
#: Image.info entries that carry metadata rather than pixels (the encoders also ignore
#: EXIF and XMP unless asked; these are dropped for the formats that copy info over).
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")

ALLOWED_TYPES_TEXT = gettext_lazy(
    "PDF, 이미지(PNG·JPEG·GIF·WebP), 한글(HWP·HWPX), 워드·엑셀·파워포인트(DOCX·XLSX·PPTX), "
    "텍스트·CSV 파일만 올릴 수 있습니다."
)


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="file")


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        value = size / (1024 * 1024)
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} B"


# --- Names ----------------------------------------------------------------------------

_FORBIDDEN_NAME_CHARS = set('<>:"|?*')


def safe_filename(name: str) -> str:
    """The user's file name reduced to a harmless basename (for display and download only;
    it is never used on disk)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        "_" if ch in _FORBIDDEN_NAME_CHARS else ch for ch in name if not unicodedata.category(ch).startswith("C")
    )
    name = name.strip().lstrip(".").strip()
    if not name:
        name = _("첨부파일")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 200 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:200]
    return name


def _with_extension(name: str, mime: str) -> str:
    """Make the name's extension agree with the detected type ("보고서.exe" holding a PDF
    is offered as "보고서.exe.pdf")."""
    allowed = EXTENSIONS[mime]
    if name.lower().endswith(allowed):
        return name
    return name + allowed[0]


# --- Detection ------------------------------------------------------------------------


@dataclass(frozen=True)
class Detected:
    mime: str
    charset: str = ""

    @property
    def content_type(self) -> str:
        return f"{self.mime}; charset={self.charset}" if self.charset else self.mime


def _source(upload: Any) -> IO[bytes]:
    return getattr(upload, "file", None) or upload  # type: ignore[no-any-return]


def detect(upload: Any, *, name: str = "") -> Detected:
    """The allowed type of an upload, from its content; raises DomainError otherwise."""
    fh = _source(upload)
    fh.seek(0)
    head = fh.read(HEAD_BYTES)
    fh.seek(0)
    if head.startswith(b"%PDF-"):
        return Detected(PDF)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected(PNG)
    if head.startswith(b"\xff\xd8\xff"):
        return Detected(JPEG)
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Detected(GIF)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected(WEBP)
    if head.startswith(CFB_MAGIC):
        if _is_hwp(fh):
            return Detected(HWP)
        raise _refuse(
            _("한글(HWP) 문서가 아닌 OLE 문서(구형 doc·xls 등)는 올릴 수 없습니다. ") + str(ALLOWED_TYPES_TEXT)
        )
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(fh)
    if head.startswith((b"MZ", b"\x7fELF", b"#!")) or head[:4] in MACHO_MAGICS:
        raise _refuse(_("실행 파일은 올릴 수 없습니다. ") + str(ALLOWED_TYPES_TEXT))
    return _detect_text(fh, head, name)


MACHO_MAGICS = {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"}
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<body", b"<head", b"<iframe", b"<!--")


def _detect_text(fh: IO[bytes], head: bytes, name: str) -> Detected:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<") or any(tag in head[:1024].lower() for tag in _MARKUP):
        raise _refuse(_("HTML·SVG·XML 같은 마크업 파일은 올릴 수 없습니다. ") + str(ALLOWED_TYPES_TEXT))
    charset = ""
    for encoding in ("utf-8", "cp949"):
        if _decodes(fh, encoding):
            charset = encoding
            break
    fh.seek(0)
    if not charset:
        raise _refuse(_("허용되지 않는 파일 형식입니다. ") + str(ALLOWED_TYPES_TEXT))
    mime = CSV if name.lower().endswith(".csv") else TEXT
    return Detected(mime, "utf-8" if charset == "utf-8" else "euc-kr")


def _decodes(fh: IO[bytes], encoding: str) -> bool:
    """The whole file decodes in `encoding` and holds no NUL byte (read in chunks)."""
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        while chunk := fh.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


#: What the zipfile module raises on a crafted or damaged archive (a bad header, a negative
#: offset, an unknown compression method or version, a broken deflate/bzip2/LZMA stream).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
)


def _detect_zip(fh: IO[bytes]) -> Detected:
    try:
        return _zip_type(fh)
    except ZIP_ERRORS as exc:
        raise _refuse(_("손상된 압축 파일입니다.")) from exc
    finally:
        fh.seek(0)


def _zip_type(fh: IO[bytes]) -> Detected:
    """Limits checked on the central directory before anything is decompressed; then at
    most 64 bytes of one member are read (the zipfile module never returns more than a
    member's declared size, which the limits have bounded)."""
    bomb = _refuse(_("압축 해제 크기가 비정상적으로 큰 파일(압축 폭탄)은 올릴 수 없습니다."))
    archive = zipfile.ZipFile(fh)
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_RATIO_MIN_SIZE and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
            raise bomb
    if total > ZIP_MAX_UNCOMPRESSED:
        raise bomb
    names = {info.filename for info in infos}
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            if member.read(64).strip() == b"application/hwp+zip":
                return Detected(HWPX)
    if "[Content_Types].xml" in names:
        if any(n.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for n in names):
            raise _refuse(_("매크로가 포함된 문서는 올릴 수 없습니다. 매크로 없는 문서로 저장해 올려 주십시오."))
        for prefix, mime in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
            if any(n.startswith(prefix) for n in names):
                return Detected(mime)
    raise _refuse(_("압축 파일(zip 등)은 올릴 수 없습니다. ") + str(ALLOWED_TYPES_TEXT))


# --- HWP 5: a minimal reader of OLE compound files (MS-CFB) ---------------------------

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HWP_SIGNATURE = b"HWP Document File"
_MAX_REGULAR_SECTOR = 0xFFFFFFFA


class _BadCFB(Exception):
    pass


def _is_hwp(fh: IO[bytes]) -> bool:
    try:
        head = _CompoundFile(fh).stream_head("FileHeader")
    except (_BadCFB, struct.error, IndexError, UnicodeDecodeError):
        return False
    finally:
        fh.seek(0)
    return head is not None and head.startswith(HWP_SIGNATURE)


class _CompoundFile:
    """Just enough of MS-CFB to read the first bytes of a root-level stream. Every sector
    number is bounds-checked and every chain is cycle-checked: a crafted file fails fast."""

    def __init__(self, fh: IO[bytes]) -> None:
        fh.seek(0, io.SEEK_END)
        file_size = fh.tell()
        fh.seek(0)
        header = fh.read(512)
        if len(header) < 512 or not header.startswith(CFB_MAGIC):
            raise _BadCFB
        sector_shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if sector_shift not in (9, 12) or mini_shift != 6:
            raise _BadCFB
        self.fh = fh
        self.size = 1 << sector_shift
        self.max_sector = file_size // self.size
        n_fat, self.first_dir = struct.unpack_from("<II", header, 0x2C)
        self.cutoff = struct.unpack_from("<I", header, 0x38)[0]
        first_difat, n_difat = struct.unpack_from("<II", header, 0x44)
        self.fat = self._load_fat(list(struct.unpack_from("<109I", header, 0x4C)), first_difat, n_difat, n_fat)

    def read_sector(self, n: int) -> bytes:
        if n >= self.max_sector:
            raise _BadCFB
        self.fh.seek((n + 1) * self.size)
        data = self.fh.read(self.size)
        if len(data) < self.size:
            raise _BadCFB
        return data

    def _ints(self, sector: int) -> tuple[int, ...]:
        return struct.unpack(f"<{self.size // 4}I", self.read_sector(sector))

    def _load_fat(self, difat: list[int], first_difat: int, n_difat: int, n_fat: int) -> list[int]:
        sector = first_difat
        for _i in range(min(n_difat, self.max_sector)):
            if sector > _MAX_REGULAR_SECTOR:
                break
            entries = self._ints(sector)
            difat.extend(entries[:-1])
            sector = entries[-1]
        fat: list[int] = []
        for fat_sector in difat[: min(n_fat, self.max_sector)]:
            if fat_sector <= _MAX_REGULAR_SECTOR:
                fat.extend(self._ints(fat_sector))
        return fat

    def chain(self, start: int) -> list[int]:
        found: list[int] = []
        seen: set[int] = set()
        while start <= _MAX_REGULAR_SECTOR:
            if start in seen or start >= len(self.fat):
                raise _BadCFB
            seen.add(start)
            found.append(start)
            start = self.fat[start]
        return found

    def stream_head(self, stream_name: str) -> bytes | None:
        """The first 64 bytes of a stream, or None if there is no such stream."""
        directory = b"".join(self.read_sector(s) for s in self.chain(self.first_dir))
        root: tuple[int, int] | None = None
        wanted: tuple[int, int] | None = None
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            name_length = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
            start, stream_size = struct.unpack_from("<IQ", entry, 0x74)
            if entry[0x42] == 5 and root is None:
                root = (start, stream_size)
            elif entry[0x42] == 2 and entry[: max(name_length - 2, 0)].decode("utf-16-le") == stream_name:
                wanted = (start, stream_size)
        if wanted is None:
            return None
        start, stream_size = wanted
        if stream_size >= self.cutoff:
            return self.read_sector(start)[:64]
        if root is None:
            raise _BadCFB
        # A small stream lives in the mini stream: 64-byte sectors inside the root's chain.
        # Its first mini sector is all we read, so the mini FAT is not needed.
        offset = start * 64
        root_chain = self.chain(root[0])
        return self.read_sector(root_chain[offset // self.size])[offset % self.size :][:64]


# --- Images ---------------------------------------------------------------------------


def _clean_image(fh: IO[bytes], mime: str) -> bytes:
    """A re-encoded copy without EXIF, GPS, XMP or comments (orientation applied).
    Refuses images larger than Image.MAX_IMAGE_PIXELS (a decompression bomb)."""
    limit = Image.MAX_IMAGE_PIXELS
    too_big = _refuse(
        _("이미지가 너무 큽니다. 최대 %(pixels)s 화소까지 올릴 수 있습니다.") % {"pixels": f"{limit or 0:,}"}
    )
    fh.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fh) as probe:
                if limit and probe.width * probe.height > limit:
                    raise too_big
                probe.verify()
            fh.seek(0)
            with Image.open(fh) as image:
                image.load()
                fmt = IMAGE_FORMATS[mime]
                options: dict[str, Any] = {}
                if image.info.get("icc_profile"):
                    options["icc_profile"] = image.info["icc_profile"]
                clean: Image.Image = image
                if getattr(image, "n_frames", 1) > 1 and fmt in {"GIF", "WEBP"}:
                    options["save_all"] = True
                else:
                    clean = ImageOps.exif_transpose(image)
                for key in METADATA_KEYS:
                    clean.info.pop(key, None)
                if fmt == "JPEG":
                    options["quality"] = 92
                out = io.BytesIO()
                clean.save(out, format=fmt, **options)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _refuse(_("이미지 파일을 읽을 수 없습니다. 손상된 파일인지 확인해 주십시오.")) from exc
    finally:
        fh.seek(0)
    return out.getvalue()


# --- The service ----------------------------------------------------------------------


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(1024 * 1024):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()


def attach(*, actor: Actor, target: models.Model, upload: UploadedFile[bytes], purpose: str = "") -> Attachment:
    """Check and store one uploaded file on a case, and record it in the case's audit log.
    The caller has already decided that the actor may add files to the target."""
    limit = int(settings.ATTACHMENT_MAX_BYTES)
    size = upload.size or 0
    if size > limit:
        raise _refuse(
            _("파일이 너무 큽니다(%(size)s). 첨부파일은 %(limit)s까지 올릴 수 있습니다.")
            % {"size": human_size(size), "limit": human_size(limit)}
        )
    if size == 0:
        raise _refuse(_("빈 파일은 올릴 수 없습니다."))
    name = safe_filename(upload.name or "")
    detected = detect(upload, name=name)
    fh = _source(upload)
    clean = _clean_image(fh, detected.mime) if detected.mime in IMAGE_FORMATS else None
    institution_id = getattr(target, "institution_id", None) or actor.institution_id
    attachment = Attachment(
        institution_id=institution_id,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        purpose=purpose[:40],
        filename=_with_extension(name, detected.mime)[:255],
        mime_type=detected.content_type,
        size=size,
        sha256=_sha256(fh),
        uploaded_by=actor.user,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        if clean is not None:
            attachment.clean_file.save("clean", ContentFile(clean), save=False)
        with transaction.atomic():
            attachment.save()
            audit.record(
                actor=actor,
                action="attachment.add",
                target=target,
                institution_id=institution_id,
                changes={
                    "attachment": attachment.pk,
                    "filename": attachment.filename,
                    "mime_type": attachment.mime_type,
                    "size": attachment.size,
                    "sha256": attachment.sha256,
                    "purpose": attachment.purpose,
                },
            )
    except BaseException:
        for stored in (attachment.file, attachment.clean_file):
            if stored:
                stored.delete(save=False)
        raise
    return attachment


def attachments_for(target: models.Model, *, purpose: str | None = None) -> QuerySet[Attachment]:
    """The files of one case, oldest first (for the attachments partial)."""
    qs = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("uploaded_by__person")
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("created_at", "pk")


# --- Download guards ------------------------------------------------------------------
# A module may refuse some files of a case to someone who may see the case (a recused
# committee member and an item's restricted papers). The download view asks the guard of
# the target's model after `can_see`; a refusal is audited with the guard's action and
# answered with 403 and the message.

DownloadGuard = Callable[[Actor, Any, Attachment], "str | None"]
_GUARDS: dict[type[models.Model], tuple[DownloadGuard, str]] = {}


def register_download_guard(model: type[models.Model], fn: DownloadGuard, *, audit_action: str) -> None:
    """`fn(actor, target, attachment)` returns a refusal message, or None to allow."""
    _GUARDS[model] = (fn, audit_action)


def download_refusal(actor: Actor, target: models.Model, attachment: Attachment) -> tuple[str, str] | None:
    """(message, audit action) when a registered guard refuses this download, else None."""
    guard = _GUARDS.get(type(target))
    if guard is None:
        return None
    fn, action = guard
    message = fn(actor, target, attachment)
    return (str(message), action) if message else None


class AttachmentForm(forms.Form):
    """The upload field modules put on their case pages (templates/core/attachments.html)."""

    file = forms.FileField(label=gettext_lazy("첨부파일"), allow_empty_file=True)

    @property
    def max_bytes(self) -> int:
        return int(settings.ATTACHMENT_MAX_BYTES)


def file_response(
    stored: FieldFile,
    *,
    content_type: str,
    filename: str = "",
    inline: bool = False,
    cache_control: str = "private, no-store",
) -> FileResponse:
    """Serve a stored file the one safe way: 404 when it is gone, never sniffed, sandboxed,
    same-origin only; a download unless `inline` (images of published cases: honoured for
    PNG, JPEG, GIF and WebP only)."""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    # Only a picture may be shown in the page; anything else (HTML, SVG, text...) is always
    # a download, whatever the caller asked.
    inline = inline and content_type.split(";", 1)[0].strip().lower() in IMAGE_FORMATS
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    if inline:
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = cache_control
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Upload size, before the file is stored anywhere ---------------------------------------


def upload_max_bytes() -> int:
    """The largest file any form takes (attachments and bulk imports)."""
    return max(int(settings.ATTACHMENT_MAX_BYTES), int(settings.IMPORT_MAX_BYTES))


class OversizedUpload(UploadedFile):  # type: ignore[type-arg]
    """What arrives for a file larger than `upload_max_bytes()`: its size as sent, no
    content. `attach` and the importer refuse it by its size with their usual message."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size, charset=charset)


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and, past
    `upload_max_bytes()`, stops handing them on, so an oversized file is neither held in
    memory nor written to a temporary file (the rest of the request is read and dropped).
    Smaller files go on to Django's own handlers unchanged."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = upload_max_bytes()
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:  # type: ignore[type-arg]
        if self.received <= self.limit:
            return None  # the next handler has the whole file
        return OversizedUpload(self.file_name or "", self.content_type or "", self.received, self.charset)
