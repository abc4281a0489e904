"""Read LEAK for the Dask engine: one file, a glob of files, or a directory of them.

Each file is read on a worker by :func:`exposure.readers.read_table`, the
reader of the single-machine engine: same format guess, encoding and
delimiter sniffing, every cell as text, unparsable records rejected with
their row. A file is one task, so a very large single file is read by one
worker; split it, or convert it to partitioned Parquet.

Rows are numbered as if the files were one: files are taken in natural order
of their path (``part.2`` before ``part.10``), and the rows of each file
continue the numbering of the previous ones, rejected records included. For
one file this is exactly the numbering of the single-machine engine.

Paths are fsspec URLs (``s3://bucket/leak/``, ``/shared/leak/*.csv``): the
machine running ``exposure`` lists them, the workers read them. A remote file
is copied to a private temporary file on the worker, read and deleted.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import dask
import dask.dataframe as dd
import fsspec
import pandas as pd
from fsspec.implementations.local import LocalFileSystem

from .errors import InputError
from .readers import RawTable, read_table, sha256_file

__all__ = ["DaskLeak", "natural_key", "list_inputs", "read_leak"]

_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class DaskLeak:
    """What was read, as the single-machine reader returns it, but spread out.

    Attributes
    ----------
    frame : dask DataFrame
        Text columns and ``row``, indexed by ``row`` with known divisions.
    rejected : DataFrame with ``row`` and ``reason``
    records_in : int
    input : dict
        ``name`` and ``sha256`` (as ``summary.json`` reports the input), and
        for several files ``files``: each file's ``name``, ``sha256`` and ``records``.
    """

    frame: Any
    rejected: pd.DataFrame
    records_in: int
    input: dict[str, Any]


def natural_key(path: str) -> list[Any]:
    """Sort key comparing the digits in a path as numbers.

    Examples
    --------
    >>> sorted(["part.10.csv", "part.2.csv", "part.1.csv"], key=natural_key)
    ['part.1.csv', 'part.2.csv', 'part.10.csv']
    """
    return [int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", path)]


def list_inputs(leak: str) -> tuple[list[str], str]:
    """The files LEAK names, in natural order, and the folder their names are relative to.

    A directory gives every file under it except hidden ones and ones whose
    name starts with ``_`` (``_SUCCESS``, ``_metadata``).

    Raises
    ------
    InputError
        LEAK names no file.
    """
    fs, path = fsspec.core.url_to_fs(leak)
    if _GLOB.search(path):
        paths, base = fs.glob(path), path[:_GLOB.search(path).start()].rsplit("/", 1)[0]
    elif fs.isdir(path):
        base = path.rstrip("/")
        paths = [p for p in fs.find(path)
                 if not any(part.startswith((".", "_"))
                            for part in PurePosixPath(p[len(base):]).parts)]
    else:
        paths, base = [path], str(PurePosixPath(path).parent)
    paths = sorted((p for p in paths if fs.isfile(p)), key=natural_key)
    if not paths:
        raise InputError(f"{PurePosixPath(path).name or leak}: no such file, and no file in it "
                         "or matching it. Check LEAK.")
    return [p if isinstance(fs, LocalFileSystem) else fs.unstrip_protocol(p) for p in paths], base


def _read_one(url: str, options: dict[str, Any]) -> tuple[RawTable, str]:
    """On a worker: one file, read as the single-machine engine reads it, and its sha256."""
    fs, path = fsspec.core.url_to_fs(url)
    if isinstance(fs, LocalFileSystem):
        return read_table(path, **options), sha256_file(path)
    with tempfile.TemporaryDirectory(prefix="exposure-") as folder:  # mode 0700
        local = Path(folder) / PurePosixPath(path).name
        fs.get_file(path, str(local))
        return read_table(local, **options), sha256_file(local)


def _facts(read: tuple[RawTable, str]) -> dict[str, Any]:
    table, digest = read
    rows = table.frame["row"]
    return {"records_in": table.records_in, "sha256": digest, "meta": table.frame.iloc[:0],
            "first": int(rows.min()) if len(rows) else None, "last": int(rows.max()) if len(rows)
            else None}


def _frame(read: tuple[RawTable, str], offset: int) -> pd.DataFrame:
    frame = read[0].frame.assign(row=read[0].frame["row"] + offset)
    frame.index = pd.Index(frame["row"].to_numpy())
    return frame


def _rejected(read: tuple[RawTable, str], offset: int) -> pd.DataFrame:
    return read[0].rejected.assign(row=read[0].rejected["row"] + offset)


def read_leak(leak: str, *, format: str | None = None, encoding: str | None = None,
              delimiter: str | None = None) -> DaskLeak:
    """Read every file of LEAK on the workers of the current Dask client.

    Raises
    ------
    InputError
        No file, a file the reader refuses, or files whose headers differ.
    """
    urls, base = list_inputs(leak)
    options = {"format": format, "encoding": encoding, "delimiter": delimiter}
    reads = dask.persist(*[dask.delayed(_read_one)(url, options) for url in urls])
    facts = dask.compute(*[dask.delayed(_facts)(read) for read in reads])
    names = [url[len(base):].lstrip("/") if url.startswith(base) else url for url in urls]
    columns = list(facts[0]["meta"].columns)
    for name, fact in zip(names, facts):
        if list(fact["meta"].columns) != columns:
            raise InputError(f"{name}: its header differs from that of {names[0]}. Every file "
                             "of LEAK must have the same columns, in the same order.")
    offsets = [0]
    for fact in facts[:-1]:
        offsets.append(offsets[-1] + fact["records_in"])
    kept = [i for i, fact in enumerate(facts) if fact["first"] is not None]
    divisions = [facts[i]["first"] + offsets[i] for i in kept]
    divisions.append(facts[kept[-1]]["last"] + offsets[kept[-1]] if kept else 1)
    frames = [dask.delayed(_frame)(reads[i], offsets[i]) for i in kept]
    meta = _frame((RawTable(facts[0]["meta"], pd.DataFrame(), 0, ""), ""), 0)
    frame = (dd.from_delayed(frames, meta=meta, divisions=divisions) if frames
             else dd.from_pandas(meta, npartitions=1))
    rejected = pd.concat(dask.compute(*[dask.delayed(_rejected)(r, o)
                                        for r, o in zip(reads, offsets)]), ignore_index=True)
    records_in = offsets[-1] + facts[-1]["records_in"]
    return DaskLeak(frame, rejected, records_in, _describe(names, facts))


def _describe(names: list[str], facts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """The input as ``summary.json`` reports it; several files get a manifest digest.

    The manifest is what ``sha256sum`` prints for the files (digest, two
    spaces, name relative to LEAK, one line each, in reading order).
    """
    if len(names) == 1:
        return {"name": PurePosixPath(names[0]).name, "sha256": facts[0]["sha256"]}
    manifest = "".join(f"{fact['sha256']}  {name}\n" for name, fact in zip(names, facts))
    return {"name": f"{len(names)} files", "sha256": hashlib.sha256(manifest.encode()).hexdigest(),
            "files": [{"name": name, "sha256": fact["sha256"], "records": fact["records_in"]}
                      for name, fact in zip(names, facts)]}
