"""`vemgorvad add`: a new or revised agreement goes into data/ with its catalogue record and the graph
is rebuilt — all or nothing. Runs the real command on a copy of the project (project_copy.py)."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from project_copy import EXTRA, run_cli, source_text, use_home

AGREEMENT = "https://w3id.org/vemgorvad/graph/"


def snapshot(home: Path) -> dict[str, str]:
    """Every file under data/ (hidden ones included) with a digest of its bytes, and var/current."""
    files = {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((home / "data").rglob("*")) if p.is_file()}
    files["var/current ->"] = os.readlink(home / "var" / "current")
    return files


def catalogue(home: Path) -> dict[str, dict]:
    entries = json.loads((home / "data" / "agreements" / "agreements.json").read_text(encoding="utf-8"))
    return {e["key"]: e for e in entries}


def manifest(home: Path) -> dict:
    return json.loads((home / "var" / "current" / "manifest.json").read_text(encoding="utf-8"))


def graphs(home: Path) -> set[str]:
    from vemgorvad.store import EmbeddedStore
    store = EmbeddedStore.from_build(home / "var" / "current")
    return {g[len(AGREEMENT):] for g in store.stats()["graphs"] if g.startswith(AGREEMENT)} - {"vocabulary"}


def assert_consistent(home: Path) -> None:
    from vemgorvad.datastore import consistency_problems, stale_reason
    with use_home(home):
        assert consistency_problems() == []
        assert stale_reason(manifest(home)) is None      # the graph served is the graph of data/


def one_line_error(done) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("vemgorvad: ") and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_add_a_new_agreement_with_a_key_from_its_file_name(home, tmp_path):
    upload = tmp_path / "Uppsala län 2013.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    done = run_cli(home, "add", str(upload), "--workers", "1")
    assert done.returncode == 0, done.stderr
    records = catalogue(home)
    assert "uppsala-lan-2013" in records
    record = records["uppsala-lan-2013"]
    assert record["file"] == "uppsala-lan-2013.txt"
    assert (home / "data" / "agreements" / "uppsala-lan-2013.txt").read_bytes() == upload.read_bytes()
    assert "överenskommelse" in record["title"].lower()      # read from the text itself
    assert graphs(home) == {"stockholm-vasterort", "vastra-gotaland", "uppsala-lan-2013"}
    assert "SIGHUP" in done.stdout                           # tells the operator how a server switches
    assert_consistent(home)


def test_revision_replaces_the_text_under_the_same_key(home, tmp_path):
    before = manifest(home)["build_id"]
    revised = tmp_path / "vg-reviderad.txt"
    revised.write_text(source_text("vastra-gotaland").replace("Västra Götalandsregionen", "Region Västra Götaland"),
                       encoding="utf-8")
    done = run_cli(home, "add", str(revised), "--key", "vastra-gotaland", "--title", "Reviderad överenskommelse",
                   "--valid-from", "2021-01-01", "--valid-to", "2024-12-31", "--workers", "1")
    assert done.returncode == 0, done.stderr
    records = catalogue(home)
    assert len(records) == 2
    assert records["vastra-gotaland"]["file"] == "vastra-gotaland.txt"
    assert records["vastra-gotaland"]["title"] == "Reviderad överenskommelse"
    assert (records["vastra-gotaland"]["valid_from"], records["vastra-gotaland"]["valid_to"]) == ("2021-01-01", "2024-12-31")
    assert records["vastra-gotaland"]["county"] == "Västra Götalands län"     # kept from the old record
    assert (home / "data" / "agreements" / "vastra-gotaland.txt").read_bytes() == revised.read_bytes()
    assert manifest(home)["build_id"] != before
    normalised = (home / "var" / "current" / "agreements" / "vastra-gotaland" / "normalised.txt").read_text(encoding="utf-8")
    assert "Region Västra Götaland" in normalised
    assert graphs(home) == {"stockholm-vasterort", "vastra-gotaland"}
    assert_consistent(home)


def test_revision_in_another_format_replaces_the_old_file(home, tmp_path):
    import docx
    document = docx.Document()
    for paragraph in source_text("stockholm-vasterort").split("\n\n"):
        document.add_paragraph(paragraph.strip())
    upload = tmp_path / "stockholm.docx"
    document.save(upload)
    done = run_cli(home, "add", str(upload), "--key", "stockholm-vasterort", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert catalogue(home)["stockholm-vasterort"]["file"] == "stockholm-vasterort.docx"
    assert not (home / "data" / "agreements" / "stockholm-vasterort.txt").exists()
    assert (home / "data" / "agreements" / "stockholm-vasterort.docx").read_bytes() == upload.read_bytes()
    assert graphs(home) == {"stockholm-vasterort", "vastra-gotaland"}
    assert_consistent(home)


def test_a_failed_build_leaves_data_and_the_served_graph_as_they_were(home, tmp_path):
    # an extra shape in the copy makes any agreement titled "FÖRBJUDEN …" a SHACL violation
    with open(home / "shapes" / "integrity.ttl", "a", encoding="utf-8") as shapes:
        shapes.write('\nvgs:ForbiddenTitle a sh:NodeShape ; sh:targetClass vg:Agreement ;\n'
                     '    sh:property [ sh:path dcterms:title ; sh:pattern "^(?!FÖRBJUDEN)" ;\n'
                     '                  sh:message "Förbjuden titel."@sv , "Forbidden title."@en ] .\n')
    before = snapshot(home)
    upload = tmp_path / "ny.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    line = one_line_error(run_cli(home, "add", str(upload), "--title", "FÖRBJUDEN titel", "--workers", "1"))
    assert "SHACL" in line
    assert snapshot(home) == before                          # nothing staged is left, nothing replaced
    revision = run_cli(home, "add", str(upload), "--key", "vastra-gotaland", "--title", "FÖRBJUDEN",
                       "--workers", "1")
    assert "SHACL" in one_line_error(revision)
    assert snapshot(home) == before
    assert_consistent(home)
    assert run_cli(home, "add", str(upload), "--workers", "1").returncode == 0   # a good add still works


@pytest.mark.parametrize("case", ["unsupported type", "empty", "not a pdf", "missing", "bad key", "bad date",
                                  "dates reversed", "file of another agreement"])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(home, tmp_path, case):
    before = snapshot(home)
    upload = tmp_path / "ny.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    args = [str(upload)]
    if case == "unsupported type":
        args = [str(upload.rename(tmp_path / "ny.md"))]
    elif case == "empty":
        upload.write_bytes(b"")
    elif case == "not a pdf":
        args = [str(upload.rename(tmp_path / "ny.pdf"))]
    elif case == "missing":
        args = [str(tmp_path / "saknas.txt")]
    elif case == "bad key":
        args += ["--key", "Uppsala Län"]
    elif case == "bad date":
        args += ["--valid-from", "2020-13-01"]
    elif case == "dates reversed":
        args += ["--valid-from", "2020-01-01", "--valid-to", "2019-01-01"]
    else:   # the new key's file name, vastra.txt, already belongs to vastra-gotaland
        agreements = home / "data" / "agreements"
        entries = json.loads((agreements / "agreements.json").read_text(encoding="utf-8"))
        for entry in entries:
            if entry["key"] == "vastra-gotaland":
                entry["file"] = "vastra.txt"
        (agreements / "vastra-gotaland.txt").rename(agreements / "vastra.txt")
        (agreements / "agreements.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        args += ["--key", "vastra"]
        before = snapshot(home)
    line = one_line_error(run_cli(home, "add", *args, "--workers", "1"))
    assert "(" in line                                      # Swedish with an English gloss
    assert snapshot(home) == before


def test_reload_url_without_token_is_refused_before_anything_changes(home, tmp_path):
    before = snapshot(home)
    upload = tmp_path / "ny.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    line = one_line_error(run_cli(home, "add", str(upload), "--reload-url", "http://127.0.0.1:9"))
    assert "VEMGORVAD_RELOAD_TOKEN" in line
    assert snapshot(home) == before


def test_interrupted_commit_is_rolled_forward_and_unpublished_add_rolled_back(home, tmp_path, monkeypatch):
    """The two halves of recovery, made to happen on purpose: an add whose commit is cut short after
    the publish (finished by the next command), and one cut short before it (undone)."""
    from vemgorvad import add as add_module
    from vemgorvad import build as build_module
    from vemgorvad import datastore
    upload = tmp_path / "ny.txt"
    upload.write_text(source_text(EXTRA)[:30000], encoding="utf-8")
    with use_home(home):
        before = snapshot(home)
        monkeypatch.setattr(build_module, "publish", _raise("cut before publish"))
        with pytest.raises(RuntimeError, match="cut before publish"):
            add_module.add(upload, progress=lambda *a: None, workers=1)
        assert snapshot(home) == before
        monkeypatch.undo()

        monkeypatch.setattr(add_module, "commit", _raise("cut after publish"))
        with pytest.raises(RuntimeError, match="cut after publish"):
            add_module.add(upload, progress=lambda *a: None, workers=1)
        monkeypatch.undo()
        assert "ny" not in catalogue(home)                              # not committed yet …
        assert "ny" in graphs(home)                                     # … but published
        assert "avbruten" in datastore.stale_reason(manifest(home))       # serve would refuse it
        assert datastore.recover() == "forward"
        assert catalogue(home)["ny"]["file"] == "ny.txt"
        assert datastore.recover() is None
    assert_consistent(home)
    done = run_cli(home, "build", "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert_consistent(home)


def _raise(message):
    def fail(*args, **kwargs):
        raise RuntimeError(message)
    return fail
