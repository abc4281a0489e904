"""Outputs: atomic, private (0600), spreadsheet-safe, deterministic."""

import errno
import os
import stat

import pandas as pd
import pytest

from exposure.errors import ExposureError
from exposure.outputs import atomic_write, neutralise_formulas, prepare_outdir, write_outputs


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"x\")", "+33612345678", "-1+1", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_formula_like_cells_are_neutralised(cell):
    assert neutralise_formulas(pd.DataFrame({"c": [cell]})).loc[0, "c"] == "'" + cell


def test_numbers_and_plain_text_are_untouched():
    frame = pd.DataFrame({"n": [-1.5], "t": ["DPC_PSYCHIATRY;EI_NAME"]})
    assert neutralise_formulas(frame).equals(frame)


def test_outputs_are_private_and_identical_when_rewritten(tmp_path):
    tables = {"patients": pd.DataFrame({"patient_id": [1, 2], "level": ["high", "low"]})}
    first = write_outputs(tables, {"records_in": 2}, tmp_path)
    contents = {p.name: p.read_bytes() for p in first}
    second = write_outputs(tables, {"records_in": 2}, tmp_path)
    assert {p.name: p.read_bytes() for p in second} == contents
    for path in second:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patients.csv", "summary.json"]


def test_interrupted_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "patients.csv"
    target.write_text("previous")

    def fail(path):
        path.write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, fail)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["patients.csv"]


def test_existing_results_are_not_replaced_without_force(tmp_path):
    (tmp_path / "summary.json").write_text("{}")
    with pytest.raises(ExposureError, match="--force"):
        prepare_outdir(tmp_path, force=False)
    prepare_outdir(tmp_path, force=True)


def test_new_outdir_is_private(tmp_path):
    prepare_outdir(tmp_path / "out", force=False)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) & 0o077 == 0


def test_categorical_cells_are_neutralised_too():
    frame = pd.DataFrame({"c": pd.Categorical(["=1+1", "ok", "=1+1"])})
    assert neutralise_formulas(frame)["c"].tolist() == ["'=1+1", "ok", "'=1+1"]
def test_a_run_failing_halfway_leaves_every_previous_file(tmp_path, monkeypatch):
    from exposure import outputs
    old = {"appointments": pd.DataFrame({"row": [1]}), "patients": pd.DataFrame({"id": [1]})}
    write_outputs(old, {"records_in": 1}, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real, calls = outputs._write_csv, []

    def fail_on_second(frame, path):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(frame, path)

    monkeypatch.setattr(outputs, "_write_csv", fail_on_second)
    new = {name: frame.assign(extra=2) for name, frame in old.items()}
    with pytest.raises(ExposureError, match="could not write patients.csv"):
        write_outputs(new, {"records_in": 2}, tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_force_sweeps_temporary_files_a_killed_run_left(tmp_path):
    (tmp_path / ".patients.csv.k3j_x.tmp").write_text("half")
    (tmp_path / "summary.json").write_text("{}")
    prepare_outdir(tmp_path, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_a_table_written_in_slices_is_the_table_written_at_once(tmp_path, monkeypatch):
    frame = pd.DataFrame({"patient_id": range(1, 8), "level": pd.Categorical(
        ["high", "low", "=low", "high", "low", "high", "low"]), "note": ["a", None, "+b", "c",
                                                                         "d", "e", "-f"]})
    (tmp_path / "whole").mkdir()
    whole = write_outputs({"t": frame}, {}, tmp_path / "whole")[0].read_bytes()
    monkeypatch.setattr("exposure.outputs._BATCH_ROWS", 2)
    (tmp_path / "sliced").mkdir()
    assert write_outputs({"t": frame}, {}, tmp_path / "sliced")[0].read_bytes() == whole
    (tmp_path / "batches").mkdir()
    given = (frame.iloc[i:i + 3] for i in range(0, 7, 3))
    assert write_outputs({"t": given}, {}, tmp_path / "batches")[0].read_bytes() == whole


def test_an_empty_table_keeps_its_header(tmp_path):
    frame = pd.DataFrame({"patient_id": pd.Series(dtype="int64"), "level": pd.Series(dtype="str")})
    path = write_outputs({"t": frame}, {}, tmp_path)[0]
    assert path.read_text() == '"patient_id","level"\n'


def test_parquet_written_in_slices_reads_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr("exposure.outputs._BATCH_ROWS", 2)
    frame = pd.DataFrame({"patient_id": range(5), "level": ["=x", "b", "c", "d", "e"]})
    path = write_outputs({"t": frame}, {}, tmp_path, fmt="parquet")[0]
    assert pd.read_parquet(path)["level"].tolist() == ["=x", "b", "c", "d", "e"]


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_failing_writer_leaves_no_file_and_its_error_is_raised(tmp_path, workers):
    def batches():
        yield pd.DataFrame({"patient_id": [1]})
        raise OSError(errno.ENOSPC, "No space left on device")

    tables = {"notifications": batches(), "patients": pd.DataFrame({"patient_id": [1, 2]}),
              "rejected": pd.DataFrame({"row": [3]})}
    with pytest.raises(ExposureError, match="notifications.csv .*: No space left on device"):
        write_outputs(tables, {"records_in": 3}, tmp_path, report=lambda: "<html/>",
                      workers=workers)
    assert list(tmp_path.iterdir()) == []


def test_files_written_in_parallel_are_those_written_one_by_one(tmp_path):
    tables = {"patients": pd.DataFrame({"patient_id": range(50), "level": ["low"] * 50}),
              "rejected": pd.DataFrame({"row": [3]})}
    contents = []
    for workers in (1, 3):
        outdir = tmp_path / str(workers)
        outdir.mkdir()
        written = write_outputs(tables, {"records_in": 51}, outdir, report="<html/>",
                                workers=workers)
        assert [p.name for p in written] == ["patients.csv", "rejected.csv", "report.html",
                                             "summary.json"]
        contents.append({p.name: p.read_bytes() for p in written})
    assert contents[0] == contents[1]


def test_an_empty_categorical_column_is_written(tmp_path):
    """Every record rejected: the tables are empty, their categoricals have no category."""
    frame = pd.DataFrame({"row": pd.Series(dtype="int64"),
                          "reasons": pd.Series(["x"], dtype="str").iloc[:0].astype("category")})
    path = write_outputs({"t": frame}, {}, tmp_path)[0]
    assert path.read_text() == '"row","reasons"\n'


def test_a_folder_that_refuses_files_is_an_error_not_a_hang(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("exposure.outputs.tempfile.mkstemp", refuse)
    with pytest.raises(ExposureError, match="patients.csv .*: Permission denied"):
        write_outputs({"patients": pd.DataFrame({"patient_id": [1]})}, {}, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_arrow_io_errors_are_told_by_their_number_only(tmp_path, monkeypatch):
    def arrow_failure(table, sink):
        raise OSError("Error writing bytes to file. Detail: [errno 28] No space left on device")

    monkeypatch.setattr("exposure.outputs._write_csv", arrow_failure)
    with pytest.raises(ExposureError) as raised:
        write_outputs({"patients": pd.DataFrame({"patient_id": [1]})}, {}, tmp_path)
    assert "Detail" not in str(raised.value)
    assert f": {os.strerror(errno.ENOSPC)}." in str(raised.value)
    assert "free some space or choose another -o, then run again." in str(raised.value)


def test_only_disk_and_rights_errors_come_with_advice_about_the_folder(tmp_path):
    def missing_resource():
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")

    with pytest.raises(ExposureError) as raised:
        write_outputs({}, {}, tmp_path, report=missing_resource)
    assert "could not write report.html" in str(raised.value)
    assert "free some space" not in str(raised.value) and "choose" not in str(raised.value)
