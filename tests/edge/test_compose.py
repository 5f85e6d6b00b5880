"""The compose stack's wiring (it cannot be started here): stateless web nodes behind nginx on shared servers."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("migrate", "web", "worker")


def test_every_app_service_shares_postgresql_redis_and_object_storage():
    for name in APP_SERVICES:
        environment = SERVICES[name]["environment"]
        assert SERVICES[name]["build"] == "."
        assert "@db:5432/" in environment["DATABASE_URL"]
        assert environment["CACHE_URL"].startswith("redis://redis:6379/")
        assert environment["TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
        assert environment["MEDIA_STORAGE"] == "s3" and environment["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert "SECRET_KEY" in environment and environment["DEBUG"] == "0"
        assert not SERVICES[name].get("volumes"), f"{name} keeps files on its own disk"


def test_web_scales_behind_nginx_and_waits_for_migrations():
    web = SERVICES["web"]
    assert "ports" not in web  # scaled replicas cannot share a host port; nginx is the one entry point
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "gunicorn" in web["command"]
    assert SERVICES["worker"]["command"][-1] == "worker"
    assert SERVICES["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert SERVICES["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"


def test_nginx_proxies_the_web_tier_and_serves_media_with_nosniff():
    nginx = SERVICES["nginx"]
    mount = next(volume for volume in nginx["volumes"] if volume.endswith(":/etc/nginx/conf.d/default.conf:ro"))
    config = (ROOT / mount.split(":")[0]).read_text()
    assert re.search(r"server web:8000;", config)
    assert "proxy_pass http://newsroom_web;" in config
    assert re.search(r"location /media/ \{[^}]*X-Content-Type-Options nosniff always", config)
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in config


def test_services_with_state_are_healthchecked_and_published_only_on_loopback():
    for name in ("db", "redis", "minio"):
        assert "healthcheck" in SERVICES[name], name
    for service in SERVICES.values():
        assert all(str(port).startswith("127.0.0.1:") for port in service.get("ports", []))
    assert any(volume.split(":")[0] in COMPOSE["volumes"] for volume in SERVICES["db"]["volumes"])
    assert any(volume.split(":")[0] in COMPOSE["volumes"] for volume in SERVICES["minio"]["volumes"])
    assert "mc mb" in " ".join(SERVICES["minio-setup"]["command"])


def test_the_image_contains_every_app_of_the_project(settings):
    """A new app left out of the Dockerfile or the package list would be missing from every node."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    pyproject = (ROOT / "pyproject.toml").read_text()
    local = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name.split(".")[0]).is_dir()}
    assert {"articles", "media", "changes", "edge"} <= local
    for package in local | {"newsroom"}:
        assert f"COPY {package} ./{package}" in dockerfile, package
        assert f'"{package}*"' in pyproject, package
