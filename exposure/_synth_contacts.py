"""Contacts for the synthetic leak: e-mails and phones written the ways people write them."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from exposure import _synth_names as vocab
from exposure._synth_draw import draw, draw_in, join, patch

__all__ = ["emails", "phones"]

_PAIRS = pa.array([f"{i:02d}" for i in range(100)])
_blank = partial(pc.utf8_slice_codeunits, start=0, stop=0)


def emails(rng: np.random.Generator, tab: dict, first: pa.Array, last: pa.Array,
            year: np.ndarray) -> pa.Array:
    """One unique address per contact owner: ~3/4 contain the name, ~2% invalid, 5% empty."""
    n, f = len(first), first
    letters = pa.array(list("abcdefghijklmnopqrstuvwxyz"))
    pieces = ["", f, last, pc.utf8_slice_codeunits(f, 0, 1), _PAIRS.take(rng.integers(0, 100, n)),
              pc.cast(pa.array(year), pa.string()), _PAIRS.take(year % 100), ".", "_", "-",
              pa.array(vocab.EMAIL_WORDS).take(rng.integers(0, len(vocab.EMAIL_WORDS), n)),
              join(*(letters.take(rng.integers(0, 26, n)) for _ in range(3)))]
    slots, weights = tab["email_slots"]
    pat = draw(rng, weights, n)
    local = join(*(pc.choose(pa.array(slots[pat, s], pa.int8()), *pieces) for s in range(4)))
    domains, *table = tab["domains"]
    domain = domains.take(draw_in(rng, tuple(table), (year >= 1965).astype(int)))
    email = join(local, "@", domain)
    for attempt in range(20):  # one mailbox per owner: "marie.dupont" taken -> "marie.dupont42"
        codes = np.asarray(pc.dictionary_encode(email).indices)  # numbered by first appearance
        dup = codes <= np.maximum.accumulate(np.r_[-1, codes[:-1]])
        if not dup.any():
            break
        if attempt == 0:
            suffix = _PAIRS.take(rng.integers(0, 100, int(dup.sum())))
        else:  # the k-th holder of an address gets k: unique within the address
            rank = pd.Series(codes).groupby(codes).cumcount().to_numpy()
            suffix = pc.cast(pa.array(rank[dup]), pa.string())
        local = patch(local, dup, lambda a, s=suffix: join(a, s))
        email = join(local, "@", domain)
    kind = draw(rng, [92.9, 0.7, 0.8, 0.6, 5.0], n)  # valid, "x@", "xgmail.com", "x@gmail", ""
    tld = pc.replace_substring_regex(domain, r"\.[a-z]+$", "")
    email = pc.choose(pa.array(kind, pa.int8()), email, join(local, "@"), join(local, domain),
                      join(local, "@", tld), "")
    deco = draw(rng, [94, 3, 1, 1, 1], n) * (kind < 4)  # Capitalised, UPPER, " x", "x "
    for k, fn in enumerate((pc.utf8_capitalize, pc.utf8_upper, lambda a: join(" ", a),
                            lambda a: join(a, " ")), 1):
        email = patch(email, deco == k, fn)
    return email


def phones(rng: np.random.Generator, tab: dict, n_owners: int, o: np.ndarray) -> pa.Array:
    """A unique number per owner, written their usual way on most rows, another way on some."""
    first, sep, style_w, leads, lead_w = tab["phone"]
    lead, rest = leads[draw(rng, lead_w, n_owners)], rng.integers(0, 10**8, n_owners)
    for _ in range(50):
        dup = pd.Series(lead * 10**8 + rest).duplicated().to_numpy()
        if not dup.any():
            break
        rest[dup] = rng.integers(0, 10**8, int(dup.sum()))
    usual = draw(rng, style_w, n_owners)
    kind = draw(rng, [95, 1.2, 0.5, 3.3], n_owners)[o]  # valid, too short, a letter, empty
    style = np.where(rng.random(len(o)) < 0.08, draw(rng, style_w, len(o)), usual[o])
    phone = join(first.take(style * 10 + lead[o]),
                  *(_PAIRS.take(rest[o] // 10**k % 100) for k in (6, 4, 2, 0)), sep=sep.take(style))
    phone = patch(phone, kind == 1, lambda a: pc.utf8_slice_codeunits(a, 0, -1))
    phone = patch(phone, kind == 2, lambda a: pc.replace_substring_regex(a, "[0-9]$", "O"))
    return patch(phone, kind == 3, _blank)
