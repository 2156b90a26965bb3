"""The production-like environment of the bench: database, secrets, server settings."""

from __future__ import annotations

import base64
import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

DEFAULT_URLS = {
    "full": "postgres://postgres@127.0.0.1:5432/legalaid_bench",
    "small": "postgres://postgres@127.0.0.1:5432/legalaid_bench_small",
}


def database_url(scale: str) -> str:
    """The bench database: ``BENCH_DATABASE_URL``, else the server of ``DATABASE_URL`` (when it is
    PostgreSQL) with the bench database's name, else the default on 127.0.0.1.

    The bench drops and recreates its database, so it never takes another database's name:
    a ``DATABASE_URL`` naming ``test`` or the production database only lends its host and user.
    """
    explicit = os.environ.get("BENCH_DATABASE_URL", "")
    if explicit:
        return explicit
    default = DEFAULT_URLS[scale]
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return default
    if "bench" in db_name(url):
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + db_name(default), parts.query, ""))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def libpq(url: str, dbname: str | None = None) -> str:
    """The URL as a psycopg conninfo, optionally pointing at another database."""
    parts = urlsplit(url)
    scheme = "postgresql"
    path = "/" + (dbname if dbname is not None else parts.path.lstrip("/"))
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


def recreate_database(url: str) -> None:
    name = db_name(url)
    if not name.replace("_", "").isalnum() or "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: bench databases must have 'bench' in the name")
    with psycopg.connect(libpq(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str, *, redis_url: str = "", extra: dict | None = None) -> dict[str, str]:
    """Environment of the app processes: production settings, with TLS switches off for 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    secret = hashlib.sha256(b"legalaid-bench-secret").hexdigest()
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secret,
            "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(hashlib.sha256(b"bench-fernet").digest()).decode(),
            "CONFLICT_HASH_KEY": hashlib.sha256(b"bench-conflict-hash").hexdigest(),
            "PUBLIC_SITE_URL": "http://127.0.0.1:8000",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "THROTTLE_ANON": "1000000/min",
            "THROTTLE_USER": "1000000/min",
            "THROTTLE_CLAIMS": "1000000/min",
            "AXES_FAILURE_LIMIT": "1000000",
            "DATABASE_URL": url,
            "CONN_MAX_AGE": "60",
            # Per worker process; see marketplace/settings.py on why ASGI needs the pool.
            "DB_POOL_MAX_SIZE": "10",
            "LOG_LEVEL": "WARNING",
            "WHITENOISE_USE_FINDERS": "1",
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["CHANNEL_PREFIX"] = "legalaid-bench"
    if extra:
        env.update(extra)
    return env


def migrate(url: str) -> None:
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=server_env(url), check=True
    )


def collectstatic(url: str) -> None:
    """Production serves hashed static files from the manifest: the pages need it with DEBUG off."""
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=server_env(url), check=True
    )


def git_commit() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: S603,S607

    dirty = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "short": git("rev-parse", "--short", "HEAD"), "dirty": bool(dirty)}


def machine(url: str) -> dict:
    mem_kb = 0
    model = platform.processor()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with psycopg.connect(libpq(url)) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "load_average": Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": pg,
        "os": platform.platform(),
    }
