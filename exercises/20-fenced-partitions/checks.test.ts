/**
 * Public checks of exercise 20: shipped to students, run by `npm run grade -- 20`.
 * Each title starts with the README item it checks; the hidden checks are in
 * solutions/20-fenced-partitions/hidden.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { fc, holds, holdsFor } from '../../checker/shared/property';
import { assignmentProblem, code, groupSteps, judgeGroup, ownersText, playGroup, randomGroups, steps, StoreJudge } from './harness';

const none = (n: number) => new Array<null>(n).fill(null);
const expectFine = (partitions: number, members: string[], previous: (string | null)[]) => {
  const owners = code.assign(partitions, members, previous);
  const problem = assignmentProblem(partitions, members, previous, owners);
  if (problem) throw new Error(problem);
  return owners;
};

/** Random calls of assign: up to 12 partitions, one to five members, previous owners drawn among seven names and none. */
const assignCalls = fc.record({
  partitions: fc.integer({ min: 1, max: 12 }),
  members: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 5 }),
  previous: fc.array(fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g')), { minLength: 12, maxLength: 12 }),
});

describe('assign', () => {
  it('[1] gives every partition one owner, a member of the group, also when the previous owner left', () => {
    expectFine(6, ['a', 'b', 'c'], none(6));
    const owners = expectFine(4, ['a', 'b'], ['a', 'c', 'b', 'c']);
    expect(owners, 'the owners of 4 partitions whose previous owners were a c b c, when c has left').toHaveLength(4);
    expectFine(3, ['x'], ['a', 'b', null]);
  });

  it('[2] shares the partitions out evenly: each member owns the same number, give or take one', () => {
    for (const [partitions, members] of [[6, ['a', 'b', 'c']], [7, ['a', 'b', 'c']], [2, ['a', 'b', 'c', 'd']], [5, ['a']]] as const) {
      expectFine(partitions, [...members], none(partitions));
    }
    expectFine(6, ['a', 'b', 'c'], ['a', 'a', 'a', 'a', 'a', 'b']);
  });

  it('[3] gives the same owners for the same members in any order', () => {
    const same = (partitions: number, members: string[], previous: (string | null)[], other: string[]) => {
      const first = code.assign(partitions, members, previous);
      const then = code.assign(partitions, other, previous);
      if (JSON.stringify(first) !== JSON.stringify(then)) {
        throw new Error(`assign(${partitions}, [${other.join(', ')}], ${ownersText(previous)}) gave ${ownersText(then)}, but with the members in the order ${members.join(', ')} it gave ${ownersText(first)}: the order of the members must not matter (item 3)`);
      }
    };
    const previous = ['b', 'b', 'a', null, 'c', 'a', 'd'];
    for (const members of [['d', 'c', 'b', 'a'], ['c', 'a', 'd', 'b']]) same(7, ['a', 'b', 'c', 'd'], previous, members);
    same(5, ['a', 'b'], [null, null, null, null, null], ['b', 'a']);
  });

  it('[4] moves as few partitions as balance allows when a member joins or leaves', () => {
    const joined = expectFine(6, ['a', 'b', 'c'], ['a', 'a', 'a', 'b', 'b', 'b']);
    expect(joined.filter((owner, p) => owner !== ['a', 'a', 'a', 'b', 'b', 'b'][p]), 'the partitions that moved when c joined a and b').toHaveLength(2);
    const left = expectFine(6, ['a', 'c'], ['a', 'b', 'c', 'a', 'b', 'c']);
    expect(left.filter((owner, p) => owner !== ['a', 'b', 'c', 'a', 'b', 'c'][p]), 'the partitions that moved when b left').toHaveLength(2);
    expectFine(7, ['a', 'b', 'c'], ['a', 'a', 'a', 'b', 'b', 'c', 'c']);
    expectFine(3, ['a', 'b'], ['b', 'b', 'a']);
    expectFine(8, ['a', 'b', 'c', 'd'], ['a', 'a', 'b', 'b', 'c', 'c', 'e', 'e']);
  });

  it('[4] property: any previous owners, balanced and as few moves as possible, the same for members in any order', async () => {
    await holdsFor(
      assignCalls,
      async ({ partitions, members, previous }) => {
        const owners = code.assign(partitions, members, previous.slice(0, partitions));
        const again = code.assign(partitions, [...members].reverse(), previous.slice(0, partitions));
        if (JSON.stringify(again) !== JSON.stringify(owners)) return `with the members in reverse order the owners were ${ownersText(again)}, not ${ownersText(owners)}: the order of the members must not matter (item 3)`;
        return assignmentProblem(partitions, members, previous.slice(0, partitions), owners);
      },
      { seed: 20, runs: 300, describe: ({ partitions, members, previous }) => `assign(${partitions}, [${members.join(', ')}], ${ownersText(previous.slice(0, partitions))})` },
    );
  });
});

describe('Coordinator', () => {
  it('[5] starts at generation 0, and each join of a new member and each leave starts the next one', () => {
    playGroup(4, steps('join a, join b, join c, leave b, leave a, leave c'));
  });

  it('[5] a join of a member already in the group, or a leave of one not in it, changes nothing', () => {
    playGroup(4, steps('join a, join b, join a, leave c, join b, leave b, leave b'));
  });

  it('[6] gives a partition that changes owner the new generation as its token, and one that stays its old token', () => {
    const group = playGroup(6, steps('join a, join b, join c, leave a'));
    const tokens = group.coordinator.assignment().partitions.map((p) => p.token);
    expect(new Set(tokens).size, `the tokens after three joins and a leave (${tokens.join(' ')}): partitions that stayed keep older ones`).toBeGreaterThan(1);
    playGroup(5, steps('join a, join b, leave a, join a, leave b, leave a, join c'));
  });
});

describe('FencedStore', () => {
  it('[7] accepts writes whose token is at least the fence, again and again, and refuses a lower one without keeping it', () => {
    const judge = new StoreJudge();
    judge.run('write 0 2 x, write 0 2 y, write 0 1 stale, write 0 1 again, write 0 3 z, write 0 2 late, write 0 2 later, write 3 1 w');
    judge.checkKept(6);
  });

  it('[8] a claim raises the fence, an equal claim is accepted again, and a lower claim is refused and changes nothing', () => {
    const judge = new StoreJudge();
    judge.run('claim 1 4, write 1 3 stale, claim 1 4, claim 1 2, claim 1 3, write 1 3 stale, write 1 4 fresh, claim 1 6, write 1 5 late');
    judge.checkKept(2);
  });

  it('[9] keeps a fence for each partition: a token seen for one says nothing of another', () => {
    const judge = new StoreJudge();
    judge.run('claim 0 5, claim 1 2, write 1 2 b, write 0 2 stale, write 2 1 c, write 0 5 a');
    judge.checkKept(3);
  });
});

describe('a paused consumer', () => {
  it('[10] that the group removed has every write refused when it resumes, and the store keeps only the owners\' writes', () => {
    const group = playGroup(6, steps('join a, join b, join c, write a, write b, write c, pause c, expire c, write a, write b, resume c, write c, write a'));
    expect(group.stale.length, 'writes of c, resumed after its partitions moved to a and b').toBe(2);
    for (const s of group.stale) expect(s.refused, `c's write to partition ${s.partition} with token ${s.token} after a or b had claimed it`).toBe(true);
  });

  it('[10] that kept its place but lost partitions to a newcomer has its writes to those refused, to the others accepted', () => {
    const group = playGroup(4, steps('join a, pause a, join b, write b, resume a, write a, write b'));
    expect(group.stale.length, 'writes of a, resumed after b joined and took two of its four partitions').toBe(2);
    for (const s of group.stale) expect(s.refused, `a's write to partition ${s.partition} with token ${s.token}, after b had claimed it`).toBe(true);
  });

  it('[11] property: random joins, leaves, pauses, removals, resumptions and writes keep every rule', async () => {
    await holds(randomGroups(14), (r) => judgeGroup(r), { seed: 2020, numRuns: 200, steps: groupSteps });
  });
});

canaries();
