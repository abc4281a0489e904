"""summary.json figures read from the output tables, whatever their column dtypes."""

import pandas as pd
import pytest

from exposure import Incident, score
from exposure.summary import summarise


@pytest.fixture(scope="module")
def result():
    leak = pd.DataFrame({"Nom": ["Dupont", "Martin", "Roux"], "Prénom": ["Marie", "Paul", "Léa"],
                         "Email": ["marie.dupont@gmail.com", "", ""],
                         "Téléphone": ["", "06 12 34 56 78", ""],
                         "Spécialité": ["Psychiatre", "Psychiatre", "Psychiatre"]})
    return score(leak, Incident())


@pytest.mark.parametrize("dtype", ["category", "str"])
def test_channels_count_the_channels_in_use_by_name(result, dtype):
    # A categorical channel knows all five channels: those nobody gets stay out.
    patients = result.patients.astype({"channel": dtype, "level": dtype})
    summary = summarise(len(result.appointments) + len(result.rejected), result.appointments,
                        result.rejected, patients, Incident(), result.mapping)
    assert summary["channels"] == {"email": 1, "public": 1, "sms": 1}
    assert list(summary["channels"]) == sorted(summary["channels"])
    assert summary["levels"] == result.summary["levels"]
