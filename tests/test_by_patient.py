"""Per-patient reductions on integer codes agree with sorting and grouping in pandas."""

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from exposure._by_patient import first_record, input_rank, patient_codes, sort_rank, take_text

_TEXT = st.one_of(st.none(), st.sampled_from(["", "a", "B", "b", "é", "e\u0301", "z", "Zorg"]),
                  st.text(max_size=3))


@given(st.lists(_TEXT), st.booleans())
def test_sort_rank_orders_like_sort_values(values, descending):
    series = pd.Series(values, dtype="str")
    frame = pd.DataFrame({"v": series, "position": range(len(series))})
    expected = frame.sort_values(["v", "position"], ascending=[not descending, True],
                                 kind="stable")["position"].tolist()
    rank = sort_rank(series, descending=descending)
    assert np.lexsort((np.arange(len(series)), rank)).tolist() == expected


@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 9), _TEXT), min_size=1))
def test_first_record_is_drop_duplicates_in_row_order(rows):
    frame = pd.DataFrame(rows, columns=["patient_id", "row", "value"]).astype({"value": "str"})
    ids, codes = patient_codes(frame["patient_id"])
    present = frame["value"].notna().to_numpy()
    first = first_record(codes, len(ids), input_rank(frame["row"]), present)
    expected = (frame[present].sort_values("row", kind="stable")
                .drop_duplicates("patient_id").set_index("patient_id")["value"]
                .reindex(ids))
    got = take_text(frame["value"], first, ids)
    pd.testing.assert_series_equal(got, expected.astype("str"), check_names=False)
