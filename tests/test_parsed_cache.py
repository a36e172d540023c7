"""The parsed course kept between processes: read back only when it is the user's own and
everything it was made from is unchanged."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from alcourse.content.loader import data_dir
from alcourse.curriculum import load_curriculum
from alcourse.curriculum.parsed_cache import ParsedCache

ROOT = Path(__file__).resolve().parents[1]


def test_an_entry_is_read_back_only_from_a_private_folder(tmp_path: Path) -> None:
    cache = ParsedCache(tmp_path / "cache")
    key = cache.key(("content", 1))
    cache.write(key, ["parsed"])
    assert cache.read(key) == ["parsed"]
    (tmp_path / "cache").chmod(0o777)  # anyone could have put a pickle there
    assert cache.read(key) is None
    (tmp_path / "cache").chmod(0o700)
    (tmp_path / "cache" / f"{key}.pickle").chmod(0o666)
    assert cache.read(key) is None


def test_a_cut_off_entry_is_parsed_again_not_an_error(tmp_path: Path) -> None:
    cache = ParsedCache(tmp_path / "cache")
    key = cache.key(("content", 1))
    cache.write(key, {"a": list(range(1000))})
    path = tmp_path / "cache" / f"{key}.pickle"
    path.write_bytes(path.read_bytes()[:100])
    assert cache.read(key) is None


def test_the_key_changes_with_the_content_and_only_a_few_entries_are_kept(tmp_path: Path) -> None:
    cache = ParsedCache(tmp_path / "cache")
    keys = {cache.key(("content", n)) for n in range(12)}
    assert len(keys) == 12
    for key in keys:
        cache.write(key, key)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) <= 8
    assert not list((tmp_path / "cache").glob(".*.tmp"))


def _titles_in_new_process(content: Path, cache: Path) -> str:
    code = ("from pathlib import Path; from alcourse.curriculum import load_curriculum; "
            f"print(load_curriculum(Path({str(content)!r})).module('m03-traditional-vs-action-learning').title)")
    env = {**os.environ, "ALCOURSE_CACHE": str(cache)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout.strip()


def test_a_content_edit_is_seen_by_the_next_process(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(data_dir(), content)
    cache = tmp_path / "cache"
    title = load_curriculum().module("m03-traditional-vs-action-learning").title
    assert _titles_in_new_process(content, cache) == title
    assert list(cache.glob("*.pickle")), "the first process keeps what it parsed"
    module = content / "modules" / "m03-traditional-vs-action-learning.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace(f"title: {title}", "title: Edited title", 1),
                      encoding="utf-8")
    assert _titles_in_new_process(content, cache) == "Edited title"
