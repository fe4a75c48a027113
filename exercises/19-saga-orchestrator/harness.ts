/**
 * What the public and hidden checks of exercise 19 share: a world of services and a durable log in
 * which processes of the orchestrator run and die, a runner that plays a scenario in it, and a
 * judge that says in words what went wrong. See checks.test.ts beside it.
 *
 * A process is a freshly loaded copy of your module (nothing kept in a variable survives a crash)
 * and the {@link Process} the checks hand it. Every log append and every service call is one
 * operation, numbered from 0 across the whole run, and a plan may give an operation a fault:
 * - `crash-before`: the process dies before it (an append is not stored, a call never reaches its service);
 * - `crash-after`: it happens (stored, or taken effect), and the process dies before it hears back;
 * - `fail-before`, `fail-after`: a call throws without taking effect, or after taking effect (its
 *   reply was lost); on an append these do nothing (the log does not fail).
 * A dead process's appends and calls never settle: its code stops where it was, as a killed
 * process's would, and nothing it does after that reaches the log or a service. A new process then
 * runs `recover`.
 */
import { vi } from 'vitest';
import { fc } from '../../checker/shared/property';
import type { Call, LogEntry, Outcome, Process, Reply } from '@submission/19-saga-orchestrator/orchestrator';

/** What can happen to one operation. */
export type Fault = 'crash-before' | 'crash-after' | 'fail-before' | 'fail-after';

/** One operation, as a plan sees it before it happens. */
export interface Operation {
  /** Its number, from 0, across every process of the run. */
  number: number;
  /** The call, or undefined for a log append. */
  call?: Call;
  /** For a call: how many calls with the same saga, step and kind came before it (0: the first attempt). */
  attempt: number;
}

/** Which fault, if any, each operation meets. */
export type Plan = (operation: Operation) => Fault | undefined;

/** A saga a check runs: its id, its steps, and the step whose action the service refuses, if any. */
export interface SagaSpec {
  id: string;
  steps: string[];
  refuses?: string;
}

/** A call that took effect at its service. */
interface Effect {
  saga: string;
  step: string;
  kind: Call['kind'];
  key: string;
}

/** The most operations a run may make: past it, the checks take the code for a loop that never ends. */
export const MAX_OPERATIONS = 3000;

/** What a run left behind, for the judge and for a check's own look. */
export class World {
  /** Each operation in words, by number. */
  readonly operations: string[] = [];
  /** Every call that reached its service, in order, with its key. */
  readonly calls: Call[] = [];
  /** Every call made, whether or not it reached its service. */
  private readonly attempts: Call[] = [];
  /** The calls that took effect, in order. */
  readonly effects: Effect[] = [];
  /** The mistakes seen as they happened, in words. */
  readonly problems: string[] = [];
  /** Each crash, in words. */
  readonly crashes: string[] = [];
  /** What runSaga returned, by saga. */
  readonly outcomes = new Map<string, Outcome>();
  /** The sagas a runSaga or a recover that returned has finished: no call may follow for them. */
  readonly finished = new Set<string>();
  /** The sagas started so far. */
  readonly started = new Set<string>();
  /** The durable log, as JSON texts. */
  readonly log: string[] = [];
  /** How many processes ran. */
  processes = 0;
  private readonly replies = new Map<string, { call: Call; reply: Reply }>();

  constructor(
    readonly sagas: SagaSpec[],
    private readonly plan: Plan,
  ) {}

  /** The next operation's number and fault; undefined once the run made too many. */
  next(what: string, call?: Call): { number: number; fault: Fault | undefined } | undefined {
    const number = this.operations.length;
    if (number >= MAX_OPERATIONS) {
      if (!this.problems.some((p) => p.startsWith('more than'))) {
        this.problems.push(`more than ${MAX_OPERATIONS} calls and log appends in one run: does a retry never stop, or does recover start over and over?`);
      }
      return undefined;
    }
    this.operations.push(what);
    const attempt = call ? this.attempts.filter((c) => c.saga === call.saga && c.step === call.step && c.kind === call.kind).length : 0;
    if (call) this.attempts.push(call);
    return { number, fault: this.plan({ number, call, attempt }) };
  }

  /** The service's side of a call: applied once per key, and answered as the first call with that key was. */
  serve(call: Call): Reply {
    this.calls.push(call);
    if (this.finished.has(call.saga)) {
      this.problems.push(`${describeCall(call)} came after saga ${call.saga} had finished (runSaga or recover had returned): a finished saga is left alone (item 8)`);
    }
    const seen = this.replies.get(call.key);
    if (seen) {
      if (seen.call.saga !== call.saga || seen.call.step !== call.step || seen.call.kind !== call.kind) {
        this.problems.push(`the key "${call.key}" was given to ${describeCall(seen.call)} and to ${describeCall(call)}: the service took the second for a retry of the first and did nothing. Each action and each compensation needs a key of its own (item 3)`);
      }
      return seen.reply;
    }
    const spec = this.sagas.find((s) => s.id === call.saga);
    const reply: Reply = call.kind === 'action' && spec?.refuses === call.step ? 'refused' : 'done';
    if (reply === 'done') this.effects.push({ saga: call.saga, step: call.step, kind: call.kind, key: call.key });
    this.replies.set(call.key, { call, reply });
    return reply;
  }
}

/** A call in words: "charge-card's action of s1". */
export const describeCall = (call: Pick<Call, 'saga' | 'step' | 'kind'>) => `${call.step}'s ${call.kind} of ${call.saga}`;

const NEVER = new Promise<never>(() => {});

/** A call as the checks read it: its fields copied, refused when they are not what the README says. */
function callOf(world: World, raw: Call): Call | undefined {
  const call = { saga: raw?.saga, step: raw?.step, kind: raw?.kind, key: raw?.key };
  const spec = world.sagas.find((s) => s.id === call.saga);
  if (!spec || !spec.steps.includes(call.step) || (call.kind !== 'action' && call.kind !== 'compensation')) {
    world.problems.push(`a call ${JSON.stringify(call)} names no step of a saga that was started, or a kind other than "action" or "compensation"`);
    return undefined;
  }
  if (typeof call.key !== 'string' || call.key === '') {
    world.problems.push(`${describeCall(call)} was called without a key (a non-empty string): the service cannot tell a retry from a new call (item 3)`);
    return undefined;
  }
  return call;
}

/** A new process in `world`: its Process, and a promise that resolves when it dies. */
function spawn(world: World): { process: Process; died: Promise<void> } {
  world.processes++;
  let dead = false;
  let die = () => {};
  const died = new Promise<void>((resolve) => (die = resolve));
  const kill = (number: number, fault: Fault, what: string) => {
    dead = true;
    world.crashes.push(`a crash ${fault === 'crash-before' ? 'just before' : 'just after'} operation ${number} (${what})`);
    die();
  };
  /** Runs one operation: undefined when the process is (now) dead, else whether it must fail. */
  const operate = <T>(what: string, call: Call | undefined, effect: () => T): Promise<T> => {
    const next = world.next(what, call);
    if (!next) {
      dead = true;
      die();
      return NEVER;
    }
    const { number, fault } = next;
    if (fault === 'crash-before') return (kill(number, fault, what), NEVER);
    if (call && fault === 'fail-before') return Promise.reject(new Error('the service did not answer'));
    const result = effect();
    if (fault === 'crash-after') return (kill(number, fault, what), NEVER);
    if (call && fault === 'fail-after') return Promise.reject(new Error('the service did not answer'));
    return Promise.resolve(result);
  };
  const process: Process = {
    log: {
      append: (entry: LogEntry) => {
        if (dead) return NEVER;
        const text = JSON.stringify(entry) ?? 'null';
        return operate(`appending ${text.length > 90 ? `${text.slice(0, 87)}...` : text} to the log`, undefined, () => {
          world.log.push(text);
        });
      },
      entries: () => (dead ? NEVER : Promise.resolve(world.log.map((text) => JSON.parse(text) as never))),
    },
    call: (raw: Call) => {
      if (dead) return NEVER;
      const call = callOf(world, raw);
      if (!call) return (die(), (dead = true), NEVER);
      return operate(`calling ${describeCall(call)}`, call, () => world.serve(call));
    },
  };
  return { process, died };
}

type Orchestrator = typeof import('@submission/19-saga-orchestrator/orchestrator');

/** A fresh copy of the orchestrator module, as a new process loads it. */
async function load(): Promise<Orchestrator> {
  vi.resetModules();
  return import('@submission/19-saga-orchestrator/orchestrator');
}

/** How a scenario is played. */
export interface Scenario {
  sagas: SagaSpec[];
  plan?: Plan;
  /** Start every saga at once in the first process (default: one after the other). */
  together?: boolean;
}

/**
 * Plays a scenario: starts its sagas with runSaga, and whenever the process dies, starts a new
 * one that runs recover (again, as long as recover's process dies too), then goes on with the
 * sagas not started yet in that process.
 */
export async function play(scenario: Scenario): Promise<World> {
  const world = new World(scenario.sagas, scenario.plan ?? (() => undefined));
  let current = spawn(world);
  let code = await load();
  /** Whether `work` returned before the process died; what it threw is a problem. */
  const settle = async (work: () => Promise<unknown>, what: string): Promise<boolean> => {
    const crashed = current.died.then(() => 'crashed' as const);
    try {
      return (await Promise.race([work().then(() => 'returned' as const), crashed])) === 'returned';
    } catch (error) {
      world.problems.push(`${what} threw "${error instanceof Error ? error.message : String(error)}" instead of retrying or finishing the saga`);
      return false;
    }
  };
  const recoverUntilDone = async (): Promise<boolean> => {
    while (world.problems.length === 0) {
      current = spawn(world);
      code = await load();
      const process = current.process;
      if (await settle(() => code.recover(process), 'recover')) {
        for (const saga of world.started) world.finished.add(saga);
        return true;
      }
    }
    return false;
  };
  const start = (spec: SagaSpec) => {
    world.started.add(spec.id);
    return code.runSaga(current.process, spec.id, [...spec.steps]).then((outcome) => {
      world.outcomes.set(spec.id, outcome);
      world.finished.add(spec.id);
    });
  };
  if (scenario.together) {
    if (!(await settle(() => Promise.all(scenario.sagas.map(start)), 'runSaga'))) await recoverUntilDone();
    return world;
  }
  for (const spec of scenario.sagas) {
    if (await settle(() => start(spec), `runSaga of ${spec.id}`)) continue;
    if (!(await recoverUntilDone())) break;
  }
  return world;
}

/** A plan with the given faults at the given operation numbers. */
export const faultsAt = (faults: Iterable<[number, Fault]>): Plan => {
  const byNumber = new Map(faults);
  return (operation) => byNumber.get(operation.number);
};

const list = (steps: string[]) => (steps.length === 0 ? 'nothing' : steps.join(', '));

/** The item a saga's ending falls under: with or without a refused step, with or without a crash. */
const itemOf = (world: World, refused: boolean) => (world.crashes.length === 0 ? (refused ? 2 : 1) : refused ? 6 : 5);

/** What went wrong with one saga, in words; undefined when it ended as it should. */
function sagaProblem(world: World, spec: SagaSpec): string | undefined {
  const mine = world.effects.filter((e) => e.saga === spec.id);
  for (const effect of mine) {
    const twin = mine.find((e) => e !== effect && e.step === effect.step && e.kind === effect.kind);
    if (twin) return `${describeCall(effect)} took effect twice, under the keys "${effect.key}" and "${twin.key}": every attempt at one action or compensation, on a retry or after a crash, must carry the same key (item 3)`;
  }
  const refusedAt = spec.refuses === undefined ? -1 : spec.steps.indexOf(spec.refuses);
  const expectedActions = refusedAt < 0 ? spec.steps : spec.steps.slice(0, refusedAt);
  const actions = mine.filter((e) => e.kind === 'action').map((e) => e.step);
  const compensations = mine.filter((e) => e.kind === 'compensation').map((e) => e.step);
  const after = actions.find((step) => spec.steps.indexOf(step) > refusedAt && refusedAt >= 0);
  if (after) return `${after}'s action of ${spec.id} ran after ${spec.refuses} was refused: a refusal ends the saga's way forward (item 2)`;
  const neverRan = compensations.find((step) => !actions.includes(step));
  if (neverRan) {
    const why = neverRan === spec.refuses ? 'its action was refused, so it never took effect' : 'its action never took effect';
    return `${neverRan} of ${spec.id} was compensated, but ${why}: compensate only the steps that ran (item 7)`;
  }
  if (refusedAt < 0 && compensations.length > 0) {
    return `${list(compensations)} of ${spec.id} ${compensations.length > 1 ? 'were' : 'was'} compensated, but no step of it was refused: a crash is no reason to turn back, recover carries the saga forward (item 5)`;
  }
  const outOfOrder = actions.findIndex((step, i) => step !== expectedActions[i]);
  if (outOfOrder >= 0) return `the actions of ${spec.id} took effect in the order ${list(actions)}: the steps run in the saga's order, ${list(expectedActions)} (item 1)`;
  const expectedCompensations = refusedAt < 0 ? [] : [...expectedActions].reverse();
  const missingActions = expectedActions.filter((step) => !actions.includes(step));
  const missingCompensations = expectedCompensations.filter((step) => !compensations.includes(step));
  const neverStarted = mine.length === 0 && !world.outcomes.has(spec.id) && world.crashes.length > 0;
  if ((missingActions.length > 0 || missingCompensations.length > 0) && !neverStarted) {
    const state = refusedAt < 0 ? `${list(actions)} took effect and ${list(missingActions)} never ran` : `${list(actions)} took effect, ${spec.refuses} was refused, and ${list(missingCompensations)} ${missingCompensations.length > 1 ? 'were' : 'was'} never compensated`;
    const when = world.crashes.length === 0 ? 'runSaga returned' : `after ${world.crashes.join(', then ')}, recover returned`;
    return `saga ${spec.id} was left unfinished: ${when}, but ${state}; it must end ${refusedAt < 0 ? 'completed' : 'fully compensated'} (item ${itemOf(world, refusedAt >= 0)})`;
  }
  const wrongOrder = compensations.findIndex((step, i) => step !== expectedCompensations[i]);
  if (wrongOrder >= 0) return `the compensations of ${spec.id} took effect in the order ${list(compensations)}: compensate in reverse order, the last step done first: ${list(expectedCompensations)} (item 2)`;
  const returned = world.outcomes.get(spec.id);
  const outcome = refusedAt < 0 ? 'completed' : 'compensated';
  if (returned !== undefined && returned !== outcome) return `runSaga returned "${String(returned)}" for ${spec.id}, which ended ${outcome} (item ${refusedAt < 0 ? 1 : 2})`;
  return undefined;
}

/** The first thing that went wrong in a run, in words; undefined when every saga ended as it should. */
export function verdict(world: World): string | undefined {
  if (world.problems.length > 0) return world.problems[0];
  for (const spec of world.sagas) {
    const problem = sagaProblem(world, spec);
    if (problem) return problem;
  }
  return undefined;
}

/** Plays `scenario` and fails with the judge's words (and `context`) when a saga did not end as it should. */
export async function expectRight(scenario: Scenario, context: string): Promise<World> {
  const world = await play(scenario);
  const problem = verdict(world);
  if (problem) throw new Error(`${context}: ${problem}`);
  return world;
}

/** The step names a saga draws from, in order. */
export const STEPS = ['reserve-stock', 'charge-card', 'book-courier', 'send-receipt', 'award-points'];

/** A saga of the first `n` steps, refusing the step at `refusedAt` (none when undefined). */
export const saga = (id: string, n: number, refusedAt?: number): SagaSpec => ({
  id,
  steps: STEPS.slice(0, n),
  ...(refusedAt === undefined || refusedAt >= n ? {} : { refuses: STEPS[refusedAt] }),
});

/** A saga in words: `s1 [reserve-stock, charge-card] refusing charge-card`. */
export const sagaText = (spec: SagaSpec) => `${spec.id} [${spec.steps.join(', ')}]${spec.refuses ? ` refusing ${spec.refuses}` : ''}`;

/**
 * Every single crash of a scenario: for each operation the scenario makes without faults (and,
 * for those, `extra` faults), a crash just before it and one just after it; each run judged.
 * @returns how many crash points were tried
 */
export async function crashEverywhere(sagas: SagaSpec[], extra: Plan = () => undefined): Promise<number> {
  const clean = await expectRight({ sagas, plan: extra }, `${sagas.map(sagaText).join('; ')}, without a crash`);
  const count = clean.operations.length;
  for (let number = 0; number < count; number++) {
    for (const fault of ['crash-before', 'crash-after'] as const) {
      const plan: Plan = (operation) => (operation.number === number ? fault : extra(operation));
      await expectRight({ sagas, plan }, `${sagas.map(sagaText).join('; ')}, with a crash ${fault === 'crash-before' ? 'just before' : 'just after'} operation ${number} (${clean.operations[number]})`);
    }
  }
  return count;
}

/** A random scenario, as the property checks draw it. */
export interface RandomScenario {
  sagas: { steps: number; refusedAt: number | null }[];
  together: boolean;
  faults: { number: number; fault: Fault }[];
}

/** Random scenarios: one to three sagas of one to four steps, a refused step or none, and up to six faults among the first 40 operations. */
export const randomScenarios: fc.Arbitrary<RandomScenario> = fc.record({
  sagas: fc.array(fc.record({ steps: fc.integer({ min: 1, max: 4 }), refusedAt: fc.option(fc.nat(3)) }), { minLength: 1, maxLength: 3 }),
  together: fc.boolean(),
  faults: fc.array(fc.record({ number: fc.nat(39), fault: fc.constantFrom<Fault>('crash-before', 'crash-after', 'fail-before', 'fail-after') }), { maxLength: 6 }),
});

/** The scenario a random draw stands for. */
export const scenarioOf = (r: RandomScenario): Scenario => ({
  sagas: r.sagas.map((s, i) => saga(`s${i + 1}`, s.steps, s.refusedAt ?? undefined)),
  together: r.together,
  plan: faultsAt(r.faults.map((f) => [f.number, f.fault])),
});

/** The last world {@link judgeRandom} played, for the failing case's words. */
let lastWorld: World | undefined;

/** Plays a random scenario and throws the judge's words when it went wrong. */
export async function judgeRandom(r: RandomScenario): Promise<void> {
  lastWorld = await play(scenarioOf(r));
  const problem = verdict(lastWorld);
  if (problem) throw new Error(problem);
}

/** A random scenario in words, with what its last run did. */
export const scenarioSteps = (r: RandomScenario): string[] => {
  const { sagas } = scenarioOf(r);
  const faults = r.faults.map((f) => `${f.fault} at operation ${f.number}`).join(', ') || 'none';
  const effects = lastWorld?.effects.map((e) => `${e.step} ${e.kind === 'action' ? 'done' : 'compensated'} (${e.saga})`).join(', ') || 'none';
  return [`sagas ${sagas.map(sagaText).join('; ')}, started ${r.together ? 'together' : 'one after the other'}`, `faults: ${faults}`, `what took effect: ${effects}`];
};
