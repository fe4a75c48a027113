/**
 * One side of the boundary between the checks' process and the submission's: a {@link Peer}
 * holds the objects of its side that the other side refers to, stands in for the other side's
 * objects with proxies, and carries every use of a proxy (a property read, a call, `new`, `in`,
 * `Object.keys`...) across as a synchronous request.
 *
 * A request blocks its sender until the answer comes; while it waits, it serves the requests the
 * other side makes in the meantime (a submission's method calling a function of the checks), so
 * the two processes run as one thread would, taking turns. Only the checks' side starts a
 * request when both are idle: the submission's side speaks only in answer, and settles its
 * promises in the answer it gives (see host.ts).
 * @module
 */
import { INTRINSICS, specialNumber, WELL_KNOWN_SYMBOLS, type Wire } from './wire';

/** A request, or an answer to one. */
export type Message = ({ t: 'call'; id: number; op: string; args: Wire[] } | { t: 'ret'; id: number; ok: boolean; v: Wire }) & {
  /** The sender's promises settled since its last message. */
  settle?: Settlement[];
  /** The sender has input and output of its own under way (a server, a socket): it needs turns to move on. */
  io?: 1;
  /** The sender has queued work of its own (a promise's reaction, a microtask) since its last turn. */
  work?: 1;
  /** Errors the sender's code let out since its last message (x: thrown where nothing caught it, r: a rejection nobody handled). */
  lost?: { k: 'x' | 'r'; v: Wire }[];
};

/** A promise of the sender's that has settled. */
export interface Settlement {
  p: number;
  ok: boolean;
  v: Wire;
}

/** Moves messages to the other side and back, blocking. */
export interface Channel {
  send(message: Message): void;
  /** The next message; throws when the other side is gone or too slow. */
  receive(): Message;
}

/** The id of the other side's object a proxy stands for. */
const REMOTE_ID = Symbol('remote id');
const intrinsicByName = new Map(INTRINSICS);
const intrinsicName = new Map(INTRINSICS.map(([name, value]) => [value, name]));
const symbolName = new Map([...WELL_KNOWN_SYMBOLS].map(([name, symbol]) => [symbol, name]));

/** A promise with its resolve and reject. */
interface Deferred {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** What the checks' side serves: reading and calling; the submission may not change the checks' objects. */
const GUARDED_OPERATIONS = new Set(['get', 'has', 'keys', 'describe', 'proto', 'apply', 'construct', 'invoke']);
/** Properties that lead from an object to what makes code from text, or to the caller's frames. */
const GUARDED_KEYS = new Set<PropertyKey>(['constructor', '__proto__', 'caller', 'callee', 'arguments']);
/** Functions the checks' side never hands over: each makes code from text. */
const constructorOf = (value: object): unknown => (Object.getPrototypeOf(value) as { constructor: unknown }).constructor;
const CODE_MAKERS = new Set<unknown>([Function, eval, constructorOf(async () => {}), constructorOf(function* () {}), constructorOf(async function* () {})]);

/** The operations a side serves, on one of its own objects. */
const OPERATIONS: Record<string, (target: object, ...args: unknown[]) => unknown> = {
  get: (target, key): unknown => Reflect.get(target, key as PropertyKey),
  set: (target, key, value) => Reflect.set(target, key as PropertyKey, value),
  has: (target, key) => Reflect.has(target, key as PropertyKey),
  delete: (target, key) => Reflect.deleteProperty(target, key as PropertyKey),
  keys: (target) => Reflect.ownKeys(target),
  describe: (target, key) => {
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key as PropertyKey);
    return descriptor && { ...descriptor };
  },
  define: (target, key, descriptor) => Reflect.defineProperty(target, key as PropertyKey, descriptor as PropertyDescriptor),
  proto: (target) => Reflect.getPrototypeOf(target),
  setProto: (target, proto) => Reflect.setPrototypeOf(target, proto as object | null),
  apply: (target, self, args) => Reflect.apply(target as (...args: unknown[]) => unknown, self, args as unknown[]),
  construct: (target, args) => Reflect.construct(target as new (...args: unknown[]) => unknown, args as unknown[]),
  invoke: (target, key, args) => Reflect.apply(methodOf(target, key as PropertyKey), target, args as unknown[]),
};

/** What `target[key]` holds, when it is a function to call (never one that makes code from text). */
function methodOf(target: object, key: PropertyKey): (...args: unknown[]) => unknown {
  const method: unknown = Reflect.get(target, key);
  if (typeof method !== 'function' || CODE_MAKERS.has(method)) throw new TypeError(`${String(key)} is not a function`);
  return method as (...args: unknown[]) => unknown;
}

/**
 * The methods `value` has from its prototypes (those of a class, up to the built-in ones): the
 * other side calls them in one message (`invoke`) rather than two (`get`, then `apply`).
 */
function methodsOf(value: object, guarded: boolean): string[] {
  const names = new Set<string>();
  for (let proto: unknown = Object.getPrototypeOf(value); typeof proto === 'object' && proto !== null && !intrinsicName.has(proto); proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof descriptor?.value === 'function' && !(guarded && (GUARDED_KEYS.has(name) || CODE_MAKERS.has(descriptor.value)))) names.add(name);
    }
  }
  return [...names];
}

/**
 * A stack from the submission's process without the frames of Node and of packages (tsx's loader):
 * the code's own frames are what a student needs, and the test framework reads every file a frame
 * names, looking for its source map.
 */
function ownFrames(stack: string): string {
  return stack
    .split('\n')
    .filter((line) => !/^\s+at /.test(line) || !/\(?(node:|[^\s(]*\/node_modules\/)/.test(line))
    .join('\n');
}

export class Peer {
  /** This side's objects the other side refers to, by id; and the id of each. */
  private readonly objects = new Map<number, unknown>();
  private readonly ids = new Map<unknown, number>();
  /** Proxies of the other side's objects, by their id there. */
  private readonly proxies = new Map<number, object>();
  /** Copies of the other side's data, with their id there (so that they go back as themselves). */
  private readonly copies = new WeakMap<object, number>();
  /** Promises of the other side's, waiting for their settlement. */
  private readonly pending = new Map<number, Deferred>();
  /** Stand-ins for the other side's methods (see {@link methodHandle}), each with what reads the method itself. */
  private readonly methodHandles = new WeakMap<object, () => unknown>();
  /** Settlements of promises not yet handed over. */
  private readonly early = new Map<number, Settlement>();
  /** Stand-ins for the other side's own symbols. */
  private readonly symbols = new Map<number, symbol>();
  /** This side's promises that have settled, to be told with the next answer. */
  private settled: Settlement[] = [];
  /** Errors this side's code let out, to be told with the next message. */
  private lost: { k: 'x' | 'r'; v: Wire }[] = [];
  private nextId = 1;
  private nextRequest = 1;
  /** Requests of this side's under way (one inside another while it serves the other side). */
  private depth = 0;
  /** Called when a request other than a `pump` has ended and none is under way. */
  onIdle?: () => void;

  constructor(
    private readonly channel: Channel,
    /**
     * The submission's side: tells its settlements in its answers, not as requests of their own.
     * The checks' side (false) is guarded: the other side may read and call what it was given,
     * never change it, and never reach a function that makes code from text.
     */
    private readonly settlesInAnswers: boolean,
  ) {}

  /** Whether the other side has work under way that only moves on in turns of its own: promises this side waits for, or sockets. */
  get otherNeedsTurns(): boolean {
    return this.pending.size > 0 || this.otherHasIo;
  }

  /** Whether the other side said, in its last message, that it has input and output under way. */
  private otherHasIo = false;
  /** Whether this side has input and output under way (set on the submission's side). */
  hasIo?: () => boolean;
  /** Whether this side has queued work since its last turn (set on the submission's side). */
  hasWork?: () => boolean;
  /** Whether a message of the other side said it queued work: taken (and cleared) by {@link takeOtherWork}. */
  private otherQueuedWork = false;

  /** Whether the other side queued work since this was last asked. */
  takeOtherWork(): boolean {
    const queued = this.otherQueuedWork;
    this.otherQueuedWork = false;
    return queued;
  }

  /** Runs `op` on the other side and gives its result; serves the other side's requests meanwhile. */
  request(op: string, args: unknown[]): unknown {
    return this.send(op, args.map((value) => this.encode(value)));
  }

  /** Gives the other side the settlements of this side's promises since the last message. */
  tellSettlements(): void {
    if (this.settled.length > 0) this.send('pump', []);
  }

  private send(op: string, args: Wire[]): unknown {
    this.depth++;
    try {
      return this.exchange(op, args);
    } finally {
      this.depth--;
      if (this.depth === 0 && op !== 'pump') this.onIdle?.();
    }
  }

  private exchange(op: string, args: Wire[]): unknown {
    const id = this.nextRequest++;
    this.channel.send({ t: 'call', id, op, args, ...this.takeSettled(), ...this.newsOfThisSide() });
    for (;;) {
      const message = this.channel.receive();
      this.otherHasIo = message.io === 1;
      if (message.work === 1) this.otherQueuedWork = true;
      this.takeSettlements(message.settle);
      this.takeLost(message.lost);
      if (message.t === 'call') {
        this.answer(message);
        continue;
      }
      if (message.id !== id) throw new Error(`the other process answered request ${message.id}, not ${id}`);
      const value = this.decode(message.v);
      if (!message.ok) throw value;
      return value;
    }
  }

  /** Serves one request of the other side and sends the answer. */
  answer(message: Extract<Message, { t: 'call' }>): void {
    let ok = true;
    let result: unknown;
    try {
      result = this.perform(message.op, message.args);
    } catch (error) {
      ok = false;
      result = error;
    }
    this.reply(message.id, ok, result);
  }

  /** Sends the answer to request `id`, with the settlements since the last. */
  reply(id: number, ok: boolean, result: unknown): void {
    this.sendAnswer(id, this.prepareAnswer(ok, result));
  }

  /** An answer on the wire (a promise in it starts being watched now). */
  prepareAnswer(ok: boolean, result: unknown): { ok: boolean; v: Wire } {
    try {
      return { ok, v: this.encode(result) };
    } catch (error) {
      try {
        return { ok: false, v: this.encode(error) };
      } catch {
        return { ok: false, v: 'a value that could not cross between the processes' };
      }
    }
  }

  sendAnswer(id: number, answer: { ok: boolean; v: Wire }): void {
    this.channel.send({ t: 'ret', id, ...answer, ...this.takeSettled(), ...this.newsOfThisSide() });
  }

  /** What the other side learns with each message: whether this side has input and output or work under way, and the errors its code let out. */
  private newsOfThisSide(): { io?: 1; work?: 1; lost?: { k: 'x' | 'r'; v: Wire }[] } {
    const lost = this.lost;
    this.lost = [];
    return { ...(this.hasIo?.() ? { io: 1 as const } : {}), ...(this.hasWork?.() ? { work: 1 as const } : {}), ...(lost.length > 0 ? { lost } : {}) };
  }

  /**
   * An error this side's code let out (`thrown` where nothing caught it, or a rejection nobody
   * handled): the other side lets it out again in its own process, where the checks see it as they
   * would have seen it had the code run there.
   */
  letOut(error: unknown, thrown: boolean): void {
    this.lost.push({ k: thrown ? 'x' : 'r', v: this.prepareAnswer(false, error).v });
  }

  /** Lets out again the errors the other side's code let out. */
  private takeLost(lost: { k: 'x' | 'r'; v: Wire }[] | undefined): void {
    for (const { k, v } of lost ?? []) {
      const error = this.decode(v);
      if (k === 'r') void Promise.reject(error);
      else
        process.nextTick(() => {
          throw error;
        });
    }
  }

  private takeSettled(): { settle?: Settlement[] } {
    const settle = this.settled;
    this.settled = [];
    return settle.length > 0 ? { settle } : {};
  }

  /** Runs an operation, asked for on the wire, on one of this side's objects. */
  perform(op: string, wires: Wire[]): unknown {
    if (op === 'pump') return undefined;
    const operation = OPERATIONS[op];
    if (!operation || (!this.settlesInAnswers && !GUARDED_OPERATIONS.has(op))) throw new TypeError(`the checks' objects do not allow ${op}`);
    const [target, ...rest] = wires;
    if (target === null || typeof target !== 'object' || !('l' in target)) throw new TypeError(`${op} on something this side never handed over`);
    const args = rest.map((wire) => this.decode(wire));
    if (!this.settlesInAnswers && GUARDED_KEYS.has(args[0] as PropertyKey)) {
      if (op === 'get' || op === 'describe') return undefined;
      if (op === 'invoke') throw new TypeError(`${String(args[0])} is not a function`);
    }
    const object = this.local(target.l);
    if ((typeof object !== 'object' && typeof object !== 'function') || object === null) throw new TypeError(`${op} on something that is not an object`);
    return operation(object, ...args);
  }

  /** Settles the other side's promises it has told about. */
  takeSettlements(settlements: Settlement[] | undefined): void {
    for (const settlement of settlements ?? []) {
      const { p, ok, v } = settlement;
      const deferred = this.pending.get(p);
      if (!deferred) {
        // A promise settled in the very answer that hands it over: kept until that answer is read.
        this.early.set(p, settlement);
        continue;
      }
      this.pending.delete(p);
      const value = this.decode(v);
      if (ok) deferred.resolve(value);
      else deferred.reject(value);
    }
  }

  /** The id of this side's object, given one the first time. */
  private idOf(value: unknown): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(value, id);
      this.objects.set(id, value);
    }
    return id;
  }

  encode(value: unknown, seen = new Set<object>()): Wire {
    switch (typeof value) {
      case 'undefined':
        return { u: 1 };
      case 'number': {
        const special = specialNumber(value);
        return special ? { n: special } : value;
      }
      case 'string':
      case 'boolean':
        return value;
      case 'bigint':
        return { b: value.toString() };
      case 'symbol':
        return this.encodeSymbol(value);
      case 'function':
        return !this.settlesInAnswers && CODE_MAKERS.has(value) ? { u: 1 } : this.encodeObject(value, seen);
      case 'object':
        return value === null ? null : this.encodeObject(value, seen);
    }
  }

  private encodeSymbol(symbol: symbol): Wire {
    const wellKnown = symbolName.get(symbol);
    if (wellKnown) return { sw: wellKnown };
    const registered = Symbol.keyFor(symbol);
    if (registered !== undefined) return { sf: registered };
    for (const [id, standIn] of this.symbols) if (standIn === symbol) return { l: id };
    return { y: this.idOf(symbol) };
  }

  private encodeObject(value: object, seen: Set<object>): Wire {
    // A method handed back goes as the other side's function itself.
    const method = this.methodHandles.get(value);
    if (method) return this.encode(method(), seen);
    const remote = (value as { [REMOTE_ID]?: number })[REMOTE_ID];
    if (typeof remote === 'number' && this.proxies.get(remote) === value) return { l: remote };
    const copied = this.copies.get(value);
    if (copied !== undefined) return { l: copied };
    const intrinsic = intrinsicName.get(value);
    if (intrinsic) return { i: intrinsic };
    if (typeof value === 'function') return { r: this.idOf(value), f: 1 };
    if (value instanceof Promise) return { p: this.promiseId(value) };
    if (seen.has(value)) return { r: this.idOf(value) };
    seen.add(value);
    try {
      return this.encodeData(value, seen) ?? this.encodeInstance(value);
    } finally {
      seen.delete(value);
    }
  }

  /** A reference to an object that is not data (an instance of a class), with its methods the first time. */
  private encodeInstance(value: object): Wire {
    const known = this.ids.has(value);
    const id = this.idOf(value);
    return known ? { r: id } : { r: id, ms: methodsOf(value, !this.settlesInAnswers) };
  }

  /** A copy of `value` when it is data, else undefined. */
  private encodeData(value: object, seen: Set<object>): Wire | undefined {
    const encode = (item: unknown) => this.encode(item, seen);
    if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) return { a: value.map(encode), c: this.idOf(value) };
    if (value instanceof Date) return { d: value.getTime() };
    if (value instanceof RegExp) return { re: [value.source, value.flags] };
    if (value instanceof Map) return { m: [...value].map(([key, item]) => [encode(key), encode(item)]) };
    if (value instanceof Set) return { st: [...value].map(encode) };
    if (value instanceof Uint8Array) return { u8: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
    // An error made with `new` (its prototype, also `instanceof Error`, crosses as a reference).
    if (value instanceof Error && Object.hasOwn(value, 'stack')) {
      // What the error's prototype computes (a DOMException's name, message and code) is copied as its own.
      const keys = new Set([...Reflect.ownKeys(value).filter((key): key is string => typeof key === 'string'), 'name', 'message', ...(value instanceof DOMException ? ['code'] : [])]);
      const props = [...keys].map((key): [string, Wire] => [key, encode(Reflect.get(value, key))]);
      return { e: { proto: encode(Object.getPrototypeOf(value)), props }, c: this.idOf(value) };
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const entries = Object.keys(value).map((key): [string, Wire] => [key, encode((value as Record<string, unknown>)[key])]);
    return { o: entries, c: this.idOf(value), ...(proto === null ? { np: 1 as const } : {}) };
  }

  /** The id of one of this side's promises, telling its settlement when it comes. */
  private promiseId(promise: Promise<unknown>): number {
    const known = this.ids.get(promise);
    if (known !== undefined) return known;
    const id = this.idOf(promise);
    const tell = (ok: boolean, value: unknown) => {
      const answer = this.prepareAnswer(ok, value);
      this.settled.push({ p: id, ...answer });
      if (!this.settlesInAnswers) this.tellSettlements();
    };
    promise.then(
      (value) => tell(true, value),
      (error: unknown) => tell(false, error),
    );
    return id;
  }

  decode(wire: Wire): unknown {
    if (wire === null || typeof wire !== 'object') return wire;
    if ('u' in wire) return undefined;
    if ('n' in wire) return wire.n === '-0' ? -0 : Number(wire.n);
    if ('b' in wire) return BigInt(wire.b);
    if ('sw' in wire) return WELL_KNOWN_SYMBOLS.get(wire.sw);
    if ('sf' in wire) return Symbol.for(wire.sf);
    if ('i' in wire) return intrinsicByName.get(wire.i);
    if ('l' in wire) return this.local(wire.l);
    if ('y' in wire) return this.symbolOf(wire.y);
    if ('r' in wire) return this.proxyOf(wire.r, wire.f === 1, wire.ms);
    if ('p' in wire) return this.promiseOf(wire.p);
    if ('a' in wire) return this.remember(wire.a.map((item) => this.decode(item)), wire.c);
    if ('o' in wire) {
      const object = wire.np ? (Object.create(null) as Record<string, unknown>) : {};
      for (const [key, item] of wire.o) Object.defineProperty(object, key, { value: this.decode(item), enumerable: true, writable: true, configurable: true });
      return this.remember(object, wire.c);
    }
    if ('d' in wire) return new Date(wire.d);
    if ('re' in wire) return new RegExp(...wire.re);
    if ('m' in wire) return new Map(wire.m.map(([key, item]) => [this.decode(key), this.decode(item)]));
    if ('st' in wire) return new Set(wire.st.map((item) => this.decode(item)));
    if ('u8' in wire) return new Uint8Array(Buffer.from(wire.u8, 'base64'));
    return this.remember(this.decodeError(wire.e), wire.c);
  }

  private decodeError({ proto, props }: { proto: Wire; props: [string, Wire][] }): Error {
    const error = new Error();
    // Its own stack first: the one `new Error()` made here would be worked out, lazily, through the prototype set below.
    Object.defineProperty(error, 'stack', { value: undefined, writable: true, configurable: true });
    for (const [key, item] of props) {
      let value = this.decode(item);
      if (key === 'stack' && typeof value === 'string' && !this.settlesInAnswers) value = ownFrames(value);
      Object.defineProperty(error, key, { value, enumerable: !['stack', 'message', 'name'].includes(key), writable: true, configurable: true });
    }
    const prototype = this.decode(proto);
    Object.setPrototypeOf(error, typeof prototype === 'object' && prototype !== null ? prototype : Error.prototype);
    return error;
  }

  private remember<T extends object>(copy: T, id: number): T {
    this.copies.set(copy, id);
    return copy;
  }

  /** This side's object with id `id`. */
  private local(id: number): unknown {
    if (!this.objects.has(id)) throw new Error(`the other process referred to object ${id}, which this side never gave it`);
    return this.objects.get(id);
  }

  private symbolOf(id: number): symbol {
    let symbol = this.symbols.get(id);
    if (!symbol) {
      symbol = Symbol(`a symbol of the other process (${id})`);
      this.symbols.set(id, symbol);
    }
    return symbol;
  }

  private promiseOf(id: number): Promise<unknown> {
    const known = this.proxies.get(id);
    if (known) return known as Promise<unknown>;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      this.takeSettlements([early]);
    }
    // A rejection nobody handles on this side is the other side's to report, not this one's.
    promise.catch(() => {});
    this.proxies.set(id, promise);
    return promise;
  }

  private proxyOf(id: number, callable: boolean, methods: string[] = []): object {
    const known = this.proxies.get(id);
    if (known) return known;
    const ask = (op: string, ...args: unknown[]) => this.send(op, [{ l: id }, ...args.map((value) => this.encode(value))]);
    // A bound function is callable and constructible and has no own `prototype` to keep consistent.
    const target: object = callable ? function remote() {}.bind(null) : {};
    const methodNames = new Set(methods);
    const handles = new Map<string, object>();
    const methodHandle = (name: string) => {
      let handle = handles.get(name);
      if (!handle) {
        handle = this.methodHandle(proxy, name, ask);
        handles.set(name, handle);
      }
      return handle;
    };
    const proxy: object = new Proxy(target, {
      get: (_, key) => (key === REMOTE_ID ? id : typeof key === 'string' && methodNames.has(key) ? methodHandle(key) : ask('get', key)),
      set: (_, key, value) => ask('set', key, value) as boolean,
      has: (_, key) => ask('has', key) as boolean,
      deleteProperty: (_, key) => ask('delete', key) as boolean,
      ownKeys: () => ask('keys') as (string | symbol)[],
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = ask('describe', key) as PropertyDescriptor | undefined;
        return descriptor && { ...descriptor, configurable: true };
      },
      defineProperty: (_, key, descriptor) => ask('define', key, { ...descriptor }) as boolean,
      getPrototypeOf: () => ask('proto') as object | null,
      setPrototypeOf: (_, proto) => ask('setProto', proto) as boolean,
      preventExtensions: () => false,
      apply: (_, self, args) => ask('apply', self, args),
      construct: (_, args) => ask('construct', args) as object,
    });
    this.proxies.set(id, proxy);
    return proxy;
  }

  /**
   * Stands for the method `name` of the other side's object `owner`: called on `owner` (as in
   * `owner.name(...)`), it is one `invoke` of whatever `owner.name` holds then, as the two steps
   * would have found it; any other use of it reads `owner.name` first.
   */
  private methodHandle(owner: object, name: string, ask: (op: string, ...args: unknown[]) => unknown): object {
    const method = () => ask('get', name) as (...args: unknown[]) => unknown;
    const handle = new Proxy(function remote() {}.bind(null), {
      apply: (_, self, args) => (self === owner ? ask('invoke', name, args) : Reflect.apply(method(), self, args)),
      construct: (_, args, newTarget) => Reflect.construct(method(), args, newTarget) as object,
      get: (_, key): unknown => Reflect.get(method(), key),
      has: (_, key) => Reflect.has(method(), key),
      ownKeys: () => Reflect.ownKeys(method()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(method(), key);
        return descriptor && { ...descriptor, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(method()),
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      setPrototypeOf: () => false,
      preventExtensions: () => false,
    });
    this.methodHandles.set(handle, method);
    return handle;
  }
}
