"""`make run` on a fresh machine: a one-line message naming what is missing, and PORT followed."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="GNU make is not installed")


@pytest.fixture
def checkout(tmp_path):
    """The files make reads, in a scratch folder (nothing installed there)."""
    for name in ["Makefile", "package.json", "package-lock.json", "requirements.txt", "requirements-dev.txt"]:
        shutil.copy(BASE_DIR / name, tmp_path / name)
    shutil.copytree(BASE_DIR / "bin", tmp_path / "bin")
    return tmp_path


def make(checkout, *targets, path):
    return subprocess.run([MAKE, "--no-print-directory", *targets], cwd=checkout, capture_output=True,
                          text=True, timeout=60, env={"PATH": path, "HOME": str(checkout)})


def test_missing_npm_is_named_in_one_line(checkout, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty-bin")
    result = make(checkout, "node_modules/.installed", path=str(empty))
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == "npm not found: install Node.js and npm (apt-get install npm)."


def test_missing_python_is_named_in_one_line(checkout, tmp_path_factory):
    # The shell tools the script needs, and no Python (HOME has no ~/.pyenv either).
    tools = tmp_path_factory.mktemp("no-python-bin")
    for tool in ["bash", "env", "ls", "sort"]:
        (tools / tool).symlink_to(shutil.which(tool))
    result = make(checkout, ".venv/.installed", path=str(tools))
    assert result.returncode != 0
    assert result.stderr.splitlines()[0].startswith("No Python 3.12 or newer")
    assert "apt-get install python3" in result.stderr.splitlines()[0]


def test_run_serves_on_port_and_links_follow(checkout):
    result = make(checkout, "-n", "run", "PORT=8100", path="/usr/bin:/bin")
    assert result.returncode == 0, result.stderr
    runserver = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert runserver and runserver[0].endswith("runserver 127.0.0.1:8100")
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8100}" in runserver[0]


def test_demo_data_names_the_site_url(db, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.SITE_URL = "http://127.0.0.1:8100"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Connectez-vous à http://127.0.0.1:8100 avec :" in out.getvalue()
