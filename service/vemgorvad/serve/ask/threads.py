"""The threads questions are worked in, and how many (read by ask/routes.py and by /metrics, which
must not import the routes: they import the served state, which imports the gap check, which
imports the metrics)."""
from __future__ import annotations

from ..daemon_threads import DaemonThreads

#: Questions worked on at once. The work is Python holding the GIL: more threads at once answer no
#: sooner, they only take the interpreter from the event loop (so /health and every other request
#: would wait behind them). The others wait for a place on the event loop (an asyncio semaphore:
#: no thread, no GIL) until their own deadline.
ASK_CONCURRENCY = 2
#: Threads a question past its deadline may keep besides them. Work that checks the deadline stops
#: at it, but a store query cannot be interrupted: a SPARQL query that ran for 100 s kept its
#: thread and, while its request held its place until the thread came back, two of them took both
#: places and every later question got a 503 for good (make scale, N = 100). A request now gives
#: its place back when it ends, answered or not; its thread, if still busy, finishes unwatched (counted
#: on /metrics: vemgorvad_ask_threads_overdue), and the next question is worked on in another thread. Only when RUNAWAY_THREADS of them are busy
#: at once past their deadlines do questions wait again, until one comes back.
RUNAWAY_THREADS = 6
#: The threads questions are worked on in, started when first needed and kept: at most
#: ASK_CONCURRENCY unless a thread is still busy past its request's deadline. A question waiting
#: for its turn waits on the event loop, not in a thread of its own: in the shared thread pool each
#: waiting question took a new thread, and starting a thread holds the event loop until the new
#: thread runs (stalls of the loop of 86-180 ms in `worker.start()` seen during the attack suite's
#: flood of questions, /health waiting behind them).
#: Daemon threads (serve/daemon_threads.py): one still busy past its deadline never holds up the
#: server's exit.
ASK_THREADS = DaemonThreads(ASK_CONCURRENCY + RUNAWAY_THREADS, "vg-ask")
