"""The command line: files, exit codes, help, and no leaked value in what it prints."""

import errno
import io
import json
import signal
import stat
import subprocess
import sys
import time

import pytest

from exposure._cli_parser import build_parser
from exposure.cli import main

HEADER = "Nom;Prénom;Sexe;Téléphone;Email;Date du rendez-vous;Praticien;Spécialité\n"
LEAK = HEADER + (
    "Dupont;Marie;F;06 12 34 56 78;marie.dupont@gmail.com;2020-07-06 10:00;Dr Nox;Psychiatre\n"
    "Martin;Paul;M;;paul.martin@free.fr;2020-07-06 11:00;Dr Roux;Médecin généraliste\n"
    "ragged;row\n"
    "=cmd|'/C calc'!A0;Eve;F;;eve@x.fr;2020-07-07 09:00;Dr Roux;Médecin généraliste\n"
)
FILES = ["appointments.csv", "notifications.csv", "patients.csv", "rejected.csv", "report.html",
         "summary.json"]


def run(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def leak(tmp_path):
    path = tmp_path / "leak.csv"
    path.write_text(LEAK, encoding="utf-8")
    return path


def test_score_writes_the_six_files_privately(tmp_path, leak):
    code, out, err = run("score", str(leak), "-o", str(tmp_path / "out"))
    # Not a terminal: a batch job gets one summary line of counts and timings.
    assert code == 0 and err.startswith("exposure: 4 records in ") and err.count("\n") == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == FILES
    for path in (tmp_path / "out").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert (summary["records_in"], summary["records_scored"], summary["records_rejected"]) == (4, 3, 1)
    assert summary["notify_authority"] is True and summary["patients_to_notify"] == 1
    assert len(summary["input"]["sha256"]) == 64
    assert "patients" in out and "Art. 33" in out


def test_rejected_row_is_listed_with_its_number(tmp_path, leak):
    run("score", str(leak), "-o", str(tmp_path / "out"))
    assert (tmp_path / "out" / "rejected.csv").read_text().splitlines()[1].startswith("3,")


def test_rerun_gives_byte_identical_outputs(tmp_path, leak):
    run("score", str(leak), "-o", str(tmp_path / "a"))
    run("score", str(leak), "-o", str(tmp_path / "b"))
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_existing_outdir_needs_force(tmp_path, leak):
    assert run("score", str(leak), "-o", str(tmp_path / "out"))[0] == 0
    code, _, err = run("score", str(leak), "-o", str(tmp_path / "out"))
    assert code == 1 and "--force" in err
    assert run("score", str(leak), "-o", str(tmp_path / "out"), "--force")[0] == 0


def test_strict_fails_on_rejected_records(tmp_path, leak):
    code, _, err = run("score", str(leak), "-o", str(tmp_path / "out"), "--strict")
    assert code == 1 and "1 record(s) rejected" in err


def test_formula_cells_are_neutralised_in_csv(tmp_path, leak):
    run("score", str(leak), "-o", str(tmp_path / "out"), "--incident",
        str(_policy(tmp_path, "low")))
    text = (tmp_path / "out" / "notifications.csv").read_text()
    assert "'=cmd" in text and "\n=cmd" not in text and ",=cmd" not in text


def _policy(tmp_path, level):
    path = tmp_path / "incident.toml"
    path.write_text(f'[policy]\nnotify_patient_at = "{level}"\n')
    return path


def test_parquet_output(tmp_path, leak):
    import pandas as pd
    assert run("score", str(leak), "-o", str(tmp_path / "out"), "--format", "parquet")[0] == 0
    patients = pd.read_parquet(tmp_path / "out" / "patients.parquet")
    assert len(patients) == 3


@pytest.mark.parametrize("argv, code, message", [
    (["score"], 2, "required: LEAK"),
    (["score", "x.csv", "--format", "xml"], 2, "invalid choice"),
    (["frobnicate"], 2, "invalid choice"),
    (["score", "absent.csv", "-o", "{tmp}/o"], 1, "absent.csv: no such file"),
])
def test_errors_are_one_line_with_the_right_status(tmp_path, argv, code, message):
    got, _, err = run(*[a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert got == code and message in err
    assert "Traceback" not in err


def test_a_full_disk_is_a_one_line_error_not_a_bug(tmp_path, leak, monkeypatch):
    def disk_full(table, sink):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("exposure.outputs._write_csv", disk_full)
    code, _, err = run("score", str(leak), "-o", str(tmp_path / "out"), "-q")
    assert code == 1
    assert err.startswith("exposure: error: could not write notifications.csv into ")
    assert "No space left on device" in err and "internal error" not in err
    assert err.count("\n") == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == []


def test_bad_incident_file_names_key_and_line(tmp_path, leak):
    bad = tmp_path / "incident.toml"
    bad.write_text('[incident]\nmalicious = "yes"\n')
    code, _, err = run("score", str(leak), "-o", str(tmp_path / "o"), "--incident", str(bad))
    assert code == 1 and "incident.toml, line 2: 'malicious' must be a boolean" in err


def test_no_value_from_the_leak_appears_in_output_or_errors(tmp_path):
    canaries = ["CANARYNOM", "CANARYPRENOM", "canary.mail@canary.fr", "CANARYSPEC"]
    path = tmp_path / "leak.csv"
    path.write_text(HEADER + ";".join([canaries[0], canaries[1], "F", "061234", canaries[2],
                                       "2020-99-99", "Dr CANARY", canaries[3]]) + "\nx;y\n")
    for argv in (["score", str(path), "-o", str(tmp_path / "o")],
                 ["score", str(path), "-o", str(tmp_path / "o"), "--strict", "--force"]):
        _, out, err = run(*argv)
        for canary in canaries:
            assert canary.lower() not in (out + err).lower()


def test_every_option_has_help_with_an_example():
    parser = build_parser(io.StringIO(), io.StringIO())
    commands = parser._subparsers._group_actions[0].choices
    for name, command in commands.items():
        for action in command._actions:
            if action.dest in ("help", "verbose", "quiet"):
                continue
            assert action.help and "Example" in action.help, (name, action.dest)


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("exposure ")


def test_python_dash_m_reads_standard_input(tmp_path):
    result = subprocess.run([sys.executable, "-m", "exposure", "score", "-", "-o",
                             str(tmp_path / "out"), "--quiet"], input=LEAK.encode(),
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b""
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["records_in"] == 4 and summary["input"]["name"] == "stdin"


def test_quiet_prints_nothing(tmp_path, leak):
    assert run("score", str(leak), "-o", str(tmp_path / "out"), "--quiet")[1:] == ("", "")


def test_a_terminal_sees_each_stage_with_its_rate(tmp_path, leak):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    err = Terminal()
    assert main(["score", str(leak), "-o", str(tmp_path / "out")], stdout=io.StringIO(),
                stderr=err) == 0
    shown = err.getvalue()
    for stage in ("read", "normalise", "enrich", "link", "assess", "write"):
        assert stage in shown
    assert "records" in shown and "/s" in shown


# --- exposure specialty / exposure train ------------------------------------------------------

def test_specialty_prints_code_french_label_tier_and_probability():
    code, out, err = run("specialty", "Dr Martin - psychiatre", "Toilettage canin", "Psyhiatre")
    assert (code, err) == (0, "")
    lines = [line.split("\t") for line in out.splitlines()]
    assert lines[0] == ["label", "code", "label_fr", "tier", "probability", "match"]
    assert lines[1] == ["Dr Martin - psychiatre", "psychiatry", "Psychiatrie", "very_high",
                        "1.00", "partial"]
    assert lines[2][1:4] == ["unknown", "Inconnu", "high"]
    assert lines[3][1] == "psychiatry" and lines[3][5] == "model"


def test_specialty_reads_standard_input_one_label_per_line():
    code, out, _ = run("specialty", "-", stdin=io.StringIO("psy\nGYNECO\n\n"))
    assert code == 0
    assert [line.split("\t")[1] for line in out.splitlines()[1:]] == [
        "psychiatry", "medical_gynecology", "unknown"]


def test_specialty_from_a_pipe(tmp_path):
    result = subprocess.run([sys.executable, "-m", "exposure", "specialty"],
                            input="Onco radiothérapeute\n".encode(), capture_output=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert b"\tradiation_oncology\tRadioth" in result.stdout


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    """A private models/ folder holding a copy of the shipped model."""
    import shutil

    from exposure import model_store
    for name in ("specialty_normalizer.joblib", "specialty_normalizer.json"):
        shutil.copy(model_store._model_dir() / name, tmp_path / name)
    monkeypatch.setattr(model_store, "_model_dir", lambda: tmp_path)
    model_store.load_normalizer.cache_clear()
    yield tmp_path
    model_store.load_normalizer.cache_clear()


def test_train_writes_the_model_and_its_card_and_prints_the_measures(model_dir, monkeypatch):
    import functools

    from exposure import cli, model_store
    from exposure.training import train_normalizer
    monkeypatch.setattr(cli, "train_normalizer", functools.partial(
        train_normalizer, per_code=2, combined=20, negatives=100, min_df=2))
    before = (model_dir / "specialty_normalizer.joblib").read_bytes()
    code, out, err = run("train", "--seed", "1")
    assert (code, err) == (0, "")
    for line in ("accuracy", "macro-F1", "abstention", "errors", "wrote"):
        assert line in out
    assert " -> " in out  # the confusion report of the remaining errors
    card = json.loads((model_dir / "specialty_normalizer.json").read_text())
    assert card["random_state"] == 1 and card["training_data"]["per_code"] == 2
    assert (model_dir / "specialty_normalizer.joblib").read_bytes() != before
    assert model_store.load_normalizer().predict(["psychiatre"]).tolist() == ["psychiatry"]


def test_tampered_model_stops_with_the_fix_and_no_traceback(model_dir, tmp_path, leak):
    path = model_dir / "specialty_normalizer.joblib"
    path.write_bytes(path.read_bytes() + b"\0")
    for argv in (["specialty", "psy"], ["score", str(leak), "-o", str(tmp_path / "out")]):
        code, _, err = run(*argv)
        assert code == 1 and "was modified" in err and "exposure train" in err
        assert "Traceback" not in err
@pytest.fixture
def synthetic_leak(tmp_path):
    from exposure import synth
    from exposure.outputs import write_leak
    path = tmp_path / "synthetic.csv"
    write_leak(synth.synthesize("leak-2020", rows=400, random_state=3).records, path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_output_file_is_byte_identical_on_a_rerun(tmp_path, synthetic_leak, fmt):
    for outdir in ("a", "b"):
        code, _, err = run("score", str(synthetic_leak), "-o", str(tmp_path / outdir),
                           "--format", fmt)
        assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) >= 5
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_scoring_opens_no_network_connection(tmp_path, synthetic_leak, no_network):
    code, _, err = run("score", str(synthetic_leak), "-o", str(tmp_path / "out"), "--quiet")
    assert (code, err) == (0, "")


def test_a_library_warning_is_printed_without_its_text(tmp_path, leak, monkeypatch):
    import warnings

    import exposure.cli
    real_score = exposure.cli.score

    def score_with_warnings(*args, **kwargs):
        warnings.warn_explicit("could not parse 'CANARYVALUE'", UserWarning,
                               "/site-packages/somelib/parse.py", 1)
        warnings.warn_explicit("the model is no better than a baseline", UserWarning,
                               exposure.cli.__file__, 1)
        return real_score(*args, **kwargs)

    monkeypatch.setattr(exposure.cli, "score", score_with_warnings)
    code, _, err = run("score", str(leak), "-o", str(tmp_path / "out"))
    assert code == 0 and "CANARYVALUE" not in err
    assert "exposure: warning: a UserWarning from a library; details withheld" in err
    assert "exposure: warning: the model is no better than a baseline" in err
    _, _, err = run("score", str(leak), "-o", str(tmp_path / "out"), "--force", "--verbose")
    assert "CANARYVALUE" in err


def test_notes_go_to_stderr_unless_quiet(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["Nom", "Email"])
    book.active.append(["Dupont", "zoe@example.fr"])
    book.create_sheet("Autre")
    book.save(tmp_path / "leak.xlsx")
    _, _, err = run("score", str(tmp_path / "leak.xlsx"), "-o", str(tmp_path / "a"))
    assert err.splitlines()[0] == ("exposure: note: leak.xlsx: read the first of 2 sheets; pass "
                                   "--sheet NAME or --sheet NUMBER to read another.")
    assert run("score", str(tmp_path / "leak.xlsx"), "-o", str(tmp_path / "b"), "-q")[2] == ""


# A run whose first output file is written halfway, then waits to be killed.
_SLOW_WRITER = """
import sys, time
from pathlib import Path
import exposure.outputs as outputs
real = outputs._write_csv
def half_then_wait(frame, sink):
    real(frame, sink)
    sink.flush()
    sink.truncate(sink.tell() // 2)
    Path(sys.argv[1]).touch()
    time.sleep(120)
outputs._write_csv = half_then_wait
from exposure.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("previous", [False, True], ids=["fresh-outdir", "over-old-results"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_a_run_mid_write_leaves_no_partial_output(tmp_path, synthetic_leak, sig,
                                                          previous):
    outdir = tmp_path / "out"
    before = {}
    if previous:
        assert run("score", str(synthetic_leak), "-o", str(outdir))[0] == 0
        before = {p.name: p.read_bytes() for p in outdir.iterdir()}
    ready = tmp_path / "ready"
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(ready), "score",
                                str(synthetic_leak), "-o", str(outdir), "--force", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.05)
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)

    finals = {p.name: p.read_bytes() for p in outdir.iterdir() if not p.name.startswith(".")}
    assert finals == before  # the previous results, whole, or none
    leftovers = [p.name for p in outdir.iterdir() if p.name.startswith(".")]
    if sig == signal.SIGTERM:
        assert process.returncode == 143 and b"terminated" in err
        assert leftovers == []
    else:  # nothing runs after SIGKILL; the next --force run sweeps what it left
        assert leftovers and all(name.endswith(".tmp") for name in leftovers)
        assert run("score", str(synthetic_leak), "-o", str(outdir), "--force")[0] == 0
        assert not [p for p in outdir.iterdir() if p.name.startswith(".")]
