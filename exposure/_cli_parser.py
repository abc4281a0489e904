"""The ``exposure`` argument parser: every command, every option, each with an example.

Kept apart from :mod:`exposure.cli`, which runs the commands: this module
only describes them (and says which combinations are usage errors).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from . import synth
from .readers import FORMATS
from .summary import versions
from .wording import LANGUAGES

__all__ = ["build_parser", "check_engine"]

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


def build_parser(stdout: TextIO, stderr: TextIO) -> argparse.ArgumentParser:
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


def check_engine(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Usage errors (status 2) in the engine options."""
    if getattr(args, "engine", "pandas") == "dask":
        if args.leak == "-":
            parser.error("--engine dask reads files: give LEAK as a file, a directory or a "
                         "glob, not -.")
        if args.partitions is not None and args.partitions < 1:
            parser.error("--partitions must be 1 or more. Example: --partitions 64")
    elif getattr(args, "scheduler", None) or getattr(args, "partitions", None) is not None:
        parser.error("--scheduler and --partitions need --engine dask.")
