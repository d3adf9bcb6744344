"""``civic-archive demo``, the main job, runs the real pipeline and reports from the archive."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def test_demo_runs_the_whole_pipeline(tmp_path):
    keep = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--keep", str(keep)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "civic-archive demo report" in out
    assert "60 posts" in out
    assert "4 repeated stories, 2 posts reusing" in out
    records = [json.loads(line) for line in (keep / "posts.jsonl").read_text().splitlines()]
    assert len(records) == 56  # 60 posts, 4 of them repeats of another story
    status = subprocess.run([sys.executable, "-m", "crawler.cli", "--db", str(keep / "archive.db"),
                             "status", "--json"], capture_output=True, text=True, timeout=60)
    assert json.loads(status.stdout)["posts"] == 60


def test_demo_without_keep_leaves_nothing_behind(tmp_path):
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--posts", "20"],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path,
                            env={**__import__("os").environ, "TMPDIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "--keep" in result.stdout
    assert list(tmp_path.iterdir()) == []
