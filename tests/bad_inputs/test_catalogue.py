"""The catalogue of hostile inputs: each ends cleanly, loses no record, prints no value.

Every case writes a leak whose every cell is a canary value, runs
``exposure score`` in-process with the network disabled, and checks:

- the exit status and, for an error, a fragment of the one-line message;
- for a run that wrote results, the records scored, the rows rejected, and
  that ``row`` numbers every input record exactly once (1..records_in);
- that no canary appears in stdout, stderr, a log record or a warning, and
  that nothing printed is a traceback or an "internal error".

Each case runs twice: as is, and with ``--verbose``, whose tracebacks show
our errors' causes with their text withheld. (A traceback of an *internal*
error could quote a value: --verbose is for a machine allowed to hold the
leak, and its output is not for bug reports.)
"""

from __future__ import annotations

import bz2
import codecs
import csv
import io
import json
import logging
import lzma
import random
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from leaks import HEADER, Canary, Write

from exposure.cli import main


@dataclass(frozen=True)
class Built:
    leak: Path | None
    args: tuple[str, ...] = ()
    stdin: bytes | None = None


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path, Canary, type[Write]], Built | Path]
    code: int = 0
    scored: int | None = None
    rejected: tuple[int, ...] = ()
    message: str = ""
    reasons: tuple[str, ...] = field(default=())


CASES: list[Case] = []


def case(id: str, **expect) -> Callable:
    def register(build: Callable) -> Callable:
        CASES.append(Case(id, build, **expect))
        return build
    return register


def csv_bytes(rows: list[list[str]], header: list[str] | None = HEADER, delimiter=";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(
        ([header] if header else []) + rows)
    return buffer.getvalue().encode()


# --- formats: every one is read ----------------------------------------------------------

@case("csv-comma-utf8", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), delimiter=",")


@case("csv-semicolon-cp1252", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), encoding="cp1252")


@case("csv-utf8-bom", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), bom=codecs.BOM_UTF8)


@case("tsv-tab", scored=3)
def _(d, c, w): return w.delimited(d / "leak.tsv", c.records(3), delimiter="\t")


@case("txt-pipe", scored=3)
def _(d, c, w): return w.delimited(d / "leak.txt", c.records(3), delimiter="|")


@case("utf16-excel-unicode-text", scored=3)
def _(d, c, w): return w.delimited(d / "leak.txt", c.records(3), delimiter="\t", encoding="utf-16")


@case("latin1-with-encoding-flag", scored=3)
def _(d, c, w):
    return Built(w.delimited(d / "leak.csv", c.records(3), encoding="latin-1"),
                 ("--encoding", "latin-1"))


@case("crlf-line-ends", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), newline="\r\n")


@case("cr-only-line-ends", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), newline="\r")


@case("quoted-newlines-then-ragged", scored=2, rejected=(2,))
def _(d, c, w):
    first, last = c.record(), c.record()
    first[-1] = f"{c.word()}\n{c.word()};\n{c.word()}"
    data = csv_bytes([first]) + f"{c.word()};{c.word()}\n".encode() + csv_bytes([last], None)
    return w.text(d / "leak.csv", data.decode())


@case("quoted-delimiters-and-quotes", scored=3)
def _(d, c, w):
    rows = c.records(3)
    rows[1][0] = f'{c.word()};"{c.word()}"'
    return w.delimited(d / "leak.csv", rows)


@case("xlsx-first-of-two-sheets", scored=3, message="read the first of 2 sheets")
def _(d, c, w):
    return w.xlsx(d / "leak.xlsx", {"RDV": [HEADER, *c.records(3)],
                                    "Autre": [HEADER, *c.records(2)]})


@case("xlsx-sheet-by-name", scored=2)
def _(d, c, w):
    return Built(w.xlsx(d / "leak.xlsx", {"RDV": [HEADER, *c.records(3)],
                                           "Autre": [HEADER, *c.records(2)]}), ("--sheet", "Autre"))


@case("xlsx-typed-cells", scored=3)
def _(d, c, w): return w.xlsx(d / "leak.xlsx", {"RDV": [HEADER, *w.typed_xlsx_rows(c, 3)]})


@case("xlsx-blank-rows-between", scored=2, rejected=(2,))
def _(d, c, w): return w.xlsx(d / "leak.xlsx", {"RDV": [HEADER, c.record(), [None], c.record()]})


@case("json-array", scored=3)
def _(d, c, w): return w.json_array(d / "leak.json", w.records_as_dicts(c.records(3)))


@case("json-lines", scored=3)
def _(d, c, w): return w.json_lines(d / "leak.jsonl", w.records_as_dicts(c.records(3)))


@case("json-nested-values", scored=2)
def _(d, c, w):
    items = w.records_as_dicts(c.records(2))
    for item in items:
        item["Adresse"] = {"ville": c.word(), "cp": [c.word(), None, 1.5]}
    return w.json_array(d / "leak.json", items)


@case("json-non-object-items", scored=2, rejected=(2, 3))
def _(d, c, w):
    first, last = w.records_as_dicts(c.records(2))
    return w.json_array(d / "leak.json", [first, c.word(), [c.word()], last])


@case("jsonl-broken-and-blank-lines", scored=2, rejected=(2, 3))
def _(d, c, w):
    first, last = w.records_as_dicts(c.records(2))
    return w.json_lines(d / "leak.jsonl", [first, '{"Nom": "' + c.word(), "", last])


@case("parquet", scored=3)
def _(d, c, w): return w.parquet(d / "leak.parquet", c.records(3))


@case("csv-gz", scored=3)
def _(d, c, w): return w.gz(d / "leak.csv.gz", csv_bytes(c.records(3)))


@case("csv-xz-and-bz2-in-zip", scored=4)
def _(d, c, w):
    return w.zipped(d / "leak.zip", {"a.csv.xz": lzma.compress(csv_bytes(c.records(2))),
                                     "b.csv.bz2": bz2.compress(csv_bytes(c.records(2)))})


@case("xlsx-in-zip", scored=3)
def _(d, c, w):
    book = w.xlsx(d / "book.xlsx", {"RDV": [HEADER, *c.records(3)]})
    return w.zipped(d / "leak.zip", {"export/rdv.xlsx": book.read_bytes()})


@case("zip-two-tables-rows-numbered-on", scored=4, rejected=(4,),
      message="skipped 1 file(s)")
def _(d, c, w):
    second = csv_bytes([c.record()]) + f"{c.word()};{c.word()}\n".encode() + csv_bytes(
        [c.record()], None)
    return w.zipped(d / "leak.zip", {"a.csv": csv_bytes(c.records(2)), "sub/b.csv": second,
                                     "notes.pdf": b"%PDF " + c.word().encode(),
                                     "__MACOSX/._a.csv": b"\0\0", ".DS_Store": b"\0"})


@case("zip-one-member-by-name", scored=2, rejected=(2,))
def _(d, c, w):
    second = csv_bytes([c.record()]) + f"{c.word()};{c.word()}\n".encode() + csv_bytes(
        [c.record()], None)
    return Built(w.zipped(d / "leak.zip", {"a.csv": csv_bytes(c.records(2)), "sub/b.csv": second}),
                 ("--member", "b.csv"))


@case("zip-in-zip", scored=2)
def _(d, c, w):
    inner = w.zipped(d / "inner.zip", {"a.csv": csv_bytes(c.records(2))})
    return w.zipped(d / "leak.zip", {"inner.zip": inner.read_bytes()})


@case("zip-on-stdin", scored=3)
def _(d, c, w):
    return Built(None, stdin=w.zipped(d / "x.zip", {"a.csv": csv_bytes(c.records(3))}).read_bytes())


@case("xlsx-on-stdin", scored=2)
def _(d, c, w):
    return Built(None, stdin=w.xlsx(d / "x.xlsx", {"RDV": [HEADER, *c.records(2)]}).read_bytes())


@case("headerless-csv-detected", scored=4, message="pass --header yes if it is a header")
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(4), header=None)


def _no_values_first(c: Canary) -> list[list[str]]:
    rows = c.records(4)
    rows[0][3:7] = ["", "", "", ""]  # no e-mail, phone or date: it reads like a header
    return rows


@case("headerless-first-record-like-a-header", scored=3, message="pass --header no")
def _(d, c, w): return w.delimited(d / "leak.csv", _no_values_first(c), header=None)


@case("headerless-told-with-header-no", scored=4)  # its specialty cell is read by content
def _(d, c, w):
    return Built(w.delimited(d / "leak.csv", _no_values_first(c), header=None),
                 ("--header", "no"))


@case("header-forced-on-a-record", scored=3)
def _(d, c, w):
    return Built(w.delimited(d / "leak.csv", c.records(4), header=None), ("--header", "yes"))


@case("no-extension", scored=3)
def _(d, c, w): return w.delimited(d / "leak", c.records(3))


@case("unknown-extension", scored=3)
def _(d, c, w): return w.delimited(d / "leak.export", c.records(3), delimiter="|")


# --- bad records: scored with a reason, or rejected with their row -----------------------

@case("ragged-rows", scored=3, rejected=(2, 4))
def _(d, c, w):
    rows = [c.record(), [c.word(), c.word()], c.record(), c.record() + [c.word()], c.record()]
    return w.delimited(d / "leak.csv", rows)


@case("file-cut-mid-line", scored=3, rejected=(4,))
def _(d, c, w):
    data = csv_bytes(c.records(4)).decode()
    return w.text(d / "leak.csv", data[: data.rindex(";", 0, len(data) - 40)])


@case("unparseable-dates", scored=3, reasons=("FIELD_BIRTH_DATE_INVALID",
                                               "FIELD_APPOINTMENT_DATE_INVALID"))
def _(d, c, w):
    rows = c.records(3)
    for row in rows:
        row[5], row[6] = c.word(), f"31/02/{c.word()}"
    return w.delimited(d / "leak.csv", rows)


@case("impossible-phones", scored=3, reasons=("FIELD_PHONE_INVALID",))
def _(d, c, w):
    rows = c.records(3)
    rows[0][3], rows[1][3] = c.word(), "00" + c.phone()[1:4]
    return w.delimited(d / "leak.csv", rows)


@case("invalid-emails", scored=3, reasons=("FIELD_EMAIL_INVALID",))
def _(d, c, w):
    rows = c.records(3)
    rows[0][4], rows[2][4] = c.word() + "@", f"{c.word()}@@{c.word()}"
    return w.delimited(d / "leak.csv", rows)


@case("duplicate-records", scored=4, reasons=("DUPLICATE_RECORD",))
def _(d, c, w):
    first = c.record()
    return w.delimited(d / "leak.csv", [first, list(first), c.record(), list(first)])


@case("empty-rows", scored=2, rejected=(2, 3, 4))
def _(d, c, w):
    data = (csv_bytes([c.record()]) + b"\n" + b";" * 9 + b"\n" + b" ;  ;" + b";" * 7 + b"\n"
            + csv_bytes([c.record()], None))
    return w.text(d / "leak.csv", data.decode())


@case("megabyte-cells", scored=2, reasons=("FIELD_REASON_TOO_LONG", "FIELD_EMAIL_TOO_LONG"))
def _(d, c, w):
    rows = c.records(2)
    rows[0][-1] = c.word() * 300_000
    rows[1][4] = c.word() * 200_000 + "@x.fr"
    return w.delimited(d / "leak.csv", rows)


@case("formula-cells", scored=3)
def _(d, c, w):
    rows = c.records(3)
    rows[0][0], rows[1][1] = f"=cmd|' /C calc'!{c.word()}", f"@SUM({c.word()})"
    return w.delimited(d / "leak.csv", rows)


@case("control-characters-in-cells", scored=3)
def _(d, c, w):
    rows = c.records(3)
    rows[1][0] = c.word() + "\x00\x01" + c.word()
    return w.delimited(d / "leak.csv", rows)


@case("duplicate-and-blank-headers", scored=3)
def _(d, c, w):
    header = HEADER[:-1] + ["Nom"]
    header[2] = ""
    return w.delimited(d / "leak.csv", c.records(3), header=header)


@case("column-named-row", scored=3)
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(3), header=["row", *HEADER[1:]])


@case("every-record-rejected", code=1, scored=0, rejected=(1, 2),
      message="no record could be scored")
def _(d, c, w):
    return w.delimited(d / "leak.csv", [[c.word(), c.word()], [c.word()]])


@case("strict-with-a-rejected-record", code=1, scored=2, rejected=(2,), message="(--strict)")
def _(d, c, w):
    return Built(w.delimited(d / "leak.csv", [c.record(), [c.word()], c.record()]), ("--strict",))


# --- bad files: a one-line error naming the file and what to do ---------------------------

def _garbage(c: Canary, size: int) -> bytes:
    rng = random.Random(size)
    chunks = [bytes(rng.getrandbits(8) for _ in range(64)) + c.word().encode()
              for _ in range(size // 74)]
    return b"".join(chunks)


@case("empty-file", code=1, message="leak.csv: the file is empty")
def _(d, c, w): return w.text(d / "leak.csv", "")


@case("blank-lines-only", code=1, message="the file is empty")
def _(d, c, w): return w.text(d / "leak.csv", "\n \n\r\n")


@case("header-only", code=1, message="holds a header but no record")
def _(d, c, w): return w.delimited(d / "leak.csv", [])


@case("binary-garbage", code=1, message="looks like binary data")
def _(d, c, w): return w.raw(d / "leak.csv", _garbage(c, 4000))


@case("binary-garbage-without-extension", code=1, message="looks like binary data")
def _(d, c, w): return w.raw(d / "leak", b"\x00" * 20 + _garbage(c, 2000))


@case("csv-that-is-a-workbook", code=1, message="--input-format xlsx")
def _(d, c, w): return w.xlsx(d / "leak.csv", {"RDV": [HEADER, *c.records(2)]})


@case("csv-that-is-gzip", code=1, message="Add .gz to its name")
def _(d, c, w): return w.gz(d / "leak.csv", csv_bytes(c.records(2)))


@case("workbook-that-is-text", code=1, message="is text, not an Excel workbook")
def _(d, c, w): return w.delimited(d / "leak.xlsx", c.records(2))


@case("parquet-garbage", code=1, message="not a readable Parquet file")
def _(d, c, w): return w.text(d / "leak.parquet", "PAR1" + c.word() * 20 + "PAR1")


@case("legacy-xls", code=1, message="legacy Excel workbook (.xls)")
def _(d, c, w):
    return w.raw(d / "leak.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + c.word().encode() * 50)


@case("pdf", code=1, message="is a PDF document, not a table")
def _(d, c, w): return w.text(d / "leak.csv", "%PDF-1.4\n" + c.word())


@case("tar-archive", code=1, message="is a tar archive")
def _(d, c, w):
    path = d / "leak.tar"
    with tarfile.open(path, "w") as archive:
        data = csv_bytes(c.records(2))
        info = tarfile.TarInfo("leak.csv")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path.rename(d / "leak.dat")


@case("truncated-gzip", code=1, message="damaged or truncated gzip")
def _(d, c, w):
    path = w.gz(d / "leak.csv.gz", csv_bytes(c.records(30)))
    return w.raw(path, path.read_bytes()[:300])


@case("truncated-zip", code=1, message="a damaged zip archive")
def _(d, c, w):
    path = w.zipped(d / "leak.zip", {"a.csv": csv_bytes(c.records(30))})
    return w.raw(path, path.read_bytes()[:400])


@case("encrypted-zip", code=1, message="the archive is encrypted")
def _(d, c, w):
    path = w.zipped(d / "leak.zip", {"a.csv": csv_bytes(c.records(2))})
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 0x1  # the "encrypted" bit of the general purpose flags
    return w.raw(path, bytes(data))


@case("zip-bomb", code=1, message="decompression bomb")
def _(d, c, w):
    path = d / "leak.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("a.csv", "w", force_zip64=True) as member:
        member.write(csv_bytes(c.records(2)))
        block = b"\n" * (1 << 20)
        for _ in range(80):
            member.write(block)
    return path


@case("zip-without-tables", code=1, message="holds no table")
def _(d, c, w): return w.zipped(d / "leak.zip", {"scan.pdf": b"%PDF " + c.word().encode()})


@case("zip-member-not-found", code=1, message="no member named 'nope.csv'")
def _(d, c, w):
    return Built(w.zipped(d / "leak.zip", {"a.csv": csv_bytes(c.records(2))}),
                 ("--member", "nope.csv"))


@case("member-of-a-non-archive", code=1, message="Leave --member out")
def _(d, c, w): return Built(w.delimited(d / "leak.csv", c.records(2)), ("--member", "a.csv"))


@case("json-truncated", code=1, message="not valid JSON (line")
def _(d, c, w):
    path = w.json_array(d / "leak.json", w.records_as_dicts(c.records(3)))
    return w.text(path, path.read_text()[:-30])


@case("json-one-object", code=1, message="one JSON object, not a list of records")
def _(d, c, w):
    return w.json_array(d / "leak.json", {"data": w.records_as_dicts(c.records(2))})


@case("jsonl-that-is-csv", code=1, message="no line is a JSON object")
def _(d, c, w): return Built(w.delimited(d / "leak.jsonl", c.records(2)))


@case("json-deeply-nested", code=1, message="nested too deeply")
def _(d, c, w): return w.text(d / "leak.json", "[" * 100_000 + c.word())


@case("xlsx-empty-sheet", code=1, message="the file is empty")
def _(d, c, w): return w.xlsx(d / "leak.xlsx", {"RDV": []})


@case("xlsx-missing-sheet", code=1, message="a number from 1 to 1")
def _(d, c, w):
    return Built(w.xlsx(d / "leak.xlsx", {"RDV": [HEADER, *c.records(2)]}), ("--sheet", "9"))


@case("ten-thousand-columns", code=1, message="10000 columns, more than the 2048")
def _(d, c, w):
    header = [f"h{i}" for i in range(10_000)]
    return w.delimited(d / "leak.csv", [[c.word()] * 10_000], header=header)


@case("no-recognisable-column", code=1, message="no column could be given a role")
def _(d, c, w):
    return w.delimited(d / "leak.csv", [[c.word(), c.word()] for _ in range(3)],
                       header=["A", "B"])


@case("columns-file-names-a-missing-column", code=1, message="--columns")
def _(d, c, w):
    (d / "columns.toml").write_text('[columns]\nemail = "Courriel"\n')
    return Built(w.delimited(d / "leak.csv", c.records(2)), ("--columns", str(d / "columns.toml")))


@case("columns-file-unknown-role", code=1, message="unknown role 'colour'")
def _(d, c, w):
    (d / "columns.toml").write_text('[columns]\ncolour = "Nom"\n')
    return Built(w.delimited(d / "leak.csv", c.records(2)), ("--columns", str(d / "columns.toml")))


@case("incident-unknown-key", code=1, message="incident.toml, line 2: unknown key")
def _(d, c, w):
    (d / "incident.toml").write_text('[incident]\nmalice = true\n')
    return Built(w.delimited(d / "leak.csv", c.records(2)),
                 ("--incident", str(d / "incident.toml")))


@case("incident-wrong-type", code=1, message="line 2: 'malicious' must be a boolean")
def _(d, c, w):
    (d / "incident.toml").write_text('[incident]\nmalicious = "yes"\n')
    return Built(w.delimited(d / "leak.csv", c.records(2)),
                 ("--incident", str(d / "incident.toml")))


@case("unknown-encoding", code=1, message="unknown encoding 'klingon'")
def _(d, c, w): return Built(w.delimited(d / "leak.csv", c.records(2)), ("--encoding", "klingon"))


@case("utf16-without-byte-order-mark", code=1, message="pass --encoding utf-16")
def _(d, c, w): return w.delimited(d / "leak.csv", c.records(2), encoding="utf-16-le")


@case("not-utf8-after-the-first-megabyte", code=1, message="Try --encoding cp1252")
def _(d, c, w):
    rows = c.records(2)
    rows[0][-1] = c.word() * 120_000
    rows[1][0] = c.word() + "é"
    return w.raw(d / "leak.csv",
                 csv_bytes(rows[:1]) + csv_bytes(rows[1:], None).decode().encode("cp1252"))


@case("blank-first-line", code=1, message="the first line is blank")
def _(d, c, w): return w.text(d / "leak.csv", "\n" + csv_bytes(c.records(2)).decode())


@case("folder-instead-of-file", code=1, message="is a folder")
def _(d, c, w):
    (d / "leak.csv").mkdir()
    w.delimited(d / "leak.csv" / "inside.csv", c.records(2))
    return d / "leak.csv"


@case("missing-file", code=1, message="absent.csv: no such file")
def _(d, c, w): return d / "absent.csv"


@case("results-folder-not-empty", code=1, message="Use --force")
def _(d, c, w):
    (d / "out").mkdir()
    (d / "out" / "summary.json").write_text("{}")
    return w.delimited(d / "leak.csv", c.records(2))


@case("delimiter-of-two-characters", code=2, message="--delimiter: must be one character")
def _(d, c, w): return Built(w.delimited(d / "leak.csv", c.records(2)), ("--delimiter", ";;"))


@case("unknown-input-format", code=2, message="invalid choice: 'xml'")
def _(d, c, w): return Built(w.delimited(d / "leak.csv", c.records(2)), ("--input-format", "xml"))


# --- the checks ---------------------------------------------------------------------------

def _run(case: Case, folder: Path, canary: Canary,
         verbose: bool = False) -> tuple[int, str, str, Path]:
    built = case.build(folder, canary, Write)
    built = built if isinstance(built, Built) else Built(built)
    outdir = folder / "out"
    leak = "-" if built.leak is None else str(built.leak)
    stdin = io.TextIOWrapper(io.BytesIO(built.stdin or b""))
    out, err = io.StringIO(), io.StringIO()
    argv = ["score", leak, "-o", str(outdir), *built.args, *(["--verbose"] if verbose else [])]
    code = main(argv, stdout=out, stderr=err, stdin=stdin)
    return code, out.getvalue(), err.getvalue(), outdir


def _rows(path: Path) -> list[int]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [int(row["row"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("verbose", [False, True], ids=["plain", "verbose"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_ends_cleanly_loses_nothing_and_prints_no_value(
        case, verbose, tmp_path, caplog, recwarn, no_network):
    canary = Canary()
    caplog.set_level(logging.DEBUG)
    code, out, err, outdir = _run(case, tmp_path, canary, verbose)

    assert code == case.code, err
    assert case.message in err
    assert "internal error" not in err
    lines = err.splitlines()
    if code == 1:
        assert lines[-1].startswith("exposure: error: ")
    if code != 2 and not verbose:
        assert all(line.startswith("exposure: ") for line in lines), err

    printed = "\n".join([out, err, caplog.text, *(str(w.message) for w in recwarn)])
    assert canary.found_in(printed) == []

    summary_path = outdir / "summary.json"
    if case.scored is None:
        assert not summary_path.exists() or case.id == "results-folder-not-empty"
        return
    summary = json.loads(summary_path.read_text())
    records_in = summary["records_in"]
    assert records_in == summary["records_scored"] + summary["records_rejected"]
    assert summary["records_scored"] == case.scored
    scored, rejected = _rows(outdir / "appointments.csv"), _rows(outdir / "rejected.csv")
    assert tuple(rejected) == case.rejected
    assert sorted(scored + rejected) == list(range(1, records_in + 1))
    reasons = (outdir / "appointments.csv").read_text()
    for reason in case.reasons:
        assert reason in reasons


def test_the_canary_check_finds_a_printed_value():
    canary = Canary()
    record = canary.record()
    assert canary.found_in("row 3: " + record[0].upper()) == [record[0].lower()]
    assert canary.found_in("+33" + record[3][1:]) == [record[3][1:]]
    assert canary.found_in("row 3, column Email") == []


def test_the_catalogue_has_at_least_forty_cases():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
