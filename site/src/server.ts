/**
 * A small static file server for the built site (`npm run site:serve` and the browser tests). Like
 * GitHub Pages, it can serve the site under a path (`/course/`) and answers unknown addresses with
 * the site's 404 page.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.ipynb': 'application/x-ipynb+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  // Source files linked from the lessons are shown as text.
  '.md': 'text/plain; charset=utf-8',
  '.py': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  host?: string;
  /** 0: any free port. */
  port?: number;
  /** The path the site is served under, e.g. `/course/` (default `/`). */
  base?: string;
}

/** Serves `dir` on `host:port`; `url` is the site's address, base path included. */
export function serveSite(dir: string, { host = '127.0.0.1', port = 0, base = '/' }: ServeOptions = {}): Promise<SiteServer> {
  const root = path.resolve(dir);
  const prefix = `/${base.replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const notFound = (response: http.ServerResponse, pathname: string) => {
    fs.readFile(path.join(root, '404.html'), (error, page) => {
      if (error) response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
      else response.writeHead(404, { 'Content-Type': TYPES['.html'], 'Content-Length': page.length }).end(page);
    });
  };
  const server = http.createServer((request, response) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://site').pathname);
    } catch {
      response.writeHead(400).end('bad request');
      return;
    }
    if (`${pathname}/` === prefix) {
      response.writeHead(301, { Location: prefix }).end();
      return;
    }
    if (!pathname.startsWith(prefix)) {
      notFound(response, pathname);
      return;
    }
    let file = path.join(root, path.normalize(pathname.slice(prefix.length - 1)));
    if (file !== root && !file.startsWith(root + path.sep)) {
      response.writeHead(403).end('forbidden');
      return;
    }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    fs.readFile(file, (error, body) => {
      if (error) {
        notFound(response, pathname);
        return;
      }
      response.writeHead(200, { 'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': body.length, 'Cache-Control': 'no-cache' });
      response.end(request.method === 'HEAD' ? undefined : body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${actual}${prefix}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
