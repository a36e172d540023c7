"""The cohort's people and the hub's rendered configuration (no hub, no root needed)."""

from __future__ import annotations

import ast
import importlib
import json

import pytest

from alcourse.errors import UserError
from alcourse.hub.config import hub_config, role_files
from alcourse.hub.exchange import factory_config
from alcourse.hub.roster import Roster, read_people
from alcourse.located import LocatedError
from alcourse.profile import RUN_ON_OPEN


def csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "where"), [
    ("user,name\nasha,Asha\n", ":1: header: the first row must be: username,name"),
    ("username,name\nasha,Asha\nAsha P,Asha\n", ":3: username: 'Asha P' is not a Unix user name"),
    ("username,name\nasha,\n", ":2: name: is empty"),
    ("username,name\nasha,Asha,Patel\n", ":2: row: has 3 fields"),
    ("username,name\nasha,Asha\nasha,Asha again\n", ":3: username: 'asha' is already on line 2"),
    ("username,name\nroot,Root\n", ":2: username: 'root' is reserved"),
    ("username,name\ngrader-x,G\n", ":2: username: 'grader-x' is reserved"),
])
def test_bad_rows_are_named_by_file_line_and_field(tmp_path, text, where):
    path = csv(tmp_path, "people.csv", text)
    with pytest.raises(LocatedError) as err:
        read_people(path)
    assert str(err.value).startswith(f"{path}{where}")


def test_a_good_roster_and_its_rules(tmp_path):
    trainers = csv(tmp_path, "trainers.csv", "username,name\ntess,Tess Trainer\n")
    trainees = csv(tmp_path, "trainees.csv", '\ufeffusername,name\nasha,"Patel, Asha"\n\nben,Ben Okafor\n')
    roster = Roster.read("nhs-2027", trainers, trainees)
    assert [p.username for p in roster.trainees] == ["asha", "ben"]
    assert roster.trainees[0].name == "Patel, Asha" and roster.grader == "grader-nhs-2027"
    both = csv(tmp_path, "both.csv", "username,name\nben,Ben\ntess,Tess\n")
    with pytest.raises(LocatedError, match=r"both.csv:3: username: 'tess' is also a trainer"):
        Roster.read("nhs-2027", trainers, both)
    with pytest.raises(UserError, match="--cohort: 'NHS 2027' is not a cohort name"):
        Roster.read("NHS 2027", trainers, trainees)


def test_trainees_get_the_assignments_tab_and_no_instructor_tool(tmp_path):
    files = {role: role_files(role, "nhs-2027", tmp_path / "exchange") for role in ("trainee", "grader")}
    trainee = json.loads(files["trainee"]["jupyter_server_config.json"])["ServerApp"]["jpserver_extensions"]
    assert trainee["nbgrader.server_extensions.assignment_list"] is True
    assert trainee["nbgrader.server_extensions.formgrader"] is False
    assert trainee["nbgrader.server_extensions.course_list"] is False
    page = json.loads(files["trainee"]["labconfig/page_config.json"])
    disabled = {name for name, off in page["disabledExtensions"].items() if off}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:course-list", "@jupyterlab/terminal-extension"} <= disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    # the trainee profile: modules run when they open; no server part a trainee never uses
    assert page[RUN_ON_OPEN] is True
    assert trainee["voila.server_extension"] is False and trainee["jupyter_lsp"] is False
    grader = json.loads(files["grader"]["jupyter_server_config.json"])["ServerApp"]["jpserver_extensions"]
    assert grader["nbgrader.server_extensions.formgrader"] is True
    # a trainer's or the grader's JupyterLab never runs a trainee's copy by opening it
    for role in ("trainer", "grader"):
        other = json.loads(role_files(role, "nhs-2027", tmp_path)["labconfig/page_config.json"])
        assert RUN_ON_OPEN not in other
    assert "c.Exchange.path_includes_course = True" in files["trainee"]["nbgrader_config.py"]


def test_rendered_hub_config_is_python_and_names_real_exchange_classes(tmp_path):
    ast.parse(hub_config(tmp_path, "nhs-2027"))
    for dotted in factory_config().values():
        module, _, name = dotted.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), name), type)
    for role in ("trainee", "trainer", "grader"):
        ast.parse(role_files(role, "nhs-2027", tmp_path)["nbgrader_config.py"])
