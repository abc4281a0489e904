"""Fuzz the whole command: random bytes and mutated real files must end cleanly.

Seed files are a small synthetic leak (:mod:`exposure.synth`) written in every
format the reader takes. Each iteration picks a seed, mutates it (bit flips,
truncation, inserted or deleted or repeated chunks, CSV metacharacters,
random bytes), gives it a plausible or a wrong extension, and runs
``exposure score``. A clean outcome is exit 0 with every record accounted for,
or exit 1 with a one-line "exposure: error:" message; never an internal error.

The default run is short and seeded (the same iterations every time). Set
``EXPOSURE_FUZZ_ITERATIONS`` for a longer one, and ``EXPOSURE_FUZZ_SEED`` to
explore other iterations.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest

from exposure import synth
from exposure.cli import main

ITERATIONS = int(os.environ.get("EXPOSURE_FUZZ_ITERATIONS", "200"))
SEED = int(os.environ.get("EXPOSURE_FUZZ_SEED", "0"))
_EXTENSIONS = (".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx", ".parquet", ".gz", ".zip",
               ".csv.gz", "")
_METACHARACTERS = (b'"', b";", b",", b"\t", b"|", b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf",
                   b"{", b"[", b"\xe9", b"\xff\xfe", b"PK\x03\x04", b"\x1f\x8b")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """One small leak in every format: name -> bytes."""
    records = synth.synthesize("leak-2020", rows=25, random_state=SEED).records
    folder = tmp_path_factory.mktemp("seeds")
    text = records.to_csv(sep=";", index=False)
    records.to_excel(folder / "leak.xlsx", index=False)
    records.to_parquet(folder / "leak.parquet")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("a.csv", text[: len(text) // 2] + "\n")
        handle.writestr("b.xlsx", (folder / "leak.xlsx").read_bytes())
    rows = records.to_dict("records")
    return {
        "leak.csv": text.encode(),
        "leak-cp1252.csv": records.to_csv(index=False).encode("cp1252", errors="replace"),
        "leak.tsv": records.to_csv(sep="\t", index=False, quoting=csv.QUOTE_ALL).encode(),
        "leak.json": json.dumps(rows, ensure_ascii=False).encode(),
        "leak.jsonl": "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(),
        "leak.xlsx": (folder / "leak.xlsx").read_bytes(),
        "leak.parquet": (folder / "leak.parquet").read_bytes(),
        "leak.csv.gz": gzip.compress(text.encode(), mtime=0),
        "leak.zip": archive.getvalue(),
    }


def _mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One random mutation of ``data``, and its name for the failure message."""
    how = rng.choice(("flip", "truncate", "insert", "delete", "repeat", "metachars", "random"))
    data = bytearray(data)
    if how == "random" or not data:
        return bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 3000))), "random"
    at = rng.randrange(len(data))
    if how == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del data[at:]
    elif how == "insert":
        data[at:at] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
    elif how == "delete":
        del data[at:at + rng.randint(1, 500)]
    elif how == "repeat":
        data[at:at] = data[at:at + rng.randint(1, 2000)] * rng.randint(2, 5)
    else:
        for _ in range(rng.randint(1, 10)):
            spot = rng.randrange(len(data) + 1)
            data[spot:spot] = rng.choice(_METACHARACTERS)
    return bytes(data), how


@pytest.mark.parametrize("iteration", range(ITERATIONS), ids=lambda i: f"fuzz-{i}")
def test_mutated_input_ends_cleanly(iteration, seeds, tmp_path, no_network):
    rng = random.Random(SEED * 1_000_003 + iteration)
    seed_name = rng.choice(sorted(seeds))
    data, how = _mutate(seeds[seed_name], rng)
    suffix = rng.choice(_EXTENSIONS) if rng.random() < 0.3 else "".join(Path(seed_name).suffixes)
    leak = tmp_path / f"leak{suffix}"
    leak.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = main(["score", str(leak), "-o", str(tmp_path / "out"), "--quiet"], stdout=out,
                stderr=err)
    context = f"iteration {iteration}: {how} of {seed_name} named {leak.name}"
    lines = err.getvalue().splitlines()
    assert "internal error" not in err.getvalue(), context
    assert code in (0, 1), context
    assert all(line.startswith("exposure: ") for line in lines), context
    if code == 1:
        assert lines and lines[-1].startswith("exposure: error: "), context
    summary = tmp_path / "out" / "summary.json"
    if summary.exists():
        figures = json.loads(summary.read_text())
        assert figures["records_in"] == figures["records_scored"] + figures["records_rejected"]
