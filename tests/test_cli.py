"""The `alcourse` command: helpful errors and a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alcourse.cli", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_build_check_passes_on_the_committed_tree():
    proc = run("build", "--check")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_build_check_reports_a_stale_page(tmp_path):
    (tmp_path / "notebooks").mkdir()
    proc = run("build", "--check", "--root", str(tmp_path))
    assert proc.returncode == 1
    assert "_toc.yml: out of date with the content data; run `alcourse build`" in proc.stdout


def test_course_init_then_errors_for_missing_folder_and_unknown_module(tmp_path):
    proc = run("course", "init", str(tmp_path / "c"))
    assert proc.returncode == 0 and "course folder ready" in proc.stdout
    assert (tmp_path / "c" / "nbgrader_config.py").exists()
    assert run("course", "init", str(tmp_path / "c")).returncode == 0  # idempotent

    missing = run("release", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "not a course folder" in missing.stderr and "alcourse course init" in missing.stderr
    assert "Traceback" not in missing.stderr

    unknown = run("release", str(tmp_path / "c"), "m99-nothing")
    assert unknown.returncode == 2
    assert "no module 'm99-nothing'; known modules: m01-" in unknown.stderr


def test_course_init_refuses_a_folder_that_is_not_a_course(tmp_path):
    (tmp_path / "thesis.txt").write_text("mine")
    proc = run("course", "init", str(tmp_path))
    assert proc.returncode == 2 and "is not an alcourse course folder" in proc.stderr
    assert (tmp_path / "thesis.txt").read_text() == "mine"


def test_workspace_copy_never_overwrites_trainee_work(tmp_path):
    from alcourse.grading import copy_workspace

    release = tmp_path / "release" / "m03"
    release.mkdir(parents=True)
    (release / "m03.ipynb").write_text("new release")
    target = tmp_path / "work"
    (target / "m03").mkdir(parents=True)
    (target / "m03" / "m03.ipynb").write_text("trainee's answers")
    assert copy_workspace(tmp_path / "release", target) == []
    assert (target / "m03" / "m03.ipynb").read_text() == "trainee's answers"


def test_marking_guide_lists_every_reflection_with_its_scheme(tmp_path, curriculum):
    out = tmp_path / "guide.html"
    proc = run("marking-guide", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    import html as htmllib
    import re

    text = htmllib.unescape(out.read_text())
    for module in curriculum.modules.values():
        page = htmllib.unescape((tmp_path / "marking-guide" / f"{module.id}.html").read_text())
        # one page per module: its own reflections, a contents list whose links all land
        anchors = set(re.findall(r'id="([^"]+)"', page))
        assert {a[1:] for a in re.findall(r'href="(#[^"]+)"', page)} <= anchors
        assert f'href="../{out.name}"' in page
        for reflection in module.reflections():
            assert reflection.id in text and reflection.id in page
            assert reflection.mark_scheme[0][:40] in text and reflection.mark_scheme[0][:40] in page
        for other in curriculum.modules.values():
            if other.id != module.id:
                assert all(r.id not in page for r in other.reflections())
    assert {a[1:] for a in re.findall(r'href="(#[^"]+)"', text)} <= set(re.findall(r'id="([^"]+)"', text))
    assert "<script" not in text and "http" not in text


def _parser_running(func):
    """The CLI's parser with one extra sub-command ``boom`` that calls ``func``."""
    import argparse

    def make() -> argparse.ArgumentParser:
        p = argparse.ArgumentParser(prog="alcourse")
        p.add_subparsers(dest="command").add_parser("boom").set_defaults(func=func)
        return p
    return make


def test_a_bug_shows_its_traceback_even_when_it_is_a_key_error(monkeypatch):
    import pytest

    from alcourse import cli

    def buggy(args):
        return {}["no-such-key"]

    monkeypatch.setattr(cli, "parser", _parser_running(buggy))
    with pytest.raises(KeyError, match="no-such-key"):
        cli.main(["boom"])


def test_a_user_error_exits_2_with_its_message_and_no_traceback(monkeypatch, capsys):
    from alcourse import cli
    from alcourse.curriculum import load_curriculum

    def unknown_module(args):
        return load_curriculum().module("m99-nothing")

    monkeypatch.setattr(cli, "parser", _parser_running(unknown_module))
    assert cli.main(["boom"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no module 'm99-nothing'; known modules: m01-"), err


def test_bad_grade_option_values_exit_2_naming_the_option(tmp_path):
    assert run("course", "init", str(tmp_path / "c")).returncode == 0
    for option, value in (("--jobs", "0"), ("--jobs", "two"), ("--cell-timeout", "-5"),
                          ("--submission-timeout", "nan"), ("--memory-limit", "0"), ("--max-output", "0"),
                          ("--cpu-limit", "1.5")):
        proc = run("grade", str(tmp_path / "c"), "m01-what-is-action-learning", option, value)
        assert proc.returncode == 2, (option, value, proc.stderr)
        assert f"argument {option}: " in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_hub_grade_takes_jobs_and_refuses_bad_values(tmp_path):
    for value in ("0", "two"):
        proc = run("hub", "grade", str(tmp_path / "hub"), "m01-what-is-action-learning", "--jobs", value)
        assert proc.returncode == 2 and "argument --jobs: " in proc.stderr, proc.stderr
    helped = run("hub", "grade", "--help")
    assert "--jobs" in helped.stdout and "--all" in helped.stdout


def test_bad_simulate_runs_exits_2(tmp_path):
    proc = run("simulate", "x", "--runs", "0", "--out", str(tmp_path / "o.csv"))
    assert proc.returncode == 2 and "argument --runs: 0 is not a whole number of at least 1" in proc.stderr
