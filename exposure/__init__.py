"""exposure: from a leaked file of medical appointments to GDPR decisions.

The pipeline (DESIGN.md section 2) reads a leak, maps its columns, normalises
identifiers, reads what each specialty reveals, links records into patients,
and decides, with reasons, whom to notify under Art. 33 and Art. 34.

>>> import pandas as pd, exposure
>>> result = exposure.score(pd.DataFrame({"Nom": ["Martin"], "Prénom": ["Léa"],
...     "Téléphone": ["06 12 34 56 78"], "Spécialité": ["Médecin généraliste"]}))
>>> result.patients[["patient_id", "severity", "level", "notify_patient"]]
   patient_id  severity   level  notify_patient
0           1       2.0  medium           False
"""

from .diversity import homogeneity
from .errors import ExposureError
from .incident import Incident, Policy, load_incident
from .pipeline import Assessment, score
from .reidentification import DatasetRisk, dataset_risk, individual_risk
from .suda import suda

__all__ = ["Assessment", "DatasetRisk", "ExposureError", "Incident", "Policy", "dataset_risk",
           "homogeneity", "individual_risk", "load_incident", "score", "suda"]
