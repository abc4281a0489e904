"""The normalise stage on hostile cells: over-long, duplicated, invalid."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure import score
from exposure.columns import ColumnMapping
from exposure.prepare import MAX_CELL_CHARS, prepare_all, prepare_records

MAPPING = ColumnMapping({"last_name": "Nom", "email": "Email", "reason": "Motif"})


def frame(*rows):
    out = pd.DataFrame(rows, columns=["Nom", "Email", "Motif"], dtype="str")
    return out.assign(row=range(1, len(rows) + 1))


def test_an_over_long_cell_is_absent_and_flagged_but_a_long_reason_is_still_free_text():
    huge = "x" * (MAX_CELL_CHARS + 1)
    records, empty = prepare_records(frame(["Dupont", huge + "@x.fr", huge]), MAPPING)
    assert not empty.any()
    assert records.loc[0, "field_flags"] == "FIELD_EMAIL_TOO_LONG;FIELD_REASON_TOO_LONG"
    assert pd.isna(records.loc[0, "email"]) and records.loc[0, "has_reason_text"]


def test_a_record_of_over_long_cells_only_is_not_empty():
    huge = "x" * (MAX_CELL_CHARS + 1)
    _, empty = prepare_records(frame([huge, "", ""]), MAPPING)
    assert not empty.any()


def test_later_copies_of_a_record_are_flagged_and_still_scored():
    leak = pd.DataFrame({"Nom": ["Dupont", "Dupont", "Martin", "Dupont"],
                         "Email": ["zoe@example.fr", "zoe@example.fr", "", "zoe@example.fr"]})
    result = score(leak)
    assert result.appointments["reasons"].str.contains("DUPLICATE_RECORD").tolist() == [
        False, True, False, True]
    assert result.summary["data_quality"]["duplicate_records"] == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30) | st.just("a" * (MAX_CELL_CHARS + 1) + "@x.fr"),
                min_size=1, max_size=10))
def test_an_email_cell_is_valid_or_absent_with_one_reason(cells):
    records, _ = prepare_records(frame(*[["Dupont", cell, ""] for cell in cells]), MAPPING)
    assert len(records) == len(cells)
    for cell, (_, record) in zip(cells, records.iterrows(), strict=True):
        reasons = {"FIELD_EMAIL_INVALID", "FIELD_EMAIL_TOO_LONG"} & set(
            record["field_flags"].split(";"))
        if pd.notna(record["email"]):
            assert not reasons
        else:
            assert len(reasons) == (1 if cell.strip() else 0)


def test_a_copy_of_a_record_in_an_earlier_chunk_is_a_duplicate(monkeypatch):
    """score once normalised 500,000 records at a time and compared records only within one.

    ``_CHUNK`` is set where it still exists, so that this fails on that code.
    """
    from exposure import pipeline

    monkeypatch.setattr(pipeline, "_CHUNK", 2, raising=False)
    leak = pd.DataFrame({"Nom": ["Dupont", "Martin", "Durand", "Dupont", "Martin"],
                         "Email": ["zoe@example.fr", "", "", "zoe@example.fr", ""]})
    reasons = score(leak).appointments["reasons"]
    assert reasons.str.contains("DUPLICATE_RECORD").tolist() == [False, False, False, True, True]


cells = st.sampled_from(["a", "a ", " a", "", None, float("nan"), 1, "1"])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(cells, cells, cells), max_size=30), st.booleans())
def test_duplicate_is_dataframe_duplicated_over_every_column_but_row(rows, as_text):
    leak = pd.DataFrame(rows, columns=["Nom", "Email", "Autre"], dtype=object)
    if as_text:
        leak = leak.astype("str")
    leak = leak.assign(row=range(1, len(rows) + 1))
    records, empty = prepare_all(leak, ColumnMapping({"last_name": "Nom", "email": "Email"}))
    expected = leak.drop(columns="row").duplicated()
    assert records["duplicate"].tolist() == expected[~empty].tolist()


def test_records_of_colliding_hashes_are_compared_exactly(monkeypatch):
    from exposure import _coded

    monkeypatch.setattr(_coded, "row_hash", lambda columns, n: np.zeros(n, dtype=np.uint64))
    leak = pd.DataFrame({"Nom": ["Dupont", "Martin", "Dupont", "Dupont "], "row": [1, 2, 3, 4]})
    records, _ = prepare_all(leak, ColumnMapping({"last_name": "Nom"}))
    assert records["duplicate"].tolist() == [False, False, True, False]


def test_consume_drops_the_text_as_read_and_keeps_the_records_the_same():
    leak = pd.DataFrame({"Nom": ["Dupont", "", "Martin"], "Email": ["a@b.fr", "", "c@d.fr"],
                         "row": [1, 2, 3]}).astype({"Nom": "str", "Email": "str"})
    mapping = ColumnMapping({"last_name": "Nom", "email": "Email"})
    kept, kept_empty = prepare_all(leak.copy(), mapping)
    consumed = leak.copy()
    records, empty = prepare_all(consumed, mapping, consume=True)
    assert list(consumed.columns) == ["row"]
    pd.testing.assert_frame_equal(records, kept)
    pd.testing.assert_series_equal(empty, kept_empty)


def test_score_leaves_the_callers_frame_whole():
    leak = pd.DataFrame({"Nom": ["Dupont", "Martin"], "Spécialité": ["Psychiatre", "ORL"]})
    before = leak.copy()
    score(leak)
    pd.testing.assert_frame_equal(leak, before)
