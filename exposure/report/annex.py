"""The last sections of the report: figures, data quality, audit trail, notes.

Figures show patients per level, the categories the specialties reveal
against the level, the exposed appointments over time and the factors behind
the decision to inform patients; each is followed by the numbers it draws.
Patients are only ever designated by ``patient_id``.
"""

from __future__ import annotations

import pandas as pd

from ..art33 import level_crosstab, revealed_codes
from ..incident import LEVELS
from ..wording import CATEGORY
from . import plots
from ._html import Context, Html, cell, paragraph, table
from .labels import CB, EI, FACTOR
from .stats import proportion
from .text import LEVEL, decimal, integer, rate

__all__ = ["figures", "quality", "audit", "notes", "PUBLIC_LIST_MAX"]

#: Patients for a public communication are listed by id up to this many.
PUBLIC_LIST_MAX = 60


def _figure(title: str, alt: str, uri: str, numbers: Html, show: str, note: str = "") -> str:
    return (f"<figure><figcaption>{cell(title)}</figcaption><img src=\"{uri}\" alt=\"{cell(alt)}\">"
            + (paragraph(note, "note") if note else "")
            + f"<details><summary>{cell(show)}</summary>{numbers}</details></figure>")


def _category_matrix(ctx: Context) -> pd.DataFrame:
    """Distinct patients per revealed category (rows, largest first) and level."""
    frame = ctx.appointments
    positions, codes, names = revealed_codes(frame["specialty_code"], frame["categories"])
    # Each patient counts once per category, at the level of its first such record.
    patient = pd.factorize(frame["patient_id"])[0][positions]
    first = ~pd.Series(patient * len(names) + codes).duplicated().to_numpy()
    level_codes, level_names = pd.factorize(frame["patient_level"])
    matrix = level_crosstab(codes[first], names, level_codes[positions[first]], level_names)
    order = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    matrix = matrix.loc[order]
    matrix.index = [CATEGORY[ctx.language].get(c, c) for c in matrix.index]
    return matrix


def _factors(ctx: Context) -> pd.Series:
    """Informed patients per factor behind their severity: DPC, then EI, then CB."""
    words, lang = FACTOR[ctx.language], ctx.language
    told = ctx.patients[ctx.patients["notify_patient"].astype(bool)]
    known = told["top_specialty"] != "unknown"
    tier = {f"dpc_{v}": int(n) for v, n in told.loc[known, "dpc_base"].value_counts().items()}
    if not known.all():
        tier["dpc_unknown"] = int((~known).sum())
    counts = {words[k]: tier[k] for k in ("dpc_4", "dpc_3", "dpc_unknown", "dpc_2", "dpc_1")
              if k in tier}
    for flag in ("minor", "recurrent", "reason_text"):
        if told[flag].astype(bool).any():
            counts[words[flag]] = int(told[flag].astype(bool).sum())
    ei = told.groupby(["ei", "ei_reason"]).size().sort_index(ascending=[False, True])
    for (score, code), n in ei.items():
        counts[words["ei"].format(what=EI[lang].get(code, code), ei=decimal(score, lang))] = int(n)
    for code, score in ctx.summary["incident"].get("cb_terms", {}).items():
        counts[words["cb"].format(what=CB[lang].get(code, code), score=decimal(score, lang))] = \
            len(told)
    return pd.Series(counts, dtype="int64")


def _factor_colours(factors: pd.Series, language: str) -> list[str]:
    """What the specialty reveals (DPC) in blue, identifiability (EI) in teal, CB in grey."""
    words = FACTOR[language]
    ei_prefix, cb_prefix = (words[k].split("{")[0] for k in ("ei", "cb"))
    return [plots.FACTOR_COLOURS["ei" if name.startswith(ei_prefix) else
                                 "cb" if name.startswith(cb_prefix) else "dpc"]
            for name in factors.index]


def figures(ctx: Context) -> Html:
    """The four figures, each with its numbers."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    labels = LEVEL[lang]
    levels = pd.Series(s["levels"]).reindex(list(LEVELS), fill_value=0)
    if not levels.sum():  # every record rejected: say so rather than draw empty axes
        return Html(f'<section id="figures"><h2>{cell(t["s_figures"])}</h2>'
                    f'{paragraph(t["no_patients"])}</section>')
    parts = [paragraph(t["figures_intro"])]
    level_rows = [[labels[lv], integer(levels[lv], lang)] for lv in reversed(LEVELS)]
    parts.append(_figure(t["f_levels"], t["f_levels_alt"],
                         plots.levels_figure(levels, labels, t["patients"]),
                         table([t["level"], t["patients"]], level_rows, numeric=[1]),
                         t["show_numbers"]))

    matrix = _category_matrix(ctx)
    rows = [[name, *(integer(v, lang) for v in row)] for name, row in matrix.iterrows()]
    parts.append(_figure(t["f_categories"], t["f_categories_alt"],
                         plots.categories_figure(matrix, labels),
                         table([t["category"], *(labels[lv] for lv in LEVELS)], rows,
                               numeric=range(1, 5)), t["show_numbers"]))

    timeline = s.get("timeline", {})
    if timeline.get("counts"):
        frame = pd.DataFrame(timeline["counts"]).set_index("period")[list(LEVELS)]
        frame.index = pd.to_datetime(frame.index)
        unit = t["unit"][timeline["unit"]]
        rows = [[p.strftime("%d/%m/%Y"), *(integer(v, lang) for v in row)]
                for p, row in frame.iterrows()]
        numbers = table([t["period"], *(labels[lv] for lv in LEVELS)], rows,
                        numeric=range(1, 5))
        if timeline.get("undated_records"):
            numbers = Html(numbers + paragraph(t["undated"].format(
                n=integer(timeline["undated_records"], lang))))
        parts.append(_figure(t["f_timeline"], t["f_timeline_alt"].format(unit=unit),
                             plots.timeline_figure(frame, timeline["unit"], labels,
                                                   t["appointments"]), numbers,
                             t["show_numbers"]))
    else:
        parts.append(f"<h3>{cell(t['f_timeline'])}</h3>" + paragraph(t["no_dates"]))

    factors = _factors(ctx)
    told = int(ctx.patients["notify_patient"].astype(bool).sum())
    if told:
        rows = [[name, integer(n, lang), rate(proportion(int(n), told), lang, short=True)]
                for name, n in factors.items()]
        parts.append(_figure(t["f_reasons"], t["f_reasons_alt"],
                             plots.factors_figure(factors, told, t["patients"],
                                                  _factor_colours(factors, lang)),
                             table([t["factor"], t["patients"], t["share"]], rows,
                                   numeric=[1, 2]), t["show_numbers"], t["f_reasons_note"]))
    else:
        parts.append(f"<h3>{cell(t['f_reasons'])}</h3>" + paragraph(t["no_notified"]))
    return Html(f'<section id="figures"><h2>{cell(t["s_figures"])}</h2>{"".join(parts)}'
                "</section>")


def quality(ctx: Context) -> Html:
    """Rejected records, unread specialties, shared contacts, linkage, public communication."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    dq, n_records, n_patients = s["data_quality"], s["records_scored"], s["patients"]
    rejected = s["records_rejected"]
    reasons = ctx.rejected["reason"].value_counts().head(5) if rejected else pd.Series()
    rejected_text = rate(proportion(rejected, s["records_in"]), lang) + (
        "; " + "; ".join(f"{r} ({integer(n, lang)})" for r, n in reasons.items())
        if rejected else "")
    counts = ctx.patients["n_records"]
    rows = [
        [t["q_rejected"], f"{integer(rejected, lang)} — {rejected_text}"],
        [t["q_unknown"], f"{integer(dq['specialty_unknown_records'], lang)} — "
                         f"{rate(proportion(dq['specialty_unknown_records'], n_records), lang)}"],
        [t["q_missing"], integer(dq["specialty_missing_records"], lang)],
        [t["q_filled"], integer(dq["specialty_from_practitioner"], lang)],
        [t["q_shared"], f"{integer(dq['shared_contact_patients'], lang)} — "
                        f"{rate(proportion(dq['shared_contact_patients'], n_patients), lang)}"],
        [t["q_minors"], f"{integer(dq['minor_patients'], lang)} — "
                        f"{rate(proportion(dq['minor_patients'], n_patients), lang)}"],
        [t["q_linkage"], t["q_linkage_value"].format(
            records=integer(n_records, lang), patients=integer(n_patients, lang),
            multi=integer(int((counts > 1).sum()), lang),
            max=integer(int(counts.max()) if len(counts) else 0, lang))],
    ]
    reid = s.get("reidentification") or {}
    if reid.get("n_records"):
        rows.append([t["q_reid"].format(keys=", ".join(reid.get("keys", [])) or "–"),
                     t["q_reid_value"].format(
                         unique=rate(proportion(int(reid["sample_uniques"]), reid["n_records"]),
                                     lang),
                         expected=decimal(reid["expected_reidentifications"], lang, 0),
                         k=integer(reid.get("min_k") or 0, lang))])
    public = ctx.notifications.loc[ctx.notifications["channel"] == "public", "patient_id"]
    if len(public) == 0:
        public_text = t["none"]
    elif len(public) <= PUBLIC_LIST_MAX:
        public_text = t["q_public_list"].format(ids=", ".join(str(i) for i in sorted(public)))
    else:
        public_text = t["q_public_many"].format(n=integer(len(public), lang))
    rows.append([t["q_public"], public_text])
    rows.append([t["q_no_contact_all"], integer(dq["patients_without_contact"], lang)])
    sms = s.get("messages", {}).get("sms_over_two_parts", 0)
    rows.append([t["q_sms"], integer(sms, lang)])
    return Html(f'<section id="quality"><h2>{cell(t["s_quality"])}</h2>'
                + table([t["q_item"], t["q_value"]], rows, css="quality") + "</section>")


def audit(ctx: Context) -> Html:
    """Input sha256, versions, model, table, templates, incident and policy as applied."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    source = s.get("input", {})
    model = s.get("model") or {}
    model_text = (", ".join(f"{k} {v}" for k, v in model.items() if isinstance(v, (str, int)))
                  if model else t["a_model_none"])
    messages = s.get("messages", {})
    incident = s["incident"]
    yes_no = {True: t["yes"], False: t["no"]}
    applied = _listing([f"{k} = {yes_no[v] if isinstance(v, bool) else (v or t['unknown_value'])}"
                        for k, v in incident.items() if k not in ("policy", "cb", "cb_terms")]
                       + [f"CB = {decimal(incident['cb'], lang)}"])
    policy = incident["policy"]
    flags = s.get("flags", {})
    columns = _listing([f"{role} ← {c['column']} ({c['found_by']})"
                        for role, c in s.get("columns", {}).items()])
    rows = [
        [t["a_input"], source.get("name", t["unknown_value"])],
        [t["a_sha"], Html(f"<code>{cell(source.get('sha256', t['unknown_value']))}</code>")],
        [t["a_versions"], ", ".join(f"{k} {v}" for k, v in s.get("versions", {}).items())],
        [t["a_model"], model_text],
        [t["a_table"], Html(f"<code>{cell(s.get('specialty_table', {}).get('sha256', '–'))}"
                            "</code>")],
        [t["a_templates"], Html(cell(t["a_templates_value"].format(
            source=t.get(messages.get("templates", ""), messages.get("templates", "–")),
            lang=messages.get("language", lang), sha=""))
            + f"<code>{cell(messages.get('templates_sha256', '–'))}</code>")],
        [t["a_incident"], applied],
        [t["a_policy"], t["a_policy_value"].format(
            authority=LEVEL[lang][policy["notify_authority_at"]],
            patient=LEVEL[lang][policy["notify_patient_at"]])],
        [t["a_flags"], f"{t['flag_100']} : {yes_no[bool(flags.get('more_than_100_individuals'))]}"
                       f" ; {t['flag_unintelligible']} : "
                       f"{yes_no[bool(flags.get('data_unintelligible'))]}"
         if lang == "fr" else
         f"{t['flag_100']}: {yes_no[bool(flags.get('more_than_100_individuals'))]}; "
         f"{t['flag_unintelligible']}: {yes_no[bool(flags.get('data_unintelligible'))]}"],
        [t["a_columns"], columns or "–"],
    ]
    return Html(f'<section id="audit"><h2>{cell(t["s_audit"])}</h2>'
                + table([t["a_item"], t["a_value"]], rows, css="audit") + "</section>")


def _listing(items: list[str]) -> Html:
    return Html('<ul class="plain">' + "".join(f"<li>{cell(i)}</li>" for i in items) + "</ul>")


def notes(ctx: Context) -> Html:
    """Method notes: ENISA, thresholds, Wilson intervals, approximations, privacy."""
    t = ctx.t
    return Html(f'<section id="notes"><h2>{cell(t["s_notes"])}</h2><ol>'
                + "".join(f"<li>{cell(n)}</li>" for n in t["notes"]) + "</ol></section>")
