"""``--engine dask`` writes what the single-machine engine writes, file for file.

One local cluster of two single-threaded worker processes serves the module.
The leak is synthetic, plus what the synthesizer never writes: a patient
number for some records (the third identity key), blank specialties (filled
from the practitioner), records with no quasi-identifier at all, a ragged
line and an empty record (rejected), a record repeated in another file
(a duplicate), and files split so that patients straddle them.
"""

import json
import logging

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.dataframe")

from exposure._dask_read import _read_one, list_inputs  # noqa: E402
from exposure.cli import main  # noqa: E402
from exposure.errors import InputError  # noqa: E402
from exposure.outputs import write_leak  # noqa: E402
from exposure.synth import synthesize  # noqa: E402

TABLES = ["appointments.csv", "patients.csv", "notifications.csv", "rejected.csv"]
RAGGED, EMPTY = 1234, 2001  # 1-based rows of the two bad records
COPY = 2500  # 1-based row of a copy of the 10th record (a duplicate across files)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def leak(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leak")
    synthetic = synthesize(rows=3000, random_state=11)
    records = synthetic.records.assign(IPP="")
    every_third = records.index % 3 == 0
    person = synthetic.truth["person_id"].astype(str)
    records.loc[every_third, "IPP"] = "P" + person[every_third]
    records.loc[records.index % 7 == 0, "Spécialité"] = ""  # filled from the practitioner
    records.loc[100:104, ["Sexe", "Date de naissance", "Praticien", "Date du rendez-vous"]] = ""
    write_leak(records, folder / "clean.csv")
    header, *lines = (folder / "clean.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(RAGGED - 1, "x;y\n")
    lines.insert(EMPTY - 1, ";" * (len(records.columns) - 1) + "\n")
    lines.insert(COPY - 1, lines[9])  # the 10th record again, in another file
    (folder / "leak.csv").write_text(header + "".join(lines), encoding="utf-8")
    parts = folder / "parts"
    parts.mkdir()
    for name, start, stop in (("a.1.csv", 0, 1100), ("a.2.csv", 1100, 2150),
                              ("a.10.csv", 2150, len(lines))):  # natural order: 1, 2, 10
        (parts / name).write_text(header + "".join(lines[start:stop]), encoding="utf-8")
    return folder


def score(tmp_path, name, *argv):
    outdir = tmp_path / name
    assert main(["score", *map(str, argv), "-o", str(outdir), "-q"]) == 0
    return outdir


def summary(outdir, *drop):
    data = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key not in drop}


def assert_same_outputs(single, dask, *drop):
    for table in TABLES:
        assert (dask / table).read_bytes() == (single / table).read_bytes(), table
    assert summary(dask, "engine", *drop) == summary(single, *drop)


def test_csv_files_give_the_single_machine_outputs(tmp_path, leak, cluster):
    single = score(tmp_path, "single", leak / "leak.csv")
    dask = score(tmp_path, "dask", leak / "parts" / "*.csv", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address)
    assert_same_outputs(single, dask, "input")
    rejected = pd.read_csv(dask / "rejected.csv")
    assert rejected["row"].tolist() == [RAGGED, EMPTY]
    files = summary(dask)["input"]["files"]
    assert [(f["name"], f["records"]) for f in files] == [("a.1.csv", 1100), ("a.2.csv", 1050),
                                                          ("a.10.csv", 853)]
    assert summary(dask)["engine"] == {"name": "dask", "partitions": 4}
    quality = summary(dask)["data_quality"]
    assert quality["specialty_from_practitioner"] > 0 and quality["shared_contact_patients"] > 0


def test_partitioned_parquet_with_population_and_unintelligible_data(tmp_path, leak, cluster):
    records = pd.read_csv(leak / "clean.csv", sep=";", dtype=str, keep_default_na=False)
    records.to_parquet(tmp_path / "leak.parquet")
    parts = tmp_path / "leak-parquet"
    parts.mkdir()
    for number, start in enumerate(range(0, len(records), 700)):
        records.iloc[start:start + 700].to_parquet(parts / f"part.{number}.parquet")
    (parts / "_SUCCESS").write_text("")
    incident = tmp_path / "incident.toml"
    incident.write_text("[incident]\nunintelligible = true\n")
    options = ["--population", 2_000_000, "--incident", incident]
    single = score(tmp_path, "single", tmp_path / "leak.parquet", *options)
    dask = score(tmp_path, "dask", parts, "--engine", "dask", "--partitions", 7,
                 "--scheduler", cluster.scheduler_address, *options)
    assert_same_outputs(single, dask, "input")
    assert summary(dask)["reidentification"]["population"] == 2_000_000


def test_one_file_is_the_same_input_as_for_the_single_machine_engine(tmp_path, leak, cluster):
    single = score(tmp_path, "single", leak / "leak.csv")
    dask = score(tmp_path, "dask", leak / "leak.csv", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address)
    assert_same_outputs(single, dask)


@pytest.mark.parametrize("second, message", [
    ("Nom;Courriel\nMartin;m@x.fr\n", "b.csv: its header differs from that of a.csv"),
    ("", "b.csv: the file is empty."),
], ids=["other-header", "empty-file"])
def test_a_file_that_does_not_fit_is_an_input_error(tmp_path, cluster, capsys, second, message):
    (tmp_path / "a.csv").write_text("Nom;Email\nDupont;d@x.fr\n")
    (tmp_path / "b.csv").write_text(second)
    assert main(["score", str(tmp_path / "*.csv"), "-o", str(tmp_path / "out"), "--engine",
                 "dask", "--scheduler", cluster.scheduler_address]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"exposure: error: {message}") and err.count("\n") == 1


@pytest.mark.parametrize("argv, message", [
    (["score", "-", "--engine", "dask"], "--engine dask reads files"),
    (["score", "leak.csv", "--scheduler", "tcp://10.0.0.5:8786"], "need --engine dask"),
    (["score", "leak.csv", "--engine", "dask", "--partitions", "0"], "--partitions must be"),
], ids=["stdin", "scheduler-without-dask", "no-partition"])
def test_engine_usage_errors_exit_with_status_2(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_directory_lists_its_files_in_natural_order_without_markers(tmp_path):
    for name in ("part.10.parquet", "part.2.parquet", "_SUCCESS", ".part.2.parquet.crc"):
        (tmp_path / name).write_text("")
    urls, base = list_inputs(str(tmp_path))
    assert [url[len(base) + 1:] for url in urls] == ["part.2.parquet", "part.10.parquet"]
    with pytest.raises(InputError, match="no such file"):
        list_inputs(str(tmp_path / "*.csv"))


def test_a_remote_file_is_read_from_a_private_copy():
    import fsspec

    with fsspec.open("memory://exports/leak.csv", "w") as handle:
        handle.write("Nom;Email\nDupont;d@x.fr\nbad\n")
    table, digest = _read_one("memory://exports/leak.csv", {})
    assert table.source == "leak.csv" and table.records_in == 2 and len(digest) == 64
    assert table.rejected["row"].tolist() == [2]


def test_a_copy_in_another_file_is_a_duplicate_for_both_engines(tmp_path, leak, cluster):
    dask = score(tmp_path, "dask", leak / "parts" / "*.csv", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address)
    appointments = pd.read_csv(dask / "appointments.csv")
    duplicates = appointments.loc[appointments["reasons"].str.contains("DUPLICATE_RECORD"), "row"]
    assert duplicates.tolist() == [COPY]
