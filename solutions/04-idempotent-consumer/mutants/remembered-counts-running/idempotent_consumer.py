"""Exercise 04: an idempotent consumer in asyncio, standard library only.

Read README.md first. Run `npm run grade -- 04` to check your work.
"""
import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict

Apply = Callable[[Any, str], Awaitable[None]]


class _InProgress:
    """A call that is applying a message right now, and how it ended."""

    def __init__(self) -> None:
        self.done = asyncio.Event()
        self.applied = False


class IdempotentConsumer:
    """Applies each message's effect once per message id, however often and however concurrently
    the message arrives, as long as its copies come while its id is among the last `window_size`
    ids applied."""

    def __init__(self, apply: Apply, window_size: int = 1000) -> None:
        """`apply(payload, message_id)` performs the effect; `window_size` (at least 1) bounds
        how many applied ids are remembered."""
        if window_size < 1:
            raise ValueError(f"window_size must be at least 1, got {window_size}")
        self._apply = apply
        self._window_size = window_size
        self._applied: "OrderedDict[str, None]" = OrderedDict()
        self._running: Dict[str, _InProgress] = {}

    @property
    def remembered(self) -> int:
        """How many applied ids are remembered now (at most `window_size`)."""
        # ids being applied right now are known to the consumer too
        return len(self._applied) + len(self._running)

    def _remember(self, message_id: str) -> None:
        self._applied[message_id] = None
        while len(self._applied) > self._window_size:
            self._applied.popitem(last=False)

    async def handle(self, message_id: str, payload: Any) -> bool:
        """Applies the message unless its id was applied already, or is being applied by another
        call: then waits for that call, and applies the message itself only if that call failed.

        Returns True if this call applied the effect, False for a duplicate. An exception raised
        by `apply` reaches the caller, and the id is not remembered."""
        while True:
            if message_id in self._applied:
                return False
            running = self._running.get(message_id)
            if running is None:
                break
            await running.done.wait()
            if running.applied:
                return False
            # that call failed: loop, and apply it ourselves unless another copy got there first
        mark = _InProgress()
        self._running[message_id] = mark
        try:
            await self._apply(payload, message_id)
            mark.applied = True
            self._remember(message_id)
        finally:
            if self._running.get(message_id) is mark:
                del self._running[message_id]
            mark.done.set()
        return True
