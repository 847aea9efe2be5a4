"""Production path smoke test: gunicorn + whitenoise on a loopback port."""

import re

import pytest

from tests.servers import fetch, gunicorn, production_env, shared_static_root


@pytest.fixture(scope="module")
def server():
    with gunicorn(production_env(shared_static_root()), workers=2) as running:
        yield running.base_url


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
