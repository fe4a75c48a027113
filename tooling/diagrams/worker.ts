/**
 * The diagram worker of a notebook kernel. `showMermaid` (toolkit/show) starts it on the first
 * diagram it finds no image of, and the kernel keeps it while it lives: one Chromium per kernel,
 * launched on the first request, drawing with the renderer the site uses (and sharing its cache).
 * It answers the requests of requests.ts on stdin and stdout, and exits when stdin closes, which
 * is when its kernel has ended, however it ended. (A build that runs many kernels offers them one
 * server instead: server.ts.)
 * @module
 */
import path from 'node:path';
import { findRoot, LAYOUT } from '../course';
import { findChromium } from '../programs';
import { DiagramRenderer } from './renderer';
import { answerRequests, type Drawer } from './requests';

function main(): void {
  let drawer: Drawer;
  try {
    const cacheDir = path.join(findRoot(__dirname), LAYOUT.siteCache);
    drawer = { renderer: new DiagramRenderer({ cacheDir, browserPath: findChromium(), keepBrowser: true }) };
  } catch (error) {
    drawer = { missing: error instanceof Error ? error.message : String(error) };
  }
  const queue = { last: Promise.resolve() };
  const lines = answerRequests(process.stdin, (line) => process.stdout.write(line), drawer, queue);
  lines.on('close', () => {
    void queue.last.then(() => ('renderer' in drawer ? drawer.renderer.close() : undefined)).finally(() => process.exit(0));
  });
}

main();
