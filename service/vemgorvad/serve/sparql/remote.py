"""Running a protocol query on a remote SPARQL 1.1 endpoint (the store given by `--endpoint`).
The query goes as it came (after the safety checks), with the protocol's dataset parameters; the
answer is read as SPARQL JSON or N-Triples and written in the negotiated format by results.py,
so the result cap and the formats are the same as with the embedded store. Our deadline ends our
wait; the endpoint's own timeout (Oxigraph --timeout-s, Fuseki arq:queryTimeout) ends its work."""
from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph

from ...store.remote import canonical_json_bytes
from .lexer import analyse, tokens
from .pool import timed_out
from .results import Job, Outcome, error, serialise

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
# Asked for by the query's form: a store may answer a CONSTRUCT in the first type of a mixed Accept
# it can write (Virtuoso sends its triples as SPARQL JSON rows of ?s ?p ?o).
ACCEPT_BY_FORM = {"SELECT": "application/sparql-results+json", "ASK": "application/sparql-results+json",
                  "CONSTRUCT": "application/n-triples, text/turtle;q=0.9",
                  "DESCRIBE": "application/n-triples, text/turtle;q=0.9"}


UNCAPPED = {"LIMIT", "OFFSET", "VALUES", "ORDER"}


def capped(query: str, form: str | None, limit: int) -> str:
    """A SELECT with no LIMIT, OFFSET, VALUES or ORDER BY anywhere asks the store for one row more
    than the result limit: the answer is the same (the whole result, or 422 when it is larger than
    the limit), but a store never sends every row of a huge result only for it to be refused. Any
    other query goes as it came: a LIMIT after a trailing VALUES, or a second LIMIT, would not
    parse, and Virtuoso refuses a sorted LIMIT above its MaxSortedTopRows (10000 by default)."""
    if form != "SELECT":
        return query
    if any(kind == "word" and value.upper() in UNCAPPED for kind, value in tokens(query)):
        return query
    return f"{query}\nLIMIT {limit + 1}"      # on its own line: the query may end in a # comment


def run_remote(endpoint: str, job: Job, timeout: float) -> Outcome:
    form = analyse(job.query).form
    if form is None:   # no query form: not a query any store should be asked to guess at (Virtuoso runs it as an update)
        return error(400, "Frågan saknar SELECT, ASK, CONSTRUCT eller DESCRIBE och är ingen SPARQL-fråga.\n"
                          "(The query has no query form.)")
    query = f"BASE <{job.base_iri}>\n{job.query}" if job.base_iri else job.query
    query = capped(query, form, job.limit)
    fields = [("query", query)]
    fields += [("default-graph-uri", g) for g in job.default_graphs or ()]
    fields += [("named-graph-uri", g) for g in job.named_graphs or ()]
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode(fields).encode("ascii"), method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": ACCEPT_BY_FORM.get(form, ACCEPT)})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
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
