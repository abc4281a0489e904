"""Synthetic leaked appointment files with a known truth.

The scorer must be tested and benchmarked on files that look like a real leak
(French names, contacts written every which way, specialty labels as exports
write them, families booking for each other, chronic patients coming back)
without touching anyone's data; each record comes with the truth the scorer
tries to recover. ``"leak-2020"`` imitates the July 2020 third-party connector
leak at Doctolib (about 6,128 appointments; ``reference/specialties.md`` §3).
Everything is vectorised (numpy; pyarrow ``take`` on small vocabularies for
strings), so 10 million rows fit in a few GiB.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from exposure import _synth_contacts as _c
from exposure import _synth_draw as _d
from exposure import _synth_names as vocab
from exposure.errors import ParameterError

__all__ = ["COLUMNS", "SCENARIOS", "SyntheticLeak", "synthesize"]

SCENARIOS = ("leak-2020",)
COLUMNS = ("Nom", "Prénom", "Sexe", "Téléphone", "Email", "Date de naissance",
           "Date du rendez-vous", "Praticien", "Spécialité")

_START = np.datetime64("2020-05-12", "D")  # ten weeks ending on 21 July, when the access was found
_N_DAYS = 71
_DATES = _START + np.arange(_N_DAYS)
_SATURDAY = (_DATES.view("int64") - 4) % 7 == 5  # 1970-01-01 was a Thursday
_HOLIDAYS = np.array(["2020-05-21", "2020-06-01", "2020-07-14"], "datetime64[D]")
_CLOSED = ((_DATES.view("int64") - 4) % 7 == 6) | np.isin(_DATES, _HOLIDAYS)  # Sundays, holidays
_NULL = pa.scalar(None, pa.string())
_PAIRS = pa.array([f"{i:02d}" for i in range(100)])
_STAMPS = pd.Timestamp(str(_START)) + pd.to_timedelta(  # 5-minute steps, 08:00 to 19:55
    [d * 1440 + 480 + 5 * m for d in range(_N_DAYS) for m in range(144)], "min")
_blank = partial(pc.utf8_slice_codeunits, start=0, stop=0)


@dataclass(frozen=True)
class SyntheticLeak:
    """A synthetic leaked file and the truth behind each of its rows.

    Attributes
    ----------
    records : DataFrame of shape (n_records, 9)
        The file as an export holds it: the columns of :data:`COLUMNS`, every
        cell a string, missing values as ``""``; sorted by appointment time.
    truth : DataFrame of shape (n_records, 4)
        Aligned row for row with ``records``: ``person_id`` (int, the true
        person), ``specialty_code`` (canonical code), ``is_minor`` (bool, under
        18 on the appointment day) and ``booked_by`` (``person_id`` of the owner
        of the e-mail and phone: the person, or a parent or partner who may have
        no record of their own).
    """

    records: pd.DataFrame
    truth: pd.DataFrame


def synthesize(scenario: str = "leak-2020", *, rows: int = 6128,
               random_state: int = 0) -> SyntheticLeak:
    """Generate a synthetic leaked appointment file with its truth.

    Parameters
    ----------
    scenario : str, default="leak-2020"
        One of :data:`SCENARIOS`. ``"leak-2020"``: appointments booked over the
        ten weeks ending 21 July 2020 with a booking platform's specialty mix.
    rows : int, default=6128
        Number of records (appointments), as in the 2020 incident.
    random_state : int, default=0
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same
        frames, byte for byte once written.

    Returns
    -------
    SyntheticLeak
        ``records`` (the file) and ``truth`` (who, what, minor, whose contact).

    Raises
    ------
    ParameterError
        If ``scenario`` is unknown, ``rows`` is not an int >= 1 or
        ``random_state`` is not an int >= 0.

    See Also
    --------
    SyntheticLeak : what the two frames hold.

    Examples
    --------
    >>> from exposure.synth import synthesize
    >>> leak = synthesize(rows=5, random_state=1)
    >>> list(leak.records.columns)
    ['Nom', 'Prénom', 'Sexe', 'Téléphone', 'Email', 'Date de naissance',
     'Date du rendez-vous', 'Praticien', 'Spécialité']
    >>> list(leak.truth.columns), len(leak.truth)
    (['person_id', 'specialty_code', 'is_minor', 'booked_by'], 5)
    """
    def is_int(x: object) -> bool:
        return isinstance(x, (int, np.integer)) and not isinstance(x, bool)

    for name, got, ok, expected in (
            ("scenario", scenario, scenario in SCENARIOS, f"a str among {SCENARIOS}"),
            ("rows", rows, is_int(rows) and rows >= 1, "an int >= 1"),
            ("random_state", random_state, is_int(random_state) and random_state >= 0,
             "an int >= 0")):
        if not ok:
            raise ParameterError(f"The {name!r} parameter of synthesize must be {expected}. "
                                 f"Got {got!r} instead.")
    return _leak_2020(np.random.default_rng(int(random_state)), int(rows))


def _first_names(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """First names as INSEE would have them for the sex and birth decade."""
    decade = np.clip((birth_year - 1920) // 10, 0, 10)
    return _d.draw_in(rng, vocab.tables()["first_by"], male.astype(int) * 11 + decade)


# --- the scenario --------------------------------------------------------------------------------

def _leak_2020(rng: np.random.Generator, rows: int) -> SyntheticLeak:
    tab = vocab.tables()
    ep = _episodes(rng, tab, rows)
    pr = _practitioners(rng, tab, rows)
    ep_prac = _d.draw_in(rng, (pr["code"], np.arange(len(pr["code"])), pr["weight"]), ep["code"])
    per, ep_person = _people(rng, tab, ep)
    e, j, day, minute = _visits(rng, tab, ep, pr["grid"][ep_prac], rows)
    prac, person = ep_prac[e], ep_person[e]
    ts = day * 144 + (minute - 480) // 5  # five-minute steps from 08:00
    order = np.lexsort((j, person, prac, ts))  # export order: by time, then a fixed tie-break
    e, ts, prac, person, day = e[order], ts[order], prac[order], person[order], day[order]
    own = per["owner"][person]
    o = per["opos"][own]
    b = per["birth"][person].view("int64")
    lo, span = int(b.min()), int(b.max() - b.min()) + 1
    shown = pr["bd_shown"][prac] | per["child"][person]  # some connectors export no birth date
    records = pa.table({
        "Nom": per["nom"].take(person), "Prénom": per["prenom"].take(person),
        "Sexe": pa.array(["F", "M", "Femme", "Homme", ""]).take(per["sexe"][person]),
        "Téléphone": _c.phones(rng, tab, len(per["email"]), o), "Email": per["email"].take(o),
        "Date de naissance": _formatted(
            pd.to_datetime(np.arange(lo, lo + span), unit="D"), ("%d/%m/%Y", "%Y-%m-%d"),
            np.where(shown, b - lo + pr["bd_iso"][prac] * span, 2 * span)),
        "Date du rendez-vous": _formatted(_STAMPS, ("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"),
                                          ts + pr["ts_fr"][prac] * len(_STAMPS)),
        "Praticien": pr["name"].take(prac), "Spécialité": pr["label"].take(prac),
    })
    # person ids numbered by first appearance; contact owners without a record come after
    new_id = np.zeros(len(per["owner"]), np.int64)
    seen = pd.unique(person)
    new_id[seen] = np.arange(1, len(seen) + 1)
    rest = pd.unique(own[new_id[own] == 0])
    new_id[rest] = np.arange(len(seen) + 1, len(seen) + len(rest) + 1)
    birth, appt = per["birth"][person], _START + day
    adult_on = (birth.astype("datetime64[M]") + 216).astype("datetime64[D]") \
        + (birth - birth.astype("datetime64[M]").astype("datetime64[D]"))  # 18th birthday
    truth = pd.DataFrame({"person_id": new_id[person],
                          "specialty_code": tab["codes"].take(ep["code"][e]).to_pandas(),
                          "is_minor": appt < adult_on, "booked_by": new_id[own]})
    return SyntheticLeak(records.to_pandas(), truth)


def _episodes(rng: np.random.Generator, tab: dict, rows: int) -> dict:
    """Care episodes: specialty, patient profile, k visits ``interval`` days apart.

    Episode weights are appointment shares divided by visits per episode, so
    the appointment mix follows ``SPECIALTIES`` whatever the follow-up pattern.
    """
    p = tab["share"] / tab["mean_k"]
    p /= p.sum()
    n = int(rows / np.dot(p, tab["mean_k"]) * 1.1) + 40
    while True:
        code = _d.draw(rng, p, n)
        iv = _d.draw_in(rng, tab["interval"], code)
        k = np.minimum(_d.draw_in(rng, tab["k"], code), 1 + 69 // iv)  # inside the window, +1 jitter
        cum = np.cumsum(k)
        if cum[-1] >= rows:
            break
        n *= 2
    n = int(np.searchsorted(cum, rows)) + 1
    code, k, iv = code[:n], k[:n].copy(), iv[:n]
    k[-1] -= cum[n - 1] - rows
    cw = np.cumsum(np.where(_CLOSED, 0.0, np.where(_SATURDAY, 0.3, 1.0)))
    start = np.searchsorted(cw, rng.random(n) * cw[_N_DAYS - 2 - (k - 1) * iv], "right")
    child = rng.random(n) < tab["child"][code]
    male = rng.random(n) >= np.where(child, 0.49, tab["pat_f"][code])
    age = _d.draw_in(rng, tab["age"], np.where(child, tab["child_profile"][code], tab["adult"][code]))
    return {"code": code, "k": k, "interval": iv, "start": start, "child": child,
            "male": male, "age": age}


def _visits(rng: np.random.Generator, tab: dict, ep: dict, grid: np.ndarray, rows: int) -> tuple:
    """One row per visit: episode, visit number, day, minute of the day.

    Follow-ups come every ``interval`` days (give or take one), never on a Sunday
    or holiday, and often at the same time of day as the first visit.
    """
    k, iv = ep["k"], ep["interval"]
    e = np.repeat(np.arange(len(k)), k)
    first = (np.cumsum(k) - k)[e]
    j = np.arange(rows) - first
    day = ep["start"][e] + j * iv[e] + rng.integers(-1, 2, rows) * ((j > 0) & (iv[e] >= 7))
    day = np.clip(day, 0, _N_DAYS - 1)
    for _ in range(2):  # Sunday or holiday -> next day; 21 July is a Tuesday, never past the end
        day = day + _CLOSED[day]
    sat = _SATURDAY[day]
    minute = _d.draw_in(rng, tab["slot"], grid[e] * 2 + sat)
    keep = (j > 0) & (rng.random(rows) < 0.6) & (sat == sat[first])
    return e, j, day, np.where(keep, minute[first], minute)


def _practitioners(rng: np.random.Generator, tab: dict, rows: int) -> dict:
    """About rows/20 practitioners and centres, each written one way, with one label."""
    count = np.maximum(1, np.round(tab["share"] / 100 * rows / 20)).astype(int)
    code = np.repeat(np.arange(tab["n"]), count)
    n = len(code)
    rank = np.arange(n) - np.repeat(np.cumsum(count) - count, count)
    centre = (rank < np.round(count * tab["centre"])[code]) | (tab["centre"][code] == 1)
    male = rng.random(n) >= tab["prac_f"][code]
    last = tab["last"].take(_d.draw(rng, tab["last_w"], n))
    first = tab["first"].take(_first_names(rng, male, rng.integers(1950, 1994, n)))
    spec, w_doc, w_other, keys = tab["formats"]
    fmt = np.where(tab["doctor"][code] > 0, _d.draw(rng, w_doc, n),
                   len(w_doc) + _d.draw(rng, w_other, n))
    parts = [_NULL, first, last, pc.utf8_upper(last), pc.if_else(pa.array(male), "M.", "Mme"),
             *(pa.scalar(x) for x in keys[5:])]
    name = _d.join(*(pc.choose(pa.array(spec[fmt, i], pa.int8()), *parts) for i in range(3)), sep=" ")
    cvocab, cstart, csize = tab["centre_names"]
    name = pc.if_else(pa.array(centre), cvocab.take(cstart[code] + rank % csize[code]), name)
    return {"code": code, "weight": rng.lognormal(0, 0.6, n), "name": name,
            "label": _labels(rng, tab, code, centre, last),
            "grid": _d.draw(rng, [70, 20, 10], n), "ts_fr": rng.random(n) < 0.2,
            "bd_iso": rng.random(n) < 0.15, "bd_shown": rng.random(n) < 0.34}


def _labels(rng: np.random.Generator, tab: dict, code: np.ndarray, centre: np.ndarray,
            last: pa.Array) -> pa.Array:
    """Specialty label per practitioner: 87.5% clean forms, the rest messy, 0.5% empty."""
    grp, pre, post, tmpl, w = tab["labels"]
    want = (code * 2 + centre) * 2 + (rng.random(len(code)) < 0.875)
    want = np.where(np.isin(want, grp), want, want ^ 1)  # no messy form listed: take a clean one
    pick = _d.draw_in(rng, (grp, np.arange(len(grp)), w), want)
    t = tmpl[pick]  # "Dr {nom} - psychiatre" takes the practitioner's name, and no case change
    label = _d.join(pre.take(pick), pc.if_else(pa.array(t), last, _NULL), post.take(pick))
    label = _d.case(label, np.where(t, 0, _d.draw(rng, [78, 12, 6, 4], len(code))))
    return _d.patch(label, rng.random(len(code)) < 0.005, _blank)


def _people(rng: np.random.Generator, tab: dict, ep: dict) -> tuple[dict, np.ndarray]:
    """Patients, parents booking for children, partners sharing a contact; names and contacts."""
    n = len(ep["k"])
    grp = ep["child"] * 2 + ep["male"]
    reuse = rng.random(n) < np.where(ep["child"], 0.08, 0.12)  # one person, several episodes
    reuse &= np.bincount(grp[~reuse], minlength=4)[grp] > 0
    new = np.flatnonzero(~reuse)
    pid = np.cumsum(~reuse) - 1
    by_grp = new[np.argsort(grp[new], kind="stable")]
    cnt = np.bincount(grp[new], minlength=4)
    g = grp[reuse]
    pid[reuse] = pid[by_grp[(np.cumsum(cnt) - cnt)[g] + (rng.random(len(g)) * cnt[g]).astype(int)]]
    ne = int(np.ceil(0.9 * ep["child"].sum())) + 1  # adults booking for children, no record
    child = np.r_[ep["child"][new], np.zeros(ne, bool)]
    male = np.r_[ep["male"][new], rng.random(ne) < 0.25]
    age = np.r_[ep["age"][new], _d.draw_in(rng, tab["age"], np.full(ne, tab["parent_profile"]))]
    p = len(age)
    owner = np.arange(p)
    kids = np.flatnonzero(child)  # siblings share a parent by chance
    parent = _aged(rng, np.flatnonzero(~child & (age >= 20)), age, age[kids] + 18, age[kids] + 45)
    owner[kids] = parent
    adult = ~child & (age >= 18)
    couple = adult & (rng.random(p) < 0.03)  # uses a partner's e-mail and phone
    cand, cpl = np.flatnonzero(adult & ~couple), np.flatnonzero(couple)
    key = male * 200 + age  # a partner of the other sex, within six years
    other = (~male[cpl]) * 200 + age[cpl]
    partner = _aged(rng, cand, key, other - 6, other + 6) if len(cand) else cpl
    owner[cpl] = partner
    owner = owner[owner]  # a child's parent may use their own partner's contact
    ln1 = _d.draw(rng, tab["last_w"], p)
    ln2 = np.where(rng.random(p) < np.where(child, 0.06, 0.02), _d.draw(rng, tab["last_w"], p), -1)
    s = rng.random(len(cpl)) < 0.5
    ln1[cpl[s]], ln2[cpl[s]] = ln1[partner[s]], ln2[partner[s]]
    s = rng.random(len(kids)) < 0.85  # the child usually bears the parent's name
    ln1[kids[s]] = ln1[parent[s]]
    ln2[kids[s]] = np.where(ln2[kids[s]] >= 0, ln2[kids[s]], ln2[parent[s]])
    birth = _START - (age * 365.25).astype(int) - rng.integers(1, 365, p)
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    fn = _first_names(rng, male, year)
    owners = np.flatnonzero(owner == np.arange(p))
    opos = np.zeros(p, np.int64)
    opos[owners] = np.arange(len(owners))

    def surname(vocab: pa.Array, idx: np.ndarray) -> pa.Array:  # "Martin" or "Martin-Dubois"
        second = vocab.take(np.maximum(ln2[idx], 0))
        return _d.join(vocab.take(ln1[idx]), pc.if_else(pa.array(ln2[idx] >= 0), second, _NULL),
                     sep="-")

    per = {"owner": owner, "opos": opos, "child": child, "birth": birth,
           "nom": _d.case(surname(tab["last"], np.arange(p)), _d.draw(rng, [85, 13.5, 1.5], p)),
           "prenom": _d.case(tab["first"].take(fn), _d.draw(rng, [95, 3, 2], p)),
           "sexe": np.where(rng.random(p) < 0.92, male, np.where(rng.random(p) < 0.5, 2 + male, 4)),
           "email": _c.emails(rng, tab, tab["first_mail"].take(fn[owners]),
                            surname(tab["last_mail"], owners), year[owners])}
    return per, pid


def _aged(rng: np.random.Generator, cand: np.ndarray, age: np.ndarray, lo: np.ndarray,
          hi: np.ndarray) -> np.ndarray:
    """For each age range [lo, hi], a random candidate of that age (the nearest if none)."""
    cand = cand[np.argsort(age[cand], kind="stable")]
    a, b = np.searchsorted(age[cand], lo, "left"), np.searchsorted(age[cand], hi, "right")
    pick = a + (rng.random(len(a)) * np.maximum(b - a, 1)).astype(int)
    return cand[np.minimum(pick, len(cand) - 1)]


def _formatted(stamps: pd.DatetimeIndex, formats: tuple[str, ...], idx: np.ndarray) -> pa.Array:
    """Cells ``idx`` of the vocabulary: every stamp in each format, then "".

    Birth dates are "12/03/1987" mostly, "1987-03-12" for some connectors;
    appointments "2020-07-06 14:30" mostly, "06/07/2020 14:30" for some.
    """
    return pa.array([x for f in formats for x in stamps.strftime(f)] + [""]).take(idx)
