import { isListening } from './reachable';

/** A server, or its stand-in: something to open connections to. */
type Connectable = { connect(): Promise<{ close(): Promise<void> }> };

/** A server, or its stand-in: something to open connections to. */
/** A server the workbook talks to, which a lesson may replace with an in-process stand-in. */
export interface ServiceKind<T extends Connectable> {
  /** The environment variable that holds its URL. */
  variable: string;
  /** The URL used when that variable is unset or empty. */
  defaultUrl: string;
  /** The port when the URL names none. */
  defaultPort: number;
  /** How to get one, shown when none answers. */
  howToStart: string;
  /** The client of the real server at a URL. */
  real: (url: string) => T;
  /** The in-process stand-in. */
  inProcess: () => T;
}

/** The service's URL: its environment variable, else its default. */
export const serviceUrl = <T extends Connectable>(kind: ServiceKind<T>): string => process.env[kind.variable] || kind.defaultUrl;

/**
 * The real server at `url` (default: {@link serviceUrl}) when it is reachable, else, with
 * `fallback: true`, the in-process stand-in, so code written against the common interface runs
 * either way. A reachable server is connected to once and let go, so that bad credentials fail
 * here with the client's own reason.
 * @throws Error saying how to start the server when it is unreachable and `fallback` is false.
 */
export async function connectService<T extends Connectable>(kind: ServiceKind<T>, options: { url?: string; fallback?: boolean }): Promise<T> {
  const url = options.url ?? serviceUrl(kind);
  if (await isListening(url, kind.defaultPort, 1000)) {
    const server = kind.real(url);
    const probe = await server.connect();
    await probe.close();
    return server;
  }
  if (options.fallback) return kind.inProcess();
  throw new Error(kind.howToStart);
}
