"""The dictionary-encoded normalise stage equals the row-wise one it replaced.

``tests/_reference_prepare.py`` holds the row-wise implementation as it was;
on random leaks of hostile cells (blank, padded, over-long, invalid,
repeated) both must give the same records, value for value and dtype for
dtype, except that :func:`prepare_all` keeps some columns categorical.
"""

import importlib.util
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure import normalize
from exposure.columns import ColumnMapping
from exposure.prepare import MAX_CELL_CHARS, prepare_all, prepare_records

_spec = importlib.util.spec_from_file_location(
    "_reference_prepare", Path(__file__).with_name("_reference_prepare.py"))
reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference)

TOO_LONG = "x" * (MAX_CELL_CHARS + 1)
BLANKS = ["", " ", "\t", "\u00a0", None]
CELLS = {
    "last_name": ["Dupont", " dupont", "de la Tour", "Le", "LEFÈVRE", "Jean-Pierre", "-", "Œdipe"],
    "first_name": ["Marie", "Zoé", "ZOE ", "jean pierre", "Van"],
    "full_name": ["Dupont Marie", "Le Gall", "x"],
    "sex": ["F", "Madame", "m.", "H", "x", "2"],
    "birth_date": ["1987-03-12", "12/03/1987", "12/03/87", "31/02/1987", "44018", "1/1/1066",
                   "soon", "12-03-1987", "12.03.1987"],
    "age": ["42", "-1", "200", "abc", "42.5", "0"],
    "email": [" Marie.Dupont@Gmail.com ", "marie@", "a..b@x.fr", "zoe@example.fr", "ZOE@EXAMPLE.FR"],
    "phone": ["06 12 34 56 78", "06\u00a012\u00a034\u00a056\u00a078", "+33 (0)6 12 34 56 78",
              "0033612345678", "+330612345678", "+44 20 7946 0958", "12", "06 29 03 38 0O",
              "01.42.68.53.00", "06/12/34/56/78", "+1 650 253 0000", "é06 12 34 56 78"],
    "nir": ["1 84 12 76 451 089 46", "184127645108947", "2 84 12 2A 451 089 46", "abc"],
    "address": ["1 rue de la Paix", " 1 rue de la Paix"],
    "postal_code": ["75 001", "69003", " 69 003 "],
    "city": ["Paris", "PARIS ", "Saint-Étienne"],
    "patient_ref": ["P1", "P2 "],
    "appointment_at": ["2020-05-12 08:00", "12/05/2020 08:00", "12/05/2020 08:00:30", "tomorrow"],
    "practitioner": ["Dr Marion BLONDELÉ", "BARLIN Dominique", "dr marion blondele"],
    "specialty": ["Psychiatre", "Médecin generalste", " Psychiatre"],
    "reason": ["suivi", "dépression"],
}


@st.composite
def leaks(draw):
    """A leak of a few records over a random subset of roles, plus one unmapped column."""
    roles = draw(st.lists(st.sampled_from(sorted(CELLS)), min_size=1, max_size=len(CELLS),
                          unique=True))
    n_records = draw(st.integers(0, 12))
    columns = {}
    for role in roles:
        cell = st.sampled_from(CELLS[role] + BLANKS) | st.text(max_size=6) | st.just(TOO_LONG)
        columns[f"col {role}"] = draw(st.lists(cell, min_size=n_records, max_size=n_records))
    columns["unmapped"] = draw(st.lists(st.sampled_from(["a", "a ", "", None]),
                                        min_size=n_records, max_size=n_records))
    dtype = draw(st.sampled_from(["str", object]))
    frame = pd.DataFrame(columns, dtype=dtype).assign(row=range(1, n_records + 1))
    return frame, ColumnMapping({role: f"col {role}" for role in roles})


@settings(max_examples=150, deadline=None)
@given(leaks())
def test_prepare_records_equals_the_row_wise_reference(leak):
    frame, mapping = leak
    expected, expected_empty = reference.prepare_records(frame, mapping)
    records, empty = prepare_records(frame, mapping)
    pd.testing.assert_frame_equal(records, expected)
    pd.testing.assert_series_equal(empty, expected_empty)


@settings(max_examples=60, deadline=None)
@given(leaks())
def test_prepare_all_equals_the_reference_but_for_its_categorical_columns(leak):
    frame, mapping = leak
    expected, expected_empty = reference.prepare_records(frame, mapping)
    records, empty = prepare_all(frame, mapping)
    categorical = [c for c in records.columns if isinstance(records[c].dtype, pd.CategoricalDtype)]
    low_cardinality = {"last_name", "first_name", "given", "sex", "postal_code", "city",
                       "specialty_label", "display_last", "display_first", "field_flags"}
    assert low_cardinality <= set(categorical)
    # Some others are categorical when they hold no value (their role unmapped).
    assert all(c in {"email", "phone", "address", "nir", "patient_ref"} and records[c].isna().all()
               for c in set(categorical) - low_cardinality)
    for column in categorical:
        categories = records[column].cat.categories
        assert categories.dtype == "str" and list(categories) == sorted(categories)
    pd.testing.assert_frame_equal(records.astype(dict.fromkeys(categorical, "str")), expected)
    pd.testing.assert_series_equal(empty, expected_empty)


PHONE_TEXT = st.text(alphabet=st.sampled_from("0123456789+ .-/()\u00a0\tOé"), max_size=16)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([c for pool in CELLS.values() for c in pool] + BLANKS) | st.text(max_size=8)
                | PHONE_TEXT, max_size=12))
def test_each_normaliser_equals_its_reference(values):
    series = pd.Series(values, dtype=object)
    for name in ("normalize_email", "normalize_phone", "parse_dates", "normalize_name",
                 "fold_series"):
        expected = getattr(reference, name)(series)
        result = getattr(normalize, name)(series)
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(result, expected)
        else:
            pd.testing.assert_series_equal(result, expected)
