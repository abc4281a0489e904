"""The command line's message and report options: --lang, --templates, exposure templates."""

import io
import json

from exposure.cli import main

HEADER = "Nom;Prénom;Téléphone;Email;Date du rendez-vous;Praticien;Spécialité\n"
LEAK = HEADER + ("Dupont;Marie;06 12 34 56 78;;2020-07-06 10:00;Dr Nox;Psychiatre\n"
                 "Leroy;Anne;;anne.leroy@free.fr;2020-07-07 10:00;Dr Sel;Centre IVG\n")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def leak(tmp_path):
    path = tmp_path / "leak.csv"
    path.write_text(LEAK, encoding="utf-8")
    return str(path)


def test_templates_command_copies_both_languages_then_score_uses_the_copy(tmp_path):
    code, out, _ = run("templates", "-o", str(tmp_path / "t"))
    assert code == 0 and "--templates" in out
    assert len(list((tmp_path / "t").glob("*/*.txt"))) == 26
    assert (tmp_path / "t" / "README.md").is_file()
    email = tmp_path / "t" / "fr" / "email_patient.txt"
    email.write_text(email.read_text().replace("Bonjour", "Madame, Monsieur"))
    code, _, err = run("score", leak(tmp_path), "-o", str(tmp_path / "o"),
                       "--templates", str(tmp_path / "t"), "--quiet")
    assert (code, err) == (0, "")
    notes = (tmp_path / "o" / "notifications.csv").read_text(encoding="utf-8")
    assert "Madame, Monsieur Anne Leroy" in notes
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["messages"]["templates"] == "custom"


def test_templates_command_does_not_overwrite_without_force(tmp_path):
    assert run("templates", "-o", str(tmp_path / "t"))[0] == 0
    code, _, err = run("templates", "-o", str(tmp_path / "t"))
    assert code == 1 and "--force" in err
    assert run("templates", "-o", str(tmp_path / "t"), "--force")[0] == 0


def test_a_bad_template_is_a_one_line_error_naming_the_file(tmp_path):
    run("templates", "-o", str(tmp_path / "t"))
    sms = tmp_path / "t" / "fr" / "sms_patient.txt"
    sms.write_text(sms.read_text().replace("{dates}", "{date}"))
    code, _, err = run("score", leak(tmp_path), "-o", str(tmp_path / "o"),
                       "--templates", str(tmp_path / "t"))
    assert code == 1 and "sms_patient.txt, line 3: unknown placeholder {date}" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_lang_en_writes_english_messages_and_report(tmp_path):
    code, out, _ = run("score", leak(tmp_path), "-o", str(tmp_path / "o"), "--lang", "en")
    assert code == 0 and "report.html" in out
    notes = (tmp_path / "o" / "notifications.csv").read_text(encoding="utf-8")
    assert "Dear Anne Leroy" in notes and ',"en",' in notes
    assert '<html lang="en">' in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


def test_a_long_sms_is_a_warning_on_stderr_not_an_error(tmp_path):
    incident = tmp_path / "incident.toml"
    incident.write_text('[incident]\nmeasures = "' + "Nous avons fait beaucoup. " * 12 + '"\n',
                        encoding="utf-8")
    code, _, err = run("score", leak(tmp_path), "-o", str(tmp_path / "o"), "--incident",
                       str(incident))
    assert code == 0 and "exposure: warning: 1 SMS message(s) need more" in err
    code, _, err = run("score", leak(tmp_path), "-o", str(tmp_path / "o"), "--incident",
                       str(incident), "--force", "--quiet")
    assert (code, err) == (0, "")
