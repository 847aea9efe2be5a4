"""Settings come from the environment through small typed readers that fail loudly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from crm.env import env_bool, env_choice, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw, expected", [("on", True), ("TRUE", True), ("1", True), ("yes", True),
                                           ("off", False), ("False", False), ("0", False), ("no", False)])
def test_env_bool_reads_common_words(raw, expected):
    assert env_bool("X", not expected, environ={"X": raw}) is expected


def test_env_bool_default_when_unset_or_blank():
    assert env_bool("X", True, environ={}) is True
    assert env_bool("X", False, environ={"X": "  "}) is False


def test_env_bool_refuses_nonsense_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="CRM_PROSPECTION"):
        env_bool("CRM_PROSPECTION", True, environ={"CRM_PROSPECTION": "maybe"})


def test_env_int_and_its_error():
    assert env_int("PORT", 25, environ={"PORT": "587"}) == 587
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "smtp"})


def test_env_list_and_str():
    assert env_list("HOSTS", [], environ={"HOSTS": "a.example, b.example,"}) == ["a.example", "b.example"]
    assert env_str("NAME", "default", environ={}) == "default"


def test_env_choice_refuses_unknown_language():
    assert env_choice("LANGUAGE_CODE", "fr", ["fr", "en"], environ={"LANGUAGE_CODE": "en"}) == "en"
    with pytest.raises(ImproperlyConfigured, match="LANGUAGE_CODE"):
        env_choice("LANGUAGE_CODE", "fr", ["fr", "en"], environ={"LANGUAGE_CODE": "de"})


def test_database_url_postgres():
    config = parse_database_url("postgres://crm:p%40ss@db.local:5433/relance?sslmode=require", base_dir=BASE_DIR)
    assert config == {
        "ENGINE": "django.db.backends.postgresql", "NAME": "relance", "USER": "crm", "PASSWORD": "p@ss",
        "HOST": "db.local", "PORT": "5433", "OPTIONS": {"sslmode": "require"},
    }


def test_database_url_sqlite_relative_and_absolute():
    assert parse_database_url("sqlite:///db.sqlite3", base_dir=BASE_DIR)["NAME"] == BASE_DIR / "db.sqlite3"
    assert parse_database_url("sqlite:////tmp/x.db", base_dir=BASE_DIR)["NAME"] == "/tmp/x.db"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgres://host:99999999/db", "postgres://host/", "sqlite://"])
def test_database_url_errors_name_the_variable(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, base_dir=BASE_DIR)


def run_settings(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CRM_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import crm.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.PROSPECTION_ENABLED,"
         " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0)"],
        cwd=BASE_DIR, env={**clean, **env}, capture_output=True, text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_values_give_secure_httponly_cookies_and_hsts():
    result = run_settings({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True", "True"]


def test_prospection_can_be_switched_off():
    result = run_settings({"DJANGO_DEBUG": "on", "CRM_PROSPECTION": "off"})
    assert result.stdout.split()[:3] == ["True", "False", "False"]


def test_deploy_check_is_clean_with_production_values():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CRM_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, capture_output=True, text=True,
        env={**clean, "DJANGO_SECRET_KEY": "a-long-production-secret-key-" + "k" * 40,
             "DJANGO_ALLOWED_HOSTS": "crm.example.com", "DJANGO_SETTINGS_MODULE": "crm.settings"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
