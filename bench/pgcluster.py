"""A throw-away PostgreSQL server on its own port, for runs that stop and restart it.

The reliability scripts restart the database in the middle of a load; they do it
on this private cluster, never on the machine's shared server.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = str(ROOT / "bin" / "throwaway-postgres")  # the same cluster as .ci/run makes when it needs one


class ThrowawayPostgres:
    def __init__(self, port: int = 55432):
        self.port = port
        self.datadir = tempfile.mkdtemp(prefix="relance-pg-")
        self.url = f"postgres://postgres@127.0.0.1:{port}/relance"

    def _script(self, command: str, check=True) -> subprocess.CompletedProcess:
        return subprocess.run([SCRIPT, command, self.datadir, str(self.port)], check=check,
                              capture_output=True, text=True)

    def start(self) -> None:
        self._script("init")

    def stop(self) -> None:
        self._script("stop", check=False)

    def restart_after(self, seconds_down: float) -> tuple[float, float]:
        """Stop (cutting every connection), stay down, start again; returns (down at, up at)."""
        down = time.monotonic()
        self._script("stop")
        time.sleep(seconds_down)
        self._script("start")
        return down, time.monotonic()

    def psql(self, sql: str) -> str:
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", "relance",
                               "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.datadir, ignore_errors=True)


def app_env(database_url: str, static_root: str) -> dict:
    """Production settings over plain loopback http."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CRM_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DJANGO_SECRET_KEY": "reliability-run-" + "r" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "off",
        "DJANGO_STATIC_ROOT": static_root,
        "DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "CRITICAL",
    })
    return env
