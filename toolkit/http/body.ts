import type { IncomingMessage } from 'node:http';
import { Rejection } from './errors';

/**
 * Reads a request body as UTF-8 text, refusing more than `limit` bytes.
 *
 * A declared `Content-Length` over the limit is refused before anything is read; a body that
 * grows past it while streaming is refused as soon as it does. Either way the rest of the body is
 * read and thrown away, so the client, still sending, gets the 413 rather than a reset connection.
 * @throws Rejection `body-too-large`.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new Rejection('body-too-large', `the body is larger than ${limit} bytes`);
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    request.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    request.on('error', reject);
  });
}
