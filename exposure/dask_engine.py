"""``exposure score --engine dask``: the same assessment, spread over a Dask cluster.

The stages are those of :func:`exposure.pipeline.score`, on Dask DataFrames
whose partitions hold consecutive input rows:

- **read** (:mod:`exposure._dask_read`): each file of LEAK read on a worker by
  the single-machine reader; rows numbered across files;
- **normalise**, **enrich** (:mod:`exposure._dask_enrich`): the per-record
  functions on each partition; specialty labels, the practitioner fill and
  the quasi-identifier frequencies as group-bys;
- **link** (:mod:`exposure._dask_link`): identity-key groups by shuffles,
  components on the client over the edges between groups;
- **assess**: records shuffled so that each patient's records share a
  partition, and :func:`exposure.tables.tabulate` run on each; the tables
  come back to this machine, are put in order and written by the usual writers.

Outputs are the single-machine engine's, row for row and byte for byte;
``summary.json`` adds ``engine`` and, for several files, lists them under
``input``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dask
import numpy as np
import pandas as pd

from ._dask_enrich import enrich, normalise
from ._dask_link import link
from ._dask_read import read_leak
from .columns import _CONTENT_SAMPLE, ColumnMapping, map_columns
from .errors import ExposureError, ParameterError
from .incident import Incident
from .pipeline import Assessment, add_communication, collect_rejected, communicate
from .progress import Progress
from .summary import summarise
from .tables import tabulate
from .templating import TemplateSet

__all__ = ["score_files"]

_RECORDS_PER_PARTITION = 500_000


def score_files(leak: str, incident: Incident | None = None,
                columns: dict[str, str] | ColumnMapping | None = None, *,
                scheduler: str | None = None, partitions: int | None = None,
                population: int | None = None, format: str | None = None,
                encoding: str | None = None, delimiter: str | None = None,
                progress: Progress | None = None, language: str = "fr",
                templates: TemplateSet | str | None = None) -> Assessment:
    """Assess the leak in LEAK on a Dask cluster, as :func:`exposure.score` would.

    Parameters
    ----------
    leak : str
        A file, a directory of files (partitioned Parquet, CSV files...) or
        a glob such as ``"exports/*.csv"``; local paths or fsspec URLs
        (``s3://...``) that the workers can read. Files are read in natural
        order of their path and their rows numbered as one input.
    incident, columns, population, progress, language, templates
        As for :func:`exposure.pipeline.score`.
    scheduler : str, default=None
        Address of a running Dask scheduler (``tcp://host:8786``). None
        starts a local cluster of one single-threaded worker process per CPU.
    partitions : int, default=None
        Partitions the records are split into; by default two per worker
        thread, and at least one per 500,000 records.
    format, encoding, delimiter : str, default=None
        As for :func:`exposure.readers.read_table`, applied to every file.

    Returns
    -------
    Assessment

    Raises
    ------
    InputError
        A file cannot be read, or the files' headers differ.
    ExposureError
        The scheduler cannot be reached.
    ParameterError
        ``partitions`` is not a positive int.
    """
    if partitions is not None and (isinstance(partitions, bool) or not isinstance(partitions, int)
                                   or partitions < 1):
        raise ParameterError("The 'partitions' parameter of score_files must be an int >= 1. "
                             f"Got {partitions!r} instead.")
    # Dask would turn text columns into its own string dtype: keep pandas' own,
    # so that every table comes out exactly as the single-machine engine's.
    with _client(scheduler) as client, dask.config.set({"dataframe.convert-string": False}):
        return _score(client, leak, incident or Incident(), columns, partitions, population,
                      {"format": format, "encoding": encoding, "delimiter": delimiter},
                      progress or Progress(), {"language": language, "templates": templates})


@contextmanager
def _client(scheduler: str | None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler is None:
        # Local ports only; worker logs silenced: a failed task's log quotes its data.
        with LocalCluster(n_workers=len(os.sched_getaffinity(0)), threads_per_worker=1,
                          processes=True, host="127.0.0.1", dashboard_address=None,
                          silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout="30s")
    except (OSError, TimeoutError, ValueError):
        raise ExposureError(f"cannot reach a Dask scheduler at {scheduler}. Check --scheduler "
                            "(e.g. tcp://10.0.0.5:8786) and that the scheduler is running."
                            ) from None
    with client:
        yield client


def _score(client: Any, leak: str, incident: Incident,
           columns: dict[str, str] | ColumnMapping | None, partitions: int | None,
           population: int | None, read_options: dict[str, Any],
           progress: Progress, message_options: dict[str, Any]) -> Assessment:
    with progress.stage("read") as reading:
        source = read_leak(leak, **read_options)
        reading.records = source.records_in
    threads = sum(client.nthreads().values()) or 1
    partitions = partitions or max(2 * threads, -(-source.records_in // _RECORDS_PER_PARTITION))
    frame = source.frame.repartition(npartitions=partitions).persist()
    mapping = columns if isinstance(columns, ColumnMapping) else map_columns(
        frame.head(_CONTENT_SAMPLE, npartitions=-1), columns, source=source.input["name"])
    parsed = source.records_in - len(source.rejected)
    with progress.stage("normalise", parsed):
        records, empty_rows = normalise(frame, mapping)
        del frame
    rejected = collect_rejected(source.rejected, empty_rows)
    scored = parsed - len(empty_rows)
    with progress.stage("enrich", scored):
        records, measures = enrich(records, mapping, incident, population)
    with progress.stage("link", scored):
        records = link(records)
    with progress.stage("assess", scored):
        appointments, patients, notifications = _assess(records, incident)
        notifications, communication = communicate(
            _local_records(records), patients, notifications, incident, mapping,
            **message_options)
    summary = summarise(source.records_in, appointments, rejected, patients, incident, mapping)
    summary["reidentification"] = measures
    add_communication(summary, communication)
    summary["input"] = source.input
    summary["engine"] = {"name": "dask", "partitions": partitions}
    return Assessment(appointments, patients, notifications, rejected, summary, mapping)


def _local_records(records: Any) -> pd.DataFrame:
    """The enriched records on the client, numbered like the output tables.

    The messages and the Art. 33(3) items read what each patient's records
    expose; like the output tables, they are gathered here (see the limits
    in the README).
    """
    local = records.compute().sort_values("row", kind="stable", ignore_index=True)
    first_rows = np.unique(local["patient_id"].to_numpy())
    return local.assign(patient_id=np.searchsorted(first_rows, local["patient_id"]) + 1)


def _tabulated(part: pd.DataFrame, incident: Incident) -> tuple[pd.DataFrame, ...] | None:
    return None if part.empty else tabulate(part.sort_values("row", kind="stable"), incident)


def _assess(records: Any, incident: Incident) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tabulate each patient's records where they are, then order and number the tables here.

    Records carry the first row of their patient as ``patient_id``; patients
    are numbered 1, 2, 3... in that order, which is the order of first
    appearance the single-machine engine numbers them by.
    """
    by_patient = records.shuffle(on="patient_id").to_delayed()
    parts = [p for p in dask.compute(*[dask.delayed(_tabulated)(part, incident)
                                       for part in by_patient]) if p is not None]
    appointments, patients, notifications = (
        pd.concat([p[i] for p in parts], ignore_index=True) if parts else tabulate(
            records._meta, incident)[i] for i in range(3))
    first_rows = np.sort(patients["patient_id"].to_numpy())

    def numbered(table: pd.DataFrame, by: str) -> pd.DataFrame:
        table = table.assign(patient_id=np.searchsorted(first_rows, table["patient_id"]) + 1)
        return table.sort_values(by, kind="stable", ignore_index=True)

    return (numbered(appointments, "row"), numbered(patients, "patient_id"),
            numbered(notifications, "patient_id"))
