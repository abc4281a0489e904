"""The ``exposure`` command line: argv in, files and an exit status out.

Only this module touches argv, streams and exit codes (0 ran, 1 input or
processing error, 2 usage error). The library raises :class:`ExposureError`;
here it becomes one line on stderr. Tracebacks only with ``--verbose``: they
can quote data. Messages never carry a value read from the leak.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TextIO

from . import synth
from .columns import load_column_overrides
from .errors import ExposureError
from .incident import LEVELS, Incident, load_incident
from .outputs import atomic_write, prepare_outdir, write_leak, write_outputs
from .pipeline import Assessment, score, versions
from .progress import Progress, SummaryProgress, TerminalProgress
from .readers import FORMATS, RawTable, read_table, sha256_file

__all__ = ["main"]

_EXAMPLES = """\
examples:
  exposure demo                                  score a synthetic 2020-style leak
  exposure synth -o leak.csv --rows 100000       write a synthetic leak
  exposure score leak.csv -o results/            score a leak with the 2020 defaults
  exposure score leak.csv -o results/ --incident incident.toml --columns columns.toml
"""


class _Parser(argparse.ArgumentParser):
    """argparse writing help to our stdout and usage errors to our stderr (status 2)."""

    def __init__(self, *args, stdout: TextIO | None = None, stderr: TextIO | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self._out = stdout or sys.stdout
        self._err = stderr or sys.stderr

    def _print_message(self, message: str, file: TextIO | None = None) -> None:
        if message:
            (self._err if file is sys.stderr else self._out).write(message)

    def exit(self, status: int = 0, message: str | None = None):  # type: ignore[override]
        if message:
            self._err.write(message)
        raise SystemExit(status)


def _build_parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true",
                        help="show tracebacks on errors (they may quote input data).")
    common.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing but errors, e.g. in a batch job.")

    parser = _Parser(prog="exposure", stdout=stdout, stderr=stderr, parents=[common],
                     description="Turn a leaked file of medical appointments into GDPR "
                                 "Art. 33/34 decisions, patient by patient, with reasons.",
                     epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-V", "--version", action="version",
                        version=f"exposure {versions()['exposure']}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_Parser)

    score_cmd = commands.add_parser(
        "score", parents=[common], stdout=stdout, stderr=stderr, help="score a leaked file",
        description="Score a leaked appointment file and write appointments, patients, "
                    "notifications, rejected records and summary.json into OUTDIR.",
        epilog="example: exposure score leak.csv -o results/ --incident incident.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    score_cmd.add_argument("leak", metavar="LEAK",
                           help="the leaked file (CSV, TSV or Parquet), or - for standard input; "
                                "with --engine dask also a directory or a quoted glob of files. "
                                "Example: leak.csv")
    _add_score_options(score_cmd, default_outdir="exposure-results")

    demo_cmd = commands.add_parser(
        "demo", parents=[common], stdout=stdout, stderr=stderr, help="score a synthetic 2020-style leak",
        description="Generate a synthetic leak shaped like the July 2020 one and score it.",
        epilog="example: exposure demo -o demo/ --force")
    demo_cmd.add_argument("-o", "--outdir", default="exposure-demo", metavar="OUTDIR",
                          help="where to write the leak and the results "
                               "(default: exposure-demo). Example: -o demo/")
    demo_cmd.add_argument("--rows", type=int, default=6128,
                          help="appointments to generate (default: 6128). Example: --rows 100000")
    demo_cmd.add_argument("--seed", type=int, default=0,
                          help="random seed; same seed, same leak (default: 0). Example: --seed 7")
    demo_cmd.add_argument("--force", action="store_true",
                          help="replace results already in OUTDIR. Example: --force")

    synth_cmd = commands.add_parser(
        "synth", parents=[common], stdout=stdout, stderr=stderr, help="write a synthetic leak",
        description="Write a realistic synthetic leak (no real person) as a ;-separated "
                    "UTF-8 CSV, the way French booking exports look.",
        epilog="example: exposure synth --scenario leak-2020 --rows 1000000 -o leak.csv")
    synth_cmd.add_argument("--scenario", choices=synth.SCENARIOS, default="leak-2020",
                           help="which breach to imitate (default: leak-2020). "
                                "Example: --scenario leak-2020")
    synth_cmd.add_argument("--rows", type=int, default=6128,
                           help="appointments to generate (default: 6128). Example: --rows 1000000")
    synth_cmd.add_argument("--seed", type=int, default=0,
                           help="random seed; same seed, same file (default: 0). Example: --seed 7")
    synth_cmd.add_argument("-o", "--output", required=True, metavar="FILE",
                           help="the CSV file to write. Example: -o leak.csv")
    return parser


def _add_score_options(command: argparse.ArgumentParser, default_outdir: str) -> None:
    command.add_argument("-o", "--outdir", default=default_outdir, metavar="OUTDIR",
                         help=f"directory for the results (default: {default_outdir}). "
                              "Example: -o results/")
    command.add_argument("--incident", metavar="FILE.toml",
                         help="the breach circumstances and notification policy; without it, "
                              "the July 2020 leak (unknown recipients, malicious). "
                              "Example: --incident incident.toml")
    command.add_argument("--columns", metavar="FILE.toml",
                         help="say which column plays which role when headers are unusual, as "
                              "[columns] lines like email = \"Courriel patient\". "
                              "Example: --columns columns.toml")
    command.add_argument("--input-format", choices=FORMATS,
                         help="read LEAK as this format instead of guessing from its extension. "
                              "Example: --input-format csv")
    command.add_argument("--encoding",
                         help="text encoding of LEAK (default: sniffed; UTF-8, else cp1252). "
                              "Example: --encoding latin-1")
    command.add_argument("--delimiter",
                         help="field delimiter of LEAK (default: sniffed among , ; tab |). "
                              "Example: --delimiter ';'")
    command.add_argument("--population", type=int, metavar="N",
                         help="size of the population the leak was drawn from, when it is a "
                              "sample: quasi-identifier risk then uses weights N/n, as sdcMicro "
                              "does (default: the leak is the population). "
                              "Example: --population 2000000")
    command.add_argument("--format", choices=("csv", "parquet"), default="csv",
                         help="format of the output tables (default: csv; parquet keeps values "
                              "untouched for programs). Example: --format parquet")
    command.add_argument("--force", action="store_true",
                         help="replace results already in OUTDIR. Example: --force")
    command.add_argument("--strict", action="store_true",
                         help="exit with status 1 when any record is rejected (batch jobs). "
                              "Example: --strict")
    command.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                         help="pandas computes on this machine (default); dask runs the same "
                              "stages on a Dask cluster, for leaks one machine cannot hold, and "
                              "needs pip install 'exposure[dask]'. Example: --engine dask")
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help="with --engine dask, the address of a running Dask scheduler "
                              "(default: a local cluster, one worker process per CPU). "
                              "Example: --scheduler tcp://10.0.0.5:8786")
    command.add_argument("--partitions", type=int, metavar="N",
                         help="with --engine dask, how many partitions to split the records "
                              "into (default: two per worker thread, at least one per 500,000 "
                              "records). Example: --partitions 64")


def _check_engine(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Usage errors (status 2) in the engine options."""
    if getattr(args, "engine", "pandas") == "dask":
        if args.leak == "-":
            parser.error("--engine dask reads files: give LEAK as a file, a directory or a "
                         "glob, not -.")
        if args.partitions is not None and args.partitions < 1:
            parser.error("--partitions must be 1 or more. Example: --partitions 64")
    elif getattr(args, "scheduler", None) or getattr(args, "partitions", None) is not None:
        parser.error("--scheduler and --partitions need --engine dask.")


def _read_leak(args: argparse.Namespace, stdin: TextIO) -> tuple[RawTable, str]:
    if args.leak != "-":
        path = Path(args.leak)
        table = read_table(path, format=args.input_format, encoding=args.encoding,
                           delimiter=args.delimiter)
        return table, sha256_file(path)
    # Standard input is copied to a private temporary file: the readers need
    # to sniff and seek, and the sha256 must describe exactly what was scored.
    with tempfile.TemporaryDirectory(prefix="exposure-") as folder:
        path = Path(folder) / "stdin.csv"
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
        table = read_table(path, format=args.input_format or "csv", encoding=args.encoding,
                           delimiter=args.delimiter)
        return RawTable(table.frame, table.rejected, table.records_in, "stdin"), sha256_file(path)


def _progress(args: argparse.Namespace, stderr: TextIO) -> Progress:
    if args.quiet:
        return Progress()
    if stderr.isatty():
        return TerminalProgress(stream=stderr)
    return SummaryProgress(stream=stderr)


def _score_file(args: argparse.Namespace, stdin: TextIO, stderr: TextIO) -> Assessment:
    incident = load_incident(args.incident) if args.incident else Incident()
    overrides = load_column_overrides(args.columns) if args.columns else None
    outdir = Path(args.outdir)
    prepare_outdir(outdir, force=args.force)
    progress = _progress(args, stderr)
    if args.engine == "dask":
        assessment = _score_on_dask(args, incident, overrides, progress)
    else:
        with progress.stage("read") as reading:
            table, digest = _read_leak(args, stdin)
            reading.records = table.records_in
        assessment = score(table.frame, incident, overrides, rejected=table.rejected,
                           source=table.source, population=args.population, progress=progress)
        assessment.summary["input"] = {"name": table.source, "sha256": digest}
    with progress.stage("write", assessment.summary["records_in"]):
        write_outputs({"appointments": assessment.appointments,
                       "patients": assessment.patients,
                       "notifications": assessment.notifications,
                       "rejected": assessment.rejected},
                      assessment.summary, outdir, fmt=args.format)
    if isinstance(progress, SummaryProgress):
        progress.report()
    return assessment


def _score_on_dask(args: argparse.Namespace, incident: Incident,
                   overrides: dict[str, str] | None, progress: Progress) -> Assessment:
    try:
        from .dask_engine import score_files
    except ImportError:
        raise ExposureError("--engine dask needs Dask: pip install 'exposure[dask]'.") from None
    return score_files(args.leak, incident, overrides, scheduler=args.scheduler,
                       partitions=args.partitions, population=args.population,
                       format=args.input_format, encoding=args.encoding,
                       delimiter=args.delimiter, progress=progress)


def _print_summary(assessment: Assessment, outdir: str, out: TextIO) -> None:
    s = assessment.summary
    width = max(len(level) for level in LEVELS)
    out.write(f"records   {s['records_in']:>9,}  ({s['records_scored']:,} scored, "
              f"{s['records_rejected']:,} rejected)\n")
    out.write(f"patients  {s['patients']:>9,}\n")
    for level in reversed(LEVELS):
        out.write(f"  {level:<{width}} {s['levels'][level]:>9,}\n")
    channels = ", ".join(f"{c} {n:,}" for c, n in s["channels"].items()) or "none"
    out.write(f"to notify {s['patients_to_notify']:>9,}  (Art. 34; {channels})\n")
    verdict = "NOTIFY the authority" if s["notify_authority"] else "no notification required"
    out.write(f"Art. 33   {verdict}: {s['art33']['explanation']}\n")
    out.write(f"files     {outdir}/\n")


def _run(args: argparse.Namespace, stdout: TextIO, stdin: TextIO, stderr: TextIO) -> int:
    if args.command == "synth":
        leak = synth.synthesize(args.scenario, rows=args.rows, random_state=args.seed)
        write_leak(leak.records, Path(args.output))
        if not args.quiet:
            stdout.write(f"wrote {len(leak.records):,} synthetic appointments to {args.output}\n")
        return 0
    if args.command == "demo":
        outdir = Path(args.outdir)
        prepare_outdir(outdir, force=args.force)
        leak_path = outdir / "leak-2020.csv"
        leak = synth.synthesize("leak-2020", rows=args.rows, random_state=args.seed)
        write_leak(leak.records, leak_path)
        args = argparse.Namespace(**vars(args), leak=str(leak_path), incident=None,
                                  columns=None, input_format=None, encoding=None,
                                  delimiter=None, format="csv", strict=False,
                                  population=None, engine="pandas", scheduler=None,
                                  partitions=None)
        args.force = True
        assessment = _score_file(args, stdin, stderr)
        if not args.quiet:
            stdout.write(f"Synthetic leak: {leak_path} (no real person)\n")
            _print_summary(assessment, str(outdir), stdout)
        return 0
    assessment = _score_file(args, stdin, stderr)
    if not args.quiet:
        _print_summary(assessment, args.outdir, stdout)
    if args.strict and assessment.summary["records_rejected"]:
        raise ExposureError(f"{assessment.summary['records_rejected']} record(s) rejected "
                            f"(--strict); see {args.outdir}/rejected.csv.")
    return 0


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run the command line and return its exit status.

    Examples
    --------
    >>> main(["--version"], stdout=__import__("io").StringIO())
    0
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    stdin = stdin or sys.stdin
    parser = _build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
        _check_engine(parser, args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return _run(args, stdout, stdin, stderr)
    except ExposureError as exc:
        if args.verbose:
            traceback.print_exc(file=stderr)
        stderr.write(f"exposure: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        stderr.write("exposure: interrupted; no partial output file was left.\n")
        return 130
    except MemoryError:
        stderr.write("exposure: error: out of memory. Try a machine with more memory.\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if args.verbose:
            traceback.print_exc(file=stderr)
        stderr.write(f"exposure: internal error ({type(exc).__name__}). This is a bug: please "
                     "report it with the command line (not the data). Rerun with --verbose "
                     "for a traceback.\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
