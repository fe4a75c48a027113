/**
 * What only the hidden checks of exercise 13 use: the README's rules as a small executable model,
 * which gives the changes of verdict due for a node's heartbeats; the property runs compare your
 * detector's with them. Kept out of the student release: it is close to a solution.
 */
import fc from 'fast-check';
import { BEAT_DELAY_MS, nodeName, playBeats, round, type BeatRun, type Beating, type Change, type Settings } from '../../exercises/13-failure-detector/harness';

/** A change of verdict the rules ask for, with the reason in words. */
interface Due {
  suspected: boolean;
  t: number;
  why: string;
}

/** The README's rules for one node: the changes of verdict due, from the arrival times of its heartbeats. */
function dueChanges(node: string, beating: Beating, settings: Settings): { due: Due[]; tie: boolean } {
  const due: Due[] = [];
  let tie = false;
  let intervals: number[] = [];
  let arrival = beating.startMs + BEAT_DELAY_MS;
  for (let i = 0; i <= beating.gapsMs.length; i++) {
    if (i > 0) {
      const gap = beating.gapsMs[i - 1];
      if (i === beating.restartAt) intervals = [];
      else intervals = [...intervals, gap].slice(-settings.window);
      arrival += gap;
    }
    let timeout = settings.initialTimeoutMs;
    let how = `fewer than minSamples (${settings.minSamples}) intervals: initialTimeoutMs`;
    if (intervals.length >= settings.minSamples) {
      const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
      const deviation = Math.sqrt(intervals.reduce((a, b) => a + (b - mean) ** 2, 0) / intervals.length);
      timeout = mean + settings.k * Math.max(deviation, settings.minDeviationMs);
      how = `${intervals.length} intervals, mean ${round(mean)}, deviation ${round(deviation)}, k ${settings.k}, minDeviationMs ${settings.minDeviationMs}`;
    }
    const next = i < beating.gapsMs.length ? beating.gapsMs[i] : Infinity;
    if (Math.abs(next - timeout) < 0.01) tie = true;
    if (next > timeout) {
      due.push({ suspected: true, t: arrival + timeout, why: `its heartbeat at t=${round(arrival)} set a timeout of ${round(timeout)} ms (${how}) and ${next === Infinity ? 'none came after it' : `the next came ${next} ms later`} (items 1, 2, 4)` });
      if (next !== Infinity) due.push({ suspected: false, t: arrival + next, why: `its heartbeat at t=${round(arrival + next)} makes it trusted again (item 4${i + 1 === beating.restartAt ? ', 5: a new incarnation too' : ''})` });
    }
  }
  return { due: due.map((d) => ({ ...d, why: `${node}: ${d.why}` })), tie };
}

/** The first change of verdict of `node` that differs from the rules (one missing, one too many, one at another time), in words. */
function differsFromTheRules(settings: Settings) {
  return (node: string, beating: Beating, got: Change[]): string | undefined => {
    const { due } = dueChanges(node, beating, settings);
    for (let j = 0; j < Math.max(due.length, got.length); j++) {
      const want = due[j];
      const came = got[j];
      if (want && came && want.suspected === came.suspected && Math.abs(want.t - came.t) < 0.01) continue;
      const said = came ? `onChange('${node}', ${came.suspected}) came at t=${round(came.t)}` : 'no further onChange came';
      if (!want) return `${said}, but the rules ask for no change of verdict then: ${due.length === 0 ? `no timeout of ${node} ran out` : `after ${due.at(-1)?.why}`}`;
      return `onChange('${node}', ${want.suspected}) was due at t=${round(want.t)}, because ${want.why}; but ${said}`;
    }
    return undefined;
  };
}

/** {@link playBeats} with the model of the rules: exactly the changes of verdict the rules give, at the moments they give. */
export function playBeatsByTheRules(run: BeatRun): void {
  // Exact ties between a gap and a timeout depend on rounding: such runs are not tried.
  fc.pre(run.nodes.every((beating, i) => !dueChanges(nodeName(i), beating, run.settings).tie));
  playBeats(run, differsFromTheRules(run.settings));
}
