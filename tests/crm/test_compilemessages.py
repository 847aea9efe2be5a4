"""`make run` on a machine without GNU gettext: the catalogue is compiled with Babel."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def lookup(mo: Path, message: str) -> str:
    import gettext

    with mo.open("rb") as source:
        return gettext.GNUTranslations(source).gettext(message)


@pytest.fixture
def project_copy(tmp_path):
    """The project's code linked and its French catalogue copied, without any .mo file.

    crm/ and manage.py are copied, not linked: settings find the catalogue next to their real path."""
    # Every app beside crm (each holds templates and strings), found rather than listed.
    apps = sorted(path.parent.name for path in BASE_DIR.glob("*/apps.py") if path.parent.name not in {"crm", "bench"})
    for name in [*apps, "templates"]:
        (tmp_path / name).symlink_to(BASE_DIR / name)
    shutil.copytree(BASE_DIR / "crm", tmp_path / "crm", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(BASE_DIR / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(BASE_DIR / "locale/fr/LC_MESSAGES/django.po", tmp_path / "locale/fr/LC_MESSAGES/django.po")
    return tmp_path


def test_compilemessages_works_without_msgfmt(project_copy, tmp_path_factory):
    # An empty PATH: no msgfmt anywhere on it.
    bare_bin = tmp_path_factory.mktemp("bin")
    env = {"PATH": str(bare_bin), "DJANGO_DEBUG": "on", "HOME": os.environ.get("HOME", "/root")}
    result = subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "-v", "1"],
        cwd=project_copy, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "with Babel" in result.stdout
    mo = project_copy / "locale/fr/LC_MESSAGES/django.mo"
    # The same translations as the committed catalogue says.
    assert lookup(mo, "Contacts") == "Contacts"
    assert lookup(mo, "French") == "Français"
    assert lookup(mo, "Your preferences were saved.") != "Your preferences were saved."
