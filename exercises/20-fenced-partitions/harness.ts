/**
 * What the public and hidden checks of exercise 20 share: a judge of one assignment (items 1, 2
 * and 4), and a group of consumers that the checks play against your coordinator and store (items
 * 5 to 10), judging every answer as it comes and saying in words what went wrong. See
 * checks.test.ts beside it.
 *
 * The consumers follow the README: on every change of the group, each running consumer of the group
 * reads the assignment, drops the partitions it no longer owns and claims each one it got, with its
 * token, before it writes to it. A paused consumer does nothing and learns nothing; when its session
 * runs out the group removes it; when it resumes, it writes what it had in hand with the tokens it
 * had, then joins the group again (or, still in it, reads the assignment).
 */
import { beforeEach } from 'vitest';
import { fc } from '../../checker/shared/property';

type Module = typeof import('@submission/20-fenced-partitions/fenced-partitions');
type Coordinator = InstanceType<Module['Coordinator']>;
type Store = InstanceType<Module['FencedStore']>;
type Assignment = ReturnType<Coordinator['assignment']>;

export let code: Module;

beforeEach(async () => {
  code = await import('@submission/20-fenced-partitions/fenced-partitions');
});

/** Owners in words: `a a b b c`. */
export const ownersText = (owners: readonly (string | null)[]) => owners.map((o) => o ?? '-').join(' ');

/** The number of partitions whose owner changes from `previous` in the best balanced assignment. */
export function leastMoves(partitions: number, members: string[], previous: (string | null)[]): number {
  const names = [...new Set(members)];
  const least = Math.floor(partitions / names.length);
  const withOneMore = partitions % names.length;
  const held = names.map((name) => previous.slice(0, partitions).filter((owner) => owner === name).length);
  // Each member keeps up to the least share; `withOneMore` of those that held more each keep one more.
  const kept = held.reduce((sum, n) => sum + Math.min(n, least), 0) + Math.min(withOneMore, held.filter((n) => n > least).length);
  return partitions - kept;
}

/**
 * What is wrong with `owners` as `assign(partitions, members, previous)`'s answer, in words, or
 * undefined when it gives every partition one member (item 1), is balanced (item 2) and moves as
 * few partitions as balance allows (item 4).
 */
export function assignmentProblem(partitions: number, members: string[], previous: (string | null)[], owners: unknown): string | undefined {
  const names = [...new Set(members)];
  const call = `for ${partitions} partitions, members ${names.join(', ')} and previous owners ${ownersText(previous)}`;
  if (!Array.isArray(owners) || owners.length !== partitions) {
    return `${call}, the owners were ${JSON.stringify(owners)}: give one owner per partition, ${partitions} in all (item 1)`;
  }
  const stranger = owners.findIndex((owner) => !names.includes(owner as string));
  if (stranger >= 0) {
    const who = previous[stranger] === owners[stranger] && owners[stranger] !== null ? `, its previous owner, who is no longer in the group: a member that left keeps nothing` : ', which is not a member of the group';
    return `${call}, partition ${stranger} went to ${String(owners[stranger])}${who} (item 1)`;
  }
  const low = Math.floor(partitions / names.length);
  const high = Math.ceil(partitions / names.length);
  const counts = names.map((name) => owners.filter((owner) => owner === name).length);
  const allowed = low === high ? `${low}` : `${low} or ${high}`;
  if (counts.some((n) => n < low || n > high)) {
    return `${call}, the owners were ${ownersText(owners)}: ${names.map((name, i) => `${name} owns ${counts[i]}`).join(', ')}, but each must own ${allowed} (item 2)`;
  }
  const moved = owners.filter((owner, p) => owner !== previous[p]).length;
  const needed = leastMoves(partitions, names, previous);
  if (moved > needed) {
    return `${call}, the owners were ${ownersText(owners)}: ${moved} partitions changed owner where ${needed} had to; a partition keeps its owner unless that owner left or owns more than its share (item 4)`;
  }
  return undefined;
}

/** Something the group does, in the order the checks play it. */
export type Action = 'join' | 'leave' | 'pause' | 'expire' | 'resume' | 'write';

/** One step of a scenario: a consumer does something, or the group does something to it. */
export interface GroupEvent {
  action: Action;
  member: string;
}

/** A consumer as the checks play it: what it believes it owns, with which tokens. */
interface Consumer {
  view: Map<number, number>;
  inGroup: boolean;
  paused: boolean;
  written: number;
}

/** A store operation the judge has seen the store accept or refuse. */
interface Seen {
  token: number;
  by: string;
  how: 'claim' | 'write';
}

/** The most calls a scenario may make to your code, to keep every check short. */
const MAX_CALLS = 400;

/** Your store, with every answer judged as it comes (items 7, 8 and 9). */
export class StoreJudge {
  readonly store: Store;
  /** The steps so far, in words. */
  readonly log: string[] = [];
  private readonly highest = new Map<number, Seen>();
  private readonly kept = new Map<number, string[]>();
  /** For each partition, the last claim or write refused since the last accepted one. */
  private readonly refused = new Map<number, { token: number; how: 'claim' | 'write' }>();
  private calls = 0;

  constructor() {
    this.store = new code.FencedStore();
  }

  /**
   * Claims and writes from a compact text, each judged: `claim 0 4` (partition, token),
   * `write 0 4 x` (partition, token, value).
   */
  run(text: string, by = 'a consumer'): void {
    for (const part of text.split(',')) {
      const [how, p, token, value] = part.trim().split(/\s+/);
      if (how === 'claim') this.operate(by, 'claim', Number(p), Number(token), () => this.store.claim(Number(p), Number(token)));
      else this.operate(by, 'write', Number(p), Number(token), () => this.store.write(Number(p), Number(token), value), value);
    }
  }

  /** What the store keeps for each of the first `partitions` partitions is what it accepted, in order (item 7). */
  checkKept(partitions: number): void {
    for (let p = 0; p < partitions; p++) {
      const values = this.count(() => this.store.read(p));
      const expected = this.kept.get(p) ?? [];
      if (JSON.stringify(values) !== JSON.stringify(expected)) {
        const refused = Array.isArray(values) ? values.filter((v) => !expected.includes(v)) : [];
        const why = refused.length > 0 ? `: it kept ${JSON.stringify(refused)} from writes it refused, which must leave nothing` : ': it keeps every accepted value, in order';
        this.fail(`read(${p}) gave ${JSON.stringify(values)}, but the store had accepted ${JSON.stringify(expected)} for partition ${p}${why} (item 7)`);
      }
    }
  }

  protected count<T>(call: () => T): T {
    if (++this.calls > MAX_CALLS) throw new Error(`the scenario made more than ${MAX_CALLS} calls`);
    return call();
  }

  protected fail(problem: string): never {
    const last = this.log.slice(-8);
    const steps = last.length === 0 ? '' : ` (steps before: ${this.log.length > last.length ? '...; ' : ''}${last.join('; ')})`;
    throw new Error(`${problem}${steps}`);
  }

  /**
   * A claim or write, judged: the store must accept it when its token is at least the highest token
   * it accepted for that partition, and refuse it otherwise (items 7, 8, 9).
   */
  protected operate(name: string, how: 'claim' | 'write', p: number, token: number, call: () => boolean, value?: string): boolean {
    const answer = this.count(call);
    const seen = this.highest.get(p);
    const expected = seen === undefined || token >= seen.token;
    const what = how === 'claim' ? `${name}'s claim of partition ${p} with token ${token}` : `${name}'s write of "${value}" to partition ${p} with token ${token}`;
    this.log.push(`${what}: ${answer ? 'accepted' : 'refused'}`);
    if (answer !== true && answer !== false) this.fail(`${what} was answered ${JSON.stringify(answer)}: claim and write answer true or false (item ${how === 'claim' ? 8 : 7})`);
    if (answer && !expected) {
      const raised = seen.how === 'write' ? ` That token came with a write: a write with a higher token raises the fence as a claim does (item 7).` : '';
      const item = how === 'claim' ? 'a claim with a lower token than the fence is refused and changes nothing (item 8)' : 'a write with a token lower than the fence is refused (item 7)';
      const before = this.refused.get(p);
      const lowered = before
        ? ` The store had just refused a ${before.how} with token ${before.token} for that partition: a refused ${before.how} changes nothing, not the fence either (item ${before.how === 'claim' ? 8 : 7}).`
        : '';
      this.fail(`${what} was accepted, but ${seen.by}'s ${seen.how} with token ${seen.token} had been accepted for that partition before: ${item}.${raised}${lowered}`);
    }
    if (!answer && expected) {
      const other = [...this.highest].find(([q, s]) => q !== p && s.token > token);
      const why =
        other !== undefined
          ? `a higher token was seen only for partition ${other[0]} (token ${other[1].token}): each partition has a fence of its own (item 9)`
          : seen === undefined
            ? `the store had accepted nothing for that partition (item ${how === 'claim' ? 8 : 7})`
            : seen.token === token
              ? `it is the very token the partition's fence holds (${seen.by}'s ${seen.how}): a token equal to the fence is accepted, the owner writes with it again and again (item ${how === 'claim' ? 8 : 7})`
              : `the highest token accepted for that partition was ${seen.token}, lower (item ${how === 'claim' ? 8 : 7})`;
      this.fail(`${what} was refused, but ${why}`);
    }
    if (!answer) this.refused.set(p, { token, how });
    if (answer) {
      this.refused.delete(p);
      if (seen === undefined || token > seen.token) this.highest.set(p, { token, by: name, how });
      if (value !== undefined) this.kept.set(p, [...(this.kept.get(p) ?? []), value]);
    }
    return answer;
  }
}

/** A group of consumers over your coordinator and store, judged at every step. */
export class Group extends StoreJudge {
  readonly coordinator: Coordinator;
  readonly consumers = new Map<string, Consumer>();
  /** Each write of a consumer that had resumed from a pause with a partition it had lost, and whether it was refused. */
  readonly stale: { member: string; partition: number; token: number; refused: boolean }[] = [];
  private readonly members = new Set<string>();
  private current: Assignment;

  constructor(readonly partitions: number) {
    super();
    this.coordinator = new code.Coordinator(partitions);
    this.current = this.read('before anyone joined');
    const wrong = this.current.generation !== 0 || this.current.partitions.some((p) => p.owner !== null || p.token !== 0);
    if (wrong) this.fail(`a new coordinator's assignment was ${this.text(this.current)}: it starts at generation 0, every partition without an owner and with token 0 (item 5)`);
  }

  /** Plays one step; throws the judge's words when an answer breaks a README item. */
  play(event: GroupEvent): void {
    const { action, member } = event;
    const consumer = this.consumers.get(member) ?? { view: new Map(), inGroup: false, paused: false, written: 0 };
    this.consumers.set(member, consumer);
    if (consumer.paused && action !== 'expire' && action !== 'resume') return;
    if (action === 'join') return this.change(member, 'join', `${member} joins`);
    if (action === 'leave') return this.change(member, 'leave', `${member} leaves`);
    if (action === 'pause' && consumer.inGroup) {
      consumer.paused = true;
      this.log.push(`${member} pauses holding ${this.viewText(consumer)}`);
    }
    if (action === 'expire' && consumer.paused && consumer.inGroup) return this.change(member, 'leave', `${member}'s session runs out: the group removes it`);
    if (action === 'resume' && consumer.paused) {
      consumer.paused = false;
      this.log.push(`${member} resumes`);
      this.writeAll(member, consumer, true);
      if (!consumer.inGroup) return this.change(member, 'join', `${member} joins again`);
      this.sync([member], this.current);
    }
    if (action === 'write' && consumer.inGroup) this.writeAll(member, consumer, false);
  }

  /** Plays every step, then checks what the store kept. */
  playAll(events: GroupEvent[]): void {
    for (const event of events) this.play(event);
    this.checkKept(this.partitions);
  }

  private read(when: string): Assignment {
    const assignment = this.count(() => this.coordinator.assignment());
    if (!assignment || !Array.isArray(assignment.partitions) || assignment.partitions.length !== this.partitions) {
      this.fail(`assignment() ${when} gave ${JSON.stringify(assignment)}: it has one entry per partition, ${this.partitions} in all (item 5)`);
    }
    return assignment;
  }

  private text(a: Assignment): string {
    return `generation ${a.generation}, owners ${ownersText(a.partitions.map((p) => p.owner))}, tokens ${a.partitions.map((p) => p.token).join(' ')}`;
  }

  private viewText(consumer: Consumer): string {
    return consumer.view.size === 0 ? 'nothing' : [...consumer.view].map(([p, t]) => `partition ${p} (token ${t})`).join(', ');
  }

  /** A join or leave: the coordinator's answer judged against items 1, 2, 4, 5 and 6, then every running member reads it. */
  private change(member: string, how: 'join' | 'leave', what: string): void {
    const before = this.current;
    const changes = how === 'join' ? !this.members.has(member) : this.members.has(member);
    if (how === 'join') this.members.add(member);
    else this.members.delete(member);
    const consumer = this.consumers.get(member)!;
    consumer.inGroup = how === 'join';
    if (how === 'leave') consumer.view = consumer.paused ? consumer.view : new Map<number, number>();
    this.count(() => (how === 'join' ? this.coordinator.join(member) : this.coordinator.leave(member)));
    this.log.push(what);
    const after = this.read(`after ${what}`);
    this.current = after;
    const said = `after ${what}, the assignment went from ${this.text(before)} to ${this.text(after)}`;
    if (!changes) {
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        this.fail(`${said}: a ${how === 'join' ? 'join of a member already in the group' : 'leave of a member not in the group'} changes nothing (item 5)`);
      }
      return;
    }
    if (after.generation !== before.generation + 1) {
      this.fail(`${said}: every ${how} that changes the group starts a new generation, one higher (item 5)`);
    }
    const owners = after.partitions.map((p) => p.owner);
    if (this.members.size === 0) {
      if (after.partitions.some((p) => p.owner !== null || p.token !== 0)) this.fail(`${said}: with nobody in the group every partition has no owner and token 0 (item 5)`);
    } else {
      const problem = assignmentProblem(this.partitions, [...this.members], before.partitions.map((p) => p.owner), owners);
      if (problem) this.fail(`${said}; ${problem}`);
    }
    after.partitions.forEach((p, i) => {
      const old = before.partitions[i];
      if (p.owner !== null && p.owner !== old.owner && p.token !== after.generation) {
        this.fail(`${said}: partition ${i} moved from ${old.owner ?? 'nobody'} to ${p.owner} with token ${p.token}; a partition that changes owner takes the new generation, ${after.generation}, as its token, higher than any its old owner holds (item 6)`);
      }
      if (p.owner !== null && p.owner === old.owner && p.token !== old.token) {
        this.fail(`${said}: partition ${i} stayed with ${p.owner} but its token went from ${old.token} to ${p.token}; a partition that keeps its owner keeps its token, so that its owner goes on writing (item 6)`);
      }
    });
    const running = [...this.consumers].filter(([, c]) => c.inGroup && !c.paused).map(([name]) => name);
    this.sync(running, after);
  }

  /** The consumers named read the assignment: each drops what it lost and claims what it got. */
  private sync(names: string[], assignment: Assignment): void {
    for (const name of names) {
      const consumer = this.consumers.get(name)!;
      const view = new Map<number, number>();
      assignment.partitions.forEach((p, i) => {
        if (p.owner === name) view.set(i, p.token);
      });
      for (const [p, token] of view) {
        if (consumer.view.get(p) !== token) this.operate(name, 'claim', p, token, () => this.store.claim(p, token));
      }
      consumer.view = view;
    }
  }

  private writeAll(name: string, consumer: Consumer, resumed: boolean): void {
    for (const [p, token] of consumer.view) {
      const value = `${name}-${++consumer.written}`;
      const lost = resumed && this.current.partitions[p].owner !== name;
      const refused = !this.operate(name, 'write', p, token, () => this.store.write(p, token, value), value);
      if (lost) this.stale.push({ member: name, partition: p, token, refused });
    }
  }
}

/** Plays `events` on a group of `partitions` partitions and checks what the store kept. */
export function playGroup(partitions: number, events: GroupEvent[]): Group {
  const group = new Group(partitions);
  group.playAll(events);
  return group;
}

/** Steps from a compact text: `join a, join b, pause a, expire a, resume a`. */
export const steps = (text: string): GroupEvent[] =>
  text.split(',').map((part) => {
    const [action, member] = part.trim().split(/\s+/);
    return { action: action as Action, member };
  });

/** A random scenario, as the property checks draw it. */
export interface RandomGroup {
  partitions: number;
  events: GroupEvent[];
}

/** Random scenarios: one to eight partitions and up to `maxEvents` steps of four consumers. */
export const randomGroups = (maxEvents: number): fc.Arbitrary<RandomGroup> =>
  fc.record({
    partitions: fc.integer({ min: 1, max: 8 }),
    events: fc.array(
      fc.record({ action: fc.constantFrom<Action>('join', 'join', 'leave', 'pause', 'expire', 'resume', 'write', 'write'), member: fc.constantFrom('a', 'b', 'c', 'd') }),
      { minLength: 1, maxLength: maxEvents },
    ),
  });

/** The steps of the last scenario {@link judgeGroup} played, for the failing case's words. */
let lastLog: string[] = [];

/** Plays a random scenario; throws the judge's words when something breaks a README item. */
export function judgeGroup(r: RandomGroup): void {
  const group = new Group(r.partitions);
  lastLog = group.log;
  group.playAll(r.events);
}

/** A random scenario in words. */
export const groupSteps = (r: RandomGroup): string[] => [`${r.partitions} partitions`, r.events.map((e) => `${e.action} ${e.member}`).join(', '), `${lastLog.length} store and group steps before it went wrong`];
