"""Reading leaks: every format, every cell as text, every record numbered and accounted for."""

import codecs
import csv
import datetime as dt
import gzip
import io
import json
import re
import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exposure.errors import InputError
from exposure.readers import read_table
from exposure.readers._common import unique_headers
from exposure.readers._excel import cell_text

HEADER = ["Nom", "Prénom", "Téléphone"]
ROWS = [["Dupont", "Zoé", "0612345678"], ["Lefèvre", "Éric", "06 12 34 56 79"]]


def write(tmp_path, text, name="leak.csv", encoding="utf-8", bom=False):
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def as_text(delimiter):
    return "\n".join(delimiter.join(r) for r in [HEADER, *ROWS]) + "\n"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "pipe"])
def test_delimiter_is_sniffed(tmp_path, delimiter):
    table = read_table(write(tmp_path, as_text(delimiter)))
    assert list(table.frame.columns) == ["row", *HEADER]
    assert table.frame[HEADER].values.tolist() == ROWS


@pytest.mark.parametrize("encoding, bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)],
                         ids=["utf8", "utf8-bom", "cp1252"])
def test_encoding_is_sniffed(tmp_path, encoding, bom):
    table = read_table(write(tmp_path, as_text(";"), encoding=encoding, bom=bom))
    assert list(table.frame.columns) == ["row", *HEADER]
    assert table.frame["Prénom"].tolist() == ["Zoé", "Éric"]


def test_leading_zeros_and_na_strings_stay_text(tmp_path):
    table = read_table(write(tmp_path, "code;nom\n01234;NA\n"))
    assert table.frame.loc[0, "code"] == "01234" and table.frame.loc[0, "nom"] == "NA"


def test_ragged_rows_are_rejected_with_their_row_number(tmp_path):
    text = "a;b;c\n1;2;3\n4;5\n6;7;8\n9;10;11;12\n"
    table = read_table(write(tmp_path, text))
    assert table.frame["row"].tolist() == [1, 3]
    assert table.rejected["row"].tolist() == [2, 4]
    assert table.rejected["reason"].str.contains("fields where the header has 3").all()
    assert table.records_in == 4


def test_quoted_newlines_keep_record_numbers_exact(tmp_path):
    text = 'a;b\n"line one\nline two";x\n1\n3;4\n'
    table = read_table(write(tmp_path, text))
    assert table.frame["row"].tolist() == [1, 3]
    assert table.frame.loc[0, "a"] == "line one\nline two"
    assert table.rejected["row"].tolist() == [2]


def test_blank_and_repeated_headers_get_unique_names(tmp_path):
    table = read_table(write(tmp_path, "nom;;nom\nA;B;C\n"))
    assert list(table.frame.columns) == ["row", "nom", "column_2", "nom_2"]


def test_parquet_columns_are_read_as_text(tmp_path):
    path = tmp_path / "leak.parquet"
    pd.DataFrame({"age": [34, None], "nom": ["A", "B"]}).to_parquet(path)
    table = read_table(path)
    assert table.frame["age"].tolist() == ["34", ""]
    assert table.frame["row"].tolist() == [1, 2]


@pytest.mark.parametrize("content, message", [
    ("", "the file is empty"),
    ("\n\n", "the file is empty"),
], ids=["empty", "blank-lines"])
def test_unreadable_files_give_a_clear_error(tmp_path, content, message):
    with pytest.raises(InputError, match=message):
        read_table(write(tmp_path, content))


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "absent.csv")


def test_garbage_parquet_is_a_clean_error(tmp_path):
    path = tmp_path / "leak.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        read_table(path)


def test_a_column_called_row_does_not_take_the_record_number(tmp_path):
    table = read_table(write(tmp_path, "row;nom\n7;A\n"))
    assert list(table.frame.columns) == ["row", "row_2", "nom"]
    assert table.frame.loc[0, "row"] == 1 and table.frame.loc[0, "row_2"] == "7"


def test_a_header_line_is_not_needed(tmp_path):
    table = read_table(write(tmp_path, "Dupont;zoe@example.fr\nMartin;eric@example.fr\n"))
    assert list(table.frame.columns) == ["row", "column_1", "column_2"]
    assert table.frame["row"].tolist() == [1, 2]
    assert read_table(write(tmp_path, "Dupont;Zoé\n"), header=False).records_in == 1


def test_a_cell_of_megabytes_is_read_whole(tmp_path):
    table = read_table(write(tmp_path, "nom;motif\nA;" + "x" * 3_000_000 + "\nB;court\n"))
    assert table.frame["motif"].str.len().tolist() == [3_000_000, 5]


def test_utf16_with_a_byte_order_mark_is_excel_unicode_text(tmp_path):
    path = tmp_path / "leak.txt"
    path.write_bytes("Nom\tPrénom\nDupont\tZoé\n".encode("utf-16"))
    assert read_table(path).frame["Prénom"].tolist() == ["Zoé"]


def test_xlsx_cells_come_back_as_the_text_excel_shows(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom", "CP", "Tel", "Né le", "RDV"])
    sheet.append(["Dupont", "01000", 612345678, dt.datetime(1987, 3, 14),
                  dt.datetime(2020, 7, 6, 14, 30)])
    sheet["C2"].number_format = '00" "00" "00" "00" "00'
    sheet.append([None])
    sheet.append(["Martin", 75001, None, None, None])
    book.save(tmp_path / "leak.xlsx")
    table = read_table(tmp_path / "leak.xlsx")
    assert table.frame.drop(columns="row").values.tolist() == [
        ["Dupont", "01000", "0612345678", "1987-03-14", "2020-07-06 14:30:00"],
        ["Martin", "75001", "", "", ""]]
    assert table.frame["row"].tolist() == [1, 3]
    assert table.rejected.to_dict("records") == [{"row": 2, "reason": "empty row"}]


def test_json_objects_become_columns_and_other_items_are_rejected(tmp_path):
    path = tmp_path / "leak.json"
    path.write_text('[{"Nom": "A", "n": 1.50, "x": {"a": [1, null]}}, 5, {"Nom": "B", "ok": true}]')
    table = read_table(path)
    assert table.frame.drop(columns="row").values.tolist() == [
        ["A", "1.50", '{"a": [1, null]}', ""], ["B", "", "", "true"]]
    assert table.rejected.to_dict("records") == [
        {"row": 2, "reason": "a JSON number, not an object"}]


def test_json_lines_keep_line_numbers_and_repeated_keys(tmp_path):
    path = tmp_path / "leak.jsonl"
    path.write_text('{"Nom": "A", "Nom": "B"}\n\n{broken\n{"Nom": "C"}\n')
    table = read_table(path)
    assert table.frame[["row", "Nom", "Nom_2"]].values.tolist() == [[1, "A", "B"], [4, "C", ""]]
    assert table.rejected["row"].tolist() == [2, 3]


def test_compressed_and_zipped_tables_are_read_with_rows_numbered_on(tmp_path):
    text = as_text(";").encode()
    (tmp_path / "leak.csv.gz").write_bytes(gzip.compress(text))
    assert read_table(tmp_path / "leak.csv.gz").frame[HEADER].values.tolist() == ROWS
    with zipfile.ZipFile(tmp_path / "leak.zip", "w") as archive:
        archive.writestr("a.csv", text)
        archive.writestr("dir/b.csv", text)
    table = read_table(tmp_path / "leak.zip")
    assert table.frame["row"].tolist() == [1, 2, 3, 4]
    assert [tuple(part) for part in table.parts] == [("a.csv", 1, 2), ("dir/b.csv", 3, 2)]
    assert read_table(tmp_path / "leak.zip", member="b.csv").records_in == 2


@pytest.mark.parametrize("name, data, message", [
    ("leak.csv", b"PK\x03\x04" + b"\0" * 40, "is a zip archive, not text"),
    ("leak.csv", gzip.compress(b"a;b\n1;2\n"), "Add .gz to its name"),
    ("leak.xlsx", b"a;b\n1;2\n", "is text, not an Excel workbook"),
    ("leak.csv", bytes(range(256)) * 8, "looks like binary data"),
    ("leak.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "legacy Excel"),
    ("leak.csv", b"Nom;Email\n", "holds a header but no record"),
], ids=["zip-as-csv", "gzip-as-csv", "text-as-xlsx", "binary", "xls", "header-only"])
def test_a_file_that_is_not_what_it_says_is_a_clear_error(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=re.escape(message)):
        read_table(tmp_path / name)


def test_input_format_reads_a_renamed_file(tmp_path):
    (tmp_path / "leak.dat").write_bytes(gzip.compress(as_text(",").encode()))
    assert read_table(tmp_path / "leak.dat", format="csv").records_in == 2


# --- properties ---------------------------------------------------------------------------

_CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    list('\n\r\t";,|\'')), max_size=12)


@settings(max_examples=60, deadline=None)
@given(delimiter=st.sampled_from([",", ";", "\t", "|"]), width=st.integers(2, 4),
       rows=st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=12),
       encoding=st.sampled_from(["utf-8", "utf-8-sig"]))
def test_any_text_written_as_csv_reads_back_cell_for_cell(tmp_path_factory, delimiter, width,
                                                           rows, encoding):
    rows = [row[:width] for row in rows]
    header = ["h1", "h2", "h3", "h4"][:width]
    buffer = io.StringIO()  # "\r\n" ends lines: the csv module then quotes a lone "\r" too
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    path = tmp_path_factory.mktemp("csv") / "leak.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    table = read_table(path, delimiter=delimiter, header=True)
    assert table.frame[header].values.tolist() == rows
    assert table.frame["row"].tolist() == list(range(1, len(rows) + 1))


@settings(max_examples=60, deadline=None)
@given(widths=st.lists(st.integers(1, 5), min_size=1, max_size=15))
def test_a_record_is_rejected_exactly_when_its_field_count_is_wrong(tmp_path_factory, widths):
    lines = ["a;b;c", *(";".join(f"v{i}" for i in range(width)) for width in widths)]
    path = tmp_path_factory.mktemp("ragged") / "leak.csv"
    path.write_text("\n".join(lines) + "\n")
    table = read_table(path)
    assert table.rejected["row"].tolist() == [n for n, w in enumerate(widths, 1) if w != 3]
    assert table.frame["row"].tolist() == [n for n, w in enumerate(widths, 1) if w == 3]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=600), suffix=st.sampled_from(
    [".csv", ".tsv", ".json", ".jsonl", ".xlsx", ".parquet", ".gz", ".zip", ""]))
def test_any_bytes_give_a_clean_error_or_every_record_numbered(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"leak{suffix}"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except InputError:
        return
    rows = table.frame["row"].tolist() + table.rejected["row"].tolist()
    assert sorted(rows) == list(range(1, table.records_in + 1))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["Nom", "Email", "row", " x ", ""]),
                                st.none() | _CELL | st.integers(), min_size=1),
                min_size=1, max_size=8))
def test_json_lines_give_one_record_per_object(tmp_path_factory, items):
    path = tmp_path_factory.mktemp("jsonl") / "leak.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    table = read_table(path)
    assert table.records_in == len(items) and table.rejected.empty
    assert "row" in table.frame and table.frame.columns.is_unique


@given(st.lists(st.text(max_size=5), max_size=12))
def test_header_names_are_unique_and_never_row(header):
    names = unique_headers(header)
    assert len(names) == len(header) and len(set(names)) == len(names) and "row" not in names


@given(st.integers(0, 10**9), st.integers(1, 12))
def test_zero_padded_numbers_keep_their_zeros(value, zeros):
    text = cell_text(value, "0" * zeros)
    assert int(text) == value and len(text) == max(zeros, len(str(value)))


def test_parquet_strings_that_are_not_utf8_are_decoded_not_fatal(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    broken = pa.array([b"Zo\xe9", b"ok"], type=pa.binary()).view(pa.string())
    pq.write_table(pa.table({"nom": broken}), tmp_path / "leak.parquet")
    assert read_table(tmp_path / "leak.parquet").frame["nom"].tolist() == ["Zo\ufffd", "ok"]


def test_a_table_thousands_of_columns_wide_is_refused_before_it_costs_minutes(tmp_path):
    with pytest.raises(InputError, match="5000 columns, more than the 2048"):
        read_table(write(tmp_path, ";".join(["x"] * 5000) + "\n" + ";".join(["y"] * 5000)))


def test_an_archive_of_thousands_of_tables_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / "leak.zip", "w") as archive:
        for n in range(1001):
            archive.writestr(f"{n}.csv", "a;b\n1;2\n")
    with pytest.raises(InputError, match="1001 tables in one archive"):
        read_table(tmp_path / "leak.zip")
