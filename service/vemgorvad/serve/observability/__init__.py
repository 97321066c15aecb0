"""What the service tells its operator: one JSON access-log line per request (logger
`vemgorvad.access`) and Prometheus metrics at GET /metrics, both fed by one ASGI middleware
(install.py puts both on the app).

Code that decides a query timed out calls `note_timeout(source)`; the middleware puts the flag in
that request's log line and counts it (see flags.py for how the flag reaches the request). The
package itself loads only these two light modules: the store and the check import `note_timeout`,
and loading the metrics from here (they read the ask routes' limits) closed an import cycle through
the ask routes, the comparison and the cards (the cards imported first failed)."""
from __future__ import annotations

from .access_log import configure_access_log
from .flags import note_timeout

__all__ = ["configure_access_log", "note_timeout"]
