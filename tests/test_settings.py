import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from marketplace.core.env import env_bool, env_int, env_list, env_str


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_nonsense_loudly(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False)


def test_env_int_rejects_nonsense_loudly(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT"):
        env_int("COUNT", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_required_variable_names_itself(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="NOT_SET_ANYWHERE is required"):
        env_str("NOT_SET_ANYWHERE")


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='marketplace.settings'; django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_production_without_secret_key_refuses_to_start():
    result = _settings_in_subprocess({"DEBUG": "0", "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


# What a production deployment sets (the test's own values).
PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DEBUG": "0",
    "SECRET_KEY": "k" * 30 + "-production-secret-for-the-test-only",
    "ALLOWED_HOSTS": "legalaid.example.org",
    "FIELD_ENCRYPTION_KEY": "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlv",
    "CONFLICT_HASH_KEY": "c" * 20 + "-production-conflict-key-for-the-test",
    "PUBLIC_SITE_URL": "https://legalaid.example.org",
}


def test_production_values_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=PRODUCTION,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_public_site_url_refuses_to_start():
    result = _settings_in_subprocess({key: value for key, value in PRODUCTION.items() if key != "PUBLIC_SITE_URL"})
    assert result.returncode != 0
    assert "PUBLIC_SITE_URL is required" in result.stderr
