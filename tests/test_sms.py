"""GSM 7-bit transliteration and length: the Arrow version equals a plain per-string one."""

import unicodedata

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exposure.sms import GSM7_BASIC, GSM7_EXTENSION, gsm7_array, septets, to_gsm7

ALPHABET = GSM7_BASIC | GSM7_EXTENSION
CLOSEST = {"â": "a", "À": "A", "Â": "A", "ç": "c", "ê": "e", "ë": "e", "È": "E", "Ê": "E",
           "Ë": "E", "î": "i", "ï": "i", "Î": "I", "Ï": "I", "ô": "o", "Ô": "O", "û": "u",
           "Û": "U", "Ù": "U", "ÿ": "y", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'", "“": '"',
           "”": '"', "«": '"', "»": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " ",
           "\u202f": " ", "°": "o", "\t": " "}


def plain_gsm7(text: str) -> str:
    """The rule, one string and one character at a time."""
    text = text.replace("« ", '"').replace(" »", '"')
    out = ""
    for char in text:
        if char in ALPHABET:
            out += char
        elif char in CLOSEST:
            out += CLOSEST[char]
        else:
            base = "".join(c for c in unicodedata.normalize("NFD", char)
                           if not unicodedata.combining(c))
            out += base if base and set(base) <= ALPHABET else "?"
    return out


@pytest.mark.parametrize("text, expected", [
    ("éèàùÉ ça être Œuvre — « oui »", 'éèàùÉ ca etre OEuvre - "oui"'),
    ("« »", '""'), ("«  x", '" x'), ("x »»", 'x""'), ("ſ ŀ Ł ✓ 😀", "? ? ? ? ?"),
    ("e\u0301 café\tbar…", "e? café bar..."), ("", ""), ("[~] €", "[~] €"),
], ids=["french", "empty-quotes", "quote-two-spaces", "doubled-close", "no-equivalent",
        "combining-tab-ellipsis", "empty", "extension"])
def test_transliteration_of_awkward_texts(text, expected):
    assert to_gsm7(pd.Series([text]))[0] == plain_gsm7(text) == expected


@given(st.lists(st.text(alphabet=st.sampled_from(
    sorted("abcé €[\n\t«»’œŒÿ—…ſŁ✓ \u00a0\u0301")), max_size=12), max_size=8))
def test_arrow_transliteration_equals_the_per_string_rule(texts):
    assert to_gsm7(pd.Series(texts, dtype="str")).tolist() == [plain_gsm7(t) for t in texts]


def test_missing_texts_become_empty_and_the_index_is_kept():
    out = to_gsm7(pd.Series(["Fête", None], index=[7, 3], dtype="str"))
    assert out.to_dict() == {7: "Fete", 3: ""} and str(out.dtype) == "str"
    assert gsm7_array(pa.array(["ok", None])).to_pylist() == ["ok", ""]


def test_septets_count_extension_characters_twice_and_keep_the_index():
    out = septets(pd.Series(["a€", "[]", "", None], index=[4, 3, 2, 1]))
    assert out.to_dict() == {4: 3, 3: 4, 2: 0, 1: 0} and out.dtype == "int64"
