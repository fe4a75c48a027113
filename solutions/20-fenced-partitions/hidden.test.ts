/**
 * Hidden checks of exercise 20 (kept by the instructor, used for the final grade; the public
 * ones are in exercises/20-fenced-partitions/checks.test.ts): harsher cases of the same README items.
 */
import { describe, expect, it } from 'vitest';
import { canaries } from '../../checker/shared/canary';
import { holds } from '../../checker/shared/property';
import { assignmentProblem, code, groupSteps, judgeGroup, playGroup, randomGroups, steps } from '../../exercises/20-fenced-partitions/harness';

describe('assign', () => {
  it('[4] moves as few partitions as balance allows in a long run of joins and leaves', () => {
    const order = ['m3', 'm1', 'm7', 'm2', 'm5', 'm4', 'm6'];
    let owners: (string | null)[] = new Array<null>(12).fill(null);
    const members: string[] = [];
    for (const step of [...order.map((m) => ['+', m]), ['-', 'm1'], ['-', 'm5'], ['+', 'm8'], ['-', 'm3'], ['-', 'm7']]) {
      if (step[0] === '+') members.push(step[1]);
      else members.splice(members.indexOf(step[1]), 1);
      const next = code.assign(12, members, owners);
      const problem = assignmentProblem(12, members, owners, next);
      if (problem) throw new Error(`${step[0] === '+' ? 'after' : 'after removing'} ${step[1]}: ${problem}`);
      owners = next;
    }
  });

  it('[2] gives none to the members beyond the number of partitions, one to each of the others', () => {
    const owners = code.assign(3, ['e', 'd', 'c', 'b', 'a'], [null, null, null]);
    const problem = assignmentProblem(3, ['a', 'b', 'c', 'd', 'e'], [null, null, null], owners);
    if (problem) throw new Error(problem);
    expect(new Set(owners).size, 'owners of 3 partitions among 5 members').toBe(3);
  });
});

describe('a paused consumer', () => {
  it('[10] two consumers paused and removed at once, resumed in turn, have every stale write refused', () => {
    const group = playGroup(8, steps('join a, join b, join c, join d, write a, pause b, pause d, expire b, write a, write c, expire d, write c, resume d, resume b, write b, write d, write a'));
    expect(group.stale.length, 'stale writes of b and d').toBeGreaterThanOrEqual(4);
    for (const s of group.stale) expect(s.refused, `${s.member}'s stale write to partition ${s.partition} with token ${s.token}`).toBe(true);
  });

  it('[11] property: 1,000 random scenarios of up to 18 steps', async () => {
    await holds(randomGroups(18), (r) => judgeGroup(r), { seed: 1020, numRuns: 1000, steps: groupSteps });
  });
});

canaries();
