"""Production servers for tests: gunicorn with the real settings on a free loopback port.

    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    manage(env, "migrate")
    with gunicorn(env, workers=3) as server:
        browser = Browser(server.base_url)
        status, headers, body = browser.post("/login/", {"username": "luc", "password": "x"})

Each request opens a new connection (urllib sends `Connection: close`), so requests
spread over the workers as a load balancer's would. `server.access_log()` tells which
worker (pid) answered each request.
"""

import contextlib
import functools
import http.cookiejar
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The access log line: worker pid, request line, status.
ACCESS_LOG_FORMAT = '%(p)s "%(r)s" %(s)s'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(static_root: Path, **overrides: str) -> dict[str, str]:
    """This process's environment with production settings on plain http.

    Whatever DJANGO_*, DATABASE_URL or REDIS_URL the test run has is dropped: pass
    DATABASE_URL / REDIS_URL in `overrides` to use them (default: db.sqlite3, no Redis).
    """
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DJANGO_SECRET_KEY": "smoke-test-secret-key-" + "s" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "off",  # plain http on loopback; production sits behind TLS
        "DJANGO_STATIC_ROOT": str(static_root),
    })
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Run `manage.py <args>` with this environment; its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
        check=True, capture_output=True, text=True,
    )
    return result.stdout


def collect_static(env: dict[str, str]) -> None:
    """Production pages link hashed files: the manifest must exist before a page renders."""
    manage(env, "collectstatic", "--no-input", "-v", "0")


@functools.cache
def shared_static_root() -> Path:
    """Static files collected once for the whole test run (it takes seconds): pass it to
    `production_env()` when the test does not look at the static files themselves."""
    root = Path(tempfile.mkdtemp(prefix="relance-static-"))
    collect_static(production_env(root))
    return root


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_dir: Path
    _log_dir_handle: tempfile.TemporaryDirectory = field(repr=False)

    def access_log(self, *, at_least: int = 0, containing: str = "", timeout: float = 30.0) -> list[str]:
        """One line per answered request: '<pid> "GET /path HTTP/1.1" status'.

        A worker writes its line just after sending the answer: pass `at_least` to wait
        (up to `timeout` seconds: a loaded machine can take seconds) for the lines of the
        requests already answered; with `containing`, only the lines holding that text are
        returned and counted (the start-up GETs vary in number).
        """
        path = self.log_dir / "access.log"
        deadline = time.monotonic() + timeout
        while True:
            lines = path.read_text().splitlines() if path.exists() else []
            lines = [line for line in lines if containing in line]
            if len(lines) >= at_least or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def error_log(self) -> str:
        path = self.log_dir / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log_dir_handle.cleanup()


def start_gunicorn(
    env: dict[str, str],
    *,
    workers: int = 2,
    threads: int = 1,
    port: int | None = None,
    wait_path: str = "/login/",
    timeout: float = 60.0,
    extra_args: tuple[str, ...] = (),
) -> Server:
    """Start gunicorn on 127.0.0.1 and return once `wait_path` answers (any HTTP status).

    Raises RuntimeError with gunicorn's error log if it exits or does not answer in time.
    Call `stop()` (or use `gunicorn()`, which does).
    """
    port = port or free_port()
    log_dir_handle = tempfile.TemporaryDirectory(prefix="relance-gunicorn-")
    log_dir = Path(log_dir_handle.name)
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"), "crm.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--access-logfile", str(log_dir / "access.log"),
            "--access-logformat", ACCESS_LOG_FORMAT,
            "--error-logfile", str(log_dir / "error.log"),
            *extra_args,
        ],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log_dir, log_dir_handle)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log = server.error_log()
            server.stop()
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{log}")
        try:
            fetch(server.base_url + wait_path)
            return server
        except OSError:
            if time.monotonic() > deadline:
                log = server.error_log()
                server.stop()
                raise RuntimeError(f"gunicorn did not answer on {wait_path} in {timeout} s:\n{log}") from None
            time.sleep(0.1)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], **options) -> Iterator[Server]:
    """`start_gunicorn(env, **options)`, stopped on leaving the block."""
    server = start_gunicorn(env, **options)
    try:
        yield server
    finally:
        server.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 3xx back to the caller


def _open(opener, request, timeout):
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:  # 4xx/5xx are answers too
        with error:
            return error.code, dict(error.headers), error.read()


def fetch(url: str, *, language: str = "fr", timeout: float = 10):
    """GET without cookies: (status, headers, body bytes); redirects are not followed."""
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    return _open(urllib.request.build_opener(_NoRedirect), request, timeout)


class Browser:
    """A visitor with cookies and a CSRF token, one new connection per request.

    Posts carry the CSRF cookie's secret as the form token, which Django accepts,
    so no page needs to be read first. Redirects are not followed.
    """

    def __init__(self, base_url: str, *, language: str = "fr"):
        self.base_url = base_url
        self.language = language
        self.jar = http.cookiejar.CookieJar()
        self.csrf_secret = secrets.token_hex(16)  # 32 characters, a valid CSRF secret
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, "csrftoken", self.csrf_secret, None, False, "127.0.0.1", False, False,
            "/", True, False, None, True, None, None, {},
        ))
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.headers = {"Accept-Language": language}

    def get(self, path: str, *, timeout: float = 10):
        request = urllib.request.Request(self.base_url + path, headers=self.headers)
        return _open(self.opener, request, timeout)

    def post(self, path: str, data: dict[str, str], *, timeout: float = 10):
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf_secret, **data}).encode()
        request = urllib.request.Request(self.base_url + path, data=body, headers=self.headers, method="POST")
        return _open(self.opener, request, timeout)

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)


def kill_worker_during(env: dict[str, str], progress_dir: Path, database: Path, job_id: str, reached) -> dict:
    """Start a real `db_worker`, wait (up to 2 minutes) until the job's progress satisfies `reached`
    (a function of the progress dict), then SIGKILL the worker; the progress it had reached."""
    import signal

    from django.core.cache.backends.filebased import FileBasedCache

    progress = FileBasedCache(str(progress_dir), {})
    key = f"relance-job:{database}:{job_id}:progress"
    worker = subprocess.Popen([sys.executable, "manage.py", "db_worker", "--no-reload", "-v", "0"], cwd=BASE_DIR,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline, seen = time.monotonic() + 120, {}
        while time.monotonic() < deadline:
            seen = progress.get(key) or {}
            if reached(seen):
                break
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
    return seen


def manage_shell(env: dict[str, str], code: str) -> str:
    """What `manage.py shell -c code` printed, stripped."""
    return manage(env, "shell", "-c", code).strip()
