"""The public surface: what `import exposure` promises (DESIGN.md section 8)."""

import pandas as pd

import exposure


def test_public_names_are_exported():
    for name in exposure.__all__:
        assert hasattr(exposure, name), name


def test_individual_risk_and_suda_are_reachable_from_the_package():
    frame = pd.DataFrame({"sex": ["F", "F", "M"], "zip": ["69003", "69003", "69003"]})
    risk = exposure.individual_risk(frame, ["sex", "zip"])
    assert risk["fk"].tolist() == [2, 2, 1]
    assert exposure.suda(frame, ["sex", "zip"])["msus"].tolist()[2] == "sex"
