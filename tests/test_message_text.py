"""Messages rendered some rows at a time are those rendered all at once.

The writer streams ``notifications.csv`` in slices (:meth:`Notifications.batches`);
the library caller gets the whole table (``Assessment.notifications``). Any
slicing, and any order of rows, must give each row the same text.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure import Incident, Policy, score
from exposure.errors import ExposureWarning

# E-mail, SMS, phone, letter, shared e-mail and a guardian, with several specialties.
LEAK = pd.DataFrame({
    "Nom": ["Dupont", "Martin", "Petit", "Petit", "Roux", "Blanc", "Moreau", "Leroy", "Faure"],
    "Prénom": ["Marie", "Léa", "Claire", "Lucas", "Gaëlle", "Øyvind", "Inès", "Paul", "Zoé"],
    "Téléphone": ["", "06 11 22 33 44", "", "", "01 44 55 66 77", "", "06 88 77 66 55", "", ""],
    "Email": ["marie@x.fr", "", "famille@x.fr", "famille@x.fr", "", "", "", "paul@x.fr", ""],
    "Adresse": ["", "", "", "", "", "3 rue des Lilas", "", "", ""],
    "Date de naissance": ["1980-02-03", "1975-05-05", "1982-04-04", "2012-09-09", "1960-01-01",
                          "1950-03-03", "2008-01-01", "1970-01-01", "1990-06-06"],
    "Date du rendez-vous": ["2020-07-06 10:00", "2020-06-01 09:00", "", "2020-07-02 10:00",
                            "2020-06-02 09:00", "2020-06-03 09:00", "2020-07-03 11:00",
                            "2020-07-04 12:00", "2020-05-04 10:00"],
    "Praticien": ["Dr Nox"] * 9,
    "Spécialité": ["Psychiatre", "Oncologue", "Gynécologue", "Pédiatre", "Addictologue",
                   "Psychiatre", "Gynécologue", "Infectiologue", "Psychiatre"],
})
INCIDENT = Incident(controller="Clinique du Parc", dpo_contact="dpo@parc.fr",
                    policy=Policy(notify_patient_at="low"))


@pytest.fixture(scope="module")
def notifications():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExposureWarning)
        return score(LEAK, INCIDENT).notification_list


def test_the_fixture_has_several_channels_and_templates(notifications):
    whole = notifications.to_frame()
    assert len(whole) == len(LEAK)  # every patient is told (policy: from "low")
    assert whole["channel"].nunique() >= 3
    assert whole["template"].nunique() >= 4


@given(rows=st.integers(min_value=1, max_value=12))
@settings(deadline=None, max_examples=15)
def test_batches_of_any_size_give_the_whole_table(notifications, rows):
    batches = list(notifications.batches(rows=rows))
    assert all(len(batch) <= rows for batch in batches)
    pd.testing.assert_frame_equal(pd.concat(batches), notifications.to_frame())


@given(order=st.permutations(range(8)))
@settings(deadline=None, max_examples=20)
def test_rows_in_any_order_get_their_own_text(notifications, order):
    rows = np.array(order)  # 8 of the 9 rows, in any order
    subject, message, _ = notifications.text.render(rows)
    whole = notifications.to_frame()
    assert subject.to_pylist() == whole["subject"].iloc[rows].tolist()
    assert message.to_pylist() == whole["message"].iloc[rows].tolist()


def test_text_columns_come_before_the_template(notifications):
    columns = list(notifications.to_frame().columns)
    assert columns[-3:] == ["subject", "message", "template"]
    assert "message" not in notifications.frame


def test_no_notification_gives_one_empty_batch_with_every_column():
    quiet = Incident(policy=Policy(notify_patient_at="very_high"))
    listed = score(LEAK.iloc[:1].assign(Spécialité="Médecin généraliste"), quiet).notification_list
    batches = list(listed.batches())
    assert len(batches) == 1 and batches[0].empty
    assert list(batches[0].columns)[-3:] == ["subject", "message", "template"]
