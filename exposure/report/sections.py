"""The first sections of the report: header, review box, decisions, Art. 33(3) content.

Each function takes the :class:`~exposure.report._html.Context` and returns an
HTML fragment. Numbers come from ``summary.json`` (its ``art33`` object holds
the Art. 33(3) items), so the report and the JSON never disagree.
"""

from __future__ import annotations

from ..decide import CHANNELS
from ..incident import LEVELS, level_rank
from ._html import Context, Html, cell, paragraph, table, todo
from .labels import CB
from .stats import proportion
from .text import CHANNEL, LEVEL, decimal, integer, rate

__all__ = ["header", "review", "decisions", "art33"]


def header(ctx: Context) -> Html:
    """Title, controller, incident, input file and the tool that produced the report."""
    s, t = ctx.summary, ctx.t
    art = s["art33"]
    source = s.get("input", {})
    digest = source.get("sha256")
    file_text = (f"{source.get('name', t['unknown_value'])} (SHA-256 {digest[:16]}…)"
                 if digest else t["unknown_value"])
    rows = [[t["controller"], todo(art["controller"]["text"], art["controller"]["to_complete"])],
            [t["incident"], s["incident"]["title"]], [t["input"], file_text],
            [t["produced"], f"exposure {s['versions'].get('exposure', '')}"]]
    meta = "".join(f"<tr><th>{cell(k)}</th><td>{cell(v)}</td></tr>" for k, v in rows)
    return Html(f"<header><h1>{cell(t['title'])}</h1><p class=\"subtitle\">"
                f"{cell(t['subtitle'])}</p><table class=\"meta\">{meta}</table></header>")


def review(ctx: Context) -> Html:
    """What the DPO must complete or check before sending."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    art = s["art33"]
    items = [Html(f'<span class="todo">{cell(art[k]["text"])}</span>')
             for k in ("controller", "dpo_contact", "measures") if art[k]["to_complete"]]
    colon = " : " if lang == "fr" else ": "
    unknown = s["data_quality"]["specialty_unknown_records"]
    if unknown:
        items.append(t["q_unknown"] + colon + integer(unknown, lang))
    sms = s.get("messages", {}).get("sms_over_two_parts", 0)
    if sms:
        items.append(t["q_sms"] + colon + integer(sms, lang))
    body = (f"<p>{cell(t['review_complete'])}</p><ul>"
            + "".join(f"<li>{cell(i)}</li>" for i in items) + "</ul>") if items else \
        paragraph(t["review_none"])
    return Html(f'<aside class="review"><h2>{cell(t["review"])}</h2>{body}</aside>')


def _contents(ctx: Context) -> Html:
    t = ctx.t
    links = [("decisions", t["s_decisions"]), ("art33", t["s_art33"]),
             ("figures", t["s_figures"]), ("quality", t["s_quality"]), ("audit", t["s_audit"]),
             ("notes", t["s_notes"])]
    return Html(f'<nav><h2>{cell(t["toc"])}</h2><ol>'
                + "".join(f'<li><a href="#{a}">{cell(label)}</a></li>' for a, label in links)
                + "</ol></nav>")


def decisions(ctx: Context) -> Html:
    """Verdicts first: notify the authority or not, and why; how many patients to tell."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    art, levels = s["art33"], s["levels"]
    threshold = LEVEL[lang][art["threshold"]]
    if s["notify_authority"]:
        title, css = t["notify_yes"], "verdict yes"
        why = t["why_yes"].format(n=integer(art["patients_at_or_above"], lang),
                                  total=integer(s["patients"], lang), level=threshold)
    else:
        title, css = t["notify_no"], "verdict no"
        top = max((lv for lv in LEVELS if levels.get(lv)), key=level_rank, default="low")
        why = t["why_no"].format(level=threshold, top=LEVEL[lang][top])
    authority = (f'<div class="{css}"><h3>{cell(t["authority"])}</h3><p class="answer">'
                 f'{cell(title)}</p>{paragraph(why)}</div>')

    n = s["patients_to_notify"]
    patient_level = LEVEL[lang][s["incident"]["policy"]["notify_patient_at"]]
    share = proportion(n, s["patients"])
    parts = [f'<p class="answer">{cell(t["tell"].format(n=integer(n, lang)))}</p>']
    if n:
        parts.append(paragraph(t["tell_why"].format(level=patient_level, rate=rate(share, lang))))
        order = {c: i for i, c in enumerate(CHANNELS)}
        channels = [[CHANNEL[lang].get(c, c), integer(k, lang)] for c, k in
                    sorted(s["channels"].items(), key=lambda item: order.get(item[0], 99))]
        parts.append(table([t["channel"], t["patients"]], channels, numeric=[1]))
        counts = s.get("messages", {}).get("by_template", {})
        shared = sum(v for k, v in counts.items() if k.endswith("_shared"))
        guardian = sum(v for k, v in counts.items() if k.endswith("_guardian"))
        if shared or guardian:
            parts.append(paragraph(t["guarded"].format(shared=integer(shared, lang),
                                                       guardian=integer(guardian, lang))))
    else:
        parts.append(paragraph(t["tell_none"].format(level=patient_level)))
    exempt = int(ctx.patients["reasons"].str.contains("EXEMPT_UNINTELLIGIBLE").sum()) \
        if "reasons" in ctx.patients else 0
    if exempt:
        parts.append(paragraph(t["exempt"].format(n=integer(exempt, lang))))
    tell = f'<div class="verdict people"><h3>{cell(t["patients_box"])}</h3>{"".join(parts)}</div>'

    rows = [[LEVEL[lang][lv], integer(levels[lv], lang),
             rate(proportion(levels[lv], s["patients"]), lang, short=True)]
            for lv in reversed(LEVELS)]
    figures = (f"<h3>{cell(t['key_figures'])}</h3>"
               + paragraph(t["records_line"].format(n=integer(s["records_scored"], lang),
                                                    rejected=integer(s["records_rejected"], lang),
                                                    p=integer(s["patients"], lang)))
               + table([t["level"], t["patients"], t["share"]], rows, numeric=[1, 2]))
    return Html(_contents(ctx) + f'<section id="decisions"><h2>{cell(t["s_decisions"])}</h2>'
                f'<div class="verdicts">{authority}{tell}</div>{figures}</section>')


def art33(ctx: Context) -> Html:
    """The Art. 33(3) items, in the order of the article."""
    s, t, lang = ctx.summary, ctx.t, ctx.language
    art = s["art33"]
    cb_terms = s["incident"].get("cb_terms", {})
    terms = "".join(f"<li>{cell(CB[lang].get(k, k))} (+{decimal(v, lang)})</li>"
                    for k, v in cb_terms.items()) or f"<li>{cell(t['cb_none'])}</li>"
    nature = (f"<h3>{cell(t['a_nature'])}</h3>{paragraph(art['nature']['text'])}"
              f"<p>{cell(t['circumstances'])}</p><ul>{terms}</ul>"
              + paragraph(t["cb_total"].format(cb=decimal(s["incident"]["cb"], lang))))

    people = art["data_subjects"]
    subjects = (f"<h3>{cell(t['a_subjects'])}</h3>"
                + paragraph(t["subjects_text"].format(
                    approx=integer(people["approximate"], lang),
                    n=integer(people["count"], lang), minors=integer(people["minors"], lang))))
    records = art["personal_data_records"]
    kinds = [[k["label"], "–" if k["records"] is None else integer(k["records"], lang),
              "–" if k["records"] is None else rate(proportion(k["records"], records["count"]),
                                                      lang, short=True)]
             for k in art["data_categories"]]
    record_part = (f"<h3>{cell(t['a_records'])}</h3>"
                   + paragraph(t["records_text"].format(approx=integer(records["approximate"],
                                                                      lang),
                                                        n=integer(records["count"], lang)))
                   + f"<h4>{cell(t['data_kinds'])}</h4>"
                   + table([t["kind"], t["with_value"], t["share"]], kinds, numeric=[1, 2]))

    dpo = art["dpo_contact"]
    contact = f"<h3>{cell(t['b_dpo'])}</h3><p>{todo(dpo['text'], dpo['to_complete'])}</p>"

    likely = art["likely_consequences"]
    rows = [[c["label"], integer(c["patients"], lang), c["text"]]
            for c in likely["by_category"]]
    consequences = (f"<h3>{cell(t['c_consequences'])}</h3>"
                    + (paragraph(t["health_note"]) if likely["health_data"] else "")
                    + f"<p><strong>{cell(t['general'])}</strong> {cell(likely['general'])}</p>"
                    + f"<p><strong>{cell(t['by_category'])}</strong></p>"
                    + table([t["category"], t["patients"], t["consequences"]], rows,
                            numeric=[1], css="consequences"))

    measures = art["measures"]
    measure_part = (f"<h3>{cell(t['d_measures'])}</h3>"
                    f"<p>{todo(measures['text'], measures['to_complete'])}</p>")
    return Html(f'<section id="art33"><h2>{cell(t["s_art33"])}</h2>{nature}{subjects}'
                f"{record_part}{contact}{consequences}{measure_part}</section>")
