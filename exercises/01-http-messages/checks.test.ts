/**
 * Checks of exercise 01, messages over HTTP. Real HTTP on 127.0.0.1, every server on a port the
 * system picks (port 0). The server checks talk to your server with node:http directly; the client
 * checks point your client at small servers defined here.
 */
import { describe, expect, it } from 'vitest';
import { server, client, MiB, openServers, listen, exchange, post, bodyOfSize, fakeServer, rawServer, replyProcessed, settledWithin, type Answer } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('createMessageServer', () => {
  it('[1] answers POST /message with 200 and {"status":"processed","id":…}', async () => {
    const base = await listen(server.createMessageServer());
    const answer = await post(base, { id: 'm-1', content: 'hello' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ status: 'processed', id: 'm-1' });
  });

  it('[1] answers in JSON, with Content-Type: application/json', async () => {
    const base = await listen(server.createMessageServer());
    for (const answer of [await post(base, { id: 'a' }), await exchange(base, 'GET', '/nowhere')]) {
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(() => void JSON.parse(answer.text)).not.toThrow();
    }
  });

  it('[1] answers every error with {"error": …}, a non-empty text saying what went wrong', async () => {
    const base = await listen(
      server.createMessageServer(() => {
        throw new Error('handler failed');
      }),
    );
    const answers = {
      'not JSON': await post(base, 'hello'),
      'not an object': await post(base, '"id"'),
      'no string id': await post(base, { id: 7 }),
      'other path': await exchange(base, 'GET', '/nowhere'),
      'other method': await exchange(base, 'DELETE', '/message'),
      'over 1 MiB': await post(base, bodyOfSize(MiB + 1)),
      'onMessage throws': await post(base, { id: 'x' }),
    };
    for (const [what, answer] of Object.entries(answers)) {
      const body = JSON.parse(answer.text) as { error?: unknown };
      expect(answer.status, what).toBeGreaterThanOrEqual(400);
      expect(typeof body.error === 'string' && body.error.length > 0, `the ${answer.status} answer (${what}) should be {"error": "<what went wrong>"}, not ${answer.text}`).toBe(true);
    }
  });

  it('[1] gives a 500 answer a non-empty error text also when what onMessage throws has no text of its own', async () => {
    const thrown: Record<string, () => Promise<void>> = {
      'throw new Error()': () => {
        throw new Error();
      },
      "reject with new Error('')": async () => {
        await Promise.resolve();
        throw new Error('');
      },
    };
    for (const [what, handler] of Object.entries(thrown)) {
      const base = await listen(server.createMessageServer(handler));
      const answer = await post(base, { id: 'e-1' });
      const body = JSON.parse(answer.text) as { error?: unknown };
      expect(answer.status, `answer when onMessage does ${what}`).toBe(500);
      expect(typeof body.error === 'string' && body.error.length > 0, `when onMessage does ${what}, the 500 answer was ${answer.text}: the error text is empty because it is only the thrown error's message; the answer itself must say what went wrong (e.g. "onMessage failed")`).toBe(true);
    }
  });

  it('[2] hands each valid message to onMessage, and answers only once onMessage is done', async () => {
    const received: unknown[] = [];
    let finish!: () => void;
    const handled = new Promise<void>((resolve) => (finish = resolve));
    const base = await listen(
      server.createMessageServer(async (message) => {
        received.push(message);
        await handled;
      }),
    );
    let answered = false;
    const answer = post(base, { id: 'm-2', content: 42 }).then((a) => {
      answered = true;
      return a;
    });
    for (let i = 0; i < 600 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(received).toEqual([{ id: 'm-2', content: 42 }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(answered, 'the server answered before onMessage finished').toBe(false);
    finish();
    expect((await answer).status).toBe(200);
  });

  it('[3] answers 400 to a body that is not JSON, without calling onMessage', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    for (const body of ['{"id": "x"', 'hello', '']) {
      expect((await post(base, body)).status, `body ${JSON.stringify(body)}`).toBe(400);
    }
    expect(received).toEqual([]);
  });

  it('[3] answers 400 when the body is not an object with a non-empty string id', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    for (const body of [{}, { id: 42 }, { id: null }, { id: '' }, { content: 'no id' }, ['id'], 'id', null]) {
      expect((await post(base, body)).status, `body ${JSON.stringify(body)}`).toBe(400);
    }
    expect(received).toEqual([]);
  });

  it('[3] takes any non-empty string as an id, also one of spaces only: only "" is empty', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    for (const id of ['  ', '\t', ' x ']) {
      const answer = await post(base, { id });
      expect(answer.status, `a message whose id is ${JSON.stringify(id)} got ${answer.status}: that id is a non-empty string, so the message is valid and gets 200; only "" is an empty id (do not trim the id before testing it)`).toBe(200);
    }
    expect(received, 'messages handed to onMessage').toEqual([{ id: '  ' }, { id: '\t' }, { id: ' x ' }]);
  });

  it('[3] takes a message whose other fields have any name, hasOwnProperty and constructor included', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    for (const body of ['{"id":"h-1","hasOwnProperty":1}', '{"id":"h-2","constructor":"x","toString":false}']) {
      const answer = await settledWithin(post(base, body), 2500);
      const got = answer instanceof Error ? answer.message : typeof answer === 'string' ? answer : String((answer as { status: number }).status);
      expect(
        got,
        `the valid message ${body} (a non-empty string id; other fields may have any name) got ${got}: the server read a method of the parsed body, such as value.hasOwnProperty('id'), but the sender's own field of that name (here 1) stands in its place, so the call throws and no answer is sent; read value.id itself, or use Object.hasOwn(value, 'id')`,
      ).toBe('200');
    }
    expect(received, 'messages handed to onMessage').toHaveLength(2);
  });

  it('[6] answers 404 to any other path', async () => {
    const base = await listen(server.createMessageServer());
    for (const [method, path] of [['POST', '/messages'], ['POST', '/'], ['GET', '/'], ['POST', '/message/extra']]) {
      expect((await exchange(base, method, path, '{"id":"x"}')).status, `${method} ${path}`).toBe(404);
    }
  });

  it('[6] reads the path before the query string: POST /message?trace=1 is a message', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((message) => void received.push(message)));
    const answer = await exchange(base, 'POST', '/message?trace=1', '{"id":"q-1"}');
    expect(answer.status, 'POST /message?trace=1 is POST /message with a query string: the path is /message, so it is a message (200), not another path (404)').toBe(200);
    expect(received, 'the message sent to /message?trace=1 should reach onMessage').toHaveLength(1);
    expect((await exchange(base, 'GET', '/message?trace=1')).status, 'GET /message?trace=1 is another method on /message: 405').toBe(405);
  });

  it('[6] answers 405 with an Allow: POST header to other methods on /message', async () => {
    const base = await listen(server.createMessageServer());
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await exchange(base, method, '/message');
      expect(answer.status, method).toBe(405);
      expect(answer.headers.allow, `Allow header of the ${method} answer`).toBe('POST');
    }
  });

  it('[4] counts the body in bytes: 413 to a body over 1 MiB of multi-byte UTF-8 text with fewer characters than that', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    // 600,000 characters of 'é', two bytes each: 1.2 MB, over the limit, in fewer than 1 Mi characters.
    const body = JSON.stringify({ id: 'accents', pad: 'é'.repeat(600_000) });
    expect((await post(base, body)).status, `answer to a body of ${body.length} characters and ${Buffer.byteLength(body)} bytes`).toBe(413);
    expect(received, 'messages handed to onMessage').toEqual([]);
  });

  it('[5] answers 500 when onMessage rejects, and keeps serving the next requests', async () => {
    const base = await listen(
      server.createMessageServer(async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (message.id === 'bad') throw new Error('handler failed');
      }),
    );
    expect((await post(base, { id: 'bad' })).status, 'answer to a message whose onMessage rejects').toBe(500);
    expect((await post(base, { id: 'good' })).status, 'answer to the next message, which onMessage handles').toBe(200);
    expect((await post(base, { id: 'bad' })).status, 'answer to another message whose onMessage rejects').toBe(500);
  });

  it('[5] answers 500 also when onMessage throws something that is not an Error: null, undefined, a string, a number', async () => {
    const values: [string, unknown][] = [['null', null], ['undefined', undefined], ["'oops'", 'oops'], ['42', 42]];
    for (const [what, thrown] of values) {
      const base = await listen(
        server.createMessageServer(() => {
          throw thrown;
        }),
      );
      const answer = await settledWithin(post(base, { id: 'n-1' }), 2500);
      const got = answer instanceof Error ? answer.message : typeof answer === 'string' ? answer : `${(answer as Answer).status} ${(answer as Answer).text}`;
      expect(
        got,
        `when onMessage does throw ${what}, the answer was: ${got}. A handler may throw any value, not only an Error: reading (error as Error).message of null or undefined throws inside the catch, so no 500 is sent; describe the thrown value safely (error instanceof Error ? error.message : String(error)) and answer 500 with a non-empty {"error": ...}`,
      ).toMatch(/^500 \{"error":"[^"]/);
    }
  });

  it('[4] answers 413 to a body over 1 MiB sent in chunks, without a Content-Length header', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    const answer = await exchange(base, 'POST', '/message', bodyOfSize(2 * MiB), true);
    expect(answer.status, 'a body of 2 MiB sent chunked (Transfer-Encoding: chunked, no Content-Length header) was not refused with 413: the limit is on the bytes that arrive, not on what the Content-Length header says (item 4)').toBe(413);
    expect(received, 'messages handed to onMessage: a chunked body over 1 MiB reached it').toEqual([]);
  });

  it('[4] answers 413 to a body over 1 MiB, without calling onMessage', async () => {
    const received: unknown[] = [];
    const base = await listen(server.createMessageServer((m) => void received.push(m)));
    expect((await post(base, bodyOfSize(MiB + 1))).status).toBe(413);
    expect((await post(base, bodyOfSize(3 * MiB))).status).toBe(413);
    expect(received).toEqual([]);
  });
});

/** The JSON value `text` holds, or `text` itself when it is not JSON. */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

describe('sendMessage', () => {
  it('[7] POSTs the message as JSON to the URL and resolves with the parsed reply', async () => {
    const { base, requests } = await fakeServer(replyProcessed);
    const reply = await client.sendMessage(`${base}/message`, { id: 'c-1', content: 'hi' }, { timeoutMs: 3000 });
    expect(reply).toEqual({ status: 'processed', id: 'c-1' });
    expect(requests).toHaveLength(1);
    expect(requests[0].method).toBe('POST');
    expect(requests[0].url).toBe('/message');
    expect(requests[0].headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(requests[0].body)).toEqual({ id: 'c-1', content: 'hi' });
  });

  it('[7] resolves with the parsed reply of any 2xx answer, 201 and 299 too', async () => {
    for (const status of [201, 299]) {
      const { base } = await fakeServer((_req, body, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'processed', id: (JSON.parse(body) as { id: string }).id }));
      });
      const reply: unknown = await client.sendMessage(`${base}/message`, { id: `s-${status}` }, { timeoutMs: 3000 }).catch((e: unknown) => e);
      expect(reply, `answer ${status}`).toEqual({ status: 'processed', id: `s-${status}` });
    }
  });

  it('[7] decodes the reply once it is whole: a character split between two pieces of the reply stays whole', async () => {
    const id = 'é-€-😀';
    const { base, requests } = await fakeServer((_req, _body, res) => {
      // No Content-Length: each write goes out as a chunk of its own (Transfer-Encoding: chunked),
      // which the client reads as a piece of its own; one byte a piece splits every multi-byte character.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const bytes = Buffer.from(JSON.stringify({ status: 'processed', id }));
      for (const byte of bytes) res.write(Buffer.of(byte));
      res.end();
    });
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id }, { timeoutMs: 3000 }), 2000);
    const whole = JSON.stringify({ id });
    for (const { body } of requests.slice(0, 1)) {
      expect(
        parsedOrText(body),
        `the request body of the message ${whole} (${Buffer.byteLength(whole)} bytes, ${whole.length} characters) arrived cut short, as ${JSON.stringify(body)}: the Content-Length header counted characters (text.length), not bytes, so the server read only that many bytes, took the rest for a broken next request and answered 400. Content-Length counts bytes: Buffer.byteLength(text), or send a Buffer and use its length`,
      ).toEqual({ id });
    }
    expect(outcome, `a reply whose UTF-8 bytes came in pieces, one byte each, settled with ${outcome instanceof Error ? String(outcome) : JSON.stringify(outcome)}: each piece was decoded to text on its own (text += chunk.toString()), which breaks a character whose bytes are in two pieces (é, €, 😀 become U+FFFD); collect the Buffers and decode them once, at the end`).toEqual({ status: 'processed', id });
  });

  it('[8] rejects with an HttpError carrying the status for a 4xx or 5xx answer', async () => {
    const { base } = await fakeServer((req, _body, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 503, { 'Content-Type': 'application/json' });
      res.end('{"error":"no"}');
    });
    for (const [path, status] of [['/missing', 404], ['/message', 503]] as const) {
      const error: unknown = await client.sendMessage(`${base}${path}`, { id: 'x' }, { timeoutMs: 3000 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `answer ${status}`).toBeInstanceOf(client.HttpError);
      expect((error as { status: number }).status).toBe(status);
    }
  });

  it('[8] rejects with an HttpError for a 3xx answer and for a status below 200 (099, 000, a 101 without Upgrade)', async () => {
    const body = JSON.stringify({ status: 'processed', id: 'odd' });
    for (const [line, status] of [['302 Found', 302], ['099 Odd', 99], ['000 Zero', 0], ['101 Switching Protocols', 101]] as const) {
      const base = await rawServer(line, body);
      const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'odd' }, { timeoutMs: 3000 }), 2000);
      expect(outcome, `answer ${line}: not a 2xx, so an HttpError`).toBeInstanceOf(client.HttpError);
      expect((outcome as { status: number }).status, `the status of the HttpError for ${line}`).toBe(status);
    }
  });

  it('[8] rejects with an HttpError at the edges of 3xx: 300 and 399 are not 2xx either', async () => {
    for (const status of [300, 399]) {
      const { base } = await fakeServer((_req, body, res) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'processed', id: (JSON.parse(body) as { id: string }).id }));
      });
      const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: `s-${status}` }, { timeoutMs: 3000 }), 2000);
      expect(outcome, `answer ${status} settled with ${JSON.stringify(outcome)}: only 200 to 299 is success, so a ${status} rejects with an HttpError (is the bound of the 2xx range off by one?)`).toBeInstanceOf(client.HttpError);
      expect((outcome as { status: number }).status, `the status of the HttpError for ${status}`).toBe(status);
    }
  });

  it('[9] rejects with a TimeoutError after timeoutMs when the server never answers', async () => {
    const { base } = await fakeServer(() => {
      /* never answers */
    });
    const started = performance.now();
    const outcome = client.sendMessage(`${base}/message`, { id: 'slow' }, { timeoutMs: 30 }).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    const guard = new Promise((r) => setTimeout(() => r('still waiting 1 s later'), 1000));
    const result = await Promise.race([outcome, guard]);
    expect(result).toBeInstanceOf(client.TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('[9] times out a reply whose headers came in time but whose body stalls after them', async () => {
    const { base } = await fakeServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Length': '100', 'Content-Type': 'application/json' });
      res.write('{"status":"proc'); // and nothing more
    });
    // 300 ms, not less: the headers must come in before the time-out on a busy machine too, or a
    // client that stops its timer on the headers would time out all the same and pass.
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'stalled' }, { timeoutMs: 300 }), 2000);
    expect(outcome, 'a reply whose body stalls after its headers: not whole within timeoutMs, so a TimeoutError').toBeInstanceOf(client.TimeoutError);
  });

  it('[9] times out a reply that keeps trickling in but is not whole within timeoutMs', async () => {
    const { base } = await fakeServer((_req, _body, res) => {
      const text = JSON.stringify({ status: 'processed', id: 'trickle', pad: 'x'.repeat(100) });
      res.writeHead(200, { 'Content-Length': text.length, 'Content-Type': 'application/json' }); // ASCII: a byte a character
      // One byte every 10 ms: the connection is never idle for long, but the whole reply takes about 1.5 s.
      let sent = 0;
      const drip = setInterval(() => {
        res.write(text[sent++]);
        if (sent === text.length) {
          clearInterval(drip);
          res.end();
        }
      }, 10);
      res.on('close', () => clearInterval(drip));
    });
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'trickle' }, { timeoutMs: 250 }), 3000);
    expect(outcome, `a reply sent one byte every 10 ms, whole only after about 1.5 s, settled with ${JSON.stringify(outcome)} under timeoutMs 250: timeoutMs bounds the whole reply, not the silence between two bytes (a socket idle timeout, req.setTimeout, never fires while bytes keep coming)`).toBeInstanceOf(client.TimeoutError);
  });

  it('[9] aborts the request on timeout: the server sees the connection close', async () => {
    const { base, server: s } = await fakeServer(() => {
      /* never answers */
    });
    // Watch the connection itself: on a busy machine the request may time out before it is read.
    const connectionClosed = new Promise<string>((resolve) => s.once('connection', (socket) => socket.once('close', () => resolve('closed'))));
    // Bounded: a client that never times out fails the check above, and must not hold this one up to its time limit.
    await settledWithin(client.sendMessage(`${base}/message`, { id: 'slow' }, { timeoutMs: 30 }), 1000);
    const guard = new Promise((r) => setTimeout(() => r('still open 1 s after the timeout'), 1000));
    expect(await Promise.race([connectionClosed, guard])).toBe('closed');
  });

  it('[10] rejects with the network error, code ECONNREFUSED, when nothing listens on the port', async () => {
    const { base, server: s } = await fakeServer(replyProcessed);
    openServers.splice(openServers.indexOf(s), 1);
    await new Promise<void>((resolve) => s.close(() => resolve()));
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'nobody' }, { timeoutMs: 3000 }), 2000);
    expect(outcome, 'what sendMessage settled with when nothing listens (reject with the network error; with fetch, its cause)').toBeInstanceOf(Error);
    expect((outcome as { code?: string }).code, 'the code of the error sendMessage rejected with').toBe('ECONNREFUSED');
  });

  it('[11] rejects at once with the SyntaxError when a 2xx answer is not JSON', async () => {
    const { base } = await fakeServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('processed, but not JSON');
    });
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'x' }, { timeoutMs: 20_000 }), 1000);
    expect(outcome, 'a 2xx answer that is not JSON should reject with the error of parsing it, at once').toBeInstanceOf(SyntaxError);
  });

  it('[11] rejects at once when the connection breaks in the middle of the reply', async () => {
    const { base } = await fakeServer((_req, _body, res) => {
      res.writeHead(200, { 'Content-Length': '100', 'Content-Type': 'application/json' });
      // Half of the body, then the connection closes.
      res.write('{"status":"proc', () => res.destroy());
    });
    const outcome = await settledWithin(client.sendMessage(`${base}/message`, { id: 'x' }, { timeoutMs: 20_000 }), 1000);
    expect(outcome, 'a reply cut off in the middle should reject with the error of the response stream, at once').toBeInstanceOf(Error);
    expect(outcome).not.toBeInstanceOf(client.TimeoutError);
  });
});

canaries();
