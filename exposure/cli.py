"""The ``exposure`` command line: argv in, files and an exit status out.

Only this module touches argv, streams and exit codes (0 ran, 1 input or
processing error, 2 usage error). The library raises :class:`ExposureError`;
here it becomes one line on stderr. Tracebacks only with ``--verbose``: they
can quote data. Messages never carry a value read from the leak.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import TextIO

import pandas as pd

from . import synth
from ._cli_parser import build_parser, check_engine
from ._cli_runtime import Terminated, terminate_cleanly, warnings_to
from .columns import load_column_overrides
from .errors import ExposureError
from .incident import LEVELS, Incident, load_incident
from .model_store import MODEL_NAME, save_normalizer
from .outputs import atomic_write, prepare_outdir, write_leak, write_outputs
from .pipeline import Assessment, score
from .progress import Progress, SummaryProgress, TerminalProgress
from .readers import RawTable, read_table, sha256_file
from .report import render_report
from .specialty import load_specialty_table, lookup_specialties
from .templating import shipped_templates
from .training import train_normalizer

__all__ = ["main"]

def _read_leak(args: argparse.Namespace, stdin: TextIO) -> tuple[RawTable, str]:
    options = {"format": args.input_format, "encoding": args.encoding,
               "delimiter": args.delimiter, "sheet": args.sheet, "member": args.member,
               "header": {"yes": True, "no": False}.get(args.header)}
    if args.leak != "-":
        path = Path(args.leak)
        return read_table(path, **options), sha256_file(path)
    # Standard input is copied to a private temporary file: the readers need
    # to sniff and seek, and the sha256 must describe exactly what was scored.
    # The file has no extension: its content says what it is.
    with tempfile.TemporaryDirectory(prefix="exposure-") as folder:
        path = Path(folder) / "stdin"
        data = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
        atomic_write(path, lambda tmp: tmp.write_bytes(data))
        return read_table(path, **options), sha256_file(path)


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
        if not args.quiet:
            for note in table.notes:
                stderr.write(f"exposure: note: {note}\n")
        # score frees the raw records once normalised: keep no other reference.
        frames, source, parts, header_line = [table.frame], table.source, table.parts, \
            table.header_line
        rejected = table.rejected
        del table
        assessment = score(frames.pop(), incident, overrides, rejected=rejected, source=source,
                           population=args.population, progress=progress, language=args.lang,
                           templates=args.templates)
        if (not args.quiet and args.header == "auto" and header_line
                and "header" not in assessment.mapping.found_by.values()):
            stderr.write(f"exposure: note: {source}: no header cell names a known column; "
                         "if the file has no header line, its first record was read as one: "
                         "pass --header no.\n")
        assessment.summary["input"] = {"name": source, "sha256": digest}
        if parts:
            assessment.summary["input"]["members"] = [part._asdict() for part in parts]
    with progress.stage("write", assessment.summary["records_in"]):
        # The longest to write first: the two writers end together.
        write_outputs({"notifications": assessment.notification_list.batches(),
                       "patients": assessment.patients,
                       "appointments": assessment.appointments,
                       "rejected": assessment.rejected},
                      assessment.summary, outdir, fmt=args.format,
                      report=lambda: render_report(assessment, args.lang))
    if isinstance(progress, SummaryProgress):
        progress.report()
    return assessment


def _copy_templates(outdir: Path, *, force: bool) -> list[Path]:
    """Copy the shipped templates (fr/, en/ and the README) into ``outdir``."""
    root = shipped_templates("fr").parent
    sources = sorted(root.glob("*/*.txt")) + [root / "README.md"]
    targets = [outdir / source.relative_to(root) for source in sources]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise ExposureError(f"{outdir}: already holds templates ({existing[0].name}...). Use "
                            "--force to overwrite them, or choose another -o.")
    for source, target in zip(sources, targets):
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda tmp, source=source: tmp.write_bytes(source.read_bytes()))
    return targets


def _score_on_dask(args: argparse.Namespace, incident: Incident,
                   overrides: dict[str, str] | None, progress: Progress) -> Assessment:
    try:
        from .dask_engine import score_files
    except ImportError:
        raise ExposureError("--engine dask needs Dask: pip install 'exposure[dask]'.") from None
    return score_files(args.leak, incident, overrides, scheduler=args.scheduler,
                       partitions=args.partitions, population=args.population,
                       format=args.input_format, encoding=args.encoding,
                       delimiter=args.delimiter, progress=progress, language=args.lang,
                       templates=args.templates)


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
    out.write(f"report    {outdir}/report.html\n")
    out.write(f"files     {outdir}/\n")


def _read_specialties(args: argparse.Namespace, stdout: TextIO, stderr: TextIO,
                      stdin: TextIO) -> None:
    if args.labels and args.labels != ["-"]:
        labels = args.labels
    else:
        if stdin.isatty() and not args.quiet:
            stderr.write("exposure: reading labels from standard input, one per line "
                         "(Ctrl-D to end)\n")
        labels = [line.rstrip("\r\n") for line in stdin]
    table = load_specialty_table()
    reading = lookup_specialties(pd.Series(labels, dtype=object), table)
    rows = zip(labels, reading["specialty_code"], reading["specialty_confidence"],
               reading["specialty_match"])
    stdout.write("label\tcode\tlabel_fr\ttier\tprobability\tmatch\n")
    stdout.write("".join(f"{label}\t{code}\t{table.rows.at[code, 'label_fr']}\t"
                         f"{table.rows.at[code, 'tier']}\t{probability:.2f}\t{match}\n"
                         for label, code, probability, match in rows))


def _train(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> None:
    if not args.quiet and stderr.isatty():
        stderr.write("exposure: training the specialty normaliser (under a minute)...\n")
    model, card = train_normalizer(random_state=args.seed)
    card = save_normalizer(model, card)
    if args.quiet:
        return
    m, data = card["metrics"], card["training_data"]
    out = stdout.write
    out(f"training labels  {data['rows']:,} generated from the table (seed {args.seed}, "
        f"sha256 {data['sha256'][:12]})\n")
    out(f"development set  {m['n_labels']} labels, {card['dev_set']['non_health']} non-health\n")
    out(f"accuracy         {m['accuracy']:.3f}  (table alone {m['table_only_accuracy']:.3f}, "
        f"model alone {m['model_only_accuracy']:.3f})\n")
    out(f"macro-F1         {m['macro_f1']:.3f}\n")
    out(f"abstention       {m['health_abstained']:.1%} of health labels answered unknown "
        f"(wrongly), {m['non_health_abstained']:.1%} of non-health strings (rightly)\n")
    for failed, text in ((m["accuracy"] < 0.95, "accuracy is below the 95% target"),
                         (m["non_health_abstained"] < 0.9,
                          "fewer than 90% of non-health strings are answered unknown")):
        if failed:
            out(f"WARNING          {text}: review the errors before committing the model\n")
    out(f"errors           {len(m['errors'])} (gold -> answer: label)\n")
    out("".join(f"  {e['gold']} -> {e['answer']}: {e['label']}\n" for e in m["errors"]))
    out(f"wrote            {card['model']} (sha256 {card['model_sha256'][:12]}) and its card "
        f"{MODEL_NAME}.json, threshold {card['threshold']}\n")


def _run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO) -> int:
    if args.command == "specialty":
        _read_specialties(args, stdout, stderr, stdin)
        return 0
    if args.command == "train":
        _train(args, stdout, stderr)
        return 0
    if args.command == "templates":
        written = _copy_templates(Path(args.outdir), force=args.force)
        if not args.quiet:
            stdout.write(f"wrote {len(written)} template files to {args.outdir}/; edit them "
                         f"and pass --templates {args.outdir}\n")
        return 0
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
                                  delimiter=None, header="auto", sheet=None, member=None,
                                  format="csv", strict=False, population=None, engine="pandas",
                                  scheduler=None, partitions=None)
        args.force = True
        assessment = _score_file(args, stdin, stderr)
        if not args.quiet:
            stdout.write(f"Synthetic leak: {leak_path} (no real person)\n")
            _print_summary(assessment, str(outdir), stdout)
        return 0
    assessment = _score_file(args, stdin, stderr)
    if not args.quiet:
        _print_summary(assessment, args.outdir, stdout)
    if not assessment.summary["records_scored"]:
        raise ExposureError(f"no record could be scored: all {assessment.summary['records_in']} "
                            f"were rejected; see {args.outdir}/rejected.csv for the row and "
                            "reason of each.")
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
    parser = build_parser(stdout, stderr)
    try:
        args = parser.parse_args(argv)
        check_engine(parser, args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        with terminate_cleanly(), warnings_to(stderr, verbose=args.verbose, quiet=args.quiet):
            return _run(args, stdout, stderr, stdin)
    except ExposureError as exc:
        if args.verbose:
            traceback.print_exc(file=stderr)
        message = " ".join(str(exc).splitlines())
        stderr.write(f"exposure: error: {message}\n")
        return 1
    except KeyboardInterrupt:
        stderr.write("exposure: interrupted; no partial output file was left.\n")
        return 130
    except Terminated:
        stderr.write("exposure: terminated; no partial output file was left.\n")
        return 128 + signal.SIGTERM
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
