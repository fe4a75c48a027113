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
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
    });
    const timer = setTimeout(() => {
      finish(() => reject(new TimeoutError(timeoutMs)));
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish(() => reject(err)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => finish(() => reject(err)));
      res.on('aborted', () => finish(() => reject(new Error('connection broke in the middle of the reply'))));
      res.on('end', () => {
        if (settled) return;
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          finish(() => reject(new HttpError(status, text)));
          return;
        }
        let parsed: Reply;
        try {
          parsed = JSON.parse(text) as Reply;
        } catch (err) {
          finish(() => reject(err));
          return;
        }
        finish(() => resolve(parsed));
      });
    });
    req.end(body);
  });
}
