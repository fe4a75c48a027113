"""Exercise 04: an idempotent consumer in asyncio, standard library only."""
import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict

Apply = Callable[[Any, str], Awaitable[None]]


class IdempotentConsumer:
    """Applies each message's effect once per message id, however often and however concurrently
    the message arrives, as long as its copies come while its id is among the last `window_size`
    ids applied."""

    def __init__(self, apply: Apply, window_size: int = 1000) -> None:
        if window_size < 1:
            raise ValueError(f"window_size must be at least 1, got {window_size}")
        self._apply = apply
        self._window_size = window_size
        self._applied: "OrderedDict[str, None]" = OrderedDict()
        self._running: Dict[str, "asyncio.Future[bool]"] = {}

    @property
    def remembered(self) -> int:
        return len(self._applied)

    def _remember(self, message_id: str) -> None:
        self._applied[message_id] = None
        while len(self._applied) > self._window_size:
            self._applied.popitem(last=False)

    async def handle(self, message_id: str, payload: Any) -> bool:
        while True:
            if message_id in self._applied:
                return False
            running = self._running.get(message_id)
            if running is None:
                break
            # wait for the running call, then look again: applied (in the window) or free
            await asyncio.shield(running)
        done: "asyncio.Future[bool]" = asyncio.get_running_loop().create_future()
        self._running[message_id] = done
        ok = False
        try:
            await self._apply(payload, message_id)
            ok = True
            self._remember(message_id)
            return True
        finally:
            del self._running[message_id]
            done.set_result(ok)
