"""Decisions per patient: the channel and contact chosen, the Art. 33 verdict."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exposure.decide import decide_authority
from exposure.incident import LEVELS, Incident, Policy, level_rank


@pytest.mark.parametrize("levels, threshold, told, top", [
    (["low", "medium", "low"], "medium", 1, None),
    (["low", "high"], "very_high", 0, "high"),
    ([], "medium", 0, "low"),
], ids=["one-reaches", "none-reaches", "no-patient"])
def test_authority_counts_patients_at_or_above_the_threshold(levels, threshold, told, top):
    verdict = decide_authority(pd.Series(levels, dtype="str"),
                               Incident(policy=Policy(notify_authority_at=threshold)))
    assert verdict.patients_at_or_above == told
    assert verdict.notify_authority is bool(told)
    if top is not None:
        assert f"(highest: '{top}')" in verdict.explanation


@given(st.lists(st.sampled_from(LEVELS)), st.sampled_from(LEVELS))
def test_authority_verdict_matches_ranking_each_level(levels, threshold):
    verdict = decide_authority(pd.Series(levels, dtype="str"),
                               Incident(policy=Policy(notify_authority_at=threshold)))
    assert verdict.patients_at_or_above == sum(
        level_rank(v) >= level_rank(threshold) for v in levels)
    if not verdict.notify_authority:
        top = max(levels, key=level_rank) if levels else LEVELS[0]
        assert f"(highest: '{top}')" in verdict.explanation
