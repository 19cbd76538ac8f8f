"""Settings come from INBEELD_* variables and fail loudly on bad or missing values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BOOT = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='inbeeld.settings'; "
    "django.setup(); print('started')"
)


def _boot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INBEELD_")}
    clean.update({"INBEELD_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", BOOT],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_keys(tmp_path):
    result = _boot(tmp_path)
    assert result.returncode != 0
    for name in ("INBEELD_SECRET_KEY", "INBEELD_FIELD_KEYS", "INBEELD_BLIND_INDEX_KEY"):
        assert name in result.stderr
    assert not (tmp_path / "dev-secrets.json").exists()


def test_demo_mode_generates_keys_once_and_keeps_them(tmp_path):
    first = _boot(tmp_path, INBEELD_DEMO="1")
    assert first.returncode == 0, first.stderr
    keys = (tmp_path / "dev-secrets.json").read_text()
    assert _boot(tmp_path, INBEELD_DEMO="1").returncode == 0
    assert (tmp_path / "dev-secrets.json").read_text() == keys


def test_keys_may_come_from_files(tmp_path):
    from cryptography.fernet import Fernet

    secret_file = tmp_path / "secret"
    secret_file.write_text("x" * 50)
    keys_file = tmp_path / "keys"
    keys_file.write_text(Fernet.generate_key().decode() + "\n")
    result = _boot(
        tmp_path,
        INBEELD_SECRET_KEY_FILE=str(secret_file),
        INBEELD_FIELD_KEYS_FILE=str(keys_file),
        INBEELD_BLIND_INDEX_KEY="blind",
        INBEELD_ALLOWED_HOSTS="inbeeld.example",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INBEELD_DEBUG", "maybe", "INBEELD_DEBUG must be one of"),
        ("INBEELD_SESSION_IDLE_MINUTES", "thirty", "INBEELD_SESSION_IDLE_MINUTES must be a whole number"),
        ("INBEELD_SESSION_IDLE_MINUTES", "0", "between 1 and 1440"),
        ("INBEELD_CACHE", "redis", "INBEELD_CACHE must be"),
        ("INBEELD_PHONE_COUNTRY_CODE", "+31", "INBEELD_PHONE_COUNTRY_CODE must be digits"),
        ("INBEELD_SECRET_KEY_FILE", "/nonexistent/secret", "cannot be read"),
    ],
)
def test_bad_values_stop_start_up_with_a_message(tmp_path, name, value, message):
    result = _boot(tmp_path, INBEELD_DEMO="1", **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_bad_field_key_is_named(tmp_path):
    boot = BOOT
    env = {k: v for k, v in os.environ.items() if not k.startswith("INBEELD_")}
    env.update(
        INBEELD_VAR_DIR=str(tmp_path),
        INBEELD_SECRET_KEY="y" * 40,
        INBEELD_FIELD_KEYS="not-a-key",
        INBEELD_BLIND_INDEX_KEY="b",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", boot],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "INBEELD_FIELD_KEYS must hold Fernet keys" in result.stderr
