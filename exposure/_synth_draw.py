"""Sampling and string primitives shared by the synthetic-leak generator.

Vectorised building blocks: weighted draws by inverse CDF (one pass, any
size), weighted draws within groups with one ``searchsorted``, and Arrow
string helpers that touch only the cells that change.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from exposure import _synth_names as vocab

__all__ = ["case", "draw", "draw_in", "join", "patch"]


def draw(rng: np.random.Generator, weights: np.ndarray | list, size: int) -> np.ndarray:
    """Indices drawn with the given weights (inverse CDF: one pass, any size)."""
    cum = np.cumsum(weights, dtype=float)
    return np.minimum(np.searchsorted(cum, rng.random(size) * cum[-1], "right"), len(cum) - 1)


def draw_in(rng: np.random.Generator, table: tuple, wanted: np.ndarray) -> np.ndarray:
    """For each wanted group, the value of an entry of that group drawn by weight.

    ``table`` is (group, value, weight) sorted by group: one ``searchsorted`` serves
    every group, so a name per (sex, decade) needs no Python loop.
    """
    group, value, weight = table
    cum = np.cumsum(weight, dtype=float)
    g = np.arange(max(group.max(), wanted.max()) + 1)
    lo, hi = np.searchsorted(group, g, "left")[wanted], np.searchsorted(group, g, "right")[wanted]
    base = np.concatenate(([0.0], cum))
    t = base[lo] + rng.random(len(wanted)) * (base[hi] - base[lo])
    return value[np.clip(np.searchsorted(cum, t, "right"), lo, hi - 1)]


def join(*parts: pa.Array | str, sep: str | pa.Array = "") -> pa.Array:
    """Concatenate string columns; a null part is skipped with its separator."""
    return pc.binary_join_element_wise(*parts, sep, null_handling="skip")


def patch(arr: pa.Array, mask: np.ndarray, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """Apply ``fn`` to the masked cells only: cheap when, as here, few cells change."""
    if not mask.any():
        return arr
    m = pa.array(mask)
    return pc.replace_with_mask(arr, m, fn(arr.filter(m)))


def case(arr: pa.Array, style: np.ndarray) -> pa.Array:
    """Per cell: 0 as is, 1 UPPER, 2 lower, 3 accents stripped."""
    for k, fn in enumerate((pc.utf8_upper, pc.utf8_lower, vocab._ascii), 1):
        arr = patch(arr, style == k, fn)
    return arr
