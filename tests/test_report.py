"""report.html: one self-contained, deterministic document that names no patient."""

import importlib.util
import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from exposure import Incident, score
from exposure.cli import main
from exposure.report import render_report
from exposure.report.text import integer

_spec = importlib.util.spec_from_file_location("_chromium", Path(__file__).with_name("_chromium.py"))
chromium = sys.modules.setdefault("_chromium", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(chromium)

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HEADER = "Nom;Prénom;Sexe;Téléphone;Email;Date de naissance;Date du rendez-vous;Praticien;Spécialité\n"
CANARIES = ["Zorglubovitch", "Xanthippe", "canari.zorglub@example.org"]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text, self.open = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, k, v or "") for k, v in attrs)
        if tag not in ("meta", "img", "br", "hr", "link", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    parser = _Collector()
    parser.feed(html)
    parser.close()
    assert parser.open == [], parser.open
    return parser


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo, run twice through the command line, in French and once in English."""
    root = tmp_path_factory.mktemp("demo")
    out = {}
    for name, extra in (("a", []), ("b", []), ("en", ["--lang", "en"])):
        code = main(["demo", "-o", str(root / name), "--rows", "1500", "--quiet", *extra],
                    stdout=io.StringIO(), stderr=io.StringIO())
        assert code == 0
        out[name] = root / name
    return out


def test_demo_writes_the_report_and_it_is_byte_identical_across_runs(demo):
    first = (demo["a"] / "report.html").read_bytes()
    assert first == (demo["b"] / "report.html").read_bytes()
    assert len(first) > 10_000


def test_report_parses_as_html_with_the_expected_sections(demo):
    html = (demo["a"] / "report.html").read_text(encoding="utf-8")
    parser = parse(html)
    assert parser.tags[0] == "html" and "script" not in parser.tags
    ids = {v for tag, k, v in parser.attributes if k == "id"}
    assert {"decisions", "art33", "figures", "quality", "audit", "notes"} <= ids
    assert re.search(r'<html lang="fr">', html)
    assert sum(1 for tag in parser.tags if tag == "img") == 4


def test_report_holds_no_external_reference(demo):
    html = (demo["a"] / "report.html").read_text(encoding="utf-8")
    sources = [v for tag, k, v in parse(html).attributes if k in ("src", "href", "srcset")]
    assert all(v.startswith("data:image/png;base64,") or v.startswith("#") for v in sources)
    without_data = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    # The one "http" allowed is the attribute name of the Content-Security-Policy meta,
    # which forbids the browser any request but data: images and inline style.
    assert without_data.count('<meta http-equiv="Content-Security-Policy"') == 1
    without_data = without_data.replace('<meta http-equiv="Content-Security-Policy"', "")
    assert "http" not in without_data.lower() and "//" not in without_data
    assert "src=" not in without_data.replace('src=""', "")
    assert "@import" not in html and "url(" not in html


def test_report_shows_the_counts_of_summary_json(demo):
    summary = json.loads((demo["a"] / "summary.json").read_text())
    text = " ".join(parse((demo["a"] / "report.html").read_text()).text)
    for n in (summary["records_scored"], summary["patients"], summary["patients_to_notify"],
              summary["art33"]["patients_at_or_above"],
              summary["art33"]["data_subjects"]["approximate"],
              summary["art33"]["personal_data_records"]["approximate"],
              *summary["levels"].values(), *summary["channels"].values()):
        assert integer(n, "fr") in text, n
    assert summary["input"]["sha256"] in text
    assert "Notifier l'autorité de contrôle" in text


def test_report_is_in_english_on_request(demo):
    html = (demo["en"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Notify the supervisory authority" in html
    summary = json.loads((demo["en"] / "summary.json").read_text())
    assert summary["art33"]["language"] == "en"
    assert integer(summary["patients_to_notify"], "en") in html


def _canary_leak():
    rows = [";".join([CANARIES[0], CANARIES[1], "F", "06 12 34 56 78", CANARIES[2],
                      "1980-01-01", "2020-07-06 10:00", "Dr Canarybird", "Psychiatre"]),
            ";".join(["Quincampoix", "Ygraine", "M", "", "", "", "2020-07-07 10:00", "Dr Roux",
                      "Psychiatre"])]
    return pd.read_csv(io.StringIO(HEADER + "\n".join(rows) + "\n"), sep=";", dtype=str,
                       keep_default_na=False)


def test_report_names_no_patient_and_lists_public_communication_by_id():
    result = score(_canary_leak(), Incident(controller="Clinique du Parc"))
    html = render_report(result)
    for canary in CANARIES + ["Canarybird", "0612345678", "+33612345678", "Quincampoix"]:
        assert canary.lower() not in html.lower(), canary
    public = result.notifications.loc[result.notifications["channel"] == "public", "patient_id"]
    assert list(public) == [2]
    assert re.search(r"patient_id\s*:\s*2\b", html.replace("\u00a0", " "))


def test_missing_incident_texts_are_marked_to_complete_and_given_ones_are_not():
    result = score(_canary_leak())
    html = render_report(result).replace("\u00a0", " ")
    assert html.count('class="todo"') >= 3 and "à compléter : mesures prises" in html
    filled = score(_canary_leak(), Incident(controller="Clinique du Parc",
                                            dpo_contact="dpo@parc.example",
                                            measures="Connecteur coupé le 21 juillet."))
    html = render_report(filled)
    assert 'class="todo"' not in html and "Connecteur coupé le 21 juillet." in html
    assert filled.summary["art33"]["measures"] == {"text": "Connecteur coupé le 21 juillet.",
                                                   "to_complete": False}


def test_incident_texts_are_escaped():
    result = score(_canary_leak(), Incident(measures="<img src=x onerror=alert(1)>"))
    html = render_report(result)
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_report_without_any_notification_or_date_still_renders():
    leak = pd.DataFrame({"Nom": ["Martin"], "Prénom": ["Paul"], "Email": ["p.martin@gmail.com"],
                         "Spécialité": ["Médecin généraliste"]})
    html = render_report(score(leak))
    parse(html)
    assert "Aucun patient à informer." in html and "Aucune date de rendez-vous" in html


@pytest.mark.skipif(not Path(chromium.CHROMIUM).exists(), reason="no /usr/bin/chromium "
                    "(apt-get install chromium to run this test)")
def test_report_renders_in_chromium_with_no_console_error_and_no_request(demo):
    page = demo["a"] / "report.html"
    run = chromium.load(page, {
        "images": "Array.from(document.images).every(i => i.complete && i.naturalWidth > 300)",
        "title": "document.title",
        "sections": "document.querySelectorAll('section').length"})
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report.png").write_bytes(run.screenshot)
    assert run.console_errors == [] and run.exceptions == []
    assert [u for u in run.requests if not u.startswith("data:")] == [page.resolve().as_uri()]
    assert run.checks == {"images": True, "title": "Violation de données personnelles : "
                          "évaluation et notification", "sections": 6}
    assert run.screenshot.startswith(b"\x89PNG") and len(run.screenshot) > 50_000


@pytest.mark.skipif(not Path(chromium.CHROMIUM).exists(), reason="no /usr/bin/chromium")
def test_the_chromium_check_would_see_an_external_reference(demo, tmp_path):
    tampered = tmp_path / "tampered.html"
    html = (demo["a"] / "report.html").read_text(encoding="utf-8")
    tampered.write_text(html.replace("</body>", '<img src="http://127.0.0.1:9/x.png"></body>'),
                        encoding="utf-8")
    run = chromium.load(tampered, {})
    assert run.console_errors, "the page's Content-Security-Policy should refuse the image"
