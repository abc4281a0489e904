"""Patient linkage on Dask: the components of :func:`exposure.linkage.link_patients`.

A patient is a connected component of records joined by an identity key
(DESIGN.md section 6). On one machine every record is joined to the first
record sharing each of its keys, and ``scipy`` finds the components. Here:

1. For each key, the records are shuffled so that equal keys meet in one
   partition (records without the key are spread by row), and each record
   gets its key group's *head*, the group's first row: a group-by per
   partition. Four shuffles of a narrow frame, whatever the data.
2. A record whose keys have different heads joins those groups: an edge
   between heads. Records whose keys all have the same head (a patient
   whose every visit carries the same name, birth date and contacts) add
   nothing, so the edges, deduplicated, are few: one per merge of groups
   (a changed e-mail, a typo fixed by another key, a shared patient_ref).
3. On the client, ``scipy.sparse.csgraph.connected_components`` over those
   edges gives each head its component's smallest head, which is the
   component's first row. Each record's label is that of its first key's
   head; a record without any key is its own patient.

We chose this over iterative label propagation (group-by min, join back,
repeat until no label changes): that needs as many rounds of shuffles as the
longest chain of merged groups, which the data decides, while this needs a
fixed number and gives exactly the single-machine components. Its cost is
that the edges come to the client, which also receives the output tables.

Labels are first rows, so they sort as the single-machine ``patient_id``
(numbered by first appearance): the engine renumbers them 1, 2, 3... at the end.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ._dask_enrich import map_records

__all__ = ["IDENTITY_KEYS", "component_labels", "link"]

#: The keys of exposure.linkage.link_patients, as record columns (``given``
#: is the first name, or the full name when there is none).
IDENTITY_KEYS = (("patient_ref",), ("name", "birth_date"), ("email", "given"), ("phone", "given"))
_NARROW = ["row", *dict.fromkeys(c for key in IDENTITY_KEYS for c in key)]
_HEADS = [f"_head{k}" for k in range(len(IDENTITY_KEYS))]


def _route(part: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """A shuffle column equal for equal keys, and spread by row where the key is missing."""
    present = part[list(key)].notna().all(axis=1).to_numpy()
    values = {}
    for column in key:
        series = part[column]
        if pd.api.types.is_datetime64_any_dtype(series.dtype):  # the same number in any unit
            values[column] = series.astype("datetime64[ns]").fillna(pd.Timestamp(0)).astype("int64")
        else:
            values[column] = series.astype(object)
    hashed = pd.util.hash_pandas_object(pd.DataFrame(values, index=part.index), index=False)
    by_row = pd.util.hash_array(part["row"].to_numpy())
    return part.assign(_route=np.where(present, hashed.to_numpy(), by_row))


def _head(part: pd.DataFrame, key: tuple[str, ...], column: str) -> pd.DataFrame:
    """Each record's key group head (first row), -1 where the key is missing."""
    present = part[list(key)].notna().all(axis=1)
    head = part.loc[present].groupby(list(key), sort=False)["row"].transform("min")
    heads = head.reindex(part.index).fillna(-1).astype("int64")
    return part.drop(columns="_route").assign(**{column: heads})


def _anchored(part: pd.DataFrame) -> pd.DataFrame:
    """``_anchor``: the head of the record's first present key (-1 without any)."""
    heads = part[_HEADS].to_numpy()
    present = heads >= 0
    anchor = np.where(present.any(axis=1), heads[np.arange(len(heads)), present.argmax(axis=1)], -1)
    return part.assign(_anchor=anchor)


def _edges(part: pd.DataFrame) -> pd.DataFrame:
    heads, anchor = part[_HEADS].to_numpy(), part["_anchor"].to_numpy()
    joins = (heads >= 0) & (heads != anchor[:, None])
    return pd.DataFrame({"a": np.broadcast_to(anchor[:, None], heads.shape)[joins],
                         "b": heads[joins]}).drop_duplicates()


def component_labels(a: np.ndarray, b: np.ndarray) -> pd.Series:
    """The smallest node of each node's component, for a graph of (a, b) edges.

    Examples
    --------
    >>> component_labels(np.array([3, 9, 20]), np.array([7, 3, 21])).to_dict()
    {3: 3, 7: 3, 9: 3, 20: 20, 21: 20}
    """
    nodes, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (inverse[:len(a)], inverse[len(a):])),
                       shape=(len(nodes), len(nodes)))
    _, component = connected_components(graph, directed=False)
    smallest = np.full(component.max(initial=-1) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, component, nodes)
    return pd.Series(smallest[component], index=nodes, dtype="int64")


def _labelled(part: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    anchor = part["_anchor"]
    label = anchor.map(labels).fillna(anchor).astype("int64")
    return part.assign(patient_id=label.where(anchor >= 0, part["row"]))


def _shared(part: pd.DataFrame, emails: pd.Index, phones: pd.Index) -> pd.DataFrame:
    shared = part["email"].isin(emails) | part["phone"].isin(phones)
    return pd.DataFrame({"row": part["row"], "patient_id": part["patient_id"],
                         "shared_contact": shared.astype(bool)})


def link(records: Any) -> Any:
    """Add ``patient_id`` (the first row of the patient) and ``shared_contact`` to every record.

    ``records`` must have known divisions; the result keeps them (persisted).
    """
    narrow = records[_NARROW]
    for key, column in zip(IDENTITY_KEYS, _HEADS):
        routed = narrow.map_partitions(_route, key, meta=_route(narrow._meta, key))
        routed = routed.shuffle(on="_route")
        narrow = routed.map_partitions(_head, key, column, meta=_head(routed._meta, key, column))
    narrow = narrow.map_partitions(_anchored, meta=_anchored(narrow._meta)).persist()
    edges = narrow.map_partitions(_edges, meta=pd.DataFrame({"a": [0], "b": [0]}).iloc[:0])
    edges = edges.drop_duplicates().compute()
    labels = component_labels(edges["a"].to_numpy(), edges["b"].to_numpy())
    narrow = map_records(narrow[["row", "email", "phone", "_anchor"]], _labelled, labels).persist()
    shared = []  # contacts of several patients: few, and only they come to the client
    for contact in ("email", "phone"):
        patients = narrow[narrow[contact].notnull()].groupby(contact)["patient_id"].nunique()
        shared.append(pd.Index(patients[patients > 1].index.compute()))
    flags = map_records(narrow, _shared, *shared).set_index("row", divisions=records.divisions)
    return records.assign(patient_id=flags["patient_id"],
                          shared_contact=flags["shared_contact"]).persist()
