"""GET /api/ask and GET /api/compare, exactly as CONTRACT.md describes, with Swedish errors."""
from __future__ import annotations

import asyncio
import contextvars
import time
import weakref
from collections.abc import Callable
from typing import Any, cast

from fastapi import APIRouter, Query, Request

from .. import deadline
from ..caches import Key
from ..api_error import ApiError
from ..observability.flags import note_timeout
from ..present import cards
from ..present import compare as comparison
from ..present.facts import Validity, agreement_validity
from ..state import served, state_of
from .engine import COMPARE_PAGE, AskEngine
from .index import named
from .threads import ASK_CONCURRENCY, ASK_THREADS
from .understanding import validate_question

router = APIRouter(tags=["fråga"])
COMPARE_PAGE_MAX = 100
_THREADS = ASK_THREADS
_PLACES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _places() -> asyncio.Semaphore:
    """The ASK_CONCURRENCY places of the running event loop (one per loop: a semaphore belongs to
    the loop it is first waited on in)."""
    loop = asyncio.get_running_loop()
    places = _PLACES.get(loop)
    if places is None:
        places = _PLACES[loop] = asyncio.Semaphore(ASK_CONCURRENCY)
    return places


def engine(request: Request) -> AskEngine:
    return served(request).ask_engine()


VALIDITY: Key[dict[str, Validity]] = Key("agreement-validity")


def validity(request: Request) -> dict[str, Validity]:
    """The agreements' validity periods, read once per served graph (for the cards' status)."""
    bundle = served(request)
    return bundle.sparql.memo(VALIDITY, lambda: agreement_validity(bundle.store))


def _agreement(eng: AskEngine, key: str | None) -> str | None:
    if key is None or key == "":
        return None
    if key not in eng.index.agreements:
        raise ApiError(404, f"Okänd överenskommelse: {key!r}. Giltiga nycklar: {', '.join(eng.agreement_keys())}.",
                       valid=eng.agreement_keys())
    return key


def _within(until: float, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    with deadline.limited(until):
        deadline.check()                 # waited for a thread past its deadline: not begun
        return work()


async def _bounded(request: Request, work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`work` run in a thread by a deadline counted from the request's arrival
    (VEMGORVAD_ASK_TIMEOUT): the work checks it as it goes and stops, and the client gets a 503 in
    time either way. The request holds one of the ASK_CONCURRENCY places while it waits for the
    work and gives it back when it ends, whether the work has come back or not."""
    limit = float(state_of(request).settings.ask_timeout)
    until = deadline.deadline(request, limit)
    places = _places()
    try:
        await asyncio.wait_for(places.acquire(), max(0.01, until - time.monotonic()))
    except TimeoutError:
        note_timeout("ask")
        raise _too_long(limit) from None
    submitted = None
    try:
        submitted = _THREADS.submit(contextvars.copy_context().run, _within, until, work)
        return await asyncio.wait_for(asyncio.wrap_future(submitted), max(0.01, until - time.monotonic()))
    except (TimeoutError, deadline.DeadlineExceeded):
        note_timeout("ask")
        if submitted is not None:       # still running (a store query): counted on /metrics until it ends
            _THREADS.overdue(submitted)
        raise _too_long(limit) from None
    except asyncio.CancelledError:      # the client left: its work, if begun, runs on unwatched
        if submitted is not None:
            _THREADS.overdue(submitted)
        raise
    finally:
        places.release()


def _too_long(limit: float) -> ApiError:
    return ApiError(503, f"Frågan tog längre tid än tjänstens gräns ({limit:g} s) och avbröts. Försök med en "
                         f"kortare fråga.", {"Retry-After": "1"})


TOO_LONG: dict[int | str, dict[str, Any]] = {503: {"description": "Frågan tog för lång tid och avbröts"}}


@router.get("/api/ask", summary="Vem ansvarar för …? Svar med ansvarig, villkor och citat", responses=TOO_LONG)
async def ask(request: Request, q: str | None = Query(None, description="Frågan, på svenska"),
              agreement: str | None = Query(None, description="Begränsa till en överenskommelse (nyckel)")) -> dict[str, Any]:
    try:
        question = validate_question(q)
    except ValueError as err:
        raise ApiError(400, str(err)) from None

    def work() -> dict[str, Any]:
        eng = engine(request)
        return cards.enrich(eng.ask(question, _agreement(eng, agreement)), eng.store, validity(request))
    return await _bounded(request, work)


@router.get("/api/compare", summary="Hur överenskommelserna reglerar en fråga eller ett område, län för län",
            responses=TOO_LONG)
async def compare(request: Request,
                  topic: str | None = Query(None, description="Ämnesnyckel, t.ex. kostnadsfordelning"),
                  q: str | None = Query(None, description="En fråga att ställa till varje överenskommelse"),
                  page: str | None = Query(None, description="Sida (1, 2, …)"),
                  per_page: str | None = Query(None,
                                               description=f"Överenskommelser per sida (1–{COMPARE_PAGE_MAX})")) -> dict[str, Any]:
    """One row per agreement, each what /api/ask gives for the same question with that agreement
    chosen; a topic is asked as "Vem ansvarar för <område>?". A page of agreements at a time, by
    the same deadline as /api/ask."""
    return await _bounded(request, lambda: _compare(request, topic, q, page, per_page))


def _compare(request: Request, topic: str | None, q: str | None, page: str | None, per_page: str | None) -> dict[str, Any]:
    eng = engine(request)
    if q is not None:
        try:
            question = validate_question(q)
        except ValueError as err:
            raise ApiError(400, str(err)) from None
        number, size, keys = _page(eng, page, per_page)
        return {**comparison.compare(eng, question, eng.store, validity(request), keys=keys),
                **_page_info(eng, number, size)}
    if not topic:
        raise ApiError(400, "Ange ett område (parametern topic) eller en fråga (parametern q).")
    if topic not in eng.index.topic_labels:
        raise ApiError(404, f"Okänt område: {topic!r}. Giltiga områden: {', '.join(sorted(eng.index.topic_labels))}.",
                       valid=sorted(eng.index.topic_labels))
    label = eng.index.topic_labels[topic]
    number, size, keys = _page(eng, page, per_page)
    body = comparison.compare(eng, comparison.topic_question(label), eng.store, validity(request), topic=topic,
                              label=label, keys=keys)
    return {**body, **_page_info(eng, number, size)}


def _page(eng: AskEngine, page: str | None, per_page: str | None) -> tuple[int, int, list[str]]:
    number = _positive(page, "page", 1, None)
    size = _positive(per_page, "per_page", COMPARE_PAGE, COMPARE_PAGE_MAX)
    keys = eng.agreement_keys()
    pages = max(1, -(-len(keys) // size))
    if number > pages:
        raise ApiError(404, f"Sidan {number} finns inte; jämförelsen har {pages} sidor.")
    return number, size, keys[(number - 1) * size: number * size]


def _page_info(eng: AskEngine, number: int, size: int) -> dict[str, Any]:
    total = len(eng.agreement_keys())
    return {"page": number, "per_page": size, "total": total, "pages": max(1, -(-total // size))}


def _positive(value: str | None, name: str, default: int, highest: int | None) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1 or (highest is not None and int(value) > highest):
        limit = f" och högst {highest}" if highest is not None else ""
        raise ApiError(400, f"Parametern {name} ska vara ett heltal från 1{limit}.")
    return int(value)


@router.get("/api/agreements", summary="Överenskommelserna i grafen")
def agreements(request: Request) -> list[dict[str, Any]]:
    eng = engine(request)
    return [{"key": k, "title": v["title"], "county": v.get("county"), "id": v.get("a"),
             "valid_from": v.get("validFrom"), "valid_to": v.get("validTo"),
             "responsibilities": int(v.get("responsibilities") or 0),
             "topics": sorted(eng.index.regulates.get(k, set()))} for k, v in sorted(eng.index.agreements.items())]


@router.get("/api/topics", summary="Områdena som överenskommelser kan reglera")
def topics(request: Request) -> list[dict[str, Any]]:
    eng = engine(request)
    return [{"key": k, "label": v} for k, v in sorted(eng.index.topic_labels.items())]


@router.get("/api/passage", summary="Ett citat i sitt sammanhang: avsnittets text med citatets position")
def passage(request: Request, responsibility: str | None = Query(None, description="IRI för ett ansvar")) -> dict[str, Any]:
    eng = engine(request)
    if not responsibility or not responsibility.startswith("https://w3id.org/vemgorvad/id/") or \
            any(ch in responsibility for ch in '<>"{}|^`\\ '):
        raise ApiError(400, "Ange ett ansvar: parametern responsibility ska vara en IRI i vemgörvads namnrymd.")
    query = named("passage").replace("#values", f"VALUES ?r {{ <{responsibility}> }}", 1)
    rows = eng.store.values(query)
    if not rows:
        raise ApiError(404, "Ansvaret finns inte i grafen.")
    row = rows[0]                       # the passage query binds ?text, ?start and ?end in every row
    text = cast(str, row["text"])
    start, end = int(cast(str, row["start"])), int(cast(str, row["end"]))
    s_start = int(cast(str, row["sectionStart"])) if row.get("sectionStart") else max(0, text.rfind("\n", 0, start) + 1)
    s_end = int(cast(str, row["sectionEnd"])) if row.get("sectionEnd") else len(text)
    if not s_start <= start <= end <= s_end:  # a quote outside its section's span (a displaced block)
        s_start, s_end = min(s_start, start), max(s_end, end)
    return {"responsibility": responsibility, "agreement": {"key": row["agreement"], "title": row["title"]},
            "section": row.get("path") or row.get("heading") or "", "text": text[s_start:s_end],
            "quote_start": start - s_start, "quote_end": end - s_start}
