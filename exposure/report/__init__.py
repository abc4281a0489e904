"""``report.html``: the document a DPO attaches to the notification (Art. 33) and reviews.

One self-contained file: styles inline, figures as ``data:`` PNG images, no
script, no font or image fetched from anywhere (a Content-Security-Policy
forbids it, in case the file is opened on a connected machine: a request
would itself leak). Verdicts first, then the Art. 33(3) items, figures, data
quality, audit trail and notes. French by default, English on request. The
same assessment gives the same bytes.

>>> import pandas as pd, exposure
>>> result = exposure.score(pd.DataFrame({"Nom": ["Dupont"], "Prénom": ["Marie"],
...     "Email": ["marie.dupont@gmail.com"], "Spécialité": ["Psychiatre"]}))
>>> html = render_report(result)
>>> html.startswith("<!DOCTYPE html>"), "Dupont" in html
(True, False)
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ..wording import check_language
from . import annex, sections
from ._html import Context

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import Assessment

__all__ = ["render_report"]

_STYLE = Path(__file__).resolve().parent / "style.css"
_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


_FRENCH_SPACES = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;"),
                  (" ?", "\u00a0?"), (" !", "\u00a0!"))


def _french_spacing(text: str) -> str:
    """No line break inside « » or before : ; ? ! (French typography).

    Examples
    --------
    >>> _french_spacing("« moyen » : oui") == "«\u00a0moyen\u00a0»\u00a0: oui"
    True
    """
    for plain, kept in _FRENCH_SPACES:
        text = text.replace(plain, kept)
    return text


def render_report(assessment: Assessment, language: str | None = None) -> str:
    """Write the report of an assessment as one HTML document.

    Parameters
    ----------
    assessment : Assessment
        The result of :func:`exposure.score`; ``summary["input"]`` (name and
        sha256 of the input file), when present, is shown in the audit.
    language : {"fr", "en"}, default=None
        The language of ``summary["art33"]`` (that of the messages) when None.

    Returns
    -------
    str
        The HTML document, UTF-8 text.

    Raises
    ------
    ParameterError
        ``language`` is not supported.

    See Also
    --------
    exposure.art33.art33_items : the Art. 33(3) fields the report shows.
    """
    language = check_language(language or assessment.summary["art33"].get("language", "fr"),
                              "render_report")
    ctx = Context(assessment.summary, assessment.patients, assessment.appointments,
                  assessment.notification_list.frame, assessment.rejected, language)
    body = "".join([sections.header(ctx), sections.review(ctx), sections.decisions(ctx),
                    sections.art33(ctx), annex.figures(ctx), annex.quality(ctx),
                    annex.audit(ctx), annex.notes(ctx)])
    if language == "fr":
        body = _french_spacing(body)
    style = _STYLE.read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{escape(ctx.t['title'])}</title>\n<style>\n{style}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")
