"""The French catalogue is complete: every marked string has a translation, none fuzzy.

The test extracts the strings afresh (makemessages into a scratch copy of the
catalogue), so a string marked in code but never added to the catalogue fails too.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
# Where translatable strings live (the tests and the benchmark have none).
SOURCES = ["crm", "contacts", "notes", "prospection", "templates"]


def statistics(po: Path) -> str:
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_committed_catalogue_compiles_and_is_complete():
    stats = statistics(PO)
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_every_marked_string_is_in_the_catalogue(tmp_path, monkeypatch):
    # makemessages writes next to the nearest "locale" folder: run it in a
    # scratch project (the code linked, the catalogue copied) so that the real
    # catalogue is never touched.
    base = Path(settings.BASE_DIR)
    project = tmp_path / "project"
    project.mkdir()
    for name in SOURCES:
        (project / name).symlink_to(base / name)
    shutil.copytree(base / "locale", project / "locale")
    monkeypatch.chdir(project)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "LOCALE_PATHS", [project / "locale"])
        call_command("makemessages", locale=["fr"], symlinks=True, verbosity=0, no_obsolete=True)
    stats = statistics(project / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats.strip()} — run makemessages -l fr, translate, then compilemessages")
