"""Settings shared by every mode. Everything that differs between machines comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from signin.oidc_config import oidc_enabled, oidc_role_map

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies in front of the site append to X-Forwarded-For: the audit log takes the client's
# address from that header only as far as they wrote it (0: REMOTE_ADDR only).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "guardian",
    "django_celery_beat",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "people",
    "policies",
    "cases",
    "notifications",
    "audit",
    "reminders",
    "discipline",
    "reports",
    "business_use",
    "dataprotection",
    "api",
    "signin",
    "backups",
    "focuspolicy",
    "csp",
]

MIDDLEWARE = [
    # First: the request id covers everything below, and the request's log line times all of it.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache; everything else is never stored.
    "core.no_store.NoStoreMiddleware",
    # Before anything reads the request: a body too large, or a control character in the address, is
    # refused with a page that says why (core/bad_input.py).
    "core.bad_input.BadInputMiddleware",
    # Before the session: /healthz/ and /readyz/ ignore a session cookie, so nothing reads the database first.
    "focuspolicy.health.ProbeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: the leaving date is checked on every request, before anything else of the session.
    "people.middleware.LeaverMiddleware",
    "people.sessions.SessionLimitsMiddleware",
    "signin.twofactor.SecondFactorMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "focuspolicy.urls"
WSGI_APPLICATION = "focuspolicy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "focuspolicy.context_processors.navigation",
                "signin.context_processors.sign_in_options",
            ],
            # The date filter's commonest formats written directly (focuspolicy/templatetags/dates.py).
            "builtins": ["focuspolicy.templatetags.dates"],
        },
    },
]

# Django's form renderer, the plain inputs written in Python (core/form_renderer.py: same HTML, less time).
FORM_RENDERER = "core.form_renderer.QuickRenderer"

# With no DATABASE_URL, an embedded SQLite file in the project folder.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that two requests changing the same case
    # queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
else:
    # Each worker keeps its connection between requests (a minute, checked before reuse) unless DATABASE_URL
    # says otherwise (?conn_max_age=0): a new PostgreSQL connection per request starts a server process with
    # a cold catalog cache, which cost a page more than its own queries (benchmarks/pages.py).
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if env.bool("DATABASE_JIT_OFF", default=True):
        # PostgreSQL's JIT compiles a plan when its estimated cost is high, which our short queries over a
        # million rows often are: measured, 680 ms of compiling for a 15 ms query. Pages want answers, not
        # compiled plans.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # PostgreSQL planned a page's statements for longer than it ran them: each repeated SELECT is
        # prepared once per connection (core/prepared.py). Off behind PgBouncer in transaction mode.
        from core.prepared import PreparingConnection, PreparingCursor

        DATABASES["default"].setdefault("OPTIONS", {}).update(
            connection_factory=PreparingConnection, cursor_factory=PreparingCursor
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "signin.lockout.LockoutBackend",
    # ModelBackend reading roles and permissions in one query (people/backends.py).
    "people.backends.RoleBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# At least 12 characters, not like the person's name, not all digits, and not one of the 20,000 common and
# breached passwords that ship with Django (checked locally, no network call).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Refuses nothing: when a password changes, the person's API tokens are revoked.
    {"NAME": "api.tokens.RevokeApiTokensOnPasswordChange"},
]
# Argon2 first; the others only read older hashes, which are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "people.hashers.FocusArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Anonymous reporting (cases.anonymous): receipt keys are kept as an HMAC under this secret, never in the
# database. Empty: SECRET_KEY. Set it on its own so that rotating SECRET_KEY keeps the keys working.
ANONYMOUS_RECEIPT_SECRET = env("ANONYMOUS_RECEIPT_SECRET", default="")
# Wrong receipt keys one client may try in a minute before it is asked to wait.
ANONYMOUS_KEY_TRIES_PER_MINUTE = env.int("ANONYMOUS_KEY_TRIES_PER_MINUTE", default=10)
# Lockout (django-axes): after LOGIN_FAILURE_LIMIT failed sign-ins with one username, that username is
# refused for LOGIN_COOLOFF_MINUTES, counted from the lockout. Administrators lift it in the admin.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "signin.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# No start-up banner, and no username, address or browser in axes' log lines (personal data).
AXES_VERBOSE = False
AXES_CLIENT_STR_CALLABLE = "signin.lockout.log_client"
# Two-factor sign-in (django-otp): when on, everyone holding a role above Staff must give a code from an
# authenticator app (or a backup code) after their password. Off in local development and tests.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "focuspolicy"
# Sign-in with the organisation's accounts (OpenID Connect, mozilla-django-oidc: signin/oidc.py), on only
# when the client and the provider's endpoints are all given (README.md, "Sign-in with the organisation's
# accounts"). Off, the login page has no such button and /oidc/ answers 404.
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="your organisation account")
# The claim that lists the person's groups, and which groups give which roles ("group=Role,…"): the roles
# named there follow the provider at every sign-in; the others stay as set in focuspolicy.
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
OIDC_ROLE_MAP = env("OIDC_ROLE_MAP", default="")
# Someone the provider knows and focuspolicy does not: made a member of staff, or refused with a message.
OIDC_CREATE_USERS = env.bool("OIDC_CREATE_USERS", default=False)
# Production may turn password sign-in off, leaving only the provider (people.backends.RoleBackend).
OIDC_ONLY = env.bool("OIDC_ONLY", default=False)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
# PKCE (S256): a code caught on its way back is no use without this browser's session. Every current
# provider supports it; OIDC_USE_PKCE=false for one that does not.
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_ROLE_MAP = oidc_role_map(OIDC_ROLE_MAP)
OIDC_ENABLED = oidc_enabled(globals(), OIDC_RP_SIGN_ALGO)
if OIDC_ONLY and not OIDC_ENABLED:
    raise ImproperlyConfigured("OIDC_ONLY is set but OIDC is not configured: set the OIDC_* settings.")
# mozilla-django-oidc's own names: users are made only as OIDC_CREATE_USERS says (signin.oidc decides).
OIDC_CREATE_USER = OIDC_CREATE_USERS
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("signin.oidc.ProviderBackend")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-guardian: no anonymous user object; anonymous visitors are sent to the login page.
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# English only: no translation machinery on every label, message and date (measured in issue 13).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed, hashed files, each URL worked out once per process (core/static.py).
    "staticfiles": {"BACKEND": "core.static.StaticStorage"},
}
# Evidence uploads: at most this many files of at most this size each, per upload.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=10)
# Django's own cap sits above ours, so that too many files get the form's clear message, not a bare 400.
DATA_UPLOAD_MAX_NUMBER_FILES = EVIDENCE_MAX_FILES + 10
# A form's text (everything but its files) and its number of fields: past either, Django refuses the
# request as it reads it (core.bad_input.bad_request says which). The longest form is far below both.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)
# An uploaded file larger than this goes to a temporary file on the disk instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# The largest request body, refused by its Content-Length before any of it is read (core.bad_input): by
# default the most evidence one upload may carry, and the form's text beside it.
REQUEST_MAX_BYTES = env.int(
    "REQUEST_MAX_BYTES", default=EVIDENCE_MAX_BYTES * EVIDENCE_MAX_FILES + DATA_UPLOAD_MAX_MEMORY_SIZE
)
# Evidence is sealed at rest with this key (cases/sealed.py): one Fernet key, or several separated by commas
# while a key is rotated (the first seals, all open). Required in production; development derives one.
EVIDENCE_ENCRYPTION_KEY = env("EVIDENCE_ENCRYPTION_KEY", default="")
if EVIDENCE_ENCRYPTION_KEY:
    from cases.sealed import parse_keys

    parse_keys(EVIDENCE_ENCRYPTION_KEY)  # A malformed key stops start-up with a message naming it.
# Images larger than this many pixels are refused before they are decoded (decompression bombs).
EVIDENCE_MAX_IMAGE_PIXELS = env.int("EVIDENCE_MAX_IMAGE_PIXELS", default=50_000_000)
# A ZIP archive of evidence: at most this many files, expanding to at most this many bytes (ZIP bombs are
# refused once they pass it, never expanded further).
EVIDENCE_ZIP_MAX_FILES = env.int("EVIDENCE_ZIP_MAX_FILES", default=100)
EVIDENCE_ZIP_MAX_EXPANDED_BYTES = env.int("EVIDENCE_ZIP_MAX_EXPANDED_BYTES", default=50 * 1024 * 1024)
# Optional virus scan of every upload by clamd (cases/uploads.py): a Unix socket, or a host and port. When
# one is set and clamd cannot be reached, uploads are refused, never accepted unscanned.
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
# Uploaded evidence is personal data: it lives outside the static root and is never served directly.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "uploads")
# With a bucket named, evidence goes to an S3-compatible object store (AWS S3, MinIO…) instead, so that any
# web container or machine serves any file. django-storages and boto3 read the keys themselves
# (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, or the machine's role), so they never sit in settings.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if env("AWS_S3_ENDPOINT_URL", default="") and not AWS_STORAGE_BUCKET_NAME:
    raise ImproperlyConfigured("AWS_S3_ENDPOINT_URL is set without AWS_STORAGE_BUCKET_NAME: name the bucket.")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            # "path" for MinIO and other endpoints that are not AWS (no bucket name in the host name).
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # No ACL on the objects: they are as private as the bucket, which must not be public. Files are
            # only read through the audited download view; any URL made by mistake is signed and expires.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            # Stored names are random; never overwrite one, never rename one silently. (rotate_evidence_key
            # replaces an object with itself re-sealed, on purpose: cases.sealed.SealedStorage.replace.)
            "file_overwrite": False,
            # An object is fetched into a temporary file that spills to disk past 1 MB; evidence is then
            # opened whole in memory to be decrypted, which EVIDENCE_MAX_BYTES bounds (cases/sealed.py).
            "max_memory_size": 1024 * 1024,
        },
    }

# Each process's own memory, for what may be a minute old and is cheaper to keep than to ask Redis for:
# the clause numbers a list's filter offers (policies.filters).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process"},
}
# Cache and sessions in Redis when there is one, so that every web container sees the same.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "focuspolicy",
        # Give up on Redis quickly: a request must not hang on it (sessions then come from the database).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    # cached_db, not cache: sessions are read from Redis but kept in the database too. The compose Redis
    # keeps nothing on disk and a managed one may lose writes when it fails over: with sessions only in
    # Redis, a restart would sign everyone out, losing what they were typing. And a person's leaving
    # (people.services.person_leave) ends their sessions by deleting database rows. The price: one
    # database write when a session changes (at sign-in, and once a minute at most for the idle timeout).
    # core.cached_sessions is Django's cached_db, carrying on from the database while Redis is down.
    SESSION_ENGINE = "core.cached_sessions"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="focuspolicy <no-reply@focus.example>")
# The address people use to reach the app: links in e-mails start with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# Daily digests go out at this hour, local time.
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=7)
# Clause 10.1: a clause cited in more cases closed as a breach than this in 12 months is flagged for the
# policy's next review, and its owner told (cases.review_flags).
POLICY_REVIEW_SUBSTANTIATED_CITATIONS = env.int("POLICY_REVIEW_SUBSTANTIATED_CITATIONS", default=3)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)

# Celery. With no broker configured, tasks run in-process (eager) so the app needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"  # named, or kombu warns that it supplies "localhost" itself
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Fail fast when the broker is down: the database holds every notification, and a periodic sweep sends
# what could not be queued, so a request must never hang waiting for Redis.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
# A worker touches this file every 10 seconds while its main loop runs (focuspolicy.celery.Alive), for a
# healthcheck that reads its age. Empty: none.
CELERY_WORKER_ALIVE_FILE = env("CELERY_WORKER_ALIVE_FILE", default="")
# The worker logs through LOGGING below (JSON lines with the request id), not a format of its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The API (/api/v1/): session login for the browser, tokens for other systems; read-only, paginated.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request without credentials gets a 401 that says a token is wanted. Each person
        # makes their own tokens (api.tokens); only their hash is kept.
        "api.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# API tokens last this many days unless their person chooses another length (at most 365).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# An Excel download is refused past this many rows, before it starts: a spreadsheet of more is slow to
# make and to open (Excel's own limit is 1,048,576). The CSV download has no limit.
EXPORT_EXCEL_MAX_ROWS = env.int("EXPORT_EXCEL_MAX_ROWS", default=100_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "focuspolicy API",
    "DESCRIPTION": (
        "Policies, cases and disciplinary records, read-only, with the permission rules of the pages.\n\n"
        "Signed in to focuspolicy in this browser, you are signed in here too. Other systems send a token: "
        "`Authorization: Token <key>`. Each person makes their own tokens on the API tokens page "
        "(/accounts/api-tokens/); a token expires, and ends when its person changes their password or leaves."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs pages are for people signed in (session or token), like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Operations are tagged and named by what they read (cases, policies…), not by the version prefix.
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.allow_empty_query_values",
    ],
    # The docs page's JavaScript and CSS are served from our static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: Swagger UI would send the schema's address to validator.swagger.io. No deep links:
    # Swagger UI makes each operation's path a link inside the button that opens the operation, a control
    # inside a control that keyboards and screen readers cannot use (axe-core's nested-interactive).
    # No syntax highlighting either: its colours (set inline, from a theme) are under WCAG AA contrast; the
    # examples are plain white on dark grey instead.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None, "syntaxHighlight": False},
    # Response codes and their text dark enough to read on their tinted backgrounds (WCAG AA, 4.5:1);
    # Redoc's defaults are just under. (api/templates/api/redoc.html hands these to static/js/redoc_init.js.)
    "REDOC_UI_SETTINGS": {
        "theme": {"colors": {"success": {"main": "#176b20"}, "error": {"main": "#b01a17"}}},
    },
    # One name per choice set where several fields share it, or two sets share a field name.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "cases.models.Stage",
        "CaseOutcomeEnum": "cases.models.Outcome",
        "DisciplinaryOutcomeEnum": "discipline.models.Outcome",
        "VersionStatusEnum": "policies.models.PolicyVersion.Status",
    },
}

SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request, and in any case this long after signing in.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=1800)
SESSION_MAX_SECONDS = env.int("SESSION_MAX_SECONDS", default=36000)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
X_FRAME_OPTIONS = "DENY"

# Security headers (django.middleware.security). HSTS is off unless set; production turns it on.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = env.bool("SECURE_CONTENT_TYPE_NOSNIFF", default=True)
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = env("SECURE_CROSS_ORIGIN_OPENER_POLICY", default="same-origin")

# Content Security Policy (django-csp) on every response: our own scripts, styles, images and fonts
# only, no inline script or style, never framed. A view that sets its own policy (evidence downloads)
# keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


# Logs (core/logs.py): "json", one JSON object per line for a log collector, or "text", plain lines for
# development (local.py's default). Either way every record carries the request id.
def log_format(default):
    value = env("LOG_FORMAT", default=default)
    if value not in ("json", "text"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {value!r}.")
    return value


LOG_FORMAT = log_format("json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s", "datefmt": "%H:%M:%S"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Everything through the root's one handler: Django's own console handler would print each of its
        # records a second time in development.
        "django": {"handlers": [], "level": "INFO"},
        # The request line (focuspolicy.requests) replaces runserver's line per request, which holds the
        # query string, and django.request's warning for each 4xx; its 5xx errors, with the traceback, stay.
        "django.server": {"handlers": ["null"], "propagate": False},
        "django.request": {"level": "ERROR"},
        # The task line (focuspolicy.tasks) replaces Celery's "succeeded" line, which holds the task's result.
        "celery.app.trace": {"level": "WARNING"},
        # django-axes tells of each sign-in at INFO (four lines); its failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}

# Set by production.py; seed_demo refuses to run when it is True.
PRODUCTION = False
