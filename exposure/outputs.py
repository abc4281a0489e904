"""Write an assessment to OUTDIR: the output edge of the pipeline.

The files are a contract (DESIGN.md section 8). Each is written under a
temporary name in OUTDIR (``.NAME.XXXX.tmp``) and renamed into place, so an
interrupted run leaves the previous file or none, never half of one; each is
created with mode 0600 (it holds leaked health data). :func:`write_outputs`
writes every file of a run (two at a time, on two threads) before renaming
any, ``summary.json`` last: a run killed while writing leaves the previous
results whole. Tables are converted and written by slices, so that writing
never holds a second copy of a table. Only SIGKILL can
leave a temporary file behind (nothing runs after it); ``--force`` removes
such leftovers. CSV cells that a spreadsheet would run as a
formula (first character ``=``, ``+``, ``-``, ``@``, tab or carriage return)
get a leading apostrophe, as OWASP recommends; ``--format parquet`` writes
the values untouched for programs. The same assessment always gives the same
bytes: no timestamps, fixed column order, fixed float formatting.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import ExposureError

__all__ = ["TABLES", "write_outputs", "write_leak", "prepare_outdir", "neutralise_formulas",
           "atomic_write"]

TABLES = ("appointments", "patients", "notifications", "rejected")
#: Rows converted to Arrow and written at a time.
_BATCH_ROWS = 500_000
_CSV_OPTIONS = pacsv.WriteOptions(quoting_style="needed")
#: A table to write: a frame, or its batches (each with the same columns).
Table = pd.DataFrame | Iterable[pd.DataFrame]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that start like a formula with an apostrophe.

    Examples
    --------
    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "+33612345678", "ok"], "n": [-1, 2, 3]}))
                   a  n
    0          '=1+1 -1
    1  '+33612345678  2
    2             ok  3
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Neutralise each distinct value once, not each cell.
            categories = values.cat.categories.to_series().astype("str")
            risky = categories.str.startswith(_FORMULA_START).to_numpy(dtype=bool)
            if risky.any():
                out[column] = values.cat.rename_categories(
                    categories.where(~risky, "'" + categories).to_numpy())
        elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            risky = values.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            if risky.any():
                out[column] = values.where(~risky, "'" + values.astype(str))
    return out


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a 0600 temporary file beside ``path``, then rename it over ``path``."""
    temporary = _stage(path, write)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _stage(path: Path, write: Callable[[Path], None]) -> Path:
    """Run ``write`` on a new 0600 temporary file beside ``path``; removed if it fails."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o600)
        write(temporary)
        os.chmod(temporary, 0o600)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _batches(table: Table, rows: int = _BATCH_ROWS) -> Iterator[pd.DataFrame]:
    """A frame in slices of ``rows`` rows (at least one, maybe empty), or the batches given.

    Converting a whole table to Arrow at once would hold a second copy of it.
    """
    if not isinstance(table, pd.DataFrame):
        yield from table
        return
    for start in range(0, max(len(table), 1), rows):
        yield table.iloc[start:start + rows]


def _write_batches(table: Table, sink: BinaryIO, *, csv: bool) -> None:
    """Write every batch of ``table`` to one file, the schema taken from the first."""
    writer: pacsv.CSVWriter | pq.ParquetWriter | None = None
    try:
        for batch in _batches(table):
            if csv:
                batch = neutralise_formulas(batch)
            if writer is None:
                arrow = pa.Table.from_pandas(batch, preserve_index=False)
                schema = arrow.schema
                writer = (pacsv.CSVWriter(sink, schema, write_options=_CSV_OPTIONS) if csv
                          else pq.ParquetWriter(sink, schema, compression="zstd"))
            else:
                arrow = pa.Table.from_pandas(batch, schema=schema, preserve_index=False)
            writer.write_table(arrow)
    finally:
        if writer is not None:
            writer.close()


def _write_csv(table: Table, sink: BinaryIO) -> None:
    _write_batches(table, sink, csv=True)


def _write_parquet(table: Table, sink: BinaryIO) -> None:
    _write_batches(table, sink, csv=False)


def prepare_outdir(outdir: Path, *, force: bool) -> None:
    """Create OUTDIR (0700), refusing to overwrite earlier results without ``force``.

    Raises
    ------
    ExposureError
        OUTDIR holds files and ``force`` is False, or it is not a directory.
    """
    if outdir.exists() and not outdir.is_dir():
        raise ExposureError(f"{outdir}: exists and is not a directory. Choose another -o.")
    if outdir.is_dir() and any(outdir.iterdir()) and not force:
        raise ExposureError(f"{outdir}: already holds files. Use --force to replace them, "
                            "or choose another -o.")
    outdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    for leftover in outdir.glob(".*.tmp"):  # from a run killed while writing
        leftover.unlink(missing_ok=True)


def write_outputs(tables: dict[str, Table], summary: dict[str, Any], outdir: Path, *,
                  fmt: str = "csv", report: str | Callable[[], str] | None = None,
                  workers: int = 2) -> list[Path]:
    """Write the tables, ``summary.json`` and ``report.html`` into an existing OUTDIR.

    Files are written ``workers`` at a time (Arrow's writer and the message
    rendering run outside the GIL: two cores write two files), all under
    temporary names, then renamed into place, ``summary.json`` last.

    Parameters
    ----------
    tables : dict of str to DataFrame or iterable of DataFrame
        Name (without extension) -> table, or its batches in order (one
        file each), started in the order given: the longest to write first.
    summary : dict
        Serialised as ``summary.json`` (UTF-8, indented, keys in given order).
    outdir : Path
        Prepared with :func:`prepare_outdir`.
    fmt : {"csv", "parquet"}, default="csv"
    report : str or callable returning str, default=None
        The HTML report (:func:`exposure.report.render_report`), written as
        ``report.html`` (UTF-8) when given; a callable is called by a writer.
    workers : int, default=2
        Files written at the same time.

    Returns
    -------
    list of Path
        The files written.
    """
    writer, suffix = (_write_parquet, ".parquet") if fmt == "parquet" else (_write_csv, ".csv")
    text = json.dumps(summary, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    jobs: list[tuple[Path, Callable[[BinaryIO], object]]] = [
        (outdir / f"{name}{suffix}", lambda tmp, frame=frame: writer(frame, tmp))
        for name, frame in tables.items()]
    if report is not None:
        jobs.append((outdir / "report.html", lambda tmp: tmp.write(
            (report() if callable(report) else report).encode("utf-8"))))
    # summary.json last: its presence says the run completed.
    jobs.append((outdir / "summary.json", lambda tmp: tmp.write(text.encode("utf-8"))))
    staging = _Staging(jobs)
    staging.run(workers)
    try:
        for temporary, (path, _) in zip(staging.temporaries, jobs, strict=True):
            os.replace(temporary, path)
    except BaseException:
        staging.abandon()
        raise
    return [path for path, _ in jobs]


class _Staging:
    """Stage files on worker threads: all of them, or none left behind.

    Workers are daemon threads and register each temporary file as they
    create it, so that an interrupted main thread (Ctrl-C, SIGTERM) removes
    every one and returns at once, without waiting for a write to end.
    """

    def __init__(self, jobs: list[tuple[Path, Callable[[BinaryIO], object]]]) -> None:
        self.jobs = jobs
        self.temporaries: list[Path | None] = [None] * len(jobs)
        self.errors: dict[int, BaseException] = {}
        self._next = 0
        self._stopped = False
        self._lock = threading.Lock()

    def run(self, workers: int) -> None:
        """Stage every job; on any failure remove them all and raise the first."""
        threads = [threading.Thread(target=self._work, daemon=True, name=f"writer-{n}")
                   for n in range(max(1, min(workers, len(self.jobs))))]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.1)  # a short wait lets the main thread take signals
        except BaseException:
            self.abandon()
            raise
        if self.errors:
            self.abandon()
            first = min(self.errors)
            error = self.errors[first]
            if isinstance(error, OSError):  # the disk or the folder, not a bug: say which
                path = self.jobs[first][0]
                raise ExposureError(f"could not write {path.name} into {path.parent}: "
                                    f"{_reason(error)}. No output file was replaced"
                                    f"{_advice(error)}.") from error
            raise error

    def abandon(self) -> None:
        """Stop the workers taking jobs and remove every temporary file."""
        with self._lock:
            self._stopped = True
            for temporary in self.temporaries:
                if temporary is not None:
                    temporary.unlink(missing_ok=True)

    def _work(self) -> None:
        while True:
            with self._lock:
                if self._stopped or self._next == len(self.jobs):
                    return
                index, self._next = self._next, self._next + 1
                path, write = self.jobs[index]
                # mkstemp creates the file 0600. The writer gets the open file,
                # never its name: once abandon() has removed the name, a write
                # still running goes to a nameless file, never a new one.
                try:
                    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                                    dir=path.parent)
                except OSError as exc:
                    self.errors[index] = exc
                    self._stopped = True
                    return
                self.temporaries[index] = Path(name)
            try:
                with open(handle, "wb") as sink:
                    write(sink)
            except BaseException as exc:  # noqa: BLE001 - raised by run, in the main thread
                with self._lock:
                    self.errors[index] = exc
                    self._stopped = True
                return


def _errno(error: OSError) -> int | None:
    """The error's number; Arrow's I/O errors carry it only in their text ("[errno 28]")."""
    if error.errno is not None:
        return error.errno
    found = re.search(r"\[errno (\d+)\]", str(error))
    return int(found.group(1)) if found else None


def _reason(error: OSError) -> str:
    """What went wrong, in the system's words: from its number, never its message."""
    number = _errno(error)
    return os.strerror(number) if number else f"input/output error ({type(error).__name__})"


# What to do, for the errors whose cause is the output folder's disk or rights.
_ADVICE = {errno.ENOSPC: "free some space or choose another -o",
           errno.EDQUOT: "free some space or choose another -o",
           errno.EACCES: "choose a folder you may write to with -o",
           errno.EPERM: "choose a folder you may write to with -o",
           errno.EROFS: "choose a folder you may write to with -o"}


def _advice(error: OSError) -> str:
    """``; <what to do>, then run again`` when the error says it, else nothing."""
    advice = _ADVICE.get(_errno(error) or 0)
    return f"; {advice}, then run again" if advice else ""


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not serialisable: {type(value).__name__}")


def write_leak(records: pd.DataFrame, path: Path) -> None:
    """Write a (synthetic) leak as a French export would: UTF-8, ``;``-separated.

    Created atomically with mode 0600 like every other output: a synthetic
    leak holds no real person, but the habit should not depend on that.
    """
    table = pa.Table.from_pandas(records.astype("str"), preserve_index=False)
    options = pacsv.WriteOptions(delimiter=";", quoting_style="needed")
    atomic_write(path, lambda tmp: pacsv.write_csv(table, tmp, write_options=options))
