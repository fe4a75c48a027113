#!/usr/bin/env python3
"""The lesson 02 message client in Python, standard library only (urllib, no `requests`).

    python3 lessons/python/message_client.py http://127.0.0.1:PORT/message --id 1 --content hello

prints the server's reply as JSON. It works against the TypeScript server and the Python one.
"""
import argparse
import json
import socket
import sys
import urllib.error
import urllib.request


class HttpError(Exception):
    """The server answered, with an error status: `status` and the parsed `body`."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.body = body


def send_message(url, message, timeout=5.0, correlation_id=None):
    """POSTs `message` as JSON and waits for the reply: a synchronous call.

    Returns the reply body. Raises HttpError for a 4xx or 5xx answer; TimeoutError when no
    connection was made, or no answer came, within `timeout` seconds; and urllib.error.URLError when
    there is no server (connection refused) or the host name does not resolve: different failures
    that a caller may handle differently (lesson 07).
    """
    headers = {"Content-Type": "application/json"}
    if correlation_id:
        headers["X-Correlation-Id"] = correlation_id
    request = urllib.request.Request(url, data=json.dumps(message).encode("utf-8"), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            body = text
        raise HttpError(error.code, body) from None
    except urllib.error.URLError as error:
        # urllib wraps what goes wrong while connecting, a connect timeout included, in a URLError.
        if isinstance(error.reason, (socket.timeout, TimeoutError)):
            raise TimeoutError(f"no connection to {url} within {timeout} s") from error
        raise
    except (socket.timeout, TimeoutError) as error:  # connected, but no reply in time (the same class since 3.10)
        raise TimeoutError(f"no reply from {url} within {timeout} s") from error


def main():
    parser = argparse.ArgumentParser(description="Send one message and print the reply.")
    parser.add_argument("url")
    parser.add_argument("--id", required=True)
    parser.add_argument("--content", default="hello")
    parser.add_argument("--correlation-id")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds")
    args = parser.parse_args()
    try:
        reply = send_message(args.url, {"id": args.id, "content": args.content}, args.timeout, args.correlation_id)
    except HttpError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    except TimeoutError as error:
        print(f"no answer: {error}", file=sys.stderr)
        return 2
    except urllib.error.URLError as error:
        print(f"no answer: {error.reason}", file=sys.stderr)
        return 2
    print(json.dumps(reply))
    return 0


if __name__ == "__main__":
    sys.exit(main())
