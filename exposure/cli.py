"""The ``exposure`` command line: argv in, files and an exit status out.

Only this module touches argv, streams and exit codes (0 ran, 1 input or
processing error, 2 usage error). The library raises :class:`ExposureError`;
here it becomes one line on stderr. Tracebacks only with ``--verbose``: they
can quote data. Messages never carry a value read from the leak.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import tempfile
import threading
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pandas as pd

from . import synth
from .columns import load_column_overrides
from .errors import ExposureError, ExposureWarning
from .incident import LEVELS, Incident, load_incident
from .model_store import MODEL_NAME, save_normalizer
from .outputs import atomic_write, prepare_outdir, write_leak, write_outputs
from .pipeline import Assessment, score, versions
from .progress import Progress, SummaryProgress, TerminalProgress
from .readers import FORMATS, RawTable, read_table, sha256_file
from .specialty import load_specialty_table, lookup_specialties
from .training import train_normalizer
from .report import render_report
from .templating import shipped_templates
from .wording import LANGUAGES

__all__ = ["main"]

_EXAMPLES = """\
examples:
  exposure demo                                  score a synthetic 2020-style leak
  exposure synth -o leak.csv --rows 100000       write a synthetic leak
  exposure score leak.csv -o results/            score a leak with the 2020 defaults
  exposure score leak.csv -o results/ --incident incident.toml --columns columns.toml
  exposure specialty "Dr Martin - psychiatre" "GYNECO"   read specialty labels
  exposure train                                 retrain the specialty normaliser
  exposure score leak.csv -o results/ --lang en --templates my-templates/
  exposure templates -o my-templates/            copy the message templates to edit them
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
                        help="show tracebacks and other libraries' warnings in full (they may "
                             "quote input data: keep them off shared logs).")
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
                    "notifications (with each patient's message), rejected records, "
                    "summary.json and report.html into OUTDIR.",
        epilog="example: exposure score leak.csv -o results/ --incident incident.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    score_cmd.add_argument("leak", metavar="LEAK",
                           help="the leaked file (CSV, TSV, TXT, XLSX, JSON, JSON Lines or "
                                "Parquet, maybe in .gz, .bz2, .xz or .zip), or - for standard "
                                "input; with --engine dask also a directory or a quoted glob of "
                                "files. Example: leak.csv")
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
    _add_message_options(demo_cmd)

    templates_cmd = commands.add_parser(
        "templates", parents=[common], stdout=stdout, stderr=stderr,
        help="copy the message templates to edit them",
        description="Copy the shipped patient-message templates (fr/ and en/, one plain text "
                    "file per channel and addressee, with a README) into a folder, to edit "
                    "them and pass the folder with --templates.",
        epilog="example: exposure templates -o my-templates/ && exposure score leak.csv "
               "--templates my-templates/")
    templates_cmd.add_argument("-o", "--outdir", required=True, metavar="DIR",
                               help="folder to copy the templates into. Example: -o templates/")
    templates_cmd.add_argument("--force", action="store_true",
                               help="overwrite templates already in DIR. Example: --force")

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

    specialty_cmd = commands.add_parser(
        "specialty", parents=[common], stdout=stdout, stderr=stderr,
        help="read specialty labels as exposure score does",
        description="Print the code, French label, tier and probability that exposure score "
                    "gives each specialty label, one per line, tab-separated.",
        epilog="example: cut -d';' -f9 leak.csv | sort -u | exposure specialty -")
    specialty_cmd.add_argument("labels", nargs="*", metavar="LABEL",
                               help="labels to read; none or - reads standard input, one label "
                                    "per line. Example: \"Dr Martin - psychiatre\"")

    train_cmd = commands.add_parser(
        "train", parents=[common], stdout=stdout, stderr=stderr,
        help="retrain the specialty normaliser",
        description="Generate training labels from data/specialty_sensitivity.csv, train the "
                    "specialty normaliser, measure it on data/specialty_devset.csv and write "
                    "models/specialty_normalizer.joblib and its JSON card.",
        epilog="example: exposure train --seed 0")
    train_cmd.add_argument("--seed", type=int, default=0,
                           help="random seed of the training data and model; same seed, same "
                                "predictions (default: 0). Example: --seed 0")
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
                         help="the format of the table in LEAK (inside any compression), when "
                              "its extension is wrong or missing (default: from the content "
                              "and the extension). Example: --input-format xlsx")
    command.add_argument("--encoding",
                         help="text encoding of LEAK (default: sniffed; a byte-order mark, "
                              "else UTF-8, else cp1252). Example: --encoding latin-1")
    command.add_argument("--delimiter", type=_delimiter,
                         help="field delimiter of LEAK, one character or 'tab' (default: "
                              "sniffed among , ; tab |). Example: --delimiter ';'")
    command.add_argument("--header", choices=("auto", "yes", "no"), default="auto",
                         help="whether the first line of LEAK is a header (default: auto, a "
                              "header unless a cell looks like a value; without one, columns "
                              "are column_1, column_2... for --columns). Example: --header no")
    command.add_argument("--sheet", metavar="NAME|NUMBER",
                         help="the sheet of an XLSX workbook to read (default: the first). "
                              "Example: --sheet 2")
    command.add_argument("--member", metavar="NAME",
                         help="the one file of a zip archive to read (default: every table in "
                              "it, rows numbered on in archive order). Example: --member "
                              "export/rdv.csv")
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
    _add_message_options(command)


def _add_message_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--lang", choices=LANGUAGES, default="fr",
                         help="language of report.html and of the patient messages "
                              "(default: fr). Example: --lang en")
    command.add_argument("--templates", metavar="DIR",
                         help="folder of edited message templates (make one with "
                              "'exposure templates -o DIR'); default: the shipped ones. "
                              "Example: --templates my-templates/")


def _delimiter(text: str) -> str:
    """``--delimiter``: one character, or ``tab`` / ``\\t``."""
    text = {"tab": "\t", "\\t": "\t"}.get(text.lower(), text)
    if len(text) != 1:
        raise argparse.ArgumentTypeError("must be one character, or 'tab'")
    return text


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
        assessment = score(table.frame, incident, overrides, rejected=table.rejected,
                           source=table.source, population=args.population, progress=progress,
                           language=args.lang, templates=args.templates)
        if (not args.quiet and args.header == "auto" and table.header_line
                and "header" not in assessment.mapping.found_by.values()):
            stderr.write(f"exposure: note: {table.source}: no header cell names a known column; "
                         "if the file has no header line, its first record was read as one: "
                         "pass --header no.\n")
        assessment.summary["input"] = {"name": table.source, "sha256": digest}
        if table.parts:
            assessment.summary["input"]["members"] = [part._asdict() for part in table.parts]
    with progress.stage("write", assessment.summary["records_in"]):
        write_outputs({"appointments": assessment.appointments,
                       "patients": assessment.patients,
                       "notifications": assessment.notifications,
                       "rejected": assessment.rejected},
                      assessment.summary, outdir, fmt=args.format,
                      report=render_report(assessment, args.lang))
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


class _Terminated(BaseException):
    """SIGTERM, raised where the program stood so that temporary files are removed."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """Turn SIGTERM (a batch scheduler's kill) into an exception while running.

    Python's default is to die on the spot, leaving temporary files behind;
    an exception unwinds through :func:`exposure.outputs.atomic_write`, which
    removes them. Signal handlers can only be set from the main thread.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _warnings_to(stderr: TextIO, *, verbose: bool, quiet: bool) -> Iterator[None]:
    """Print warnings as one line each, withholding other libraries' text.

    Our own warnings never carry a value; a library's may quote a cell (a
    date parser naming the string it could not parse), so only its category
    is shown unless ``--verbose``. ``--quiet`` prints none: only errors.
    """
    package = str(Path(__file__).resolve().parent)

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        if quiet:
            return
        if verbose or str(Path(filename).resolve()).startswith(package):
            text = " ".join(str(message).splitlines())
        else:
            text = (f"a {category.__name__} from a library; details withheld (they may quote "
                    "the input). Rerun with --verbose to see it")
        stderr.write(f"exposure: warning: {text}\n")

    with warnings.catch_warnings():
        warnings.simplefilter("always", ExposureWarning)
        warnings.showwarning = show
        yield


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
        with _terminate_cleanly(), _warnings_to(stderr, verbose=args.verbose, quiet=args.quiet):
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
    except _Terminated:
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
