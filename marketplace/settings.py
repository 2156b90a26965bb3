"""Settings for the legal aid duty marketplace, read from the environment (see README)."""

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from marketplace.core.env import env_bool, env_int, env_list, env_str
from marketplace.core.redis_settings import cache_config, channel_layer_config
from marketplace.core.storage_settings import documents_storage

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-only-for-debug-" + "x" * 20)
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "csp",
    "marketplace.core",
    "organizations",
    "volunteers",
    "marketplace",
    "marketplace.applications",
    "marketplace.cases",
    "marketplace.evidence",
    "marketplace.rosters",
    "duties",
    "duties.complaints",
    "duties.notices",
    "duties.subsidies",
    "frontend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes last: it must see the authentication result of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"
ASGI_APPLICATION = "marketplace.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: SQLite file by default. WAL lets readers run beside the one writer; IMMEDIATE
# transactions take the write lock at BEGIN, so two claims never interleave their seat checks.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not shared-cache memory, so threaded tests see real SQLite locking.
    # One file per test process, so that runs side by side never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("TEST_DB_NAME", str(Path(tempfile.gettempdir()) / f"legalaid-test-{os.getpid()}.sqlite3"))
    }
elif env_str("TEST_DB_NAME", ""):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DB_NAME")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DB_JIT", False):
    # PostgreSQL's JIT compiles queries whose estimated cost crosses a threshold; for this
    # product's short queries and the province report it costs more (0.1-0.6 s) than it saves.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# PostgreSQL connection pool (psycopg_pool), on when DB_POOL_MAX_SIZE > 0. Under ASGI each
# request runs in a fresh thread, so CONN_MAX_AGE's per-thread connections are never reused and
# every request would open a new connection (measured by tests/bench: ~8 ms of a 14 ms request).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_int("DB_POOL_MAX_SIZE", 0) > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections with a pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 0),
        "timeout": env_int("DB_POOL_TIMEOUT", 30),
    }

# Reports and exports may read a PostgreSQL replica (marketplace/core/replica.py): set
# DATABASE_REPLICA_URL and the alias "replica" appears; without it everything uses "default".
# In tests the replica mirrors the test database (Django's TEST MIRROR).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["marketplace.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Timeouts and failing open: marketplace/core/redis_settings.py.
    CHANNEL_LAYERS = channel_layer_config(REDIS_URL, prefix=env_str("CHANNEL_PREFIX", "legalaid"))
    CACHES = cache_config(REDIS_URL)
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The board's task cards are cached this long, keyed by everything a card shows (a claim or an
# edit makes a new key; frontend/templatetags/rows.py); 0 renders every card on every visit.
BOARD_CARD_CACHE_SECONDS = env_int("BOARD_CARD_CACHE_SECONDS", 600)
# The board counts its tasks up to this many and then says "more than N" (frontend/params.py
# CappedPaginator): an exact COUNT of a province's open tasks was most of the page's time.
BOARD_COUNT_CAP = env_int("BOARD_COUNT_CAP", 1000)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Reverse proxies in front of the app that append to X-Forwarded-For. 0: the header is ignored
# (a client could write any address into it and escape every rate limit and lockout).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

# Failed logins: locked per (username, address) pair after 5 failures, for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "marketplace.core.client_ip.client_ip"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Case documents (marketplace.cases): local disk outside the web root by default, or any
# S3-compatible store (marketplace/core/storage_settings.py says which variables it reads).
DOCUMENTS_STORAGE = env_str("DOCUMENTS_STORAGE", "local")
DOCUMENTS_ROOT = Path(env_str("DOCUMENTS_ROOT", str(BASE_DIR / "var" / "documents")))
STORAGES["documents"] = documents_storage(DOCUMENTS_STORAGE, root=DOCUMENTS_ROOT, env=os.environ)
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)
WHITENOISE_AUTOREFRESH = DEBUG

# Key for the aided person's confidential details (Fernet, urlsafe base64 of 32 bytes).
# In DEBUG a fixed development key is used; production must set its own.
FIELD_ENCRYPTION_KEY = env_str(
    "FIELD_ENCRYPTION_KEY", "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U=" if DEBUG else None
)

# Bounds of a task's times (services check them for the API and the pages alike). A task may
# start up to TASK_START_GRACE_HOURS in the past (entering a session just held), at most
# TASK_MAX_LEAD_DAYS ahead, and last at most TASK_MAX_SPAN_DAYS (a case runs for months).
TASK_START_GRACE_HOURS = env_int("TASK_START_GRACE_HOURS", 24)
TASK_MAX_LEAD_DAYS = env_int("TASK_MAX_LEAD_DAYS", 730)
TASK_MAX_SPAN_DAYS = env_int("TASK_MAX_SPAN_DAYS", 730)


# Duty-lawyer rosters (marketplace/rosters, docs/rosters.md): the half-days a station's shift
# covers unless the station sets its own hours (上午, 下午), how many weeks ahead a station may
# post, and how many days ahead an uncovered shift is flagged and its station reminded.
def _half_day(name: str, default: str) -> tuple[str, str]:
    value = env_str(name, default).strip()
    match = re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)", value)
    if not match or value[:5] >= value[6:]:
        raise ImproperlyConfigured(f"{name} must read HH:MM-HH:MM, the start before the end, not {value!r}.")
    return value[:5], value[6:]


DUTY_MORNING = _half_day("DUTY_MORNING", "08:30-12:00")
DUTY_AFTERNOON = _half_day("DUTY_AFTERNOON", "13:30-17:30")
ROSTER_MAX_WEEKS = env_int("ROSTER_MAX_WEEKS", 12)
ROSTER_UNCOVERED_DAYS = env_int("ROSTER_UNCOVERED_DAYS", 7)

# Key of the keyed hashes (HMAC-SHA256) of party names and ID numbers that the conflict check
# searches (marketplace/applications/identity.py). Changing it orphans every stored digest.
CONFLICT_HASH_KEY = env_str("CONFLICT_HASH_KEY", "development-conflict-hash-key-not-for-production" if DEBUG else None)
if len(CONFLICT_HASH_KEY) < 32:
    raise ImproperlyConfigured("CONFLICT_HASH_KEY must be at least 32 characters long.")

# The statutory clock of legal aid applications (marketplace/applications/clock.py, docs/applications.md).
# "calendar" counts every day (the statutory reading of 日); "working" skips Saturdays and Sundays.
LEGAL_AID_DAY_COUNTING = env_str("LEGAL_AID_DAY_COUNTING", "calendar")
if LEGAL_AID_DAY_COUNTING not in ("calendar", "working"):
    raise ImproperlyConfigured("LEGAL_AID_DAY_COUNTING must be calendar or working.")
LEGAL_AID_DECISION_DAYS = env_int("LEGAL_AID_DECISION_DAYS", 7)  # Art. 43
LEGAL_AID_ASSIGN_DAYS = env_int("LEGAL_AID_ASSIGN_DAYS", 3)  # Art. 43
LEGAL_AID_NOTICE_ASSIGN_DAYS = env_int("LEGAL_AID_NOTICE_ASSIGN_DAYS", 3)  # Art. 36
LEGAL_AID_OBJECTION_DAYS = env_int("LEGAL_AID_OBJECTION_DAYS", 5)  # Art. 49
for _name in ("DECISION", "ASSIGN", "NOTICE_ASSIGN", "OBJECTION"):
    if not 1 <= globals()[f"LEGAL_AID_{_name}_DAYS"] <= 365:
        raise ImproperlyConfigured(f"LEGAL_AID_{_name}_DAYS must be between 1 and 365.")
# A law firm names the handler of a case assigned to it within this many hours (24 h).
LEGAL_AID_HANDLER_HOURS = env_int("LEGAL_AID_HANDLER_HOURS", 24)
if not 1 <= LEGAL_AID_HANDLER_HOURS <= 24 * 30:
    raise ImproperlyConfigured("LEGAL_AID_HANDLER_HOURS must be between 1 and 720.")
# Art. 26: a defendant who may face death or life imprisonment gets a lawyer of at least this
# many years of practice (counted from the licence date).
LEGAL_AID_SERIOUS_CASE_YEARS = env_int("LEGAL_AID_SERIOUS_CASE_YEARS", 3)
if not 0 <= LEGAL_AID_SERIOUS_CASE_YEARS <= 50:
    raise ImproperlyConfigured("LEGAL_AID_SERIOUS_CASE_YEARS must be between 0 and 50.")

# Cases (marketplace.cases, docs/cases.md). The handler files the closing report within
# CASE_CLOSING_DAYS of the matter's end (Art. 50: 30 days); documents are PDF, JPEG or PNG of at
# most CASE_DOCUMENT_MAX_BYTES each.
CASE_CLOSING_DAYS = env_int("CASE_CLOSING_DAYS", 30)
if not 1 <= CASE_CLOSING_DAYS <= 365:
    raise ImproperlyConfigured("CASE_CLOSING_DAYS must be between 1 and 365.")
CASE_DOCUMENT_MAX_BYTES = env_int("CASE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
if CASE_DOCUMENT_MAX_BYTES < 1024:
    raise ImproperlyConfigured("CASE_DOCUMENT_MAX_BYTES must be at least 1024.")

# Complaints (Art. 57-59): the justice bureau records its finding within this many days of filing.
COMPLAINT_DUE_DAYS = env_int("COMPLAINT_DUE_DAYS", 30)
# Evidence requests (the 2004 Changzhou opinion; Art. 53): the department answers within this many
# days of the request. The local rule that waives the fees is named on the letter.
EVIDENCE_DUE_DAYS = env_int("EVIDENCE_DUE_DAYS", 15)
for _name in ("COMPLAINT_DUE_DAYS", "EVIDENCE_DUE_DAYS"):
    if not 1 <= globals()[_name] <= 365:
        raise ImproperlyConfigured(f"{_name} must be between 1 and 365.")
EVIDENCE_LOCAL_RULE = env_str("EVIDENCE_LOCAL_RULE", "《常州市人民政府关于进一步加强法律援助工作的意见》（2004年）")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing credential a 401, not a 403.
        # The provider profile is read with the token (one query: organizations.api.authentication).
        "organizations.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "marketplace.core.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marketplace.core.api.errors.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.core.api.parsers.JSONParser",  # refuses absurdly nested bodies with a 400
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "marketplace.core.api.throttles.AnonRateThrottle",
        "marketplace.core.api.throttles.UserRateThrottle",
    ],
    # For any stock DRF throttle: the same count as marketplace.core.client_ip, which ours use.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("THROTTLE_ANON", "120/min"),
        "user": env_str("THROTTLE_USER", "600/min"),
        "token": env_str("THROTTLE_TOKEN", "30/min"),
        # /verify/{code}/ (page and JSON), per client address: a person checks a few codes.
        "verify": env_str("THROTTLE_VERIFY", "30/min"),
        # The public complaint form (page and API together) and the tracking-code lookup, per
        # client address: a person files a few complaints; a flood is spam.
        "complaint": env_str("THROTTLE_COMPLAINT", "10/hour"),
        "complaint_lookup": env_str("THROTTLE_COMPLAINT_LOOKUP", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Legal aid duty marketplace API",
    "DESCRIPTION": "Post, claim and assign legal aid tasks; credit duty hours; run the annual review.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "kind" and a "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "NoticeKindEnum": "duties.notices.models.NoticeKind",
        "OrganizationKindEnum": "organizations.models.OrganizationKind",
        "RoleEnum": "organizations.models.Role",
        "VolunteerKindEnum": "volunteers.models.VolunteerKind",
        "VolunteerStatusEnum": "volunteers.models.VolunteerStatus",
        "TaskKindEnum": "marketplace.models.TaskKind",
        "TaskStatusEnum": "marketplace.models.TaskStatus",
        "ClaimStatusEnum": "marketplace.models.ClaimStatus",
        "CategoryEnum": "marketplace.models.Category",
        "BeneficiaryGroupEnum": "marketplace.models.BeneficiaryGroup",
        "HourLogStatusEnum": "duties.models.HourLogStatus",
        "EntryKindEnum": "duties.models.EntryKind",
        "CreditKindEnum": "duties.models.CreditKind",
        "SatisfiedByEnum": "duties.models.SatisfiedBy",
        "ReviewStatusEnum": "duties.models.ReviewStatus",
        "ApplicationStatusEnum": "marketplace.applications.models.ApplicationStatus",
        "ApplicationChannelEnum": "marketplace.applications.models.Channel",
        "MatterKindEnum": "marketplace.applications.models.MatterKind",
        "HardshipBasisEnum": "marketplace.applications.models.HardshipBasis",
        "ApplicationDecisionEnum": "marketplace.applications.models.DecisionChoice",
        "DecisionOutcomeEnum": "marketplace.applications.models.DecisionOutcome",
        "FirmAssignmentStatusEnum": "marketplace.applications.models.FirmAssignmentStatus",
        "RefusalRulingEnum": "marketplace.applications.models.RefusalRuling",
        "MaxPenaltyEnum": "marketplace.applications.models.MaxPenalty",
        "ComplaintStatusEnum": "duties.complaints.models.ComplaintStatus",
        "EvidenceRequestStatusEnum": "marketplace.evidence.models.EvidenceStatus",
        "MilestoneKindEnum": "marketplace.cases.models.MilestoneKind",
        "MilestoneSourceEnum": "marketplace.cases.models.MilestoneSource",
        "ClosingOutcomeEnum": "marketplace.cases.models.ClosingOutcome",
        "ClosingStatusEnum": "marketplace.cases.models.ClosingStatus",
        "QualityGradeEnum": "marketplace.cases.models.QualityGrade",
        "TerminationGroundEnum": "marketplace.cases.models.TerminationGround",
        "EvaluationKindEnum": "marketplace.cases.models.EvaluationKind",
        "StationKindEnum": "marketplace.rosters.models.StationKind",
        "HalfDayEnum": "marketplace.rosters.models.HalfDay",
        "HelpGivenEnum": "marketplace.rosters.models.HelpGiven",
        "SwapStatusEnum": "marketplace.rosters.models.SwapStatus",
    },
}

# Security. Production (DEBUG off) is HTTPS-only; each switch can be turned off for a local run.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", "ws:", "wss:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# The public address of the site, printed on certificates and service records (their
# verification URL and QR code): never the host of the request that rendered them.
# Required in production; a development default in DEBUG.
PUBLIC_SITE_URL = env_str("PUBLIC_SITE_URL", "http://127.0.0.1:8000" if DEBUG else None).rstrip("/")
if not PUBLIC_SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("PUBLIC_SITE_URL must be an http(s) address, e.g. https://legalaid.example.org.")
# A TrueType CJK font embedded (subset) in certificate PDFs; empty: WenQuanYi Micro Hei, else
# what fc-match finds, else the built-in CID font STSong-Light with a warning (duties.certificates).
PDF_CJK_FONT = env_str("PDF_CJK_FONT", "")

# Email (duties/notices): development prints to the console; production sets EMAIL_BACKEND to
# django.core.mail.backends.smtp.EmailBackend and the SMTP server below.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "法律援助平台 <noreply@localhost>")
# Text messages: a dotted path to a class with send(phone, text) (duties/notices/sms.py); the
# default logs the message and sends nothing.
SMS_BACKEND = env_str("SMS_BACKEND", "duties.notices.sms.LoggingBackend")
# How long an email's unsubscribe link works (seconds; each link works once).
UNSUBSCRIBE_MAX_AGE = env_int("UNSUBSCRIBE_MAX_AGE", 60 * 24 * 3600)

# Background work (marketplace/celery.py, docs/notices.md). The embedded default needs no server:
# kombu's filesystem transport, folders under CELERY_DATA_DIR; production sets
# CELERY_BROKER_URL (else REDIS_URL is used). Tests run tasks eagerly (pyproject's pytest env).
CELERY_DATA_DIR = Path(env_str("CELERY_DATA_DIR", str(BASE_DIR / "var" / "celery")))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Exchange tables (broadcasts such as `celery inspect`): kombu's default is ./control.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A job is acknowledged when it ends, not when it starts, and a worker that dies mid-job gives it
# back to the queue: nothing is lost (the jobs are idempotent, so a second run is harmless).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_DATA_DIR / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notices-reminders": {
        "task": "notices.run_reminders",
        "schedule": timedelta(minutes=env_int("REMINDERS_EVERY_MINUTES", 15)),
    },
    # Background jobs a dead worker left are queued again; old jobs and their files removed.
    "core-jobs-sweep": {"task": "core.jobs_sweep", "schedule": timedelta(minutes=5)},
}
# Background jobs (marketplace/core/jobs.py, docs/jobs.md): a running job's lease (extended as it
# progresses; a run silent that long is taken to be dead), how long a queued job may wait before
# the sweep queues it again, and how many days a finished job and its file are kept.
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 300)
JOBS_REQUEUE_AFTER_SECONDS = env_int("JOBS_REQUEUE_AFTER_SECONDS", 600)
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 7)

# LOG_FORMAT=json: one JSON object per line (marketplace/core/logs.py); "text" by default.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
# Celery's worker and beat log through the handlers below too (JSON lines when asked).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "marketplace.core.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO" if not DEBUG else "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
