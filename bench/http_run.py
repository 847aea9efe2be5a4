"""make bench-http: the app under gunicorn on a loopback port, loaded by wrk with a rep's session.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relance_bench_l .venv/bin/python -m bench.http_run --scale L

Production settings (crm.settings through bench.settings, which adds the floor page;
DEBUG off) with DJANGO_HTTPS=off (plain
http on 127.0.0.1), ALLOWED_HOSTS=127.0.0.1, a throw-away secret key and
collectstatic into a temporary DJANGO_STATIC_ROOT; 2 sync workers. Each page
gets --seconds of load from --connections clients (wrk, installed from Debian
when missing). Only 127.0.0.1 is ever contacted; every loop is bounded in time.
"""

import argparse
import datetime
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
FLOOR_URL = "/bench-floor/"  # bench/floor.py (this script runs outside Django: the path, not the module)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    """The wrk binary; installs Debian's package when it is missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: apt-get install wrk …", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk could not be installed (apt-get install wrk).")
    return found


def production_env(static_root: str) -> dict:
    """The production settings (DEBUG off) through the bench's, which add the floor page (bench/floor.py)."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_PRODUCTION": "on",
        "BENCH_FLOOR_FILE": os.path.join(static_root, "bench-floor.html"),
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(32),
        "DJANGO_HTTPS": "off",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": static_root,
        "DJANGO_LOG_LEVEL": "ERROR",
    })
    return env


def prepare(env: dict) -> dict:
    """collectstatic, then (in a child process with the same settings) the rep's session and the pages' URLs."""
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "from django.contrib.auth import get_user_model\n"
        "from bench.runner import biggest_contact, ordinary_contact\n"
        "from bench import floor\n"
        "from django.urls import reverse\n"
        "client = Client(HTTP_HOST='127.0.0.1', HTTP_ACCEPT_LANGUAGE='fr')\n"
        "client.force_login(get_user_model().objects.get(username='bench-rep'))\n"
        "pages = {'contact_file_ordinary': ordinary_contact().get_absolute_url(),\n"
        "         'contact_file_biggest': biggest_contact().get_absolute_url(),\n"
        "         'calendar_month_mine': reverse('calendar:month')}\n"
        "if settings.PROSPECTION_ENABLED: pages['dashboard'] = reverse('prospection:dashboard')\n"
        "floor.capture(client, pages['contact_file_ordinary'])\n"
        "print(json.dumps({'cookie': f\"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}\","
        " 'pages': pages}))\n"
    )
    out = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped at start-up.")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"gunicorn did not answer on {url} within {seconds:.0f} s.")


def check_page(url: str, cookie: str) -> int:
    """One request as the rep: the status (a redirect to the sign-in page would mean a bad session)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Language": "fr"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(wrk: str, url: str, cookie: str, *, seconds: int, connections: int, threads: int) -> dict:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
               "-s", str(ROOT / "bench" / "wrk.lua"), url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                         env={**os.environ, "BENCH_COOKIE": cookie})
    line = next((line for line in out.stdout.splitlines() if line.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = data["duration_us"] / 1e6
    errors = data["non2xx"] + data["connect_errors"] + data["read_errors"] + data["write_errors"] + data["timeouts"]
    return {
        "requests": data["requests"],
        "requests_per_second": round(data["requests"] / seconds_run, 1) if seconds_run else 0,
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p90_ms": round(data["p90_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "non2xx": data["non2xx"],
        "errors": errors,
        "raw": data,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="?", help="The scale seed_bench loaded (labels the report).")
    parser.add_argument("--seconds", type=int, default=20, help="Load time per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument("--only", action="append", default=[], help="Only pages whose name contains this.")
    options = parser.parse_args()

    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="relance-bench-static-") as static_root:
        env = production_env(static_root)
        prepared = prepare(env)
        pages = {name: path for name, path in prepared["pages"].items()
                 if not options.only or any(word in name for word in options.only)}
        port = free_port()
        base = f"http://{HOST}:{port}"
        server = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn")), "crm.wsgi", "--bind", f"{HOST}:{port}",
             "--workers", str(options.workers), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env,
            # The app's one line per request (crm/request_log.py) is written, as in production, but to a file.
            stderr=open(os.path.join(static_root, "gunicorn.log"), "w"),  # noqa: SIM115 — closed with the folder
        )
        results = []
        try:
            wait_until_up(base + "/login/", server)
            for name, path in pages.items():
                # The floor page (bench/floor.py) right before each page: the page's share of it is
                # read on the same machine at the same moment.
                for label, url in ((f"floor (before {name})", FLOOR_URL), (name, path)):
                    status = check_page(base + url, prepared["cookie"])
                    if status != 200:
                        raise SystemExit(f"{label}: {base + url} answered {status} to the rep before the load.")
                    figures = run_wrk(wrk, base + url, prepared["cookie"], seconds=options.seconds,
                                      connections=options.connections, threads=options.threads)
                    if url == FLOOR_URL:
                        floor_rps = figures["requests_per_second"]
                    else:
                        figures["floor_requests_per_second"] = floor_rps
                        figures["share_of_floor"] = round(figures["requests_per_second"] / floor_rps, 2) if floor_rps else 0
                    results.append({"name": label, "url": url, **figures})
                    share = f"  {figures['share_of_floor']:.0%} of the floor" if url != FLOOR_URL else ""
                    print(f"{label:<34} {figures['requests_per_second']:>8.1f} req/s  p50 {figures['p50_ms']:>7.1f} ms  "
                          f"p99 {figures['p99_ms']:>7.1f} ms  errors {figures['errors']}{share}", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

    from bench.host import machine

    results_dir = ROOT / "bench" / "results"

    report = {
        "meta": {
            "kind": "http", "scale": options.scale,
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3").split(":", 1)[0],
            "settings": "bench.settings on crm.settings (DEBUG off, DJANGO_HTTPS=off, loopback)",
            "gunicorn_workers": options.workers, "connections": options.connections,
            "wrk_threads": options.threads, "seconds_per_page": options.seconds, "machine": machine(),
        },
        "results": results,
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = results_dir / f"http-{options.scale}-{report['meta']['database']}-{stamp}.json"
    path.write_text(json.dumps(report, indent=1))
    print(f"\nHTTP, scale {options.scale}, {report['meta']['database']}, gunicorn {options.workers} workers, "
          f"{options.connections} connections, {options.seconds} s per page — written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
