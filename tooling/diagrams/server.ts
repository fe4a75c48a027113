/**
 * The drawing server of a build that runs many notebook kernels (the site build, the tests'
 * execution of the lessons): one browser draws the diagrams of every kernel, where each kernel
 * would otherwise start a worker and a Chromium of its own. The kernels find its socket in
 * `WORKBOOK_DIAGRAM_SERVER` and speak the worker's protocol (requests.ts) on it. The renderer
 * draws both themes into the build's diagram cache, where the site finds them again.
 * @module
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DiagramRenderer } from './renderer';
import { answerRequests, type Drawer } from './requests';

/** The environment variable that tells a kernel where the server listens. */
export const DIAGRAM_SERVER_VARIABLE = 'WORKBOOK_DIAGRAM_SERVER';

interface DiagramServer {
  socket: string;
  close(): Promise<void>;
}

/**
 * Starts a server that draws with the browser at `browser.path`, caching in `cacheDir` (or, when
 * no browser was found, answers every request with `browser.missing`). Undefined on Windows, whose
 * kernels keep their own workers.
 */
export async function startDiagramServer(cacheDir: string, browser: { path: string } | { missing: string }): Promise<DiagramServer | undefined> {
  if (process.platform === 'win32') return undefined;
  const drawer: Drawer = 'path' in browser ? { renderer: new DiagramRenderer({ cacheDir, browserPath: browser.path, keepBrowser: true }) } : browser;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-server-'));
  const socket = path.join(dir, 'socket');
  const queue = { last: Promise.resolve() };
  const connections = new Set<net.Socket>();
  const server = net.createServer((connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    connection.on('error', () => connection.destroy());
    answerRequests(connection, (line) => void (connection.writable && connection.write(line)), drawer, queue);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  return {
    socket,
    async close() {
      for (const connection of connections) connection.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.last;
      if ('renderer' in drawer) await drawer.renderer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
