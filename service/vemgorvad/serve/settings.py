"""Operator settings, from the environment. Clients can never raise these."""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass
class Settings:
    query_timeout: float = field(default_factory=lambda: _float("VEMGORVAD_QUERY_TIMEOUT", 10.0))
    result_limit: int = field(default_factory=lambda: _int("VEMGORVAD_RESULT_LIMIT", 10000))
    max_body: int = field(default_factory=lambda: _int("VEMGORVAD_MAX_BODY", 1024 * 1024))
    max_upload: int = field(default_factory=lambda: _int("VEMGORVAD_MAX_UPLOAD", 10 * 1024 * 1024))
    service_allowlist: tuple[str, ...] = field(default_factory=lambda: tuple(
        u for u in os.environ.get("VEMGORVAD_SERVICE_ALLOWLIST", "").split() if u))
    reload_token: str | None = field(default_factory=lambda: os.environ.get("VEMGORVAD_RELOAD_TOKEN") or None)
    query_workers: int = field(default_factory=lambda: _int("VEMGORVAD_QUERY_WORKERS", 2))
