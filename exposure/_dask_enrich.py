"""The normalise and enrich stages on Dask: per-record functions, global steps as group-bys.

Record by record, each partition runs the functions of the single-machine
pipeline (:func:`exposure.prepare.prepare_records`,
:func:`exposure.enrich.with_specialty`, ``quasi_context``,
``with_identifiability``). Three steps need every record, and are done as
group-bys whose results are small:

- specialty labels: the distinct labels are read once, on the client, by
  :func:`exposure.specialty.lookup_specialties`, and sent to the partitions;
- practitioner fill: records per (practitioner, code), counted by a group-by,
  give each practitioner's code (:func:`exposure.specialty.practitioner_specialties`);
- quasi-identifier measures: a group-by gives the distinct (keys, sensitive
  category) combinations with their record counts and first rows;
  :func:`exposure.quasi_distinct.assess_distinct_keys` assesses them on the
  client, and a join on the keys brings the result back to each record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import default_client

from .columns import ColumnMapping
from .enrich import quasi_context, with_identifiability, with_specialty
from .incident import Incident
from .prepare import prepare_records
from .quasi import quasi_identifiers
from .quasi_distinct import assess_distinct_keys, canonical_keys
from .specialty import (
    UNKNOWN,
    fill_from_practitioner,
    load_specialty_table,
    lookup_specialties,
    practitioner_specialties,
)

__all__ = ["duplicate_rows", "enrich", "map_records", "normalise", "scattered"]

_SAMPLE = 200
_QI = "_qi_"  # prefix of the canonical quasi-identifier columns
_QI_RESULTS = ["qi_fk", "qi_risk", "msus", "inference_homogeneous"]
_SPECIALTY = ["specialty_code", "specialty_confidence", "specialty_match"]


def _shipped(value: Any) -> Any:
    """Tables go to every worker once, whole (map_partitions would split a pandas argument)."""
    if isinstance(value, pd.DataFrame | pd.Series | pd.Index):
        return default_client().scatter(value, broadcast=True, hash=False)
    return value


def scattered(table: pd.DataFrame, npartitions: int) -> Any:
    """A client-side table as a Dask DataFrame, sent to the workers rather than in the graph."""
    step = max(1, -(-len(table) // npartitions))
    pieces = [table.iloc[start:start + step] for start in range(0, max(len(table), 1), step)]
    return dd.from_delayed(default_client().scatter(pieces, hash=False), meta=table.iloc[:0])


def _unless_empty(part: pd.DataFrame, func: Callable[..., pd.DataFrame], meta: pd.DataFrame,
                  *args: Any) -> pd.DataFrame:
    return meta if part.empty else func(part, *args)


def map_records(frame: Any, func: Callable[..., pd.DataFrame], *args: Any) -> Any:
    """``frame.map_partitions(func, *args)``, its metadata taken from ``func`` on the first rows.

    Divisions are kept: ``func`` must keep the index (one row per record, or fewer).
    """
    sample = frame.head(_SAMPLE, npartitions=-1)
    meta = func(sample, *args).iloc[:0]
    return frame.map_partitions(_unless_empty, func, meta, *[_shipped(a) for a in args],
                                meta=meta)


def _prepare(frame: pd.DataFrame, mapping: ColumnMapping) -> tuple[pd.DataFrame, pd.Series]:
    records, empty = prepare_records(frame, mapping)
    return records, frame.loc[empty, "row"]


def normalise(frame: Any, mapping: ColumnMapping) -> tuple[Any, pd.Series]:
    """Prepared records (persisted) and the rows of the empty records.

    Each partition is prepared where it is; ``duplicate`` is then set over
    the whole leak (:func:`duplicate_rows`): a partition alone cannot see a
    copy of a record of another partition, or of another file.
    """
    meta = _prepare(frame.head(_SAMPLE, npartitions=-1), mapping)[0].iloc[:0]
    prepared = dask.persist(*[dask.delayed(_prepare)(part, mapping)
                              for part in frame.to_delayed()])
    empty = dask.compute(*[part[1] for part in prepared])
    records = dd.from_delayed([part[0] for part in prepared], meta=meta,
                              divisions=frame.divisions)
    copies = frozenset(duplicate_rows(frame).tolist())
    records = records.map_partitions(_mark_duplicates, copies, meta=meta)
    return records.persist(), pd.concat([meta["row"], *empty]).astype("int64")


def _cell_hashes(part: pd.DataFrame) -> pd.Series:
    """A 64-bit hash of each record's cells (its row number left out)."""
    return pd.util.hash_pandas_object(part.drop(columns="row"), index=False)


def _hashed_among(part: pd.DataFrame, hashes: frozenset[int]) -> pd.DataFrame:
    return part[_cell_hashes(part).isin(hashes).to_numpy()]


def _mark_duplicates(records: pd.DataFrame, copies: frozenset[int]) -> pd.DataFrame:
    return records.assign(duplicate=records["row"].isin(copies).to_numpy())


def duplicate_rows(frame: Any) -> np.ndarray:
    """Rows of the records the same in every column as an earlier record of the leak.

    Every record is hashed where it is; only those whose hash repeats (few,
    in a leak) come to the client, where they are compared exactly: a hash
    collision never makes a duplicate.
    """
    counts = frame.map_partitions(_cell_hashes, meta=("hash", "uint64")).value_counts().compute()
    repeated = frozenset(counts.index[counts.to_numpy() > 1].tolist())
    if not repeated:
        return np.zeros(0, dtype=np.int64)
    candidates = frame.map_partitions(_hashed_among, repeated, meta=frame._meta).compute()
    candidates = candidates.sort_values("row", kind="stable")
    copies = candidates.drop(columns="row").duplicated(keep="first").to_numpy()
    return candidates["row"].to_numpy(dtype=np.int64)[copies]


def _with_label_specialty(records: pd.DataFrame, by_label: pd.DataFrame) -> pd.DataFrame:
    labels = records["specialty_label"].fillna("").astype("str")
    specialty = by_label.reindex(labels.to_numpy()).set_axis(records.index)
    return pd.concat([records, specialty], axis=1)


def _specialised(records: pd.DataFrame, by_practitioner: pd.Series,
                 mapping: ColumnMapping) -> pd.DataFrame:
    table = load_specialty_table()
    specialty = fill_from_practitioner(records[_SPECIALTY], records["practitioner"], table,
                                       by_practitioner=by_practitioner)
    records = with_specialty(records.assign(**{c: specialty[c] for c in _SPECIALTY}), table)
    direct, sensitive = quasi_context(records)
    keys = canonical_keys(quasi_identifiers(records, mapping).assign(_sensitive=sensitive))
    return pd.concat([records.assign(_direct=direct), keys.add_prefix(_QI)], axis=1)


def _identified(records: pd.DataFrame, incident: Incident) -> pd.DataFrame:
    records = records.assign(msus=records["msus"].where(~records["_direct"], ""))
    records = records.drop(columns=[c for c in records.columns
                                    if c.startswith(_QI) or c == "_direct"])
    return with_identifiability(records, incident)


def enrich(records: Any, mapping: ColumnMapping, incident: Incident,
           population: int | None) -> tuple[Any, dict[str, Any]]:
    """Specialty, quasi-identifier risk and identifiability of every record.

    Returns the enriched records (persisted, same divisions) and the
    quasi-identifier measures for ``summary.json``.
    """
    table = load_specialty_table()
    labels = records["specialty_label"].fillna("").astype("str").drop_duplicates().compute()
    by_label = lookup_specialties(pd.Series(labels.to_numpy(), dtype="str"), table)
    by_label.index = pd.Index(labels.to_numpy())
    labelled = map_records(records, _with_label_specialty, by_label)
    known = labelled[(labelled["specialty_code"] != UNKNOWN) & labelled["practitioner"].notnull()]
    counts = known.groupby(["practitioner", "specialty_code"]).size().compute()
    counts = counts.rename("n").reset_index().rename(columns={"specialty_code": "code"})
    by_practitioner = (practitioner_specialties(counts, table) if len(counts)
                       else pd.Series([], dtype="str"))
    specialised = map_records(labelled, _specialised, by_practitioner, mapping).persist()

    keys = [c[len(_QI):] for c in specialised.columns if c.startswith(_QI)]
    qi = [_QI + k for k in keys]
    distinct = (specialised[[*qi, "row"]].groupby(qi)
                .agg(n=("row", "count"), first_row=("row", "min")).compute().reset_index())
    per_key, measures = assess_distinct_keys(
        distinct.rename(columns=dict(zip(qi, keys))), keys[:-1], population=population)
    results = scattered(pd.concat([distinct[qi], per_key], axis=1),
                        max(1, specialised.npartitions // 4))
    joined = (specialised[[*qi, "row"]].merge(results, on=qi, how="left")[["row", *_QI_RESULTS]]
              .set_index("row", divisions=specialised.divisions))
    scored = specialised.assign(**{c: joined[c] for c in _QI_RESULTS}).persist()
    return map_records(scored, _identified, incident).persist(), measures
