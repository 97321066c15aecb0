"""A small thread pool of its own for the operators' endpoints (/health, /metrics), apart from the
pool that client requests share, so that they answer while client work fills that one."""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_OPS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="vg-ops")


async def off_pool(function: Callable[..., T], *args: object) -> T:
    return await asyncio.get_running_loop().run_in_executor(_OPS, function, *args)
