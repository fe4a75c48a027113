"""Exercise 04: an idempotent consumer in asyncio, standard library only."""
import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict

Apply = Callable[[Any, str], Awaitable[None]]


class IdempotentConsumer:
    """Applies each message's effect once per message id."""

    def __init__(self, apply: Apply, window_size: int = 1000) -> None:
        if window_size < 1:
            raise ValueError(f"window_size must be at least 1, got {window_size}")
        self._apply = apply
        self._window_size = window_size
        self._applied: "OrderedDict[str, None]" = OrderedDict()
        self._in_progress: Dict[str, "asyncio.Future[None]"] = {}

    @property
    def remembered(self) -> int:
        return len(self._applied)

    async def handle(self, message_id: str, payload: Any) -> bool:
        if message_id in self._applied:
            return False
        running = self._in_progress.get(message_id)
        if running is not None:
            # like lesson 07's idempotency key: wait for the promise of the first call's result
            await asyncio.shield(running)
            return False
        future: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._in_progress[message_id] = future
        try:
            await self._apply(payload, message_id)
            self._applied[message_id] = None
            while len(self._applied) > self._window_size:
                self._applied.popitem(last=False)
            future.set_result(None)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as error:
            future.set_exception(error)
            future.exception()  # mark it retrieved when nobody waits
            raise
        finally:
            del self._in_progress[message_id]
        return True

