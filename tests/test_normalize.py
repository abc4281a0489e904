"""Normalisers: each distinct spelling of one identifier folds to one value."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure._phones import _french_phones
from exposure.normalize import (
    fold_text,
    normalize_email,
    normalize_name,
    normalize_phone,
    on_unique,
    parse_dates,
)


@pytest.mark.parametrize("raw, expected", [
    ("06 12 34 56 78", "+33612345678"),
    ("0612345678", "+33612345678"),
    ("06.12.34.56.78", "+33612345678"),
    ("06-12-34-56-78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("+33612345678", "+33612345678"),
    ("0033612345678", "+33612345678"),
    ("+33 (0)6 12 34 56 78", "+33612345678"),
    ("01 42 68 53 00", "+33142685300"),
    ("+44 20 7946 0958", "+442079460958"),
], ids=["spaced", "bare", "dots", "dashes", "intl-spaced", "e164", "00-prefix", "(0)",
        "landline", "uk"])
def test_phone_written_any_usual_way_gives_e164(raw, expected):
    assert normalize_phone(pd.Series([raw]))["phone"].tolist() == [expected]


@pytest.mark.parametrize("raw", ["12", "06 12 34", "abcdefghij", "00000000000000000"])
def test_impossible_phone_is_missing_and_flagged(raw):
    result = normalize_phone(pd.Series([raw]))
    assert result["phone"].isna().all()
    assert result["phone_invalid"].tolist() == [True]


def test_mobile_numbers_can_receive_sms_landlines_cannot():
    result = normalize_phone(pd.Series(["06 12 34 56 78", "07 12 34 56 78", "01 42 68 53 00"]))
    assert result["phone_mobile"].tolist() == [True, True, False]


def test_empty_phone_is_absent_not_invalid():
    result = normalize_phone(pd.Series(["", "  "]))
    assert result["phone_invalid"].tolist() == [False, False]


@pytest.mark.parametrize("raw, expected, invalid", [
    (" Marie.Dupont@Gmail.COM ", "marie.dupont@gmail.com", False),
    ("marie.dupont@", None, True),
    ("marie.dupontgmail.com", None, True),
    ("marie..dupont@gmail.com", None, True),
    ("", None, False),
])
def test_email_is_trimmed_lowercased_and_checked(raw, expected, invalid):
    result = normalize_email(pd.Series([raw]))
    value = result["email"].iloc[0]
    assert (None if pd.isna(value) else value) == expected
    assert bool(result["email_invalid"].iloc[0]) is invalid


def test_names_fold_case_accents_hyphens_and_detached_particles():
    names = pd.Series(["Jean-Pierre", "JEAN PIERRE", "Lefèvre", "LEFEVRE", "de la Tour"])
    assert normalize_name(names).tolist() == ["jean pierre", "jean pierre", "lefevre", "lefevre",
                                              "tour"]


@pytest.mark.parametrize("raw, expected", [
    ("2020-07-06", "2020-07-06 00:00"),
    ("2020-07-06 14:30", "2020-07-06 14:30"),
    ("2020-07-06T14:30:00", "2020-07-06 14:30"),
    ("06/07/2020", "2020-07-06 00:00"),
    ("06/07/2020 14:30", "2020-07-06 14:30"),
    ("06-07-2020", "2020-07-06 00:00"),
    ("44018", "2020-07-06 00:00"),
])
def test_dates_in_export_formats_day_first(raw, expected):
    value = parse_dates(pd.Series([raw]))["value"].iloc[0]
    assert value.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize("raw", ["31/02/2020", "tomorrow", "0", "1/1/1066"])
def test_impossible_dates_are_missing_and_flagged(raw):
    result = parse_dates(pd.Series([raw]))
    assert result["value"].isna().all() and result["invalid"].all()


@given(st.lists(st.text(max_size=30), max_size=40))
def test_date_parser_never_raises_and_keeps_alignment(values):
    result = parse_dates(pd.Series(values, dtype=object))
    assert len(result) == len(values)
    assert not (result["value"].notna() & result["invalid"]).any()


@given(st.lists(st.text(max_size=25), max_size=40))
def test_phone_normaliser_never_raises_and_e164_is_a_fixed_point(values):
    first = normalize_phone(pd.Series(values, dtype=object))["phone"]
    again = normalize_phone(first.fillna(""))["phone"]
    assert first.fillna("").tolist() == again.fillna("").tolist()


@given(st.lists(st.text(max_size=30), max_size=40))
def test_email_normaliser_never_raises_and_is_idempotent(values):
    first = normalize_email(pd.Series(values, dtype=object))["email"]
    again = normalize_email(first.fillna(""))["email"]
    assert first.fillna("").tolist() == again.fillna("").tolist()


@given(st.lists(st.sampled_from(["a", "b", "c", None]), max_size=30))
def test_on_unique_equals_applying_to_every_value(values):
    series = pd.Series(values, dtype=object)
    via_unique = on_unique(series, lambda u: u.str.upper())
    direct = series.str.upper()
    assert via_unique.fillna("-").tolist() == direct.fillna("-").tolist()


@given(st.text(max_size=40))
def test_fold_text_is_idempotent(text):
    assert fold_text(fold_text(text)) == fold_text(text)


def french_phones_by_regex(text, region):
    """The rule as regular expressions (how it was first written)."""
    digits = text.str.replace("[ \t\u00a0.\\-/()]", "", regex=True)
    digits = digits.str.replace(r"^(?:0033|\+330|\+33)", "+33", regex=True)
    if region == "FR":
        digits = digits.str.replace(r"^0([1-9][0-9]{8})$", r"+33\1", regex=True)
    return digits.where(digits.str.fullmatch(r"\+33[1-9][0-9]{8}"))


@st.composite
def phone_like(draw):
    """A prefix and some digits with punctuation between them, and maybe a stray character."""
    prefix = draw(st.sampled_from(["", "0", "00", "+33", "0033", "+330", "+3", "+44"]))
    digits = draw(st.text(alphabet="0123456789", min_size=7, max_size=11))
    gaps = st.sampled_from([""] * 8 + [" ", ".", "-", "/", "(", ")", "\u00a0", "\t"])
    text = "".join(char + draw(gaps) for char in prefix + digits)
    stray = draw(st.sampled_from(["", "", "", "x", "é", "\u00c2"]))
    at = draw(st.integers(0, len(text)))
    return text[:at] + stray + text[at:]


@settings(max_examples=300)
@given(st.lists(phone_like() | st.text(max_size=6), min_size=1, max_size=30), st.integers(0, 3),
       st.sampled_from(["FR", "BE"]))
def test_french_phones_read_on_bytes_as_the_regular_expressions_read_them(values, start, region):
    text = pd.Series(values, dtype="str").iloc[start:]  # a slice: its buffers start further on
    pd.testing.assert_series_equal(_french_phones(text, region),
                                   french_phones_by_regex(text, region))


def test_french_phones_read_slice_by_slice_as_all_at_once(monkeypatch):
    from exposure import _phones

    text = pd.Series(["06 12 34 56 78", "", "+33 6 12 34 56 78", "12", "0033612345678",
                      "06.12.34.56.7O", "+330612345678"], dtype="str")
    whole = _french_phones(text, "FR")
    monkeypatch.setattr(_phones, "_SLICE", 3)
    pd.testing.assert_series_equal(_french_phones(text, "FR"), whole)
    pd.testing.assert_series_equal(whole, french_phones_by_regex(text, "FR"))
