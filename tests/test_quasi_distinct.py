"""Measures from the distinct-key table equal the per-record stage's, bit for bit."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.errors import ParameterError
from exposure.quasi import assess_quasi_identifiers
from exposure.quasi_distinct import assess_distinct_keys, canonical_keys

KEYS = ["sex", "birth_year", "postal_code"]


def through_distinct_keys(quasi, direct, sensitive, population, shuffle_seed):
    """Group the records as an engine would, assess the groups, merge back."""
    keys = list(quasi.columns)
    records = canonical_keys(quasi.assign(_sensitive=sensitive.to_numpy()))
    records["row"] = np.arange(1, len(records) + 1)
    distinct = (records.groupby([*keys, "_sensitive"], sort=False)
                .agg(n=("row", "size"), first_row=("row", "min")).reset_index()
                .sample(frac=1, random_state=shuffle_seed))  # order must not matter
    per_key, measures = assess_distinct_keys(distinct, keys, population=population)
    merged = records.merge(pd.concat([distinct, per_key], axis=1), on=[*keys, "_sensitive"],
                           how="left")
    merged["msus"] = merged["msus"].where(~direct.to_numpy(), "")
    return merged, measures


value = st.sampled_from(["a", "b", "c", None, "", " "])
record = st.tuples(value, st.sampled_from([1980, 1990, None]), value,
                   st.sampled_from([None, "mental_health", "oncology"]), st.booleans())


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(record, min_size=1, max_size=40), weighted=st.booleans(),
       seed=st.integers(0, 1000))
def test_distinct_table_gives_the_per_record_measures(rows, weighted, seed):
    sex, year, postal, sensitive, direct = map(list, zip(*rows))
    quasi = pd.DataFrame({"sex": pd.Series(sex, dtype="str"),
                          "birth_year": pd.array(year, dtype="Int64"),
                          "postal_code": pd.Series(postal, dtype="str")})
    sensitive, direct = pd.Series(sensitive, dtype="str"), pd.Series(direct)
    population = 7 * len(rows) + 3 if weighted else None
    expected, expected_measures = assess_quasi_identifiers(
        quasi, direct=direct, sensitive=sensitive, population=population)
    got, measures = through_distinct_keys(quasi, direct, sensitive, population, seed)
    assert got["qi_fk"].tolist() == expected["qi_fk"].tolist()
    assert np.array_equal(got["qi_risk"].to_numpy(), expected["qi_risk"].to_numpy())
    assert got["msus"].tolist() == expected["msus"].tolist()
    assert got["inference_homogeneous"].tolist() == expected["inference_homogeneous"].tolist()
    assert measures == expected_measures


def test_no_key_gives_every_record_the_same_risk():
    distinct = pd.DataFrame({"_sensitive": [""], "n": [4], "first_row": [1]})
    per_key, measures = assess_distinct_keys(distinct, [], population=10)
    assert per_key.iloc[0].tolist() == [4, 0.1, "", False]
    assert measures == {"keys": [], "population": 10}


def test_population_smaller_than_the_records_is_refused():
    distinct = pd.DataFrame({"sex": ["vF"], "_sensitive": [""], "n": [5], "first_row": [1]})
    with pytest.raises(ParameterError, match="'population' parameter .* Got 3 instead"):
        assess_distinct_keys(distinct, ["sex"], population=3)


def test_canonical_text_separates_missing_from_every_value():
    frame = pd.DataFrame({"age": [0.0, -0.0, np.nan], "city": ["", "v", "  "]})
    assert canonical_keys(frame).to_dict("list") == {"age": ["v0.0", "v0.0", ""],
                                                     "city": ["", "vv", ""]}
