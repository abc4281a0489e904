"""Reading leaks: every cell as text, every record numbered and accounted for."""

import codecs

import pandas as pd
import pytest

from exposure.errors import InputError
from exposure.readers import read_table

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
