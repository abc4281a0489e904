"""Patients' messages, rendered some rows at a time.

A large leak tells millions of patients, in about 2 KB of text each: at ten
million records that is some 5 GB of text, which never needs to be in memory
at once. :func:`exposure.messages.compose_messages` decides everything that
is shared by a group of rows (the template, the specialty in words, what
leaked); :class:`MessageText` keeps those filled templates with the few
per-patient fields (names, dates, reference, contact) and renders the text of
any rows on demand, so that the writer streams ``notifications.csv`` to disk
in slices (:meth:`Notifications.batches`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .sms import gsm7_array, septets_array
from .templating import Filled, in_row_order, render_groups

__all__ = ["MessageText", "Notifications"]

#: Rows rendered at a time by Notifications.batches: some 200 MB of text.
BATCH_ROWS = 100_000


@dataclass(frozen=True)
class MessageText:
    """The subject and message of every notification, rendered on demand.

    Attributes
    ----------
    subjects, bodies : tuple of Filled
        Per group: the template filled with the group's values.
    sms : ndarray of bool, shape (n_groups,)
        The groups sent by SMS: GSM 7-bit alphabet, length counted.
    group : ndarray of int, shape (n_rows,)
        The group of each notification.
    fields : pyarrow.Table, n_rows rows
        The per-patient values (:data:`exposure.templating.PER_PATIENT`).
    """

    subjects: tuple[Filled, ...]
    bodies: tuple[Filled, ...]
    sms: np.ndarray
    group: np.ndarray
    fields: pa.Table

    def __len__(self) -> int:
        return len(self.group)

    def render(self, rows: np.ndarray) -> tuple[pa.ChunkedArray, pa.ChunkedArray, np.ndarray]:
        """Subject and message of ``rows``, in their order, and each SMS's length.

        Parameters
        ----------
        rows : ndarray of int
            Positions of notifications, in the order wanted.

        Returns
        -------
        subject, message : pyarrow.ChunkedArray of large_string, len(rows)
        septets : ndarray of int64, len(rows)
            The length in GSM septets of each SMS message, final newline
            included (as it was always counted); 0 for other channels.
        """
        group = self.group[rows]
        fields = self.fields.take(rows)
        order = np.argsort(group, kind="stable")
        starts = np.flatnonzero(np.diff(group[order], prepend=-1))
        members = np.split(order, starts[1:])
        ids = group[order[starts]]
        septets = np.zeros(len(rows), dtype=np.int64)
        subjects, bodies = [], []
        for sms in (False, True):
            chosen = [i for i, g in enumerate(ids) if self.sms[g] == sms]
            if not chosen:
                continue
            of_chosen = [members[i] for i in chosen]
            subject_rows, subject = render_groups([self.subjects[ids[i]] for i in chosen],
                                                  of_chosen, fields)
            body_rows, body = render_groups([self.bodies[ids[i]] for i in chosen], of_chosen,
                                            fields, strip_newlines=not sms)
            if sms:
                subject, body = gsm7_array(subject), gsm7_array(body)
                septets[body_rows] = septets_array(body).to_numpy()
                body = pc.utf8_rtrim(body, "\n")
            subjects.append((subject_rows, subject))
            bodies.append((body_rows, body))
        return in_row_order(subjects, len(rows)), in_row_order(bodies, len(rows)), septets

    def sms_lengths(self) -> np.ndarray:
        """The length in septets of every SMS message (in row order of the SMS rows)."""
        sms_rows = np.flatnonzero(self.sms[self.group]) if len(self.sms) else np.zeros(0, int)
        return self.render(sms_rows)[2] if len(sms_rows) else np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Notifications:
    """``notifications.csv``: who is told, how, and the text, rendered by slices.

    Attributes
    ----------
    frame : DataFrame, one row per patient to notify
        Every column of the file but ``subject`` and ``message``.
    text : MessageText
        Renders ``subject`` and ``message``, inserted before ``template``.
    """

    frame: pd.DataFrame
    text: MessageText

    def __len__(self) -> int:
        return len(self.frame)

    def batches(self, rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
        """The whole table, ``rows`` rows at a time (one empty frame when there are none)."""
        for start in range(0, max(len(self.frame), 1), rows):
            yield self._with_text(start, min(start + rows, len(self.frame)))

    def to_frame(self) -> pd.DataFrame:
        """The whole table with its text: for a library caller; the writer uses batches."""
        return self._with_text(0, len(self.frame))

    def _with_text(self, start: int, stop: int) -> pd.DataFrame:
        part = self.frame.iloc[start:stop]
        if start == stop:
            subject = message = pd.Series(dtype="str", index=part.index)
        else:
            subject_text, message_text, _ = self.text.render(np.arange(start, stop))
            subject = pd.Series(subject_text, index=part.index, dtype="str")
            message = pd.Series(message_text, index=part.index, dtype="str")
        at = part.columns.get_loc("template")
        columns = {**{c: part[c] for c in part.columns[:at]}, "subject": subject,
                   "message": message, **{c: part[c] for c in part.columns[at:]}}
        return pd.DataFrame(columns, index=part.index)
