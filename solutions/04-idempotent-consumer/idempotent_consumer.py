"""Exercise 04: an idempotent consumer in asyncio, standard library only.

Read README.md first. Run `npm run grade -- 04` to check your work.
"""
import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict

Apply = Callable[[Any, str], Awaitable[None]]


class _Attempt(asyncio.Event):
    """One call applying an id's effect: set when that call ends, however it ends; `applied` tells
    the copies that waited for it whether the effect took place."""

    applied = False


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
        # Ids whose effect is being applied now → that attempt.
        self._in_progress: Dict[str, _Attempt] = {}

    @property
    def remembered(self) -> int:
        """How many applied ids are remembered now (at most `window_size`)."""
        return len(self._applied)

    async def handle(self, message_id: str, payload: Any) -> bool:
        """Applies the message unless its id was applied already, or is being applied by another
        call: then waits for that call, and applies the message itself only if that call failed.

        Returns True if this call applied the effect, False for a duplicate. An exception raised
        by `apply` reaches the caller, and the id is not remembered."""
        while message_id in self._in_progress:
            attempt = self._in_progress[message_id]
            await attempt.wait()
            if attempt.applied:
                # Its outcome decides, not the window: other ids may have pushed this one out by now.
                return False
        if message_id in self._applied:
            return False
        # No await between the checks above and this claim: no other task can slip in between.
        ended = self._in_progress[message_id] = _Attempt()
        try:
            await self._apply(payload, message_id)
            self._remember(message_id)
            ended.applied = True
        finally:
            del self._in_progress[message_id]
            ended.set()
        return True

    def _remember(self, message_id: str) -> None:
        self._applied[message_id] = None
        if len(self._applied) > self._window_size:
            self._applied.popitem(last=False)
