import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings import database_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Qp9Lm2Vb8Rt4Zw6Yc1Nd5Hs0Jf3Gk" * 2


def manage(*args, **env):
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_postgres_url_selects_psycopg_with_a_connect_timeout():
    config = database_from_url("postgres://news:secret@db.internal:5433/newsroom")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == ("db.internal", 5433, "newsroom", "news")
    assert config["OPTIONS"]["connect_timeout"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True


def test_sqlite_url_selects_sqlite(tmp_path):
    config = database_from_url(f"sqlite:///{tmp_path}/sub/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert (tmp_path / "sub").is_dir()


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "not a url", "redis://localhost:6379"])
def test_unsupported_database_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)


def test_env_helpers_parse_and_name_the_variable(monkeypatch):
    monkeypatch.setenv("NR_FLAG", "off")
    monkeypatch.setenv("NR_NUM", "12")
    monkeypatch.setenv("NR_LIST", "a.example, b.example,,")
    assert env_bool("NR_FLAG", True) is False
    assert env_int("NR_NUM", 1) == 12
    assert env_list("NR_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("NR_FLAG", "maybe")
    monkeypatch.setenv("NR_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="NR_FLAG"):
        env_bool("NR_FLAG", True)
    with pytest.raises(ImproperlyConfigured, match="NR_NUM"):
        env_int("NR_NUM", 1)


def test_deploy_check_is_clean_under_production_env():
    result = manage("check", "--deploy", DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="news.example.com")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_with_the_development_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env={**env, "DEBUG": "0"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_django_s_file_count_limit_follows_the_import_api_s():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DATA_UPLOAD_MAX_NUMBER_FILES)",
                    IMPORT_API_MAX_FILES="250")
    assert result.stdout.split()[-1] == "250", result.stderr


@pytest.mark.parametrize("size", ["0", "50001"])
def test_a_sitemap_page_beyond_the_protocol_s_50000_urls_is_refused(size):
    result = manage("check", SITEMAP_PAGE_SIZE=size)
    assert result.returncode != 0
    assert "SITEMAP_PAGE_SIZE" in result.stderr


@pytest.mark.parametrize("template", ["https://news.example.com/{id}", "https://news.example.com/{0}",
                                      "https://news.example.com/{slug", "https://news.example.com/{code.x}",
                                      "https://news.example.com/{slug[x]}"])
def test_a_frontend_url_template_with_an_unknown_placeholder_is_refused_at_startup(template):
    result = manage("check", FRONTEND_ARTICLE_URL_TEMPLATE=template)
    assert result.returncode != 0
    assert "ImproperlyConfigured: FRONTEND_ARTICLE_URL_TEMPLATE may use only" in result.stderr, result.stderr


def test_a_frontend_url_template_with_every_placeholder_starts():
    template = "https://news.example.com/{language}/{category}/{year}/{month}/{day}/{slug}-{code}"
    assert manage("check", FRONTEND_ARTICLE_URL_TEMPLATE=template).returncode == 0
