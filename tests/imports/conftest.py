import io
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parent.parent / "data"


class Run:
    """What an import command printed."""

    def __init__(self, stdout: str, stderr: str):
        self.stdout = stdout
        self.stderr = stderr


def run_import(command: str, path, **options) -> Run:
    """Run an import command; a failure raises CommandError as manage.py would exit non-zero."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, str(path), stdout=stdout, stderr=stderr, **options)
    return Run(stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def write_file(tmp_path):
    """write_file('x.csv', text, encoding='utf-8') → the path."""

    def write(name: str, content, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path

    return write
