"""Safety checks on submitted files: size, and the zip archives of .docx/.xlsx.

A submitted file is refused before any XML is parsed when it is too large, is
not a zip at all, is an OLE/CFB container (a password-protected Office file or
a legacy ``.doc``/``.xls`` renamed), has too many entries, would unpack to too
many bytes, or compresses better than any real document does (a zip bomb).
The limits are module constants so that a deployment, or a test, can change them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ReportError

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_ENTRIES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_CELL_CHARS",
    "OLE_MAGIC",
    "ZIP_MAGIC",
    "check_office_archive",
    "check_size",
    "describe_ole",
]

#: Largest .docx/.xlsx accepted, in bytes, as stored on disk.
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
#: Largest text, CSV or HTML file read, in bytes.
MAX_TEXT_BYTES = 50 * 1024 * 1024
#: Most entries a .docx/.xlsx may hold.
MAX_ENTRIES = 5_000
#: Largest total size of the unpacked entries, in bytes.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
#: Largest ratio of unpacked to packed size over the whole archive.
MAX_COMPRESSION_RATIO = 100.0
#: The ratio check applies only above this unpacked size: tiny files compress oddly.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
#: Longest text cell (narrative, measure, target, objective) scored, in characters; a longer one is
#: cut, with a warning on its row (the language pipeline refuses texts of a million characters).
MAX_CELL_CHARS = 100_000

#: First bytes of an OLE compound file (CFB): legacy .doc/.xls or an encrypted .docx/.xlsx.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: First bytes of a zip archive.
ZIP_MAGIC = b"PK\x03\x04"
# Stream names, as UTF-16LE, that an encrypted OOXML package stores in its CFB container.
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))

# The part that every package of the kind must hold.
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}


def check_size(path: Path, limit: int) -> int:
    """Refuse a file larger than ``limit`` bytes.

    Parameters
    ----------
    path : Path
        The file.
    limit : int
        The largest size accepted, in bytes.

    Returns
    -------
    int
        The file's size.

    Raises
    ------
    ReportError
        When the file is larger than ``limit``.
    """
    size = path.stat().st_size
    if size > limit:
        raise ReportError(
            f"файл хэт том ({size} байт, дээд хэмжээ {limit})",
            f"file is too large ({size} bytes, limit {limit})",
            path=path,
        )
    return size


def describe_ole(path: Path, head: bytes) -> ReportError:
    """The error for an OLE/CFB file: password-protected, or a legacy binary format.

    Parameters
    ----------
    path : Path
        The file, for the message.
    head : bytes
        The file's bytes (the whole file or a large prefix); searched for the
        stream names of an encrypted package.

    Returns
    -------
    ReportError
        Not raised here, so that the caller raises it where the problem is found.
    """
    if any(marker in head for marker in _ENCRYPTED_MARKERS):
        return ReportError(
            "файл нууц үгээр хамгаалагдсан; нууц үггүйгээр хадгалж дахин илгээнэ үү",
            "the file is password-protected; save it without a password and submit it again",
            path=path,
        )
    return ReportError(
        "хуучин хэлбэрийн .doc/.xls файл; .docx эсвэл .xlsx болгон хадгална уу",
        "legacy binary .doc/.xls file; save it as .docx or .xlsx",
        path=path,
    )


def check_office_archive(path: Path, kind: str) -> zipfile.ZipFile:
    """Open a .docx/.xlsx as a zip after checking that it is safe to unpack.

    Parameters
    ----------
    path : Path
        The file.
    kind : {".docx", ".xlsx"}
        The package expected; its main part must be present.

    Returns
    -------
    zipfile.ZipFile
        The open archive; the caller closes it.

    Raises
    ------
    ReportError
        When the file is oversized, not a zip, an OLE container, encrypted,
        has too many entries, unpacks too large, looks like a zip bomb or
        lacks the main part.
    """
    size = check_size(path, MAX_ARCHIVE_BYTES)
    with path.open("rb") as handle:
        head = handle.read(min(size, 1 << 20))
    if head.startswith(OLE_MAGIC):
        raise describe_ole(path, head)
    if not head.startswith(ZIP_MAGIC):
        raise _corrupt(path, kind, "zip архив биш", "not a zip archive")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _corrupt(path, kind, "zip архив эвдэрсэн", f"broken zip archive ({exc})") from None
    try:
        _check_entries(path, kind, archive)
    except ReportError:
        archive.close()
        raise
    return archive


def _check_entries(path: Path, kind: str, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ReportError(
            f"архивт хэт олон файл байна ({len(infos)}, дээд тоо {MAX_ENTRIES})",
            f"archive has too many entries ({len(infos)}, limit {MAX_ENTRIES})",
            path=path,
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ReportError(
            "архив нууц үгээр хамгаалагдсан",
            "the archive is password-protected",
            path=path,
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise ReportError(
            f"задалсан хэмжээ хэт том ({unpacked} байт, дээд хэмжээ {MAX_UNCOMPRESSED_BYTES})",
            f"archive unpacks to too many bytes ({unpacked}, limit {MAX_UNCOMPRESSED_BYTES})",
            path=path,
        )
    packed = max(1, sum(info.compress_size for info in infos))
    ratio = unpacked / packed
    if unpacked >= RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
        raise ReportError(
            f"шахалтын харьцаа хэт өндөр ({ratio:.0f}:1), zip бөмбөг байж болзошгүй",
            f"compression ratio is too high ({ratio:.0f}:1), possibly a zip bomb",
            path=path,
        )
    names = {info.filename for info in infos}
    if _MAIN_PART[kind] not in names:
        raise _corrupt(path, kind, f"{_MAIN_PART[kind]} хэсэг алга", f"{_MAIN_PART[kind]} is missing")


def _corrupt(path: Path, kind: str, mn: str, en: str) -> ReportError:
    return ReportError(f"{kind} файл эвдэрсэн: {mn}", f"corrupt {kind} file: {en}", path=path)
