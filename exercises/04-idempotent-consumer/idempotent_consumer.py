"""Exercise 04: an idempotent consumer in asyncio, standard library only.

Read README.md first. Run `npm run grade -- 04` to check your work.
"""
import asyncio
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict

Apply = Callable[[Any, str], Awaitable[None]]


class IdempotentConsumer:
    """Applies each message's effect once per message id, however often and however concurrently
    the message arrives, as long as its copies come while its id is among the last `window_size`
    ids applied."""

    def __init__(self, apply: Apply, window_size: int = 1000) -> None:
        """`apply(payload, message_id)` performs the effect; `window_size` (at least 1) bounds
        how many applied ids are remembered."""
        raise NotImplementedError("TODO: IdempotentConsumer.__init__ (exercise 04)")

    @property
    def remembered(self) -> int:
        """How many applied ids are remembered now (at most `window_size`)."""
        raise NotImplementedError("TODO: IdempotentConsumer.remembered (exercise 04)")

    async def handle(self, message_id: str, payload: Any) -> bool:
        """Applies the message unless its id was applied already, or is being applied by another
        call: then waits for that call, and applies the message itself only if that call failed.

        Returns True if this call applied the effect, False for a duplicate. An exception raised
        by `apply` reaches the caller, and the id is not remembered."""
        raise NotImplementedError("TODO: IdempotentConsumer.handle (exercise 04)")
