/**
 * What a sandbox's bridge lets through to a shared service (service-bridge.ts): only a session of
 * the submission's own account (service-accounts.ts). Credentials alone would not do: RabbitMQ's
 * `guest` and Redis's `default` user are open to any local connection, and the bridge's
 * connections are local. So the bridge reads the first bytes of every connection, as little of
 * each protocol as that takes:
 * - AMQP 0-9-1: the protocol header, then the client's `connection.start-ok`, which must log in
 *   with PLAIN as the submission's user; from then on bytes flow untouched (RabbitMQ gives that
 *   user its own virtual host only, and AMQP has no way to log in again on a connection).
 * - Redis (RESP): the bridge logs the connection in as the submission's user before any byte of the
 *   client goes through, then reads every command the client sends (each an array of bulk
 *   strings, as clients send them; anything else closes the connection) and closes the connection
 *   at one that would change its user: `AUTH` or `HELLO ... AUTH` with other credentials, `RESET`
 *   (which logs the connection in as `default`). Every other command is Redis's ACL's to refuse.
 * @module
 */

/** One account on a service: the user the bridge lets a submission be. */
export interface Credentials {
  user: string;
  password: string;
}

/**
 * Reads the client's side of one bridged connection: {@link inspect} takes each chunk the client
 * sends and returns the bytes to forward to the server (possibly none yet, while a message is
 * incomplete), or `undefined` when the connection must be closed.
 */
export interface Guard {
  /** What the bridge sends the server before anything of the client's, and the exact reply it must get back (which the client never sees). */
  preamble?: { send: Buffer; reply: Buffer };
  inspect(chunk: Buffer): Buffer | undefined;
}

/** The most a guard holds back while a message is incomplete; a longer one closes the connection. */
const MAX_HELD_BYTES = 16 * 2 ** 20;
const AMQP_HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
const FRAME_END = 0xce;

/** A guard that lets a connection through only once it logs in to RabbitMQ as `account`. */
export function amqpGuard(account: Credentials): Guard {
  const expected = Buffer.from(`\0${account.user}\0${account.password}`, 'utf8');
  let held: Buffer = Buffer.alloc(0);
  let state: 'header' | 'start-ok' | 'open' = 'header';
  return {
    inspect(chunk) {
      if (state === 'open') return chunk;
      held = Buffer.concat([held, chunk]);
      if (held.length > MAX_HELD_BYTES) return undefined;
      const out: Buffer[] = [];
      if (state === 'header') {
        if (held.length < AMQP_HEADER.length) return AMQP_HEADER.subarray(0, held.length).equals(held) ? Buffer.alloc(0) : undefined;
        if (!held.subarray(0, AMQP_HEADER.length).equals(AMQP_HEADER)) return undefined;
        // The server answers the header with connection.start: the header goes on at once.
        out.push(held.subarray(0, AMQP_HEADER.length));
        held = held.subarray(AMQP_HEADER.length);
        state = 'start-ok';
      }
      if (held.length < 7) return Buffer.concat(out);
      const size = held.readUInt32BE(3);
      if (held.length < 7 + size + 1) return size + 8 > MAX_HELD_BYTES ? undefined : Buffer.concat(out);
      const frame = held.subarray(0, 7 + size + 1);
      if (!startOkLogsInAs(frame, expected)) return undefined;
      out.push(held);
      held = Buffer.alloc(0);
      state = 'open';
      return Buffer.concat(out);
    },
  };
}

/**
 * Whether `frame` is a `connection.start-ok` on channel 0 whose mechanism is PLAIN and whose
 * response is exactly `expected` (`\0user\0password`).
 */
function startOkLogsInAs(frame: Buffer, expected: Buffer): boolean {
  const size = frame.readUInt32BE(3);
  if (frame[0] !== 1 || frame.readUInt16BE(1) !== 0 || frame[7 + size] !== FRAME_END) return false;
  const payload = frame.subarray(7, 7 + size);
  let at = 0;
  const need = (n: number) => at + n <= payload.length;
  if (!need(4) || payload.readUInt16BE(0) !== 10 || payload.readUInt16BE(2) !== 11) return false;
  at = 4;
  if (!need(4)) return false;
  at += 4 + payload.readUInt32BE(at); // client-properties, a field table
  if (!need(1)) return false;
  const mechanismLength = payload[at];
  at += 1;
  if (!need(mechanismLength)) return false;
  const mechanism = payload.subarray(at, at + mechanismLength).toString('latin1');
  at += mechanismLength;
  if (!need(4)) return false;
  const responseLength = payload.readUInt32BE(at);
  at += 4;
  if (!need(responseLength)) return false;
  return mechanism === 'PLAIN' && payload.subarray(at, at + responseLength).equals(expected);
}

/** One RESP bulk string as the client sends it. */
const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

/** The bytes of a command, as a client sends it. */
export function respCommand(...args: string[]): Buffer {
  return Buffer.from(`*${args.length}\r\n${args.map(bulk).join('')}`, 'utf8');
}

/**
 * The first complete command in `buffer` (its arguments and its length in bytes), `'incomplete'`,
 * or `undefined` when the bytes are not an array of bulk strings.
 */
function parseCommand(buffer: Buffer): { args: Buffer[]; length: number } | 'incomplete' | undefined {
  const line = (from: number): { value: number; next: number } | 'incomplete' | undefined => {
    const end = buffer.indexOf('\r\n', from);
    if (end < 0) return buffer.length - from > 20 ? undefined : 'incomplete';
    const text = buffer.subarray(from, end).toString('latin1');
    if (!/^\d{1,10}$/.test(text)) return undefined;
    return { value: Number(text), next: end + 2 };
  };
  if (buffer.length === 0) return 'incomplete';
  if (buffer[0] !== 0x2a /* * */) return undefined;
  const count = line(1);
  if (count === undefined || count === 'incomplete') return count;
  if (count.value < 1 || count.value > 1024 * 1024) return undefined;
  const args: Buffer[] = [];
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    if (at >= buffer.length) return 'incomplete';
    if (buffer[at] !== 0x24 /* $ */) return undefined;
    const length = line(at + 1);
    if (length === undefined || length === 'incomplete') return length;
    if (length.value > MAX_HELD_BYTES) return undefined;
    const end = length.next + length.value;
    if (buffer.length < end + 2) return 'incomplete';
    if (buffer[end] !== 0x0d || buffer[end + 1] !== 0x0a) return undefined;
    args.push(buffer.subarray(length.next, end));
    at = end + 2;
  }
  return { args, length: at };
}

/** Whether a command keeps the connection logged in as `account` (see the module's comment). */
function keepsUser(command: Buffer[], account: Credentials): boolean {
  const name = command[0].toString('latin1').toLowerCase();
  if (name !== 'reset' && name !== 'auth' && name !== 'hello') return true;
  const args = command.map((arg) => arg.toString('utf8'));
  const own = (user: string | undefined, password: string | undefined) => user === account.user && password === account.password;
  if (name === 'reset') return false;
  if (name === 'auth') return args.length === 3 && own(args[1], args[2]);
  if (name !== 'hello') return true;
  // HELLO [protover [AUTH username password] [SETNAME clientname]]
  for (let i = 2; i < args.length; ) {
    const option = args[i].toLowerCase();
    if (option === 'auth' && own(args[i + 1], args[i + 2])) i += 3;
    else if (option === 'setname' && i + 1 < args.length) i += 2;
    else return false;
  }
  return true;
}

/** A guard that keeps a connection to Redis logged in as `account`, from its first byte to its last. */
export function redisGuard(account: Credentials): Guard {
  let held: Buffer = Buffer.alloc(0);
  return {
    preamble: { send: respCommand('AUTH', account.user, account.password), reply: Buffer.from('+OK\r\n') },
    inspect(chunk) {
      held = held.length === 0 ? chunk : Buffer.concat([held, chunk]);
      const out: Buffer[] = [];
      for (;;) {
        const command = parseCommand(held);
        if (command === undefined) return undefined;
        if (command === 'incomplete') break;
        if (!keepsUser(command.args, account)) return undefined;
        out.push(held.subarray(0, command.length));
        held = held.subarray(command.length);
      }
      if (held.length > MAX_HELD_BYTES + 64) return undefined;
      return out.length === 1 ? out[0] : Buffer.concat(out);
    },
  };
}
