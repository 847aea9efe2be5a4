"""Two gunicorn app servers (production settings) sharing one database and one real Redis,
as behind a load balancer: what one server knows, the other knows too.

- A session opened on A is valid on B (sessions live in the database).
- The dashboard's figures and its chart agree on A and B, before and after a change
  made through A, and they are really cached in the shared Redis.
- Five failed sign-ins on A refuse the right password on B.
- Redis stalled, then stopped under them: every page still answers, on both, without a
  500 and without waiting; between the two, once resumed, Redis is used again.

Redis: the machine's own on 127.0.0.1:6379 when it answers (database 15, flushed
before and after, one run at a time: SHARED_REDIS_LOCK), else a redis-server this
test starts. The stop test always starts
its own so that it can stop it. The database is one this module creates: a SQLite
file, or a PostgreSQL database next to DATABASE_URL's when that is PostgreSQL.
"""

import contextlib
import copy
import fcntl
import html
import json
import os
import re
import shutil
import signal
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

from crm.cache import RETRY_AFTER_SECONDS
from crm.formatting import format_money
from tests.servers import Browser, free_port, manage, production_env, shared_static_root, start_gunicorn

REDIS_SERVER = shutil.which("redis-server")
SHARED_REDIS = "redis://127.0.0.1:6379/15"
SHARED_REDIS_LOCK = "/tmp/relance-test-redis-15.lock"
PASSWORD = "secret-password-1"
PROSPECTION = settings.PROSPECTION_ENABLED
prospection_only = pytest.mark.skipif(not PROSPECTION, reason="prospection module is off (CRM_PROSPECTION=off)")

SETUP = """
import json
from decimal import Decimal
from django.conf import settings
from django.contrib.auth.models import Group, User

reps = Group.objects.get(name="Sales reps")
for name in ("luc", "victim"):
    User.objects.create_user(name, password=%(password)r, first_name=name.title()).groups.add(reps)
made = {}
if settings.PROSPECTION_ENABLED:
    from contacts.models import Contact
    from prospection.models import Category, Opportunity, Product, Stage

    luc = User.objects.get(username="luc")
    contact = Contact.objects.create(name="Boulangerie Tremblay", status=Contact.Status.PROSPECT)
    made = {
        "contact": contact.pk,
        "product": Product.objects.order_by("order").first().pk,
        "stage": Stage.objects.filter(outcome="open", is_active=True).order_by("order").first().pk,
        "category": Category.objects.order_by("order").first().pk,
    }
    for value, percent in (("1000.00", 50), ("3000.00", 90)):
        Opportunity.objects.create(
            contact=contact, subject="Site " + value, value=Decimal(value), purchase_costs=Decimal("0"),
            success_percent=percent, product_id=made["product"], stage_id=made["stage"],
            category_id=made["category"], representative=luc, created_by=luc,
        )
print(json.dumps(made))
""" % {"password": PASSWORD}


# --- Redis -------------------------------------------------------------------------

class PrivateRedis:
    """Debian's redis-server on a free loopback port, nothing written to disk."""

    def __init__(self, workdir: Path):
        if REDIS_SERVER is None:
            pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        for _ in range(100):
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def machine_redis_answers() -> bool:
    try:
        return redis.Redis.from_url(SHARED_REDIS, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def shared_redis(tmp_path_factory):
    """The URL of a real Redis the two servers share, empty."""
    with open(SHARED_REDIS_LOCK, "a") as lock:
        # Another run of this test on the machine holds database 15: use a private Redis.
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            machine = machine_redis_answers()
        except BlockingIOError:
            machine = False
        if machine:
            client = redis.Redis.from_url(SHARED_REDIS)
            client.flushdb()
            yield SHARED_REDIS
            client.flushdb()
            client.close()
        else:
            server = PrivateRedis(tmp_path_factory.mktemp("redis"))
            yield server.url
            server.stop()


# --- The database and the servers ------------------------------------------------

@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A DATABASE_URL for a database this module creates, migrates, fills and drops."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = "test_%s_servers" % (parts.path.lstrip("/") or "relance")
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        yield urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'db.sqlite3'}"


@pytest.fixture(scope="module")
def site(database):
    """The production environment (no Redis yet) and what the setup created (pks)."""
    env = production_env(shared_static_root(), DATABASE_URL=database)
    manage(env, "migrate", "--no-input", "-v", "0")
    made = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
    return env, made


@contextlib.contextmanager
def two_servers(env, redis_url):
    """Servers A and B: two gunicorn processes with the same settings, database and Redis."""
    env = {**env, "REDIS_URL": redis_url}
    options = {"workers": 1, "threads": 2, "extra_args": ("--capture-output",)}  # Django's log in error_log()
    a = start_gunicorn(env, **options)
    try:
        b = start_gunicorn(env, **options)
        try:
            yield a, b
        finally:
            b.stop()
    finally:
        a.stop()


@pytest.fixture(scope="module")
def servers(site, shared_redis):
    env, _made = site
    with two_servers(env, shared_redis) as pair:
        yield pair


# --- What a visitor does --------------------------------------------------------

def signed_in(server, username="luc") -> Browser:
    browser = Browser(server.base_url)
    status, headers, _body = browser.post("/login/", {"username": username, "password": PASSWORD})
    assert status == 302 and headers["Location"] == "/", f"sign-in as {username} answered {status}"
    browser.csrf_secret = browser.cookie("csrftoken")  # signing in rotates the CSRF secret
    return browser


def on(browser: Browser, server) -> Browser:
    """The same visitor (same cookies) talking to another server."""
    other = copy.copy(browser)
    other.base_url = server.base_url
    return other


def get(browser: Browser, path: str) -> bytes:
    status, _headers, body = browser.get(path)
    assert status == 200, f"{browser.base_url}{path} answered {status}"
    return body


def shown_total(browser: Browser) -> str:
    page = get(browser, "/prospection/").decode()
    return html.unescape(re.search(r'data-testid="sum-total">([^<]*)<', page).group(1)).strip()


def money(amount: str) -> str:
    return format_money(Decimal(amount), language="fr")


def chart_texts(browser: Browser) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", get(browser, "/prospection/chart.svg").decode())


def cached_keys(redis_url: str, kind: str) -> list[bytes]:
    client = redis.Redis.from_url(redis_url)
    try:
        return client.keys(f"*prospection:{kind}:*")
    finally:
        client.close()


def add_opportunity(browser: Browser, made: dict, *, value: str, percent: int) -> None:
    status, _headers, body = browser.post(f"/prospection/contacts/{made['contact']}/new/", {
        "subject": "Livraison", "product": made["product"], "stage": made["stage"],
        "category": made["category"], "value": value, "purchase_costs": "0",
        "success_percent": str(percent), "representative": "", "contact_person": "",
        "expected_close_date": "",
    })
    assert status == 302, f"the new opportunity was refused ({status}): {body[:2000]!r}"


# --- The checks -------------------------------------------------------------------

def test_a_session_opened_on_one_server_is_valid_on_the_other(servers):
    a, b = servers
    browser = signed_in(a)
    assert "Luc" in get(on(browser, b), "/").decode()


@prospection_only
def test_figures_and_chart_agree_across_servers_before_and_after_a_change(servers, site, shared_redis):
    a, b = servers
    _env, made = site
    on_a = signed_in(a)
    on_b = on(on_a, b)
    assert shown_total(on_a) == shown_total(on_b) == money("3200.00")  # 500 + 2 700
    before = chart_texts(on_a)
    assert chart_texts(on_b) == before
    assert cached_keys(shared_redis, "figures") and cached_keys(shared_redis, "band-chart")

    add_opportunity(on_a, made, value="2000", percent=10)  # +200 in the 0–20 % band

    assert shown_total(on_b) == shown_total(on_a) == money("3400.00")
    after = chart_texts(on_b)
    assert after == chart_texts(on_a) and after != before


def test_redis_stalled_then_stopped_under_both_servers_degrades_without_a_500(site, tmp_path):
    env, made = site
    private = PrivateRedis(tmp_path)
    try:
        with two_servers(env, private.url) as (a, b):
            on_a = signed_in(a)
            on_b = on(on_a, b)
            pages = ["/", "/contacts/"] + (["/prospection/", "/prospection/chart.svg"] if PROSPECTION else [])

            def every_page_answers(within: float):
                for browser in (on_a, on_b):
                    for page in pages:
                        started = time.monotonic()
                        get(browser, page)
                        elapsed = time.monotonic() - started
                        assert elapsed < within, f"{page} took {elapsed:.1f} s on {browser.base_url}"

            every_page_answers(within=3)  # cached while Redis runs

            private.process.send_signal(signal.SIGSTOP)  # stalled: accepts, never answers
            every_page_answers(within=3)  # Django's RedisCache: 5 s (redis-py's default timeout), then 500
            private.process.send_signal(signal.SIGCONT)

            if PROSPECTION:  # once the servers' pause is over they use Redis again
                time.sleep(RETRY_AFTER_SECONDS + 0.5)
                redis.Redis.from_url(private.url).flushdb()
                every_page_answers(within=3)
                assert cached_keys(private.url, "figures") and cached_keys(private.url, "band-chart")

            private.stop()
            every_page_answers(within=3)
            signed_in(b, "victim")  # a new sign-in works too
            if PROSPECTION:
                before = shown_total(on_b)
                add_opportunity(on_a, made, value="1000", percent=10)  # +100, read from the database
                after = shown_total(on_b)
                assert after != before and after == shown_total(on_a)
            for server in (a, b):
                assert not [line for line in server.access_log() if line.endswith(" 500")]
                if PROSPECTION:  # the pages that read the cache are the dashboard's
                    assert "Cache unreachable" in server.error_log()
    finally:
        if private.process.poll() is None:
            private.process.send_signal(signal.SIGCONT)
        private.stop()


def test_sign_in_lock_out_on_one_server_holds_on_the_other(servers):
    # Last in this module: the failures may also lock this test's address.
    a, b = servers
    signed_in(b, "victim")  # the right password works on B to begin with
    for _ in range(5):
        status, _headers, _body = Browser(a.base_url).post("/login/", {"username": "victim", "password": "wrong"})
        assert status != 302
    browser = Browser(b.base_url)
    status, headers, _body = browser.post("/login/", {"username": "victim", "password": PASSWORD})
    assert status != 302 and browser.cookie("sessionid") is None
