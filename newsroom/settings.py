"""Newsroom settings: one module, driven by environment variables with safe local defaults."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from newsroom.proxies import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "django-insecure-newsroom-development-key-never-use-in-production"  # noqa: S105 (refused when DEBUG is off)


def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url):
    """Parse DATABASE_URL; only SQLite and PostgreSQL are supported backends."""
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # A database outage must fail fast (the API answers 503), not hang the worker.
        options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3))
        # Server-side parameter binding, so that psycopg prepares the statements a persistent connection runs
        # again and again (the API's reads) and PostgreSQL stops planning them per request.
        options.setdefault("server_side_binding", env_bool("DATABASE_SERVER_SIDE_BINDING", True))
        options.setdefault("prepare_threshold", env_int("DATABASE_PREPARE_THRESHOLD", 5))
        # The whole working set is in memory or on SSD: a random page costs about what a sequential one does. With
        # the default (4) PostgreSQL seq-scans the tag table for every article of a page to find its tags' slugs.
        options.setdefault("options", f"-c random_page_cost={env_str('DATABASE_RANDOM_PAGE_COST', '1.1')}")
    elif engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    else:
        raise ImproperlyConfigured(f"DATABASE_URL must use sqlite:// or postgres://, got engine {engine!r}")
    return config


def cache_from_url(url):
    """CACHE_URL: empty for this process's memory (one node), redis://host:port/db for a cache all nodes share."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be empty or a redis:// URL, got {url!r}")
    return {
        "BACKEND": "newsroom.caches.TolerantRedisCache",
        "LOCATION": url,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "newsroom"),
        # An unreachable Redis must cost milliseconds, not a worker: the API then answers from PostgreSQL.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be set to a strong secret (50+ characters) when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin with the newsroom's site (the desk, the name)
    "newsroom.apps.NewsroomConfig",  # the project's ORM extensions: the `__any` lookup (newsroom.bulk)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "articles",
    "media",
    "authors",
    "corrections",
]

MIDDLEWARE = [
    "newsroom.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: times are stored in UTC; TIME_ZONE only affects the admin's display.
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")

# Slugs made from titles and names (articles.slugs): in their own script by default (Khmer, Hindi, Arabic kept whole),
# or transliterated first with this ICU transform, e.g. "Any-Latin; Latin-ASCII" (a script ICU cannot transliterate,
# such as Khmer, stays in its script).
SLUG_TRANSLITERATOR = env_str("SLUG_TRANSLITERATOR", "")
if SLUG_TRANSLITERATOR:
    import icu

    try:
        icu.Transliterator.createInstance(SLUG_TRANSLITERATOR)
    except icu.ICUError as exc:
        raise ImproperlyConfigured(f"SLUG_TRANSLITERATOR is not an ICU transform ID: {exc}") from None
LANGUAGES = [(code, code) for code in env_list("LANGUAGES", ["en", "km", "fr", "zh-hant"])]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

# HTTPS is on by default whenever DEBUG is off; each switch can be overridden for unusual deployments.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind a reverse proxy (newsroom.proxies): how many proxies append to X-Forwarded-For, and/or the networks
# they connect from. Without either, the forwarding headers are ignored: any client could send them.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXY_NETWORKS = parse_networks("TRUSTED_PROXY_NETWORKS", env_list("TRUSTED_PROXY_NETWORKS", []))
if env_bool("TRUST_X_FORWARDED_PROTO", bool(TRUSTED_PROXY_COUNT or TRUSTED_PROXY_NETWORKS)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Media: limits applied to every image that enters the library (upload, import API, --fetch-images).
MEDIA_MAX_UPLOAD_BYTES = env_int("MEDIA_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
MEDIA_MAX_PIXELS = env_int("MEDIA_MAX_PIXELS", 50_000_000)

# Draft previews: how long a preview link handed to a frontend stays valid.
PREVIEW_TOKEN_MAX_AGE = env_int("PREVIEW_TOKEN_MAX_AGE", 7 * 24 * 3600)

# Editorial workflow: where the admin's "Preview in frontend" link sends an editor. Placeholders: {code},
# {token} (a signed preview token, see articles.preview), {slug}, {language}. Empty (the default): no frontend, so
# the admin offers only its own article preview.
FRONTEND_PREVIEW_URL_TEMPLATE = env_str("FRONTEND_PREVIEW_URL_TEMPLATE", "")
try:
    FRONTEND_PREVIEW_URL_TEMPLATE.format(code="c", token="t", slug="s", language="l")  # noqa: S106 (a dry run)
except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:  # {x}, {0}, "{", {code.x}, {slug[x]}
    raise ImproperlyConfigured(
        f"FRONTEND_PREVIEW_URL_TEMPLATE may use only {{code}}, {{token}}, {{slug}} and {{language}}: {exc!r}"
    ) from None

# Media library: renditions, background tasks and the storage backend for uploads.
# Renditions are named sizes: a maximum width, or width x height (cropped around the focal point).
MEDIA_RENDITIONS = {
    "thumb": {"width": 320},
    "small": {"width": 640},
    "medium": {"width": 1024},
    "large": {"width": 1600},
    "og": {"width": 1200, "height": 630},
}
MEDIA_RENDITION_QUALITY = env_int("MEDIA_RENDITION_QUALITY", 82)
# Django's tasks framework: the immediate backend runs tasks in-process (development, tests, small sites).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")}}
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    # Several web nodes share media through S3-compatible storage; URLs come from the bucket (or CDN domain).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": env_str("AWS_S3_URL_PROTOCOL", "https:"),
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "default_acl": env_str("AWS_DEFAULT_ACL") or None,
            "location": env_str("AWS_LOCATION", ""),
            # Names are content hashes: a stored file never changes, so caches may keep it for good.
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', got {MEDIA_STORAGE!r}")

# Markdown importer (import_markdown, export_markdown, POST /api/v1/imports/): limits and image fetching.
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_FRONT_MATTER_BYTES = env_int("IMPORT_MAX_FRONT_MATTER_BYTES", 64 * 1024)
IMPORT_BATCH_SIZE = env_int("IMPORT_BATCH_SIZE", 500)
IMPORT_PARSE_WORKERS = env_int("IMPORT_PARSE_WORKERS", min(os.cpu_count() or 1, 4))
IMPORT_API_MAX_FILES = env_int("IMPORT_API_MAX_FILES", 100)
# Django counts the files of a request before any view does: never fewer than the import API accepts.
DATA_UPLOAD_MAX_NUMBER_FILES = max(IMPORT_API_MAX_FILES, 100)
IMPORT_FETCH_TIMEOUT = env_int("IMPORT_FETCH_TIMEOUT", 10)
IMPORT_FETCH_MAX_BYTES = env_int("IMPORT_FETCH_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_FETCH_MAX_REDIRECTS = env_int("IMPORT_FETCH_MAX_REDIRECTS", 5)
# Only for tests against a local server: never enable in production (it opens the importer to SSRF on localhost).
IMPORT_FETCH_ALLOW_LOOPBACK = env_bool("IMPORT_FETCH_ALLOW_LOOPBACK", False)
INSTALLED_APPS += ["rest_framework.authtoken"]

# Public content API (issue 4): DRF, OpenAPI schema and docs, CORS, HTTP caching and throttling.
INSTALLED_APPS += ["drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
# CORS headers go on every answer, including a redirect and a page from the response cache (they depend on the
# request's Origin, so they are never stored with a page).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware"), "corsheaders.middleware.CorsMiddleware"
)

API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", 60)
# The API's compiled reads run as prepared statements, planned once per connection (articles/api/compiled.py).
API_PREPARED_STATEMENTS = env_bool("API_PREPARED_STATEMENTS", True)
API_THROTTLE_RATE = env_str("API_THROTTLE_RATE", "600/minute").strip() or None
if API_THROTTLE_RATE:
    _count, _, _period = API_THROTTLE_RATE.partition("/")
    if not _count.isdigit() or not _period or _period[0] not in "smhd":
        raise ImproperlyConfigured(
            f"API_THROTTLE_RATE must look like 600/minute or be empty, got {API_THROTTLE_RATE!r}"
        )

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.exceptions.api_exception_handler",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Published articles, categories, tags and languages for any frontend. Read-only and anonymous.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums", "articles.api.schema.fields_may_be_left_out",
    ],
}

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_PREFLIGHT_MAX_AGE = env_int("CORS_PREFLIGHT_MAX_AGE", 86400)

# Change log and delta sync (issue 12): GET /api/v1/changes/ and the events behind it.
INSTALLED_APPS += ["changes"]
# How long events (tombstones included) are kept; a sync cursor older than this answers 410 Gone.
CHANGES_HORIZON_DAYS = env_int("CHANGES_HORIZON_DAYS", 90)
CHANGES_PAGE_SIZE = env_int("CHANGES_PAGE_SIZE", 100)
CHANGES_MAX_PAGE_SIZE = env_int("CHANGES_MAX_PAGE_SIZE", 500)
# `manage.py worker` publishes due scheduled articles (and their events) this often; the admin's status then
# agrees with the API within this many seconds.
CHANGES_CATCH_UP_SECONDS = env_int("CHANGES_CATCH_UP_SECONDS", 30)
INSTALLED_APPS += ["django_tasks_db"]

# Webhooks (issue 12): sent by `manage.py worker` (needs TASKS_BACKEND=django_tasks_db.DatabaseBackend).
INSTALLED_APPS += ["webhooks"]
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
WEBHOOK_RESPONSE_BODY_LIMIT = env_int("WEBHOOK_RESPONSE_BODY_LIMIT", 2048)
# Seconds before each retry of a failed delivery (jittered); after the last, the delivery is given up.
try:
    WEBHOOK_RETRY_SCHEDULE = [float(step) for step in env_list("WEBHOOK_RETRY_SCHEDULE", [
        5, 300, 1800, 7200, 18000, 36000, 86400])]
except ValueError:
    raise ImproperlyConfigured("WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds, e.g. 5,300,1800") from None
# How long a rotated-out secret still signs deliveries beside the new one.
WEBHOOK_SECRET_GRACE_HOURS = env_int("WEBHOOK_SECRET_GRACE_HOURS", 24)

# Scale-out (issue 13): state shared by every web node, the response cache, CDN purge and read replicas.
CACHE_URL = env_str("CACHE_URL", "")
CACHES = {"default": cache_from_url(CACHE_URL)}
# The response cache is only correct when every node sees the same generation: on by default with a shared cache.
API_RESPONSE_CACHE = env_bool("API_RESPONSE_CACHE", bool(CACHE_URL))
API_RESPONSE_CACHE_TTL = env_int("API_RESPONSE_CACHE_TTL", 300)
API_CACHE_STALE_WHILE_REVALIDATE = env_int("API_CACHE_STALE_WHILE_REVALIDATE", 30)
API_CACHE_STALE_IF_ERROR = env_int("API_CACHE_STALE_IF_ERROR", 86400)
API_RESPONSE_CACHE_PATHS = env_list("API_RESPONSE_CACHE_PATHS", ["/api/v1/"])
# The sync feed is read from the primary alone: its events and articles must come from one database (issue 12).
API_RESPONSE_CACHE_EXCLUDED_PATHS = ["/api/v1/imports/", "/api/v1/changes/"]
INSTALLED_APPS += ["edge"]
# A cached page is answered right after CORS, so a hit skips security headers, CSP, sessions, CSRF, auth and
# messages; the page keeps the headers those inner middlewares gave it (the scheme is in its key, for HSTS). The
# replica middleware sits innermost: it reads the replicas' required position after the generation.
MIDDLEWARE.insert(
    MIDDLEWARE.index("corsheaders.middleware.CorsMiddleware") + 1, "edge.responses.PublicResponseCacheMiddleware"
)
MIDDLEWARE += ["newsroom.replicas.ReplicaReadsMiddleware"]

# Read replicas (newsroom.replicas): anonymous public reads go to a replica that is up and caught up.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = {**database_from_url(_url), "TEST": {"MIRROR": "default"}}
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 5)
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []

# CDN purge on every change (edge.purge): "" (none), varnish, nginx, cloudflare, fastly or cloudfront.
CDN_PURGE_BACKEND = env_str("CDN_PURGE_BACKEND", "")
if CDN_PURGE_BACKEND not in ("", "varnish", "nginx", "cloudflare", "fastly", "cloudfront"):
    raise ImproperlyConfigured(
        f"CDN_PURGE_BACKEND must be empty or one of varnish, nginx, cloudflare, fastly, cloudfront, "
        f"got {CDN_PURGE_BACKEND!r}"
    )
CDN_PURGE_URLS = env_list("CDN_PURGE_URLS", [])  # varnish / nginx nodes, e.g. http://10.0.0.5:6081
CDN_PURGE_PATHS = env_list("CDN_PURGE_PATHS", ["/api/v1/*", "/feeds/*", "/sitemap*"])
CDN_PURGE_ATTEMPTS = env_int("CDN_PURGE_ATTEMPTS", 5)
CDN_SOFT_PURGE = env_bool("CDN_SOFT_PURGE", False)
CLOUDFLARE_API_URL = env_str("CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")
CLOUDFLARE_ZONE_ID = env_str("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = env_str("CLOUDFLARE_API_TOKEN", "")
FASTLY_API_URL = env_str("FASTLY_API_URL", "https://api.fastly.com")
FASTLY_SERVICE_ID = env_str("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = env_str("FASTLY_API_TOKEN", "")
CLOUDFRONT_DISTRIBUTION_ID = env_str("CLOUDFRONT_DISTRIBUTION_ID", "")
CLOUDFRONT_ENDPOINT_URL = env_str("CLOUDFRONT_ENDPOINT_URL", "")

# The editor's desk (issue 17): the name the admin shows in its header and page titles.
NEWSROOM_SITE_NAME = env_str("NEWSROOM_SITE_NAME", "Newsroom").strip() or "Newsroom"
# The article form keeps a draft of its words on the server this often while they change (0: never).
ARTICLE_AUTOSAVE_SECONDS = env_int("ARTICLE_AUTOSAVE_SECONDS", 20)

# Hardening (issue 18): where the API's throttle counts (a CACHES alias; Redis through CACHE_URL shares it).
API_THROTTLE_CACHE = env_str("API_THROTTLE_CACHE", "default")
if API_THROTTLE_CACHE not in CACHES:
    raise ImproperlyConfigured(f"API_THROTTLE_CACHE must name one of CACHES ({', '.join(CACHES)}), got "
                               f"{API_THROTTLE_CACHE!r}")
# Admin sign-in (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one address,
# that account or address is locked out for LOGIN_LOCKOUT_MINUTES. Attempts and lockouts are rows in the database
# (every node sees them), listed in the admin under Axes, where an admin also lifts a lockout.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The address is REMOTE_ADDR, which newsroom.middleware.TrustedProxyMiddleware has already resolved.
AXES_CLIENT_IP_CALLABLE = "newsroom.proxies.resolved_address"
# Before django.contrib.auth, so that its createsuperuser (which validates every password) replaces Django's.
INSTALLED_APPS.insert(0, "newsroom.accounts")

# Content-Security-Policy (Django's own middleware) on every response: scripts, styles and everything else from
# this site only, nothing inline, no plugins, no framing. The admin, its live preview and Swagger UI need no more.
# CSP_IMAGE_SOURCES adds image origins (a CDN or bucket serving media); AWS_S3_CUSTOM_DOMAIN is added itself.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "django.middleware.csp.ContentSecurityPolicyMiddleware")
CSP_IMAGE_SOURCES = env_list("CSP_IMAGE_SOURCES", [])
if MEDIA_STORAGE == "s3" and env_str("AWS_S3_CUSTOM_DOMAIN"):
    CSP_IMAGE_SOURCES.append(f"https://{env_str('AWS_S3_CUSTOM_DOMAIN')}")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:", *CSP_IMAGE_SOURCES],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Bylines, corrections, feeds and sitemaps (issue 14). Links in feeds and sitemaps point at the public website:
# FRONTEND_ARTICLE_URL_TEMPLATE may use {code}, {slug}, {language}, {category}, {year}, {month}, {day}; without it
# they point at the API's detail. FRONTEND_URL is the website's home (feed-level links).
FRONTEND_URL = env_str("FRONTEND_URL", "")
FRONTEND_ARTICLE_URL_TEMPLATE = env_str("FRONTEND_ARTICLE_URL_TEMPLATE", "")
try:
    FRONTEND_ARTICLE_URL_TEMPLATE.format(code="c", slug="s", language="l", category="c", year="y", month="m", day="d")
except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:  # {x}, {0}, "{", {code.x}, {slug[x]}
    raise ImproperlyConfigured(
        "FRONTEND_ARTICLE_URL_TEMPLATE may use only {code}, {slug}, {language}, {category}, {year}, {month} and "
        f"{{day}}: {exc!r}"
    ) from None
FEED_ITEMS = env_int("FEED_ITEMS", 50)
# Sitemaps: URLs per section page (search engines read at most 50,000), Google News' two days and 1,000 URLs.
SITEMAP_PAGE_SIZE = env_int("SITEMAP_PAGE_SIZE", 50_000)
if not 1 <= SITEMAP_PAGE_SIZE <= 50_000:
    raise ImproperlyConfigured(f"SITEMAP_PAGE_SIZE must be from 1 to 50000, got {SITEMAP_PAGE_SIZE}")
SITEMAP_NEWS_LIMIT = env_int("SITEMAP_NEWS_LIMIT", 1000)
SITEMAP_NEWS_PUBLICATION_NAME = env_str("SITEMAP_NEWS_PUBLICATION_NAME", NEWSROOM_SITE_NAME)
# A translation group's hreflang="x-default" is its version in this language (e.g. en); empty: no x-default.
SITEMAP_HREFLANG_DEFAULT = env_str("SITEMAP_HREFLANG_DEFAULT", "").strip().replace("_", "-").lower()
ROBOTS_TXT = env_bool("ROBOTS_TXT", True)  # off when the website serves its own robots.txt
INSTALLED_APPS += ["feeds", "sitemaps"]
API_RESPONSE_CACHE_PATHS += [
    path for path in ["/feeds/", "/sitemap", "/robots.txt"] if path not in API_RESPONSE_CACHE_PATHS
]
