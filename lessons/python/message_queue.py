#!/usr/bin/env python3
"""The lesson 02 fire-and-forget queue in Python, standard library only.

Like toolkit/queue: publish() stores the message and returns its id at once; worker threads
compete for messages, one at a time each. queue.Queue does the locking.

    python3 lessons/python/message_queue.py --jobs 5 --work-ms 50 --workers 1
"""
import argparse
import itertools
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

_STOP = object()


@dataclass(frozen=True)
class QueuedMessage:
    id: str
    data: Any
    published_at: float = field(default_factory=time.monotonic)
    correlation_id: Optional[str] = None


class MessageQueue:
    """An in-process FIFO queue with competing worker threads. Failures are counted, not retried."""

    def __init__(self, name: str = "msg"):
        self._name = name
        self._ids = itertools.count(1)
        self._buffer: "queue.Queue[Any]" = queue.Queue()
        self._workers: list = []
        self._lock = threading.Lock()
        self.processed = 0
        self.failed = 0

    def publish(self, data: Any, correlation_id: Optional[str] = None) -> str:
        """Adds a message and returns its id without waiting for any worker."""
        with self._lock:
            message_id = f"{self._name}-{next(self._ids)}"
        self._buffer.put(QueuedMessage(message_id, data, correlation_id=correlation_id))
        return message_id

    def add_worker(self, handle: Callable[[QueuedMessage], None]) -> None:
        """Starts a thread that takes messages one at a time and passes each to `handle`."""
        thread = threading.Thread(target=self._work, args=(handle,), daemon=True)
        self._workers.append(thread)
        thread.start()

    def drained(self) -> None:
        """Blocks until every published message has been handled."""
        self._buffer.join()

    def close(self) -> None:
        """Stops the workers once the messages before this call are handled."""
        for _ in self._workers:
            self._buffer.put(_STOP)
        for thread in self._workers:
            thread.join()

    def _work(self, handle):
        while True:
            message = self._buffer.get()
            try:
                if message is _STOP:
                    return
                handle(message)
                with self._lock:
                    self.processed += 1
            except Exception as error:  # one bad message must not kill the worker
                with self._lock:
                    self.failed += 1
                print(f"failed {message.id}: {error}", flush=True)
            finally:
                self._buffer.task_done()


def main():
    parser = argparse.ArgumentParser(description="Publish jobs to a queue and watch workers drain it.")
    parser.add_argument("--jobs", type=int, default=5)
    parser.add_argument("--work-ms", type=float, default=50)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    jobs = MessageQueue(name="job")
    started = time.monotonic()
    elapsed_ms = lambda: (time.monotonic() - started) * 1000

    def send_email(message: QueuedMessage):
        time.sleep(args.work_ms / 1000)  # the slow part: talking to a mail server, say
        print(f"processed {message.id} ({message.data['to']}) at {elapsed_ms():.0f} ms", flush=True)

    for _ in range(args.workers):
        jobs.add_worker(send_email)
    for n in range(1, args.jobs + 1):
        jobs.publish({"type": "email", "to": f"user{n}@example.com"})
    print(f"published {args.jobs} messages; publisher moved on after {elapsed_ms():.1f} ms", flush=True)
    jobs.drained()
    print(f"all {jobs.processed} processed after {elapsed_ms():.0f} ms", flush=True)
    jobs.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
