"""The report's figures: matplotlib (Agg, no display) to inline PNG ``data:`` URIs.

Every figure is drawn on its own :class:`matplotlib.figure.Figure` (no pyplot
state), with fixed size, fonts and colours, and saved without the metadata
that would change from one run to the next: the same numbers give the same
bytes, and the report is byte-identical across runs.
"""

from __future__ import annotations

import base64
import io

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

__all__ = ["LEVEL_COLOURS", "FACTOR_COLOURS", "png_data_uri", "levels_figure", "categories_figure",
           "timeline_figure", "factors_figure"]

LEVEL_COLOURS = {"low": "#5b9a3c", "medium": "#d9a800", "high": "#e0701b",
                 "very_high": "#b8261d"}
FACTOR_COLOURS = {"dpc": "#3f6f9f", "ei": "#2f8f83", "cb": "#8a8f96"}
_STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False,
          "axes.spines.right": False, "axes.titlesize": 10, "svg.hashsalt": "exposure",
          "path.simplify": True}
_DPI = 144
_INK = "#222222"


def png_data_uri(figure: Figure) -> str:
    """Render ``figure`` as a PNG ``data:`` URI, with no timestamp or software tag.

    Examples
    --------
    >>> with matplotlib.rc_context(_STYLE):
    ...     fig = Figure(figsize=(1, 1))
    ...     _ = fig.add_subplot().plot([0, 1])
    >>> png_data_uri(fig).startswith("data:image/png;base64,")
    True
    """
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI, metadata={"Software": None},
                   bbox_inches="tight", pad_inches=0.08, facecolor="white")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def levels_figure(counts: pd.Series, labels: dict[str, str], xlabel: str) -> str:
    """Horizontal bars: patients per level, the most severe on top.

    Parameters
    ----------
    counts : Series indexed by level code, in increasing severity
    labels : dict of level code to its display name
    xlabel : str
    """
    with matplotlib.rc_context(_STYLE):
        fig = _figure(7.2, 2.1)
        ax = fig.add_subplot()
        y = np.arange(len(counts))
        ax.barh(y, counts.to_numpy(), color=[LEVEL_COLOURS[c] for c in counts.index],
                height=0.65)
        ax.set_yticks(y, [labels[c] for c in counts.index])
        top = max(int(counts.max()), 1)
        for position, value in zip(y, counts.to_numpy()):
            ax.text(value + top * 0.01, position, f"{int(value):,}".replace(",", "\u202f"),
                    va="center", fontsize=8.5, color=_INK)
        ax.set_xlim(0, top * 1.12)
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return png_data_uri(fig)


def categories_figure(matrix: pd.DataFrame, level_labels: dict[str, str]) -> str:
    """Heat map: patients per revealed category (rows) and level (columns).

    The colour follows the square root of the count, so that a category seen
    in a few dozen patients stays visible beside thousands; the count is
    written in each cell.
    """
    with matplotlib.rc_context(_STYLE):
        fig = _figure(7.2, 0.32 * len(matrix) + 0.9)
        ax = fig.add_subplot()
        values = matrix.to_numpy(dtype=float)
        ax.imshow(values, aspect="auto", cmap="Reds",
                  norm=PowerNorm(gamma=0.5, vmin=0, vmax=max(values.max(initial=0), 1)))
        ax.set_xticks(range(matrix.shape[1]), [level_labels[c] for c in matrix.columns])
        ax.set_yticks(range(matrix.shape[0]), list(matrix.index))
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ax.spines.values():
            side.set_visible(False)
        limit = max(values.max(), 1)
        for (row, column), value in np.ndenumerate(values):
            colour = "white" if np.sqrt(value / limit) > 0.6 else _INK
            ax.text(column, row, f"{int(value):,}".replace(",", "\u202f"), ha="center",
                    va="center", fontsize=8, color=colour)
        return png_data_uri(fig)


def timeline_figure(table: pd.DataFrame, unit: str, level_labels: dict[str, str],
                    ylabel: str) -> str:
    """Stacked bars: exposed appointments per period, by the patient's level.

    Parameters
    ----------
    table : DataFrame indexed by period start (datetime), one column per level
    unit : {"day", "week", "month"}
    """
    width = {"day": 0.8, "week": 5.6, "month": 24.0}[unit]
    with matplotlib.rc_context(_STYLE):
        fig = _figure(7.2, 2.6)
        ax = fig.add_subplot()
        x = mdates.date2num(table.index.to_pydatetime())
        bottom = np.zeros(len(table))
        for level in table.columns:
            values = table[level].to_numpy(dtype=float)
            ax.bar(x, values, width=width, bottom=bottom, color=LEVEL_COLOURS[level],
                   label=level_labels[level], linewidth=0)
            bottom += values
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
        pattern = "%m/%Y" if unit == "month" else "%d/%m"
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda value, _: mdates.num2date(value).strftime(pattern)))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(ylabel)
        ax.legend(loc="upper left", ncols=4, frameon=False, fontsize=8,
                  bbox_to_anchor=(0, 1.18))
        return png_data_uri(fig)


def factors_figure(counts: pd.Series, total: int, xlabel: str,
                   colours: list[str] | None = None) -> str:
    """Horizontal bars: how many informed patients each factor applies to.

    Parameters
    ----------
    counts : Series indexed by the factor's display name, largest first
    total : int
        Number of informed patients (the bars' full length).
    colours : list of str, default=None
        One colour per bar (all blue when None).
    """
    with matplotlib.rc_context(_STYLE):
        fig = _figure(7.2, 0.3 * len(counts) + 0.7)
        ax = fig.add_subplot()
        y = np.arange(len(counts))[::-1]
        ax.barh(y, counts.to_numpy(), color=colours or FACTOR_COLOURS["dpc"], height=0.65)
        ax.set_yticks(y, list(counts.index))
        for position, value in zip(y, counts.to_numpy()):
            ax.text(value + total * 0.01, position, f"{int(value):,}".replace(",", "\u202f"),
                    va="center", fontsize=8.5, color=_INK)
        ax.set_xlim(0, max(total, 1) * 1.12)
        ax.axvline(total, color="#999999", linewidth=0.8, linestyle=":")
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        return png_data_uri(fig)
