// The Python companions of lesson 02 (lessons/python/) speak the same protocol as the TypeScript
// code in toolkit/http: real messages cross between the two languages on loopback, both ways,
// and the Python server refuses bad input with the same answers as the TypeScript one.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, postJson, startMessageServer, type InboundMessage, type MessageServer } from '../toolkit/http';
import { findRoot, LAYOUT } from '../tooling/course';
import { findPython } from '../tooling/programs';

const root = findRoot();
const companion = (name: string) => path.join(root, LAYOUT.lessons, 'python', name);

const python = findPython();
if (!python) console.warn('\n!!! python3 was not found: the Python companions were NOT tested.\n');

interface PythonServer {
  process: ChildProcessWithoutNullStreams;
  baseUrl: string;
  /** Everything the server printed so far. */
  output: () => string;
}

/** Starts message_server.py on port 0 and waits for its "listening on URL" line. */
function startPythonServer(args: string[] = []): Promise<PythonServer> {
  const child = spawn(python as string, [companion('message_server.py'), '--port', '0', ...args]);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the Python server did not start within 10 s; it printed: ${output}`));
    }, 10_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ process: child, baseUrl: url, output: () => output });
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`the Python server exited with ${code}: ${output}`)));
  });
}

function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}

/** Runs a companion script to completion. */
function runPython(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(python as string, [companion(script), ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs a Python program given as text, with arguments. */
function runPythonCode(code: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(python as string, ['-c', code, ...args], { timeout: 15_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr })));
  });
}

// A port whose accept queue is full: the kernel drops new connection attempts (SYNs) without an
// answer, so a client's connect times out, neither refused nor answered.
const BLACKHOLE = [
  'import socket, sys',
  'server = socket.socket()',
  'server.bind(("127.0.0.1", 0))',
  'server.listen(0)',
  'held = []',
  'for _ in range(64):',
  '    client = socket.socket()',
  '    client.settimeout(0.2)',
  '    try:',
  '        client.connect(server.getsockname())',
  '        held.append(client)',
  '    except (socket.timeout, TimeoutError):',
  '        print(f"blackhole on port {server.getsockname()[1]}", flush=True)',
  '        sys.stdin.read()',
  '        sys.exit(0)',
  'sys.exit("could not fill the accept queue")',
].join('\n');

/** Starts the blackhole above and waits for its port. */
function startBlackhole(): Promise<{ process: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(python as string, ['-c', BLACKHOLE]);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const port = /blackhole on port (\d+)/.exec(output)?.[1];
      if (port) resolve({ process: child, url: `http://127.0.0.1:${port}/message` });
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`the blackhole exited with ${code}: ${output}`)));
  });
}

describe.skipIf(!python)('Python companions (lessons/python) and the TypeScript toolkit talk to each other', () => {
  let pythonServer: PythonServer;
  let tsServer: MessageServer;
  const tsReceived: { message: InboundMessage; correlationId: string }[] = [];

  beforeAll(async () => {
    pythonServer = await startPythonServer();
    tsServer = await startMessageServer({
      onMessage: (message, context) => void tsReceived.push({ message, correlationId: context.correlationId }),
    });
  });

  afterAll(async () => {
    await tsServer?.close();
    if (pythonServer) await stop(pythonServer.process);
  });

  it('a Python client sends a message to the TypeScript server and gets its reply', async () => {
    const run = await runPython('message_client.py', [tsServer.messageUrl, '--id', 'py-1', '--content', 'hello from Python', '--correlation-id', 'corr-py']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ status: 'processed', id: 'py-1' });
    expect(tsReceived).toEqual([{ message: { id: 'py-1', content: 'hello from Python' }, correlationId: 'corr-py' }]);
  });

  it('a TypeScript client sends a message to the Python server and gets its reply', async () => {
    const reply = await postJson(`${pythonServer.baseUrl}/message`, { id: 'ts-1', content: 'hello from TypeScript' }, {
      headers: { 'X-Correlation-Id': 'corr-ts' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ status: 'processed', id: 'ts-1' });
    expect(reply.headers['x-correlation-id']).toBe('corr-ts');
    expect(pythonServer.output()).toContain('received ts-1 correlation=corr-ts');
  });

  const badRequests: [string, string, unknown, { method?: string }?][] = [
    ['malformed JSON', '/message', '{"id": '],
    ['a JSON array', '/message', '[1, 2]'],
    ['a message without id', '/message', { content: 'no id' }],
    ['a number id', '/message', { id: 42 }],
    ['an empty id', '/message', { id: '' }],
    ['a body over 1 MiB', '/message', { id: 'big', pad: 'x'.repeat(1_100_000) }],
    ['GET instead of POST', '/message', undefined, { method: 'GET' }],
    ['DELETE instead of POST', '/message', undefined, { method: 'DELETE' }],
    ['an unknown path', '/messages', { id: '1' }],
  ];

  it.each(badRequests)('the Python server answers %s exactly as the TypeScript server does', async (_name, route, body, options) => {
    const [fromPython, fromTs] = await Promise.all(
      [pythonServer.baseUrl, tsServer.baseUrl].map((base) => httpRequest(base + route, body, options)),
    );
    expect(fromPython.status).toBeGreaterThanOrEqual(400);
    expect(fromPython.status).toBeLessThan(500);
    expect({ status: fromPython.status, body: fromPython.body, allow: fromPython.headers.allow }).toEqual({
      status: fromTs.status,
      body: fromTs.body,
      allow: fromTs.headers.allow,
    });
  });

  it('the Python server keeps serving after all that bad input', async () => {
    const reply = await postJson(`${pythonServer.baseUrl}/message`, { id: 'still-here' });
    expect(reply.body).toEqual({ status: 'processed', id: 'still-here' });
  });

  it('the Python client reports a timeout when the server is slower than its limit', async () => {
    const slow = await startMessageServer({ onMessage: () => new Promise((resolve) => setTimeout(resolve, 1_000)) });
    try {
      const run = await runPython('message_client.py', [slow.messageUrl, '--id', 'slow', '--timeout', '0.1']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no answer: .*within 0.1 s/);
    } finally {
      await slow.close();
    }
  });

  it('the Python client reports a connect timeout as a timeout, and a refused connection as no server', async () => {
    const blackhole = await startBlackhole();
    const closedPort = await startMessageServer();
    const closedUrl = closedPort.messageUrl;
    await closedPort.close();
    try {
      const run = await runPython('message_client.py', [blackhole.url, '--id', 'stuck', '--timeout', '0.3']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no answer: no connection to \S+ within 0.3 s/);
      // The function's contract, for callers that handle the failures differently:
      const check = await runPythonCode(
        [
          'import sys, urllib.error',
          `sys.path.insert(0, ${JSON.stringify(path.dirname(companion('message_client.py')))})`,
          'from message_client import send_message',
          'for url in sys.argv[1:]:',
          '    try:',
          '        send_message(url, {"id": "x"}, timeout=0.3)',
          '    except TimeoutError:',
          '        print("TimeoutError")',
          '    except urllib.error.URLError:',
          '        print("URLError")',
        ].join('\n'),
        [blackhole.url, closedUrl],
      );
      expect(check.stdout.trim().split('\n')).toEqual(['TimeoutError', 'URLError']);
    } finally {
      await stop(blackhole.process);
    }
  });

  it('the Python queue returns from publish at once and its worker processes every message later', async () => {
    const run = await runPython('message_queue.py', ['--jobs', '5', '--work-ms', '30', '--workers', '1']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^published 5 messages; publisher moved on after [\d.]+ ms$/);
    expect(lines.slice(1, 6).map((line) => /^processed (job-\d)/.exec(line)?.[1])).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5']);
    expect(lines[6]).toMatch(/^all 5 processed after \d+ ms$/);
    expect(Number(/after (\d+) ms/.exec(lines[6])?.[1])).toBeGreaterThanOrEqual(150);
  });
});
