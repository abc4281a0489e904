"""Hostile leaks built on the fly: canary values and a writer for every format.

Nothing here is committed as a data file: every case is generated into
pytest's temporary folder, so the repository holds no leak, not even a fake one.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import zipfile
from pathlib import Path

import pandas as pd

HEADER = ["Nom", "Prénom", "Sexe", "Téléphone", "Email", "Date de naissance",
          "Date du rendez-vous", "Praticien", "Spécialité", "Motif"]


class Canary:
    """Unique marker values, one per cell, shaped like what each column holds.

    Every value made is remembered, with the token that betrays it if it is
    ever printed (the digits of a phone, whatever the formatting).
    """

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def _keep(self, value: str, token: str | None = None) -> str:
        self.tokens.append((token or value).lower())
        return value

    def word(self) -> str:
        return self._keep(f"Cnry{self._next():04d}qz")

    def email(self) -> str:
        return self._keep(f"cnry{self._next():04d}qz@canary-mail.fr")

    def phone(self) -> str:
        digits = f"{67300000 + self._next():08d}"
        return self._keep(f"0{digits}", digits)

    def date(self) -> str:
        n = self._next()
        return self._keep(f"{1931 + n % 60}-{1 + n % 12:02d}-{1 + n % 28:02d}")

    def when(self) -> str:
        n = self._next()
        return self._keep(f"2020-{1 + n % 12:02d}-{1 + n % 28:02d} 1{n % 10}:4{n % 10}")

    def record(self) -> list[str]:
        """One appointment, every cell a canary."""
        return [self.word(), self.word(), self.word(), self.phone(), self.email(),
                self.date(), self.when(), "Dr " + self.word(), "Psychiatre " + self.word(),
                self.word()]

    def records(self, n: int) -> list[list[str]]:
        return [self.record() for _ in range(n)]

    def found_in(self, text: str) -> list[str]:
        """The tokens that appear in ``text`` (none, when nothing leaked)."""
        text = text.lower()
        return [token for token in self.tokens if token in text]


class Write:
    """Writers for every input format; each returns the path it wrote."""

    @staticmethod
    def delimited(path: Path, rows: list[list[str]], header: list[str] | None = HEADER, *,
                  delimiter: str = ";", encoding: str = "utf-8", bom: bytes = b"",
                  newline: str = "\n") -> Path:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
        writer.writerows(([header] if header else []) + rows)
        path.write_bytes(bom + buffer.getvalue().encode(encoding))
        return path

    @staticmethod
    def raw(path: Path, data: bytes) -> Path:
        path.write_bytes(data)
        return path

    @staticmethod
    def text(path: Path, text: str, encoding: str = "utf-8") -> Path:
        path.write_bytes(text.encode(encoding))
        return path

    @staticmethod
    def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
        workbook.save(path)
        return path

    @staticmethod
    def json_array(path: Path, items: list) -> Path:
        path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    @staticmethod
    def json_lines(path: Path, lines: list) -> Path:
        text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
                       + "\n" for line in lines)
        path.write_text(text, encoding="utf-8")
        return path

    @staticmethod
    def parquet(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
        pd.DataFrame(rows, columns=header).to_parquet(path)
        return path

    @staticmethod
    def gz(path: Path, data: bytes) -> Path:
        path.write_bytes(gzip.compress(data, mtime=0))
        return path

    @staticmethod
    def zipped(path: Path, members: dict[str, bytes]) -> Path:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 7, 6, 0, 0, 0)), data,
                                 compress_type=zipfile.ZIP_DEFLATED)
        return path

    @staticmethod
    def records_as_dicts(rows: list[list[str]], header: list[str] = HEADER) -> list[dict]:
        return [dict(zip(header, row)) for row in rows]

    @staticmethod
    def typed_xlsx_rows(canary: Canary, n: int) -> list[list]:
        """Records with real Excel types: dates, numbers, a zero-padded phone."""
        return [[canary.word(), canary.word(), "M",
                 int(canary.phone()), canary.email(),
                 dt.datetime.fromisoformat(canary.date()),
                 dt.datetime.fromisoformat(canary.when()), "Dr " + canary.word(),
                 "Psychiatre " + canary.word(), canary.word()] for _ in range(n)]
