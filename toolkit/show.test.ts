import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectConclusion, markdownTable, showMermaid, showTable } from './show';
import { diagramConfig, diagramImage } from './show/diagram-images';

afterEach(() => vi.restoreAllMocks());

describe('show', () => {
  it('formats a table with numbers right-aligned and pipes escaped', () => {
    expect(markdownTable([{ guarantee: 'at-most-once | fast', lost: 3, ratio: 0.125 }])).toBe(
      '| guarantee | lost | ratio |\n| --- | ---: | ---: |\n| at-most-once \\| fast | 3 | 0.13 |',
    );
  });

  it('prints Markdown when there is no notebook kernel to display it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await showMermaid('sequenceDiagram\n  a->>b: hi\n');
    showTable([{ a: 1 }]);
    expect(log.mock.calls.map((c) => c[0] as string)).toEqual(['```mermaid\nsequenceDiagram\n  a->>b: hi\n```', '| a |\n| ---: |\n| 1 |']);
  });

  it('lets a conclusion the run bears out pass, and stops on one it does not, naming the claim', () => {
    expect(() => expectConclusion(true, 'retries multiply')).not.toThrow();
    expect(() => expectConclusion(false, 'retries multiply')).toThrow(/text says that retries multiply, and this run does not show it.*Try it/);
  });
});

describe('diagram images', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-images-'));
  const worker = (name: string, body: string) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, body);
    return file;
  };
  /** A worker that follows the protocol: draws a fake image for each request. */
  const drawing = worker(
    'drawing.mjs',
    `import fs from 'node:fs'; import readline from 'node:readline';
     readline.createInterface({ input: process.stdin }).on('line', (line) => {
       const { id, code, file } = JSON.parse(line);
       if (code.startsWith('broken')) return console.log(JSON.stringify({ id, error: 'Parse error on line 1' }));
       fs.writeFileSync(file, '<svg>' + code + '</svg>');
       console.log(JSON.stringify({ id }));
     });`,
  );
  const config = (file: string, cache: string) => ({ root: process.cwd(), worker: file, cache: path.join(scratch, cache) });

  it('reads the launcher configuration, or knows diagrams are off or unconfigured', () => {
    expect(diagramConfig({ WORKBOOK_DIAGRAMS: 'off' })).toBe('off');
    expect(diagramConfig({})).toBeUndefined();
    expect(diagramConfig({ WORKBOOK_DIAGRAMS: '{"root":"/w","worker":"/w/x.ts","cache":"/w/c"}' })).toEqual({ root: '/w', worker: '/w/x.ts', cache: '/w/c' });
    expect(diagramConfig({ WORKBOOK_DIAGRAMS: '{"root":"/w","worker":"/w/x.ts","cache":"/w/c"}', WORKBOOK_DIAGRAM_SERVER: '/tmp/s' })).toEqual({
      root: '/w',
      worker: '/w/x.ts',
      cache: '/w/c',
      server: '/tmp/s',
    });
  });

  it.skipIf(process.platform === 'win32')('asks a build’s drawing server, when there is one, instead of starting a worker', async () => {
    const socket = path.join(scratch, 'server.sock');
    const server = net.createServer((connection) => {
      connection.setEncoding('utf8').on('data', (text: string) => {
        for (const line of text.split('\n').filter(Boolean)) {
          const { id, code, file } = JSON.parse(line) as { id: number; code: string; file: string };
          fs.writeFileSync(file, `<svg>served ${code}</svg>`);
          connection.write(`${JSON.stringify({ id })}\n`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const options = { ...config(path.join(scratch, 'no-such-worker.mjs'), 'cache-c'), server: socket };
      fs.mkdirSync(options.cache, { recursive: true });
      expect(await diagramImage('graph LR; a-->b', options)).toBe('<svg>served graph LR; a-->b</svg>');
    } finally {
      server.close();
    }
  });

  it('asks the worker for a missing image, then serves it from the cache', async () => {
    const options = config(drawing, 'cache-a');
    fs.mkdirSync(options.cache, { recursive: true });
    expect(await diagramImage('graph LR; a-->b', options)).toBe('<svg>graph LR; a-->b</svg>');
    const [file] = fs.readdirSync(options.cache);
    fs.writeFileSync(path.join(options.cache, file), '<svg>cached</svg>');
    expect(await diagramImage('graph LR; a-->b', options)).toBe('<svg>cached</svg>');
  });

  it('says why there is no image: the worker’s error, or a worker that stopped', async () => {
    const options = config(drawing, 'cache-b');
    fs.mkdirSync(options.cache, { recursive: true });
    await expect(diagramImage('broken diagram', options)).rejects.toThrow('Parse error on line 1');
    const crashing = worker('crashing.mjs', `process.stderr.write('Error: Cannot find package puppeteer\\n'); process.exit(3);`);
    await expect(diagramImage('graph LR; a-->b', config(crashing, 'cache-b'))).rejects.toThrow(
      'the diagram worker stopped (exit code 3): Error: Cannot find package puppeteer',
    );
  });
});
