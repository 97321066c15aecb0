"""Running a protocol query on a remote SPARQL 1.1 endpoint (the store given by `--endpoint`).
The query goes as it came (after the safety checks), with the protocol's dataset parameters; the
answer is read as SPARQL JSON or N-Triples and written in the negotiated format by results.py,
so the result cap and the formats are the same as with the embedded store. Our deadline ends our
wait; the endpoint's own timeout (Oxigraph --timeout-s, Fuseki arq:queryTimeout) ends its work."""
from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pyoxigraph

from ...store.remote import canonical_json_bytes
from .pool import timed_out
from .results import Job, Outcome, error, serialise

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
# Asked for by the query's form: a store may answer a CONSTRUCT in the first type of a mixed Accept
# it can write (Virtuoso sends its triples as SPARQL JSON rows of ?s ?p ?o).
ACCEPT_BY_FORM = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
                  "CONSTRUCT": "application/n-triples, text/turtle;q=0.9",
                  "DESCRIBE": "application/n-triples, text/turtle;q=0.9"}


def capped(query: str, decision: dict[str, Any], limit: int) -> str:
    """A SELECT with no LIMIT, OFFSET, VALUES or ORDER BY anywhere (as the decision's parse read
    it, subqueries included) asks the store for one row more than the result limit: the answer is
    the same (the whole result, or 422 when it is larger than the limit), but a store never sends
    every row of a huge result only for it to be refused. Any other query goes as it came: a LIMIT
    after a trailing VALUES, or a second LIMIT, would not parse, and Virtuoso refuses a sorted
    LIMIT above its MaxSortedTopRows (10000 by default)."""
    if decision.get("form") != "SELECT" or decision.get("modified", True):
        return query
    return f"{query}\nLIMIT {limit + 1}"      # on its own line: the query may end in a # comment


def run_remote(endpoint: str, job: Job, decision: dict[str, Any], deadline: float, timeout: float) -> Outcome:
    """Send a decided query (decide.py, in a worker: its form, its dataset) to the endpoint, with
    the dataset the decision read made explicit, and wait until the deadline."""
    form = decision["form"]
    query = capped(f"BASE <{job.base_iri}>\n{job.query}" if job.base_iri else job.query, decision, job.limit)
    default_graphs, named_graphs = job.default_graphs, job.named_graphs
    if default_graphs is None and named_graphs is None:
        default_graphs, named_graphs = decision.get("from_graphs"), decision.get("from_named")
    fields = [("query", query)]
    fields += [("default-graph-uri", g) for g in default_graphs or ()]
    fields += [("named-graph-uri", g) for g in named_graphs or ()]
    wait = deadline - time.monotonic()
    if wait <= 0:
        return timed_out(timeout)
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode(fields).encode("ascii"), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": ACCEPT_BY_FORM.get(form, ACCEPT)})
    try:
        with urllib.request.urlopen(request, timeout=wait) as response:
            media = response.headers.get_content_type()
            body = response.read()
    except urllib.error.HTTPError as err:
        text = err.read().decode("utf-8", "replace")[:2000]
        if err.code == 400:
            return error(400, f"Syntaxfel eller annat fel i frågan enligt SPARQL-databasen: {text}")
        return error(502 if err.code >= 500 else err.code, f"SPARQL-databasen svarade {err.code}: {text}")
    except TimeoutError:
        return timed_out(timeout)
    except (urllib.error.URLError, ConnectionError, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return timed_out(timeout)
        return error(503, f"SPARQL-databasen svarar inte ({reason}). Försök igen om en stund.")
    result: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | Iterator[pyoxigraph.Triple]
    try:
        if media == "application/sparql-results+json":
            result = pyoxigraph.parse_query_results(canonical_json_bytes(body),
                                                    format=pyoxigraph.QueryResultsFormat.JSON)
        else:
            fmt = pyoxigraph.RdfFormat.from_media_type(media) or pyoxigraph.RdfFormat.N_TRIPLES
            result = (quad.triple for quad in pyoxigraph.parse(body, format=fmt))
        return serialise(result, job)
    except (SyntaxError, ValueError) as err:
        return error(502, f"SPARQL-databasen gav ett svar som inte gick att läsa: {err}")
