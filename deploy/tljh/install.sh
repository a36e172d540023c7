#!/bin/bash
# Install alcourse into The Littlest JupyterHub (TLJH) and run one cohort on it.
# UNTESTED here (TLJH needs a whole machine with systemd); see deploy/README.md.
#   sudo deploy/tljh/install.sh COHORT trainers.csv trainees.csv
set -euo pipefail
cohort=$1; trainers=$2; trainees=$3
repo=$(cd "$(dirname "$0")/../.." && pwd)
user_env=/opt/tljh/user          # TLJH's environment for everyone's servers
hub_dir=/srv/alcourse/$cohort
# 1. alcourse and its pinned dependencies into the users' environment (from PyPI)
"$user_env/bin/pip" install -r "$repo/requirements.txt"
"$user_env/bin/pip" install --no-deps "$repo"
# 2. the cohort: Unix accounts, private exchange, grader's course folder, Jupyter config
"$user_env/bin/alcourse" hub init "$hub_dir" --cohort "$cohort" --trainers "$trainers" --trainees "$trainees"
# 3. TLJH reads extra hub configuration from jupyterhub_config.d: take the cohort's groups,
#    roles and grader service from the hub folder, keep TLJH's own spawner and login
mkdir -p /opt/tljh/config/jupyterhub_config.d
sed "s#@HUB_DIR@#$hub_dir#" "$repo/deploy/tljh/alcourse_tljh.py" \
    > "/opt/tljh/config/jupyterhub_config.d/alcourse-$cohort.py"
tljh-config reload hub
