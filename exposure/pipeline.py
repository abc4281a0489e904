"""``score``: the whole assessment of one leaked table, as pure DataFrame work.

map columns -> normalise -> enrich (specialty, identifiability) -> link
patients -> assess (severity, decisions). Reading and writing files happen
at the edges (:mod:`exposure.readers`, :mod:`exposure.outputs`); this module
takes a frame and returns an :class:`Assessment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._resources import data_file
from .art33 import appointments_over_time, art33_items
from .columns import ColumnMapping, map_columns
from .decide import decide_authority
from .enrich import enrich
from .incident import Incident
from .linkage import link_records
from .message_text import Notifications
from .messages import compose_messages
from .prepare import prepare_all
from .progress import Progress
from .readers import sha256_file
from .specialty import load_specialty_table
from .summary import summarise
from .tables import tabulate
from .templating import TemplateSet, load_templates
from .wording import check_language

__all__ = ["Assessment", "add_communication", "collect_rejected", "communicate", "score"]

@dataclass(frozen=True)
class Assessment:
    """Everything ``exposure score`` decides about one leak.

    Attributes
    ----------
    appointments : DataFrame, one row per scored record, in input order
    patients : DataFrame, one row per patient, by ``patient_id``
    notification_list : Notifications
        One row per patient to notify; the message texts are rendered when
        asked for (:attr:`notifications`, or by slices when written).
    rejected : DataFrame with ``row`` and ``reason``
    summary : dict, the incident-level figures and verdicts (``summary.json``)
    mapping : ColumnMapping, the role given to each input column
    """

    appointments: pd.DataFrame
    patients: pd.DataFrame
    notification_list: Notifications
    rejected: pd.DataFrame
    summary: dict[str, Any]
    mapping: ColumnMapping = field(repr=False)

    @property
    def notifications(self) -> pd.DataFrame:
        """``notifications.csv`` as one frame, every message rendered (for small leaks)."""
        return self.notification_list.to_frame()


def score(frame: pd.DataFrame, incident: Incident | None = None,
          columns: dict[str, str] | ColumnMapping | None = None, *,
          rejected: pd.DataFrame | None = None, source: str = "input",
          population: int | None = None, progress: Progress | None = None,
          language: str = "fr", templates: TemplateSet | str | None = None) -> Assessment:
    """Assess a leaked table, record by record and patient by patient.

    Parameters
    ----------
    frame : DataFrame of shape (n_records, n_columns)
        The leaked records as text. A ``row`` column (1-based input position)
        is used when present, else rows are numbered 1..n.
    incident : Incident, default=None
        The breach circumstances and policy; the 2020 leak's when None
        (unknown recipients, malicious).
    columns : dict of str to str or ColumnMapping, default=None
        Role -> column overrides (as in a ``--columns`` file), or a complete
        mapping.
    rejected : DataFrame, default=None
        Records the reader could not parse (``row``, ``reason``); they are
        counted in ``records_in`` and reported.
    source : str, default="input"
        Name of the input, for messages.
    population : int, default=None
        Size of the population the leak was sampled from, for the
        quasi-identifier risk (uniform weights N/n); None when the leak is
        the whole population of interest.
    progress : Progress, default=None
        Told when each stage starts and ends (:mod:`exposure.progress`); the
        library itself never prints.
    language : {"fr", "en"}, default="fr"
        Language of the patient messages and of the text fields of
        ``summary["art33"]``.
    templates : TemplateSet or str, default=None
        Message templates, or a folder holding them (``--templates``); the
        shipped ones of ``language`` when None.

    Returns
    -------
    Assessment

    Raises
    ------
    ColumnMappingError
        No column of ``frame`` could be given a role.
    ConfigError
        A template of ``templates`` is missing or invalid.

    Warns
    -----
    ExposureWarning
        An SMS message needs more than two parts.

    Examples
    --------
    >>> leak = pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"],
    ...     "Email": ["marie.dupont@gmail.com"], "Spécialité": ["Psychiatre"]})
    >>> result = score(leak)
    >>> result.patients[["patient_id", "dpc", "ei", "cb", "severity", "level"]]
       patient_id  dpc   ei   cb  severity      level
    0           1    4  1.0  1.0       5.0  very_high
    >>> result.summary["notify_authority"]
    True
    """
    incident = incident or Incident()
    check_language(language, "score")
    if not isinstance(templates, TemplateSet):
        templates = load_templates(templates, language)
    frame = frame if "row" in frame.columns else frame.assign(
        row=pd.RangeIndex(1, len(frame) + 1, dtype="int64"))
    frame = frame.reset_index(drop=True)
    mapping = columns if isinstance(columns, ColumnMapping) else map_columns(
        frame, columns, source=source)

    progress = progress or Progress()
    # The raw text is the largest frame of a run (some 170 bytes a record):
    # prepare_all drops it from this frame (score's own, made by reset_index)
    # once encoded; its memory goes then when the caller holds no other
    # reference to it (the CLI does not).
    with progress.stage("normalise", len(frame)):
        records, empty = prepare_all(frame, mapping, consume=True)
    all_rejected = collect_rejected(rejected, frame.loc[empty, "row"])
    records_in = len(frame) + (0 if rejected is None else len(rejected))
    del frame

    with progress.stage("enrich", len(records)):
        records, quasi_measures = enrich(records.reset_index(drop=True), mapping, incident,
                                         population)
    with progress.stage("link", len(records)):
        linked = link_records(
            patient_ref=records["patient_ref"], name=records["name"],
            first_name=records["given"], birth_date=records["birth_date"],
            email=records["email"], phone=records["phone"])
        records["patient_id"] = linked["patient_id"]
        records["shared_contact"] = linked["shared_contact"]
    with progress.stage("assess", len(records)):
        appointments, patients, notifications = tabulate(records, incident)
        notifications, communication = communicate(
            records, patients, notifications, incident, mapping, language=language,
            templates=templates)
    summary = summarise(records_in, appointments, all_rejected, patients, incident, mapping)
    summary["reidentification"] = quasi_measures
    add_communication(summary, communication)
    return Assessment(appointments, patients, notifications, all_rejected, summary, mapping)


# The stage functions below are shared with the Dask engine (exposure.dask_engine):
# each works record by record, or patient by patient, so that it gives the same
# answer on a whole table and on any partition of it (of whole patients, for
# tabulate). The global steps stay in score and enrich.

def collect_rejected(rejected: pd.DataFrame | None, empty_rows: pd.Series) -> pd.DataFrame:
    """The reader's rejected records and the empty ones, in row order.

    Parameters
    ----------
    rejected : DataFrame with ``row`` and ``reason``, or None
        Records the reader could not parse.
    empty_rows : Series of int
        Rows of the records with no value in any recognised column.

    Returns
    -------
    DataFrame with ``row`` (int64) and ``reason``, sorted by ``row``.

    Examples
    --------
    >>> collect_rejected(pd.DataFrame({"row": [4], "reason": ["2 fields where the header has 9"]}),
    ...                  pd.Series([2]))
       row                                            reason
    0    2  empty record: no value in any recognised column
    1    4                   2 fields where the header has 9
    """
    rejected_here = pd.DataFrame({"row": empty_rows.astype("int64"),
                                  "reason": "empty record: no value in any recognised column"})
    all_rejected = pd.concat([r for r in (rejected, rejected_here) if r is not None and len(r)]
                             or [rejected_here], ignore_index=True)
    return all_rejected.sort_values("row", kind="stable").reset_index(drop=True)


def communicate(records: pd.DataFrame, patients: pd.DataFrame, notifications: pd.DataFrame,
                incident: Incident, mapping: ColumnMapping, *, language: str = "fr",
                templates: TemplateSet | str | None = None
                ) -> tuple[Notifications, dict[str, Any]]:
    """What the controller sends: each patient's message and the Art. 33(3) items.

    Shared by both engines; reads the enriched records (in pandas) for what
    each patient's records expose and when.

    Parameters
    ----------
    records : DataFrame
        Enriched, linked records, numbered like ``patients``.
    patients, notifications : DataFrame
        From :func:`tabulate`.
    incident : Incident
    mapping : ColumnMapping
    language : {"fr", "en"}, default="fr"
    templates : TemplateSet or str, default=None

    Returns
    -------
    notifications : Notifications
        With ``language``, ``subject``, ``message`` and ``template``.
    additions : dict
        For ``summary.json``: ``art33`` items (to merge into the existing
        ``art33`` object), ``timeline``, ``messages``, ``specialty_table``.
    """
    table = load_specialty_table()
    notifications, messages = compose_messages(notifications, patients, records, incident,
                                               language=language, templates=templates,
                                               table=table)
    verdict = decide_authority(patients["level"], incident)
    table_path = data_file("specialty_sensitivity.csv")
    return notifications, {
        "art33": art33_items(records, patients, incident, verdict,
                             roles=tuple(mapping.roles), language=language),
        "timeline": appointments_over_time(records, patients),
        "messages": messages,
        "specialty_table": {"file": table_path.name, "sha256": sha256_file(table_path)},
    }


def add_communication(summary: dict[str, Any], additions: dict[str, Any]) -> None:
    """Merge :func:`communicate`'s additions into ``summary``, keeping existing keys' meaning."""
    summary["art33"].update(additions["art33"])
    summary.update({key: value for key, value in additions.items() if key != "art33"})

