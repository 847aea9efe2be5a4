"""A throw-away PostgreSQL server on its own port, for runs that stop and restart it.

The reliability scripts restart the database in the middle of a load; they do it
on this private cluster, never on the machine's shared server.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time


class ThrowawayPostgres:
    def __init__(self, port: int = 55432):
        self.port = port
        self.bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.datadir = tempfile.mkdtemp(prefix="relance-pg-")
        shutil.chown(self.datadir, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{port}/relance"

    def _as_postgres(self, *args: str, check=True) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=check,
                              capture_output=True, text=True, cwd="/tmp")

    def pg_ctl(self, *args: str, check=True):
        return self._as_postgres(f"{self.bindir}/pg_ctl", "-D", self.datadir, "-w", *args, check=check)

    def start(self) -> None:
        self._as_postgres(f"{self.bindir}/initdb", "-D", self.datadir, "-A", "trust", "-U", "postgres")
        self.pg_ctl("-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "-l",
                    f"{self.datadir}/log", "start")
        self._as_postgres(f"{self.bindir}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "relance")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop", check=False)

    def restart_after(self, seconds_down: float) -> tuple[float, float]:
        """Stop (cutting every connection), stay down, start again; returns (down at, up at)."""
        down = time.monotonic()
        self.pg_ctl("-m", "fast", "stop")
        time.sleep(seconds_down)
        self.pg_ctl("-o", f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1", "-l",
                    f"{self.datadir}/log", "start")
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
