"""Proportions with their uncertainty: the Wilson score interval.

A rate in the report ("39 % of patients are to be told") comes with a 95 %
Wilson interval (Wilson 1927). Unlike the textbook normal interval it stays
inside [0, 1] and keeps its coverage for small counts and rates near 0 or 1
(Brown, Cai and DasGupta 2001), which is where breach data lives: 3 patients
without a contact out of 4,000.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import NamedTuple

from ..errors import ParameterError

__all__ = ["Proportion", "proportion"]


class Proportion(NamedTuple):
    """``successes`` out of ``n``, the rate and its confidence interval."""

    successes: int
    n: int
    rate: float
    low: float
    high: float
    confidence: float


def proportion(successes: int, n: int, confidence: float = 0.95) -> Proportion:
    """The rate ``successes / n`` with its Wilson score interval.

    Parameters
    ----------
    successes : int
        Count of the event, 0 <= successes <= n.
    n : int
        Number of trials; with 0 the rate is undefined (NaN) and the
        interval is [0, 1].
    confidence : float, default=0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    Proportion

    Raises
    ------
    ParameterError
        A count is negative, ``successes > n``, or ``confidence`` is outside (0, 1).

    Notes
    -----
    With ``p = successes / n`` and ``z`` the ``(1 + confidence) / 2`` normal
    quantile, the interval is::

        (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n)

    E. B. Wilson, "Probable inference, the law of succession, and statistical
    inference", JASA 22 (1927) 209-212; L. D. Brown, T. T. Cai, A. DasGupta,
    "Interval estimation for a binomial proportion", Statistical Science 16
    (2001) 101-133.

    Examples
    --------
    >>> p = proportion(3, 10)
    >>> round(p.rate, 2), round(p.low, 4), round(p.high, 4)
    (0.3, 0.1078, 0.6032)
    >>> proportion(0, 50).low
    0.0
    """
    if not 0 < confidence < 1:
        raise ParameterError("The 'confidence' parameter of proportion must be a float in the "
                             f"range (0, 1). Got {confidence!r} instead.")
    if n < 0 or successes < 0 or successes > n:
        raise ParameterError("The 'successes' parameter of proportion must be an int in the "
                             f"range [0, n={n}]. Got {successes!r} instead.")
    if n == 0:
        return Proportion(0, 0, math.nan, 0.0, 1.0, confidence)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Proportion(successes, n, p, max(0.0, centre - half), min(1.0, centre + half),
                      confidence)
