/** An HTTP reply, whatever its status. */
export interface HttpReply<Body = unknown> {
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON when the server says it is JSON, else the text. */
  body: Body;
  /** Wall-clock milliseconds from sending the request to reading the whole reply. */
  elapsedMs: number;
}

/** Options of {@link httpRequest} and {@link postJson}. */
export interface RequestOptions {
  /** Default `POST`. */
  method?: string;
  headers?: Record<string, string>;
  /**
   * Give up after this many ms: the promise rejects with a `DOMException` named `TimeoutError`
   * (from `AbortSignal.timeout`). Without it, a silent server makes the caller wait forever.
   */
  timeoutMs?: number;
  /** Abort from outside; ignored when `timeoutMs` is given. */
  signal?: AbortSignal;
}

/**
 * Sends one HTTP request with `fetch` and resolves with the reply, **whatever its status**: a 400
 * is an answer, not an exception. It rejects only when no answer came: a timeout, a refused
 * connection (`TypeError: fetch failed` whose `cause.code` is `ECONNREFUSED`), a reset.
 *
 * @param body sent as is when a string (so a lesson can send broken JSON), else as JSON.
 */
export async function httpRequest(url: string, body?: unknown, options: RequestOptions = {}): Promise<HttpReply> {
  const started = performance.now();
  const isText = typeof body === 'string';
  const response = await fetch(url, {
    method: options.method ?? 'POST',
    headers: { ...(body === undefined || isText ? {} : { 'Content-Type': 'application/json' }), ...options.headers },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
    signal: options.timeoutMs === undefined ? options.signal : AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const isJson = (headers['content-type'] ?? '').includes('application/json');
  return { status: response.status, headers, body: isJson && text !== '' ? JSON.parse(text) : text, elapsedMs: performance.now() - started };
}

/** POSTs `message` as JSON to `url`; see {@link httpRequest}. */
export function postJson<Body = unknown>(url: string, message: unknown, options: RequestOptions = {}): Promise<HttpReply<Body>> {
  return httpRequest(url, message, { ...options, method: 'POST' }) as Promise<HttpReply<Body>>;
}

/** The `code` of a low-level network error (`ECONNREFUSED`, `ECONNRESET`, ...) behind a failed fetch, if any. */
export function networkErrorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}
