"""The engine loads the build's dump a piece of whole lines at a time (store/pieces.py): the
pieces cover the dump exactly, a blank node label keeps the rest of the dump in one piece, and an
engine loaded in small pieces holds the same graph as the store loaded from the whole file."""
from __future__ import annotations

import itertools
import urllib.parse
import urllib.request

import pyoxigraph

from vemgorvad.serve.sparql.engine import Engine
from vemgorvad.store.pieces import Slice, pieces

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
NODES = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _lines(n: int, subject: str = "<http://e/s{i}>") -> bytes:
    return b"".join(f'{subject.format(i=i)} <http://e/p> "value {i}" <http://e/g> .\n'.encode() for i in range(n))


def _engine_count(engine: Engine, query: str) -> int:
    url = f"http://127.0.0.1:{engine.port}/query?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "text/tab-separated-values"}),
                                timeout=30) as answer:
        return int(answer.read().decode().splitlines()[1].split("^^")[0].strip('"'))


def _store_count(dump: str, query: str) -> int:
    store = pyoxigraph.Store()
    store.bulk_load(path=dump, format=pyoxigraph.RdfFormat.N_QUADS)
    solutions = store.query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def test_pieces_cover_the_dump_in_whole_lines(tmp_path):
    dump = tmp_path / "dataset.nq"
    text = _lines(500)
    dump.write_bytes(text)
    found = pieces(str(dump), 1000)
    assert found[0][0] == 0 and found[-1][1] == len(text)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(found))
    assert all(text[end - 1:end] == b"\n" for _, end in found)
    assert all(1000 <= end - start < 1100 for start, end in found[:-1])
    with open(dump, "rb") as handle:
        assert b"".join(Slice(handle, start, end).read() for start, end in found) == text
        joined = b""
        for start, end in found:
            body = Slice(handle, start, end)
            while block := body.read(7):
                joined += block
        assert joined == text


def test_a_blank_node_label_keeps_the_rest_of_the_dump_in_one_piece(tmp_path):
    dump = tmp_path / "dataset.nq"
    before, blank = _lines(100), _lines(100, "_:b{i}") + _lines(100, "_:b{i}")
    dump.write_bytes(before + blank)
    found = pieces(str(dump), 1000)
    assert len(found) > 2 and found[-1] == (found[-2][1], len(before + blank))
    assert found[-1][0] <= len(before)          # from the piece the first label is in


def test_an_engine_loaded_in_small_pieces_holds_the_graph_of_the_whole_dump(build_dir, tmp_path):
    with_blank = tmp_path / "blank.nq"
    with_blank.write_bytes(_lines(300) + _lines(200, "_:b{i}") + _lines(200, "_:b{i}") + _lines(50))
    for dump, size in ((str(build_dir / "dataset.nq"), 2**18), (str(with_blank), 4096)):
        engine = Engine(dump, timeout=5)
        engine.piece_bytes = size
        assert len(pieces(dump, engine.piece_bytes)) > 2
        engine.start()
        try:
            for query in (COUNT, NODES):
                assert _engine_count(engine, query) == _store_count(dump, query)
        finally:
            engine.close()
