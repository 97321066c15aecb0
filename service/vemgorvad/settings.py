"""Every setting of vemgörvad, in one place: read from the environment (``VEMGORVAD_<FIELD>``) by
pydantic-settings, validated once, with the defaults documented here. Clients can never raise any
of them. A value that does not parse stops the command with one line naming the variable.

Paths (``home``, ``var``) are read by paths.py; the service's limits by serve/state.py, which
hands the one Settings object to everything it starts. Add a setting here, never an
``os.environ`` read elsewhere.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

YES = ("1", "true", "yes", "on", "ja")


class Locations(BaseSettings):
    """Where things are (tests point these at a throw-away copy of the project; the evaluation at a
    list of lexicon entries to leave out). Read on their own by paths.py and language.py at
    import: a path always parses, so importing never fails on a bad setting."""
    model_config = SettingsConfigDict(env_prefix="VEMGORVAD_", frozen=True, extra="ignore")

    home: Path | None = Field(default=None, description="the project root (data/, ontology/, shapes/, queries/)")
    var: Path | None = Field(default=None, description="where builds are written (default: <home>/var)")
    lexicon_exclude: Path | None = Field(default=None, description="a JSON file listing lexicon entry ids to "
                                                                   "switch off (language.py; leave-one-agreement-out scoring)")


class Settings(Locations):
    query_timeout: float = Field(10.0, gt=0, description="seconds a SPARQL query may take, queueing included")
    result_limit: int = Field(10000, gt=0, description="rows or triples in one /sparql answer")
    max_body: int = Field(1024 * 1024, gt=0, description="bytes of a request body (uploads aside)")
    max_upload: int = Field(10 * 1024 * 1024, gt=0, description="bytes of an upload to /api/check")
    max_header_kb: int = Field(64, gt=0, description="KiB of a request's head (request line and header fields "
                               "together); more gets 431")
    service_allowlist: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="SERVICE endpoints a query may call (space-separated IRIs)")
    reload_token: str | None = Field(None, description="bearer token of POST /admin/reload (off without one)")
    allow_stale: bool = Field(False, description="serve a graph built from other data than data/ holds now")
    query_workers: int = Field(2, ge=1, description="SPARQL worker processes")
    query_memory_mb: int = Field(512, ge=0, description="address-space ceiling of a SPARQL worker (0: none)")
    query_shared_quads: int = Field(1_000_000, ge=0, description="from this many quads on, the evaluating SPARQL "
                                    "workers share one read-only copy of the graph on disk instead of each "
                                    "holding its own in memory (faster, but one copy per worker)")
    query_engine_quads: int = Field(1_000_000, ge=0, description="from this many quads on, /sparql queries are "
                                    "evaluated by an Oxigraph server process holding the graph in memory "
                                    "(started and watched by the service, loopback only; the workers "
                                    "evaluate while it is replaced) instead of the evaluating workers: "
                                    "2-5x faster at 2 M quads, for its in-memory copy; not while SERVICE "
                                    "endpoints are allow-listed (0: never)")
    check_memory_mb: int = Field(512, ge=0, description="address-space ceiling of a gap-check worker (0: none)")
    check_timeout: float = Field(60.0, gt=0, description="seconds a gap check may take, queueing included")
    ask_timeout: float = Field(10.0, gt=0, description="seconds /api/ask may take, counted from arrival")
    public_base_url: str = Field("", description="the service's public URL for links, redirects and the service "
                                                 "description (default: http://HOST:PORT/ of `serve`); never the "
                                                 "Host header")
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        (), description="Host headers accepted besides the public URL's host and loopback (space-separated; * any)")
    answer_cache_mb: int = Field(64, ge=0, description="memory for cached /sparql answers (0: no cache)")
    derived_cache_mb: int = Field(128, ge=0, description="memory for what is computed once from the graph: "
                                  "service descriptions, VoID, dumps (0: computed for every request)")
    worker_nice: int = Field(10, ge=0, le=19, description="how much lower the workers' CPU priority is")
    check_small_kb: int = Field(16, ge=0, description="uploads up to this size get their own check worker")
    check_priority_cpu: float = Field(5.0, ge=0, description="CPU seconds of whole-agreement gap checks that may "
                                      "run at the server's priority at once (a bucket refilled at "
                                      "check_priority_refill per second); past them, they run worker_nice below "
                                      "it (0: always below it)")
    check_priority_refill: float = Field(0.5, ge=0, description="CPU seconds per second that flow back into "
                                         "check_priority_cpu: the long-run share of a core checks may take at the "
                                         "server's priority")

    @field_validator("service_allowlist", "allowed_hosts", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return tuple(value.split()) if isinstance(value, str) else value

    @field_validator("reload_token", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        # surrounding whitespace (a token read from a file ends in a newline) is not part of the token
        return (value.strip() if isinstance(value, str) else value) or None

    @field_validator("allow_stale", mode="before")
    @classmethod
    def _yes(cls, value: Any) -> Any:
        return value.strip().lower() in YES if isinstance(value, str) else value


class SettingsError(ValueError):
    """A setting in the environment that does not parse; the message is one line."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with `overrides` (tests, the command line) on top."""
    try:
        return Settings(**overrides)
    except ValidationError as err:
        problems = "; ".join(f"VEMGORVAD_{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}"
                             for e in err.errors())
        raise SettingsError(f"ogiltig inställning (invalid setting): {problems}") from None


@cache
def settings() -> Settings:
    """The settings of this process, read once."""
    return load_settings()
