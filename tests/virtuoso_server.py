"""A real Virtuoso open source server (Debian's virtuoso-opensource-7-bin, installed by `make
virtuoso`) on free loopback ports, in a throw-away database folder, holding a dump loaded with its
bulk loader (ld_dir + rdf_loader_run). Its default graph is the union of all graphs, as the service
expects. For tests, the benchmarks and `make scale`:

    with VirtuosoServer(dump_path) as server:
        server.endpoint   # http://127.0.0.1:PORT/sparql

The database lives in a temporary folder removed on stop; SQL runs through isql on its own port
with the default dba account, which only listens on loopback and dies with the folder.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

try:                                   # imported as a test helper (tests/ on sys.path) or as tests.virtuoso_server
    from subprocs import terminate
except ImportError:
    from tests.subprocs import terminate

SERVER = "virtuoso-t"
ISQL = "isql-vt"
BULK_GRAPH = "urn:vemgorvad:bulk-default"   # only for triples without a graph; every dump line is a quad


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def virtuoso_available() -> str | None:
    """Why Virtuoso cannot run here, or None when it can."""
    missing = [b for b in (SERVER, ISQL) if shutil.which(b) is None]
    if missing:
        return f"{', '.join(missing)} missing: run `make virtuoso` (Debian package virtuoso-opensource-7-bin)"
    return None


INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = {dir}
ThreadCleanupInterval = 0
ResourcesCleanupInterval = 0
MaxQueryMem = 1G
VADInstallDir = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
KeepAliveTimeout = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {timeout_s}
DefaultQuery = SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT 1
"""


class VirtuosoServer:
    def __init__(self, dump: Path, timeout_s: int = 30, memory_mb: int = 512):
        self.dump = Path(dump)
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.sql_port = _free_port()
        self.http_port = _free_port()
        self.base = f"http://127.0.0.1:{self.http_port}"
        self.endpoint = self.base + "/sparql"
        self.process: subprocess.Popen | None = None
        self.folder: Path | None = None
        self.load_seconds: float | None = None

    def start(self, ready_within: float = 120) -> VirtuosoServer:
        reason = virtuoso_available()
        if reason:
            raise RuntimeError(reason)
        self.folder = Path(tempfile.mkdtemp(prefix="vemgorvad-virtuoso-"))
        buffers = max(2000, self.memory_mb * 1024 // 8 * 2 // 3)   # 8 KB pages, ~2/3 of the memory given
        (self.folder / "virtuoso.ini").write_text(INI.format(
            dir=self.folder, sql_port=self.sql_port, http_port=self.http_port, timeout_s=self.timeout_s,
            buffers=buffers, dirty=buffers * 3 // 4), encoding="utf-8")
        self.process = subprocess.Popen([SERVER, "-f", "-c", str(self.folder / "virtuoso.ini")],
                                        cwd=self.folder, stdin=subprocess.DEVNULL,
                                        stdout=open(self.folder / "stdout.log", "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + ready_within
        while True:
            try:
                urllib.request.urlopen(self.endpoint + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.log()
                    self.stop()
                    raise RuntimeError(f"virtuoso did not start: {log[-2000:]}") from None
                time.sleep(0.2)
        self.load(self.dump)
        return self

    def isql(self, *statements: str, timeout: float = 600) -> str:
        """Run SQL statements through isql; a failed statement raises with Virtuoso's message."""
        script = "".join(s.rstrip().rstrip(";") + ";\n" for s in statements)
        done = subprocess.run([ISQL, str(self.sql_port), "dba", "dba", "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF",
                               "ERRORS=STDOUT"], input=script + "EXIT;\n", capture_output=True, text=True,
                              timeout=timeout)
        out = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed: {out.strip()[-2000:]}")
        return out

    def load(self, dump: Path) -> None:
        """The bulk loader: register the file, run the loader, checkpoint, and check that it loaded."""
        started = time.perf_counter()
        staged = self.folder / "load" / "dataset.nq"
        staged.parent.mkdir(exist_ok=True)
        try:
            os.link(dump, staged)
        except OSError:
            shutil.copyfile(dump, staged)
        self.isql(f"ld_dir('{staged.parent}', 'dataset.nq', '{BULK_GRAPH}')", "rdf_loader_run()", "checkpoint")
        errors = self.isql("SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL")
        if str(staged) in errors:
            raise RuntimeError(f"virtuoso bulk load failed: {errors.strip()[-2000:]}")
        staged.unlink()
        self.load_seconds = round(time.perf_counter() - started, 2)

    def log(self) -> str:
        if self.folder is None:
            return ""
        parts = []
        for name in ("stdout.log", "virtuoso.log"):
            path = self.folder / name
            if path.exists():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def memory_mb_used(self) -> float | None:
        """The server process's resident memory (MB), for the benchmarks."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except (OSError, AttributeError):
            return None
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return None

    def stop(self) -> None:
        terminate(self.process, 20)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
