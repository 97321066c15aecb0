"""Variants of each case of issue 10, beside the cases themselves (__main__.cases): other escapes and
literals that could hide a SERVICE or a FROM from any reader that is not the engine's own parser,
other spellings of loopback; zip and DOCX bombs; nested JSON and nested queries; long and many
headers; trickled bodies (slowloris); many Host headers; many distinct large queries."""
from __future__ import annotations

import io
import socket
import time
import zipfile

QUERY_LIMIT, ASK_LIMIT, CHECK_LIMIT = 10.0, 10.0, 60.0

#: Escapes of PN_LOCAL_ESC (SPARQL 1.1, 19.8) and percent-encodings, each in a prefixed name.
ESCAPES = ("\\.", "\\;", "\\!", "\\$", "\\&", "\\(", "\\)", "\\*", "\\+", "\\,", "\\=", "\\/", "\\?", "\\@",
           "\\%", "\\~", "\\-", "\\_", "%23", "%27")
W = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
     '<w:body>')
END = "</w:body></w:document>"


def docx(document: str | bytes, extra: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    """A DOCX package around `document` (word/document.xml), deflated at level 9."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
        for name, data in extra:
            z.writestr(name, data)
    return buffer.getvalue()


def laughs() -> str:
    """word/document.xml with a billion-laughs entity (10^9 'lol')."""
    entities = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + W.split("?>", 1)[1]
            + "<w:p><w:r><w:t>&l9;</w:t></w:r></w:p>" + END)


def hidden_queries(port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}/sparql"
    e = "PREFIX e: <http://e/> "
    svc = f"SERVICE SILENT <{url}> {{ ?a ?b ?c }}"
    out = [e + f"SELECT * {{ OPTIONAL {{ ?s e:a{esc}b ?o }} {svc} }}" for esc in ESCAPES]
    out += [e + f"SELECT * FROM <{url}> {{ ?s e:a{esc}b ?o }}" for esc in ESCAPES[:6]]
    out += [
        f'SELECT * {{ BIND("#" AS ?x) {svc} }}',
        "SELECT * { BIND('''#}''' AS ?x) " + svc + " }",
        'SELECT * { BIND("""\\"#""" AS ?x) ' + svc + " }",
        f"SELECT * {{ BIND('\\u0023' AS ?x) {svc} }}",
        f"SELECT * {{ <http://e/#> ?p ?o . {svc} }}",
        f"SELECT * {{ SeRvIcE SiLeNt <{url}> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ SERVICE\tSILENT\n<{url}>{{?a ?b ?c}} }}",
        f"SELECT * \\u0046ROM <{url}> {{ ?s ?p ?o }}",
        f"select * from <{url}> where {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}> FROM <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * {{ GRAPH <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ MINUS {{ {svc} }} }}",
        f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ {svc} }} }}",
        f"SELECT * {{ OPTIONAL {{ {svc} }} }}",
        f"SELECT * {{ SERVICE SILENT <http://[::1]:{port}/sparql> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ SERVICE SILENT <http://localhost:{port}/sparql> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ SERVICE SILENT <http://2130706433:{port}/sparql> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ SERVICE SILENT <http://0x7f.0.0.1:{port}/sparql> {{ ?a ?b ?c }} }}",
        f"SELECT * {{ SERVICE SILENT <https://127.0.0.1:{port}/sparql> {{ ?a ?b ?c }} }}",
    ]
    return out


def variants(port: int) -> list[tuple[str, float, dict]]:
    """(name, limit in seconds, httpx.request keyword arguments, or raw_slow for a trickled body)."""
    query = {"Content-Type": "application/sparql-query"}
    out: list[tuple[str, float, dict]] = []
    for i, text in enumerate(hidden_queries(port)):
        out.append((f"hidden {i} GET", QUERY_LIMIT, {"method": "GET", "url": "/sparql", "params": {"query": text}}))
        out.append((f"hidden {i} form", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "data": {"query": text}}))
    paragraph = "<w:p><w:r><w:t>Kommunen ansvarar för boendet.</w:t></w:r></w:p>"

    def upload(name: str, filename: str, data: bytes) -> tuple[str, float, dict]:
        return (name, CHECK_LIMIT, {"method": "POST", "url": "/api/check", "files": {"file": (filename, data)}})
    out += [upload("docx bomb", "b.docx", docx(W + paragraph * 2_000_000 + END)),
            upload("docx one huge run", "r.docx", docx(W + "<w:p><w:r><w:t>" + "a" * 200_000_000
                                                       + "</w:t></w:r></w:p>" + END)),
            upload("docx billion laughs", "l.docx", docx(laughs())),
            upload("docx 20000 entries", "m.docx", docx(W + paragraph + END, tuple(
                (f"word/media/x{i}.xml", b"") for i in range(20_000)))),
            upload("docx nested xml", "n.docx", docx(W + "<w:p>" * 200_000 + "</w:p>" * 200_000 + END)),
            upload("zip bomb named .pdf", "z.pdf", docx(W + "a" * 100_000_000 + END))]
    json_body = {"Content-Type": "application/json"}
    out += [("nested JSON array", CHECK_LIMIT, {"method": "POST", "url": "/api/check/report", "headers": json_body,
                                               "content": ("[" * 100_000 + "]" * 100_000).encode()}),
            ("nested JSON object", CHECK_LIMIT, {"method": "POST", "url": "/api/check/report", "headers": json_body,
                                                "content": ('{"a":' * 50_000 + "1" + "}" * 50_000).encode()}),
            ("nested query form", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "data": {
                "query": "SELECT * WHERE " + "{ " * 20_000 + "?s ?p ?o " + "} " * 20_000}}),
            ("nested FILTER", QUERY_LIMIT, {"method": "GET", "url": "/sparql", "params": {
                "query": "SELECT * { ?s ?p ?o FILTER(" + "(" * 5_000 + "1" + ")" * 5_000 + ") }"}})]
    out += [("100 kB header", 2.0, {"method": "GET", "url": "/health", "headers": {"X-Long": "a" * 100_000}}),
            ("2000 headers", 2.0, {"method": "GET", "url": "/sparql",
                                   "headers": {f"X-H{i}": "a" * 50 for i in range(2_000)}})]
    out += [(f"slow body {path}", limit, {"raw_slow": path, "content_type": kind})
            for path, limit, kind in (("/sparql", QUERY_LIMIT, "application/sparql-query"),
                                      ("/api/check", CHECK_LIMIT, "text/plain"),
                                      ("/api/check/report", CHECK_LIMIT, "application/json"))]
    out += [(f"many hosts {i}", QUERY_LIMIT, {"method": "GET", "url": ("/sparql", "/api/ask/", "/id/x", "/")[i % 4],
                                              "headers": {"Host": f"x{i}.rebind.example:{8000 + i}"}})
            for i in range(200)]
    out += [(f"large VALUES {i}", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "headers": query, "content": (
                "SELECT * { VALUES ?v { " + " ".join(f'"{i}-{j}"' for j in range(40_000)) + " } ?s ?p ?v }"
            ).encode()}) for i in range(10)]
    out += [(f"large FILTER IN {i}", QUERY_LIMIT, {"method": "POST", "url": "/sparql", "headers": query, "content": (
                "SELECT * { ?s ?p ?o FILTER(?o IN (" + ",".join(f'"{i}.{j}"' for j in range(40_000)) + ")) } LIMIT 5"
            ).encode()}) for i in range(10)]
    return out


def slow_body(port: int, path: str, content_type: str, limit: float) -> int:
    """Slowloris: declare 100,000 bytes and send one a second; the status the server answers, or -1
    when it answered nothing within the limit + 30 s."""
    with socket.create_connection(("127.0.0.1", port), timeout=limit + 30) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
                  f"Content-Length: 100000\r\n\r\n".encode())
        s.settimeout(1)
        started, reply = time.monotonic(), b""
        while time.monotonic() - started < limit + 30:
            try:
                s.sendall(b"a")
            except OSError:
                pass
            try:
                chunk = s.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            reply += chunk
            if not chunk or b"\r\n" in reply:
                break
        parts = reply.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1
