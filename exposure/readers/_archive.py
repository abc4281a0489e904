"""Compressed files and zip archives, unpacked into a private folder with a size budget.

A hostile archive can unpack to far more than a disk holds (a decompression
bomb). Every byte unpacked while reading one input counts against one
budget: 100 times the size of the input, and at least 64 MiB. Real exports
compress 3 to 20 times. Members are written under names of our own, never
under the paths stored in the archive.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ._common import sanitised
from ._detect import expected_kind

__all__ = ["Budget", "unpack", "data_members", "unzip", "check_declared_size"]

_RATIO = 100
_FLOOR = 64 << 20
_CHUNK = 1 << 20
_OPENERS = {"gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}
_DAMAGED = (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError, zipfile.BadZipFile,
            NotImplementedError, RuntimeError)


class Budget:
    """How many bytes unpacking may still write for one input.

    Parameters
    ----------
    packed : int
        Size in bytes of the file the user gave.
    name : str
        Its name, for the message.
    """

    def __init__(self, packed: int, name: str) -> None:
        self.limit = max(_FLOOR, _RATIO * packed)
        self.used = 0
        self.name = name

    def spend(self, size: int) -> None:
        """Count ``size`` more bytes; raise when the budget is exceeded."""
        self.used += size
        if self.used > self.limit:
            raise InputError(
                f"{self.name}: unpacks to more than {self.limit >> 20} MiB, {_RATIO} times its "
                "size: this looks like a decompression bomb. If you trust it, unpack it "
                "yourself and pass the files inside.")

    def copy(self, source: BinaryIO, target: Path) -> None:
        """Copy ``source`` into a new private file ``target``, spending as it goes."""
        with open(target, "wb") as out:
            target.chmod(0o600)
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                self.spend(len(chunk))
                out.write(chunk)


def unpack(path: Path, name: str, kind: str, target: Path, budget: Budget) -> None:
    """Decompress a gzip, bzip2 or xz file into ``target``."""
    try:
        with _OPENERS[kind](path, "rb") as source:
            budget.copy(source, target)
    except _DAMAGED as exc:
        raise InputError(f"{name}: damaged or truncated {kind} data. Check the file, or "
                         "decompress it yourself and pass the result.") from sanitised(exc)


def data_members(path: Path, name: str) -> tuple[list[zipfile.ZipInfo], list[zipfile.ZipInfo]]:
    """The members of a zip archive that hold tables, and the other files.

    Folders, ``__MACOSX/`` and hidden files are neither: they are metadata.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except _DAMAGED as exc:
        raise InputError(f"{name}: a damaged zip archive. Check the file, or unzip it yourself "
                         "and pass the file inside.") from sanitised(exc)
    files = [info for info in infos if not info.is_dir() and not info.filename.startswith(
        "__MACOSX/") and not Path(info.filename).name.startswith(".")]
    tables = [info for info in files if expected_kind(info.filename) is not None]
    others = [info for info in files if expected_kind(info.filename) is None]
    return tables, others


def check_declared_size(path: Path, budget: Budget) -> None:
    """Refuse a zip-based file (a workbook) whose members claim to exceed the budget."""
    try:
        with zipfile.ZipFile(path) as archive:
            budget.spend(sum(info.file_size for info in archive.infolist()))
    except _DAMAGED:
        return  # the reader says the file is damaged, with its own advice


def unzip(path: Path, name: str, member: zipfile.ZipInfo, target: Path, budget: Budget) -> None:
    """Extract one member of a zip archive into ``target``."""
    if member.flag_bits & 0x1:
        raise InputError(f"{name}: the archive is encrypted. Unzip it with its password and "
                         "pass the files inside.")
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as source:
            budget.copy(source, target)
    except _DAMAGED as exc:
        raise InputError(f"{name}: a damaged zip archive. Check the file, or unzip it yourself "
                         "and pass the file inside.") from sanitised(exc)

