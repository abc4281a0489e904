"""What the records of each patient to notify say: on integer positions, not by group-by.

:func:`exposure.messages.compose_messages` needs, for each notification, how
many appointments and when, which kinds of data leaked and whether several
specialties did, among ten million records: each is one ``ufunc.at`` or
``bincount`` over the records' positions among the notifications
(:class:`NotifiedRecords`), as :mod:`exposure._by_patient` does per patient.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ._by_patient import max_by, min_by, patient_positions
from .art33 import KINDS, kind_masks
from .templating import CHANNEL_FILE

__all__ = ["NotifiedRecords", "template_names", "text_field"]


def template_names(out: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Each notification's template, as a position in the list of names returned.

    The channel picks the file, the addressee the variant; a few names for
    millions of rows, so each is written once per (channel, variant).
    """
    channel, channels = _coded(out["channel"])
    variant = np.where(out["shared_contact"].astype(bool).to_numpy(), 2,
                       (out["addressee"] == "legal_guardian").to_numpy(dtype=int))
    stems = [CHANNEL_FILE.get(str(c), "public") for c in channels] + ["public"]  # last: missing
    grid = [["public" if stem == "public" else f"{stem}_{v}"
             for v in ("patient", "guardian", "shared")] for stem in stems]
    names = sorted({name for row in grid for name in row})
    positions = np.array([[names.index(name) for name in row] for row in grid])
    return positions[channel, variant], names


def _coded(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes (-1 for missing) and distinct values; a Categorical's own codes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, distinct = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(distinct)


def text_field(values: pd.Series) -> pa.Array:
    """A text column as an Arrow column, missing values as ""."""
    return pc.fill_null(pa.array(values.astype("str"), pa.large_string(), from_pandas=True), "")


class NotifiedRecords:
    """Reductions over the records of each notified patient, on integer positions.

    Each record is given its notification's position, the spare position
    ``n`` for the records of a patient not told: reductions then run over all
    records without building the subset, and the spare slot is dropped.
    """

    def __init__(self, records: pd.DataFrame, patients: pd.DataFrame, patient_id: pd.Series):
        ids = pd.Index(patients["patient_id"])
        self.n, self.records = len(patient_id), records
        #: Each notification's position in ``patients`` (-1 if not there).
        self.patient = patient_positions(patient_id, ids)
        slot = np.full(len(ids) + 1, self.n)  # position -1 (no patient) reads the last
        found = self.patient >= 0
        slot[self.patient[found]] = np.flatnonzero(found)
        self.slot = slot[patient_positions(records["patient_id"], ids)]

    def per_patient(self, values: pd.Series) -> tuple[np.ndarray, pd.Index]:
        """A column of ``patients`` at each notification, as codes (-1: missing) and values."""
        codes, distinct = _coded(values)
        return np.append(codes, -1)[self.patient], distinct

    @cached_property
    def count(self) -> np.ndarray:
        """Records per notification (read twice: counted once)."""
        return np.bincount(self.slot, minlength=self.n + 1)[:self.n]

    def kinds(self) -> np.ndarray:
        """The kinds of data any of the records exposes: bit ``i`` for ``KINDS[i]``.

        A kind every record exposes (a name) or none does is the same for all
        patients; the others (a handful) are the bits of one byte per record, or-ed.
        """
        exposed = kind_masks(self.records)
        masks = [exposed[kind] for kind in KINDS]
        everywhere = sum(1 << bit for bit, mask in enumerate(masks) if mask.all())
        varying = [bit for bit, mask in enumerate(masks) if mask.any() and not mask.all()]
        bits = np.zeros(len(self.slot), dtype=np.uint8 if len(varying) <= 8 else np.uint16)
        for position, bit in enumerate(varying):
            bits |= masks[bit].astype(bits.dtype) << position
        found = np.zeros(self.n + 1, dtype=bits.dtype)
        np.bitwise_or.at(found, self.slot, bits)
        kinds = np.where(self.count > 0, everywhere, 0)  # a patient with records has those
        for position, bit in enumerate(varying):
            kinds |= (found[:self.n] >> position & 1).astype(np.int64) << bit
        return kinds

    def several_specialties(self) -> np.ndarray:
        """Whether the records name two specialties or more (unread ones aside)."""
        codes, distinct = _coded(self.records["specialty_code"])
        if len(distinct) < 2**15:  # ufunc.at on small integers: a few times faster
            codes = codes.astype(np.int16)
        known = (codes >= 0) & (codes != distinct.get_indexer(["unknown"])[0])
        slot = np.where(known, self.slot, self.n)
        return (max_by(slot, self.n + 1, codes)[:self.n]
                > min_by(slot, self.n + 1, codes)[:self.n])

    def first_and_last(self) -> tuple[np.ndarray, np.ndarray]:
        """The first and last appointment of the records, NaT when none is dated."""
        when = self.records["appointment_at"].to_numpy()
        return (min_by(self.slot, self.n + 1, when)[:self.n],
                max_by(self.slot, self.n + 1, when)[:self.n])
