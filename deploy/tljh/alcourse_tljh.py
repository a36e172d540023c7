# TLJH extra configuration (jupyterhub_config.d) for one alcourse cohort. UNTESTED here.
# Takes the groups, roles and the grader service from the hub folder made by
# `alcourse hub init`; TLJH keeps its own authenticator and spawner. TLJH names Unix
# accounts `jupyter-NAME`: nbgrader files work under that name, so the cohort's
# trainee usernames in cohort.json must be written as they log in (NAME), and the
# gradebook ids as jupyter-NAME (set `c.Authenticator.username_map` if you prefer).
import json
from pathlib import Path

c = get_config()  # noqa: F821
hub_dir = Path("@HUB_DIR@")
cohort = json.loads((hub_dir / "cohort.json").read_text())
name = cohort["cohort"]
trainers = [p["username"] for p in cohort["trainers"]]
c.JupyterHub.load_groups = {f"formgrade-{name}": {"users": [*trainers, cohort["grader"]]},
                            f"nbgrader-{name}": {"users": [p["username"] for p in cohort["trainees"]]}}
c.JupyterHub.load_roles = [
    {"name": f"formgrade-{name}", "groups": [f"formgrade-{name}"],
     "scopes": [f"access:services!service={name}", "list:services", f"read:services!service={name}"]},
    {"name": f"nbgrader-{name}", "groups": [f"nbgrader-{name}"],
     "scopes": ["list:services", f"read:services!service={name}"]},
]
c.Spawner.environment = {"JUPYTER_CONFIG_PATH": lambda s: str(
    hub_dir / "etc" / ("trainer" if s.user.name in trainers else "trainee"))}
c.JupyterHub.services = [{
    "name": name, "url": "http://127.0.0.1:10101", "oauth_no_confirm": True,
    "command": ["/opt/tljh/user/bin/jupyterhub-singleuser", f"--ServerApp.root_dir={hub_dir / 'course'}"],
    "user": cohort["grader"], "cwd": str(hub_dir / "course"),
    "environment": {"JUPYTER_CONFIG_PATH": str(hub_dir / "etc" / "grader"),
                    "JUPYTERHUB_DEFAULT_URL": "/formgrader"},
}]
