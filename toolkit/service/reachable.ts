import net from 'node:net';

/**
 * Whether something accepts TCP connections at the URL's host and port (`defaultPort` when the
 * URL names none), within `timeoutMs`. A cheap first question before a client library's own
 * connect, whose failure can take much longer to come.
 */
export function isListening(url: string, defaultPort: number, timeoutMs: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || defaultPort) });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
