"""Small HTML helpers shared by the report sections: escaping, tables, the context."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Iterable

import pandas as pd

from .text import TEXT

__all__ = ["Html", "Context", "cell", "table", "paragraph", "todo"]


class Html(str):
    """Text that is already HTML: inserted as is, never escaped again."""


def cell(value: Any) -> str:
    """Escape ``value`` for HTML unless it is :class:`Html`.

    Examples
    --------
    >>> cell("<b>"), cell(Html("<b>x</b>"))
    ('&lt;b&gt;', '<b>x</b>')
    """
    return value if isinstance(value, Html) else escape(str(value), quote=True)


def table(headers: Iterable[Any], rows: Iterable[Iterable[Any]], *,
          numeric: Iterable[int] = (), css: str = "") -> Html:
    """An HTML table; the columns in ``numeric`` are right-aligned.

    Examples
    --------
    >>> table(["a", "n"], [["x", 1]], numeric=[1])
    '<table><thead><tr><th>a</th><th class="num">n</th></tr></thead><tbody><tr><td>x</td><td class="num">1</td></tr></tbody></table>'
    """
    right = set(numeric)
    number = ' class="num"'

    def row(values: Iterable[Any], tag: str) -> str:
        return "<tr>" + "".join(
            f"<{tag}{number if i in right else ''}>{cell(v)}</{tag}>"
            for i, v in enumerate(values)) + "</tr>"

    attribute = f' class="{css}"' if css else ""
    return Html(f"<table{attribute}><thead>{row(headers, 'th')}</thead><tbody>"
                + "".join(row(r, "td") for r in rows) + "</tbody></table>")


def paragraph(text: Any, css: str = "") -> Html:
    """One ``<p>``, escaped."""
    attribute = f' class="{css}"' if css else ""
    return Html(f"<p{attribute}>{cell(text)}</p>")


def todo(text: str, missing: bool) -> Html:
    """The incident's text, highlighted when it is a "to complete" marker."""
    return Html(f'<span class="todo">{cell(text)}</span>' if missing else cell(text))


@dataclass(frozen=True)
class Context:
    """What every section reads: the assessment's frames and summary, and the language."""

    summary: dict[str, Any]
    patients: pd.DataFrame
    appointments: pd.DataFrame
    notifications: pd.DataFrame
    rejected: pd.DataFrame
    language: str

    @property
    def t(self) -> dict[str, Any]:
        """The report's words in the chosen language."""
        return TEXT[self.language]
