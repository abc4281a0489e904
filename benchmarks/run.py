"""End-to-end benchmark of ``exposure score`` against the cost of merely reading and writing.

For each size (1 M and 10 M records by default) the script generates the
synthetic 2020-style leak once (cached under ``benchmarks/.cache/``), then runs,
each in a fresh process so that peak memory is the process's own, writing into
a scratch folder there that is removed once measured:

- ``exposure score LEAK -o OUT --quiet`` into an empty OUT;
- a baseline that only reads the same file with pyarrow and writes it back
  as CSV: the floor any tool that reads and writes the file must pay;
- an output floor: pyarrow reads the same file and writes, two files at a
  time, tables as large as the ones ``exposure score`` just wrote (loaded
  into memory before the clock starts, which is also why it is timed inside
  its process and leaves out the start-up the other two pay). That is what
  reading this leak and writing this much output costs before any
  computing, so the distance from it to ``exposure score`` is the tool's
  own work.

It prints a table (wall time, records per second, peak RSS, bytes written,
the two floors and the ratios to them) and, with ``--readme``, writes it into
``benchmarks/README.md`` with a description of the machine.

Usage::

    python benchmarks/run.py                 # 1M and 10M
    python benchmarks/run.py --sizes 1000000 --repeat 3
    python benchmarks/run.py --readme        # refresh benchmarks/README.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
BASELINE = """
import sys, pyarrow.csv as c
table = c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter=";"))
c.write_csv(table, sys.argv[2])
"""
OUTPUT_FLOOR = """
import sys, time, pathlib, concurrent.futures as f, pyarrow.csv as c
leak, out = sys.argv[1], pathlib.Path(sys.argv[2])
files = sorted(out.glob("*.csv"), key=lambda p: -p.stat().st_size)  # largest first
tables = {p: c.read_csv(p, parse_options=c.ParseOptions(newlines_in_values=True)) for p in files}
for p in tables:
    p.unlink()
start = time.perf_counter()
c.read_csv(leak, parse_options=c.ParseOptions(delimiter=";"))
with f.ThreadPoolExecutor(2) as pool:
    list(pool.map(lambda item: c.write_csv(item[1], item[0]), tables.items()))
print(time.perf_counter() - start)
"""


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"benchmark command failed with exit code "
                         f"{os.waitstatus_to_exitcode(status)}: {' '.join(command)}")
    return seconds, usage.ru_maxrss / (1024 ** 2)  # ru_maxrss is in KiB on Linux


def _leak(rows: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"leak-{rows}.csv"
    if not path.exists():
        print(f"generating {rows:,} synthetic records into {path} ...", file=sys.stderr)
        _run([sys.executable, "-m", "exposure", "synth", "--rows", str(rows), "--seed", "1",
              "-o", str(path), "--quiet"])
    return path


def _best(command: list[str], repeat: int, output: Path) -> tuple[float, float]:
    """The fastest wall time and the highest peak of ``repeat`` runs.

    ``output`` is removed before each run: every run writes into an empty
    place, and the disk never holds two runs' outputs (20 GiB at 10 M records).
    """
    runs = []
    for _ in range(repeat):
        if output.is_dir():
            shutil.rmtree(output)
        output.unlink(missing_ok=True)
        runs.append(_run(command))
    return min(r[0] for r in runs), max(r[1] for r in runs)


def _output_floor(leak: Path, out: Path, repeat: int) -> float:
    """The fastest of ``repeat`` output-floor runs (see the module docstring).

    Each run loads the CSV files in ``out``, removes them, and writes them
    again, so the folder ends as it began and the disk never holds two copies.
    """
    runs = []
    for _ in range(repeat):
        result = subprocess.run([sys.executable, "-c", OUTPUT_FLOOR, str(leak), str(out)],
                                stdout=subprocess.PIPE, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"the output floor failed with exit code {result.returncode}")
        runs.append(float(result.stdout))
    return min(runs)


def _machine() -> str:
    cpus = os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {model}, {cpus} cores, "
            f"{memory:.0f} GiB RAM, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000],
                        help="record counts to benchmark (default: 1000000 10000000)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per measurement; the fastest is kept (default: 1)")
    parser.add_argument("--readme", action="store_true",
                        help="write the table into benchmarks/README.md")
    args = parser.parse_args()

    lines = ["| records | exposure score | records/s | peak RSS | written | pyarrow read+write "
             "| ratio | output floor | ratio |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for rows in args.sizes:
        leak = _leak(rows)
        # Outputs go to a scratch folder beside the leaks, removed once
        # measured: at 10 M records they are some 10 GiB.
        with tempfile.TemporaryDirectory(dir=CACHE, prefix="run-") as scratch:
            out, copy = Path(scratch) / "out", Path(scratch) / "baseline.csv"
            seconds, peak = _best([sys.executable, "-m", "exposure", "score", str(leak), "-o",
                                   str(out), "--quiet"], args.repeat, out)
            written = sum(f.stat().st_size for f in out.iterdir()) / 1024 ** 3
            floor_seconds = _output_floor(leak, out, args.repeat)
            shutil.rmtree(out)
            base_seconds, _ = _best([sys.executable, "-c", BASELINE, str(leak), str(copy)],
                                    args.repeat, copy)
        lines.append(f"| {rows:,} | {seconds:.1f} s | {rows / seconds:,.0f} | {peak:.2f} GiB "
                     f"| {written:.2f} GiB | {base_seconds:.1f} s "
                     f"| {seconds / base_seconds:.1f} | {floor_seconds:.1f} s "
                     f"| {seconds / floor_seconds:.1f} |")
        print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(f"\nmachine: {_machine()}\n\n{table}")
    if args.readme:
        _write_readme(table)


def _write_readme(table: str) -> None:
    """Replace the measured part of benchmarks/README.md, between its two markers.

    The rest of the file (what the figures mean, where the time goes) is
    written by hand and kept.
    """
    path = HERE / "README.md"
    text = path.read_text(encoding="utf-8")
    begin, end = "<!-- results: written by benchmarks/run.py --readme -->", "<!-- /results -->"
    if begin not in text or end not in text:
        raise SystemExit(f"{path}: the markers {begin} and {end} are missing")
    head, rest = text.split(begin, 1)
    tail = rest.split(end, 1)[1]
    path.write_text(f"{head}{begin}\nMachine: {_machine()}.\n\n{table}\n{end}{tail}",
                    encoding="utf-8")


if __name__ == "__main__":
    main()
