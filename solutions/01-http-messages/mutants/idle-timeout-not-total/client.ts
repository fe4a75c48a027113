/**
 * Exercise 01, the client side: send one message and wait for the reply, but not forever.
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

export function sendMessage(url: string, message: unknown, options: SendOptions = {}): Promise<Reply> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const payload = JSON.stringify(message);
    const req = http.request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    });
    const timer: ReturnType<typeof setTimeout> | undefined = undefined;
    req.setTimeout(timeoutMs, () => {
      finish(() => reject(new TimeoutError(timeoutMs)));
      req.destroy();
    });
    req.on('error', (err) => finish(() => reject(err)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => finish(() => reject(err)));
      res.on('aborted', () => finish(() => reject(new Error('connection broke in the middle of the reply'))));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          finish(() => reject(new HttpError(status, body)));
          return;
        }
        try {
          const reply = JSON.parse(body) as Reply;
          finish(() => resolve(reply));
        } catch (err) {
          finish(() => reject(err));
        }
      });
    });
    req.end(payload);
  });
}
