"""Production path smoke test: gunicorn + whitenoise on a loopback port."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str):
    request = urllib.request.Request(url, headers={"Accept-Language": "fr"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("static")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DJANGO_SECRET_KEY": "smoke-test-secret-key-" + "s" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "off",  # plain http on loopback; production sits behind TLS
        "DJANGO_STATIC_ROOT": str(static_root),
    })
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                   cwd=BASE_DIR, env=env, check=True)
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "crm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(base + "/login/")
            break
        except OSError:
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_gunicorn_serves_the_login_page(server):
    status, headers, body = fetch(server + "/login/")
    assert status == 200
    assert "Connexion à Relance" in body.decode()
    assert "Content-Security-Policy" in headers


def test_whitenoise_serves_hashed_static_files(server):
    _status, _headers, body = fetch(server + "/login/")
    css = re.search(r'href="(/static/css/relance\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the page links a hashed stylesheet"
    status, headers, content = fetch(server + css.group(1))
    assert status == 200 and b"--relance-blue" in content
    assert "max-age=315360000" in headers.get("Cache-Control", "")
