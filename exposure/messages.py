"""The message to each patient (Art. 34(2)): subject and text, in the channel's form.

Each row of ``notifications.csv`` gets a ``subject``, a ``message`` and the
``template`` it came from. The template depends on the channel (e-mail, SMS,
letter, phone script, public communication) and on the addressee:

- ``patient``: the patient's own contact; the message says what leaked about
  them: their appointments, the specialty in plain words, what it may suggest;
- ``shared``: a contact several patients share (a family e-mail); and
- ``guardian``: a minor, written to the legal guardian.

Shared and guardian messages name no specialty, no appointment and no person:
they ask the recipient to contact the DPO with a reference (the
``patient_id``). Messages are built per group of rows that share a template,
a specialty and the kinds of data exposed (some hundreds of groups); only
names, dates and references are filled row by row, as whole Arrow columns.

SMS are written in the GSM 7-bit alphabet and must fit in two parts
(:mod:`exposure.sms`); a longer one raises an :class:`ExposureWarning`.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ._distinct import distinct_rows
from ._notified import NotifiedRecords, template_names, text_field
from .art33 import KINDS
from .errors import ExposureWarning
from .incident import Incident
from .message_text import MessageText, Notifications
from .sms import MAX_SEPTETS
from .specialty import SpecialtyTable, load_specialty_table
from .templating import TemplateSet, fill, load_templates
from .wording import (
    EXPOSED,
    EXPOSED_SHORT,
    MONTHS,
    SHORT_CONSEQUENCES,
    check_language,
    nature_short,
    nature_text,
    to_complete,
)

__all__ = ["compose_messages", "date_phrase"]

_PHRASES = {
    "fr": {
        "general": "Une personne malveillante pourrait utiliser ces informations pour vous "
                   "envoyer de faux messages crédibles (hameçonnage), au nom de votre praticien "
                   "ou d'un organisme de santé, afin d'obtenir de l'argent, vos mots de passe "
                   "ou vos coordonnées bancaires.",
        "also": " Elles pourraient aussi {what}",
        "harm": ", ce qui peut exposer à de la discrimination, à du chantage ou à une atteinte "
                "à la réputation.",
        "guarded": "Une personne malveillante pourrait utiliser ces informations pour envoyer de "
                   "faux messages crédibles (hameçonnage) aux personnes concernées, au nom d'un "
                   "praticien ou d'un organisme de santé, afin d'obtenir de l'argent, des mots "
                   "de passe ou des coordonnées bancaires. Selon le rendez-vous, elles "
                   "pourraient aussi laisser deviner des informations de santé.",
        "quoted": "« {} »", "unread": "une spécialité que nous n'avons pas pu identifier",
        "absent": "non indiquée dans le fichier", "others": ", et d'autres spécialités pour "
        "vos autres rendez-vous",
        "one": "votre rendez-vous", "many": "vos {n} rendez-vous", "on": " du ",
        "between": " entre le {a} et le {b}", "short_on": "du {a}", "short_range": "du {a} au {b}",
        "period": "entre le {a} et le {b}", "period_none": "à une date non précisée",
        "controller": "organisme", "measures": "mesures prises", "dpo": "contact du DPO",
    },
    "en": {
        "general": "Someone malicious could use this information to send you credible fake "
                   "messages (phishing) in the name of your practitioner or of a health "
                   "organisation, to obtain money, your passwords or your bank details.",
        "also": " It could also {what}",
        "harm": ", which may expose you to discrimination, blackmail or damage to your "
                "reputation.",
        "guarded": "Someone malicious could use this information to send credible fake messages "
                   "(phishing) to the people concerned, in the name of a practitioner or a "
                   "health organisation, to obtain money, passwords or bank details. Depending "
                   "on the appointment, it could also suggest health information.",
        "quoted": "“{}”", "unread": "a specialty we could not identify",
        "absent": "not given in the file", "others": ", and other specialties for your other "
        "appointments",
        "one": "your appointment", "many": "your {n} appointments", "on": " on ",
        "between": " between {a} and {b}", "short_on": "on {a}", "short_range": "from {a} to {b}",
        "period": "between {a} and {b}", "period_none": "on an unspecified date",
        "controller": "organisation", "measures": "measures taken", "dpo": "DPO contact",
    },
}

#: What a specialty category may suggest, said to the patient ("could also suggest ...").
PATIENT_CONSEQUENCE = {
    "fr": {
        "mental_health": "laisser deviner un suivi en santé mentale",
        "sexual_health": "laisser deviner des éléments de votre santé sexuelle",
        "hiv_sti": "laisser supposer un dépistage ou un traitement d'une infection "
                   "sexuellement transmissible",
        "substance_use": "laisser deviner un suivi pour une addiction",
        "reproductive": "laisser deviner un suivi de contraception, de fertilité ou une IVG",
        "pregnancy": "laisser deviner une grossesse",
        "oncology": "laisser supposer un cancer ou sa recherche",
        "genetic": "laisser supposer une maladie génétique",
        "violence": "laisser deviner que vous avez subi des violences",
        "incarceration": "laisser deviner une détention ou une procédure judiciaire",
        "chronic_disease": "laisser deviner une maladie chronique",
        "surgery": "laisser deviner une intervention chirurgicale",
        "child": "laisser deviner un suivi médical",
        "developmental": "laisser deviner un trouble du développement",
        "weight": "laisser deviner un suivi du poids ou de la nutrition",
        "disability": "laisser deviner un handicap",
        "cosmetic": "laisser deviner un acte esthétique",
        "elderly": "laisser deviner un suivi lié à l'âge",
        "infectious_disease": "laisser supposer une maladie infectieuse",
        "cognitive": "laisser deviner des troubles de la mémoire",
        "end_of_life": "laisser deviner une maladie grave",
        "gender_identity": "laisser deviner un parcours de transition",
        "social_vulnerability": "laisser deviner une situation de précarité",
        "none": "indiquer que vous avez consulté ce praticien",
        "unknown": "laisser deviner la nature de votre consultation",
    },
    "en": {
        "mental_health": "suggest mental-health care",
        "sexual_health": "suggest something about your sexual health",
        "hiv_sti": "suggest testing or treatment for a sexually transmitted infection",
        "substance_use": "suggest care for an addiction",
        "reproductive": "suggest contraception or fertility care, or an abortion",
        "pregnancy": "suggest a pregnancy",
        "oncology": "suggest cancer or its investigation",
        "genetic": "suggest a genetic condition",
        "violence": "suggest that you suffered violence",
        "incarceration": "suggest detention or legal proceedings",
        "chronic_disease": "suggest a chronic disease",
        "surgery": "suggest surgery",
        "child": "suggest medical care",
        "developmental": "suggest a developmental disorder",
        "weight": "suggest care for weight or nutrition",
        "disability": "suggest a disability",
        "cosmetic": "suggest cosmetic care",
        "elderly": "suggest care related to age",
        "infectious_disease": "suggest an infectious disease",
        "cognitive": "suggest memory problems",
        "end_of_life": "suggest a serious illness",
        "gender_identity": "suggest a gender transition",
        "social_vulnerability": "suggest social hardship",
        "none": "show that you saw this practitioner",
        "unknown": "suggest why you saw this practitioner",
    },
}
_SENSITIVE_TIERS = ("high", "very_high")


def date_phrase(dates: pd.Series, language: str, *, short: bool = False) -> pd.Series:
    """Dates in words ("1er mai 2020", "12 May 2020") or short ("12/05/2020"), vectorised.

    Examples
    --------
    >>> d = pd.Series(pd.to_datetime(["2020-05-01", "2020-07-21", None]))
    >>> date_phrase(d, "fr").tolist()
    ['1er mai 2020', '21 juillet 2020', '']
    >>> date_phrase(d, "en", short=True).tolist()
    ['01/05/2020', '21/07/2020', '']
    """
    if short:
        return dates.dt.strftime("%d/%m/%Y").fillna("").astype("str")
    day = dates.dt.day.astype("Int64").astype("str")
    if language == "fr":
        day = day.where(day != "1", "1er")
    month = dates.dt.month.map(dict(enumerate(MONTHS[language], start=1)))
    text = day + " " + month + " " + dates.dt.year.astype("Int64").astype("str")
    return text.where(dates.notna(), "").astype("str")


def _fill(pattern: str, **columns: pd.Series) -> pd.Series:
    """``pattern`` with each ``{name}`` replaced by a whole column, vectorised."""
    parts = re.split(r"\{(\w+)\}", pattern)
    out = pd.Series(parts[0], index=next(iter(columns.values())).index, dtype="str")
    for position in range(1, len(parts), 2):
        out = out + columns[parts[position]] + parts[position + 1]
    return out


def _appointment_fields(count: np.ndarray, first: np.ndarray, last: np.ndarray,
                        language: str) -> tuple[pa.Array, pa.Array]:
    """Per notification: ``appointments`` (a phrase) and ``dates`` (short).

    Both depend only on the number of appointments and on the first and last
    days (``first``, ``last``: datetimes, NaT when undated): they are written
    once per distinct triple (a few thousand at most), then spread to the rows.
    """
    words = _PHRASES[language]
    first, last = first.astype("datetime64[D]"), last.astype("datetime64[D]")
    group, representative = distinct_rows(pd.DataFrame(
        {"n": count, "first": first.view(np.int64), "last": last.view(np.int64)}))
    stats = pd.DataFrame({"n": count[representative], "first": first[representative],
                          "last": last[representative]})
    n = stats["n"]
    a, b = (date_phrase(stats[c], language) for c in ("first", "last"))
    short_a, short_b = (date_phrase(stats[c], language, short=True) for c in ("first", "last"))
    same = (stats["first"] == stats["last"]).to_numpy()
    undated = stats["first"].isna().to_numpy()
    lead = _fill(words["many"], n=n.astype("str")).where(n > 1, words["one"])
    appointments = lead + np.where(undated, "", np.where(
        same, words["on"] + a, _fill(words["between"], a=a, b=b)))
    same_year = (stats["first"].dt.year == stats["last"].dt.year).to_numpy()
    short_a = short_a.where(~same_year, short_a.str[:5])  # du 05/06 au 10/07/2020
    dates = np.where(undated, "", np.where(same, _fill(words["short_on"], a=date_phrase(
        stats["first"], language, short=True)), _fill(words["short_range"], a=short_a,
                                                       b=short_b)))
    return (pa.array(appointments.astype("str"), pa.large_string()).take(group),
            pa.array(dates, pa.large_string()).take(group))


def _personal_values(spec: str, multi: bool, kinds_mask: int, specialties: dict[str, dict],
                     language: str) -> dict[str, str]:
    """Group-level values of a patient message: specialty, what leaked, consequences.

    ``specialties``: the specialty table's rows by code, as plain dicts (read
    once per group: a ``DataFrame.at`` apiece would cost more than the rest).
    """
    words = _PHRASES[language]
    kinds = [k for bit, k in enumerate(KINDS) if kinds_mask >> bit & 1]
    if "specialty" not in kinds:
        specialty = words["absent"]
    elif spec == "unknown":
        specialty = words["unread"]
    else:
        specialty = words["quoted"].format(specialties[spec][f"label_{language}"])
    if multi and "specialty" in kinds:
        specialty += words["others"]
    listed = [EXPOSED[language][k] for k in kinds] or [EXPOSED[language]["appointment"]]
    exposed = (", ".join(listed[:-1]) + EXPOSED[language]["and"] + listed[-1]
               if len(listed) > 1 else listed[0])
    short = [EXPOSED_SHORT[language][k] for k in kinds if k in EXPOSED_SHORT[language]
             and not (k == "practitioner" and "specialty" in kinds)]
    categories = str(specialties[spec]["categories"]) if spec in specialties else ""
    category = "unknown" if spec == "unknown" else (categories.split("|")[0] or "none")
    tier = str(specialties[spec]["tier"]) if spec in specialties else "high"
    consequences = words["general"]
    if "specialty" in kinds:
        consequences += words["also"].format(what=PATIENT_CONSEQUENCE[language][category]) + (
            words["harm"] if tier in _SENSITIVE_TIERS else ".")
    return {"specialty": specialty, "exposed": exposed,
            "exposed_short": ", ".join(dict.fromkeys(short)), "consequences": consequences}


def _common_values(incident: Incident, dates: pd.Series, language: str, *,
                   short: bool = False) -> dict[str, str]:
    """Values shared by every message; ``short`` markers ("[à compléter]") for SMS.

    ``dates`` are the appointments' (their first and last days suffice), NaT when undated.
    """
    words = _PHRASES[language]
    if short:
        words = {**words, "measures": "", "dpo": ""}
    dates = dates.dropna()
    if dates.empty:
        period = words["period_none"]
    else:
        ends = date_phrase(pd.Series([dates.min(), dates.max()]), language)
        period = words["period"].format(a=ends[0], b=ends[1])
    values = {
        "controller": to_complete(incident.controller, {language: words["controller"]},
                                  language)[0],
        "measures": to_complete(incident.measures, {language: words["measures"]}, language)[0],
        "dpo_contact": to_complete(incident.dpo_contact, {language: words["dpo"]}, language)[0],
        "nature": nature_text(incident, language), "nature_short": nature_short(incident, language),
        "consequences_general": words["guarded"],
        "consequences_short": SHORT_CONSEQUENCES[language], "period": period,
    }
    return {k: v.replace("\0", "") for k, v in values.items()}


def compose_messages(notifications: pd.DataFrame, patients: pd.DataFrame,
                     records: pd.DataFrame, incident: Incident, *, language: str = "fr",
                     templates: TemplateSet | None = None,
                     table: SpecialtyTable | None = None) -> tuple[Notifications, dict[str, Any]]:
    """Give each notification its ``template``, ``subject`` and ``message``.

    The texts are not rendered here but by slices when written
    (:class:`exposure.message_text.Notifications`); only SMS are rendered
    now, to count their length.

    Parameters
    ----------
    notifications : DataFrame of shape (n_notified, ...)
        With ``patient_id``, ``channel``, ``addressee``, ``shared_contact``,
        ``contact``, ``first_name``, ``last_name``.
    patients : DataFrame
        With ``patient_id`` and ``top_specialty``.
    records : DataFrame
        Scored records with ``patient_id``, ``appointment_at``, ``specialty_code``
        and the identifier columns (:func:`exposure.art33.exposed_kinds`).
    incident : Incident
    language : {"fr", "en"}, default="fr"
    templates : TemplateSet, default=None
        The shipped templates of ``language`` when None.
    table : SpecialtyTable, default=None

    Returns
    -------
    notifications : Notifications
        The input with ``language`` and ``template``, and the text that gives
        each row its ``subject`` and ``message``.
    info : dict
        For ``summary.json``: templates source and sha256, messages per
        template, SMS length (septets) and the number over two parts.

    Warns
    -----
    ExposureWarning
        When an SMS needs more than two parts.

    Examples
    --------
    Called by :func:`exposure.score`; a patient seen by a psychiatrist, with a
    mobile phone only, gets an SMS that fits in two parts:

    >>> from exposure import score
    >>> leak = pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"],
    ...     "Téléphone": ["06 12 34 56 78"], "Spécialité": ["Psychiatre"]})
    >>> note = score(leak).notifications.iloc[0]
    >>> note["template"], note["subject"], len(note["message"]) <= 306
    ('sms_patient', 'Violation de données', True)
    """
    check_language(language, "compose_messages")
    templates = templates or load_templates(language=language)
    table = table or load_specialty_table()
    out = notifications.reset_index(drop=True).assign(language=language)
    info: dict[str, Any] = {"language": language, "templates": templates.source,
                            "templates_sha256": templates.sha256, "by_template": {},
                            "sms_max_characters": 0, "sms_over_two_parts": 0}
    if out.empty:
        nothing = MessageText((), (), np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64),
                              pa.table({}))
        return Notifications(out.assign(template=pd.Categorical([], categories=pd.Index(
            [], dtype="str"))), nothing), info
    name_code, names = template_names(out)
    personal = np.array([name.endswith("_patient") for name in names])[name_code]
    told = NotifiedRecords(records, patients, out["patient_id"])
    # A patient message depends on the specialty, on whether there are others,
    # and on the kinds of data exposed: one group per distinct combination.
    specialty, specialties = told.per_patient(patients["top_specialty"])
    keys = pd.DataFrame({"template": name_code, "specialty": np.where(personal, specialty + 1, 0),
                         "multi": told.several_specialties() & personal,
                         "kinds": np.where(personal, told.kinds(), 0)})

    first, last = told.first_and_last()
    appointments, dates = _appointment_fields(told.count, first, last, language)
    fields = pa.table({"appointments": appointments, "dates": dates,
                       "first_name": text_field(out["first_name"]),
                       "last_name": text_field(out["last_name"]),
                       "reference": pa.array(out["patient_id"].to_numpy()).cast(pa.large_string()),
                       "contact": text_field(out["contact"])})
    span = pd.Series(np.concatenate([first, last]))
    common = _common_values(incident, span, language)
    common_sms = _common_values(incident, span, language, short=True)

    group, representative = distinct_rows(keys)
    jobs, sms, personal_values = [], [], {}  # the same values for each channel
    specialty_rows = table.rows.to_dict("index")
    spec_names = np.append(np.array(specialties, dtype=object), np.nan)  # code -1: missing
    for template, code, is_multi, kinds_mask in keys.iloc[representative].itertuples(index=False):
        template_name = names[template]
        values = dict(common_sms if template_name.startswith("sms_") else common)
        if template_name.endswith("_patient"):
            if (code, is_multi, kinds_mask) not in personal_values:
                personal_values[code, is_multi, kinds_mask] = _personal_values(
                    spec_names[code - 1], is_multi, kinds_mask, specialty_rows, language)
            values.update(personal_values[code, is_multi, kinds_mask])
        template = templates[template_name]
        jobs += [(template.subject, values), (template.body, values)]
        sms.append(template_name.startswith("sms_"))
    filled = fill(jobs)
    text = MessageText(tuple(filled[0::2]), tuple(filled[1::2]), np.array(sms, dtype=bool),
                       group, fields)
    length = text.sms_lengths()
    over = int((length > MAX_SEPTETS).sum())
    if over:
        warnings.warn(
            f"{over} SMS message(s) need more than two parts (up to {int(length.max())} "
            f"characters, at most {MAX_SEPTETS}): shorten 'measures', 'dpo_contact' or "
            "'controller' in the incident file, or the sms_*.txt templates (--templates).",
            ExposureWarning, stacklevel=2)
    # A dozen names for millions of rows: categorical, of the names used only.
    out["template"] = pd.Categorical.from_codes(
        name_code, categories=pd.Index(names, dtype="str")).remove_unused_categories()
    used = np.bincount(name_code, minlength=len(names))
    info.update(by_template={names[i]: int(used[i]) for i in np.argsort(names) if used[i]},
                sms_max_characters=int(length.max()) if len(length) else 0,
                sms_over_two_parts=over)
    return Notifications(out, text), info
