"""``python -m crawler.pages FILE`` prints the extraction as JSON for reviewing fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.pages.__main__ import main

FIXTURE = Path(__file__).parent / "fixtures" / "html" / "wp-twentyseventeen" / "library-consultation.html"
URL = "https://northfieldwatch.example/2025/09/01/library-consultation-closes/"


def test_rerun_prints_the_item(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(FIXTURE), "--url", URL]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "Post" and data["url"] == URL
    assert data["published"] == "2025-09-01T18:30:12+00:00"
    assert data["comments"][1]["parent_id"] == "comment-31"


def test_rerun_defaults_to_a_file_url_and_takes_a_content_type(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.html"
    html = "<html><body><article><h1>Café</h1><p>Ça va très bien, merci.</p></article></body></html>"
    page.write_bytes(html.encode("cp1252"))
    assert main([str(page), "--content-type", "text/html; charset=utf-8"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["url"].startswith("file://") and "Ça va très bien" in data["text"]


def test_module_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "-m", "crawler.pages", str(FIXTURE), "--url", URL],
                          capture_output=True, text=True, check=True, cwd=Path(__file__).parents[1])
    assert json.loads(done.stdout)["platform_id"] == "412"
