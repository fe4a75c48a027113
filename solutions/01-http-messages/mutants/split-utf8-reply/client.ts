/**
 * Exercise 01, the client side: send one message and wait for the reply, but not forever.
 * Read README.md first. Run `npm run grade -- 01` to check your work.
 * @module
 */
import http from 'node:http';

/** What the server answers to a processed message. */
export interface Reply {
  status: 'processed';
  id: string;
}

/** Options of {@link sendMessage}. */
export interface SendOptions {
  /** How long to wait for the whole reply before giving up, in ms. Default 5000. */
  timeoutMs?: number;
}

/** The server did not answer within `timeoutMs`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no reply within ${timeoutMs} ms`);
  }
}

/** The server answered with a status outside 200-299. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    /** The HTTP status code, e.g. 404. */
    readonly status: number,
    /** The body of the answer, as text. */
    readonly body: string,
  ) {
    super(`server answered ${status}: ${body}`);
  }
}

/**
 * POSTs `message` as JSON (`Content-Type: application/json`) to `url` and resolves with the
 * parsed reply.
 *
 * @throws TimeoutError when no complete reply arrives within `timeoutMs` (abort the request).
 * @throws HttpError when the status is not 2xx.
 * @throws the network error (e.g. ECONNREFUSED) when the request cannot be sent.
 */
export function sendMessage(url: string, message: unknown, options: SendOptions = {}): Promise<Reply> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    // eslint-disable-next-line prefer-const -- kept as it was written blind: the timer is set once the request exists
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    const succeed = (reply: Reply): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };

    const body = JSON.stringify(message);
    const req = http.request(
      url,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('error', fail);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) {
            fail(new HttpError(status, text));
            return;
          }
          let parsed: Reply;
          try {
            parsed = JSON.parse(text) as Reply;
          } catch (err) {
            fail(err);
            return;
          }
          succeed(parsed);
        });
      },
    );
    req.on('error', fail);
    timer = setTimeout(() => {
      fail(new TimeoutError(timeoutMs));
      req.destroy();
    }, timeoutMs);
    req.end(body);
  });
}
