import type { Random } from './random';

/** How long a message spends on the wire. */
export type Delay =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number };

/** Every message takes exactly `ms`. */
export const fixed = (ms: number): Delay => ({ kind: 'fixed', ms });
/** Each message takes a time drawn uniformly from [min, max]; different delays reorder messages. */
export const uniform = (min: number, max: number): Delay => ({ kind: 'uniform', min, max });
/** Each message takes an exponentially distributed time: mostly short, sometimes very long. */
export const exponential = (mean: number): Delay => ({ kind: 'exponential', mean });

/** What can go wrong on a link. Every field is optional; missing fields keep their previous value. */
export interface LinkFaults {
  /** Probability in [0, 1] that a message is lost. */
  loss?: number;
  /** Probability in [0, 1] that a message is delivered twice (the copy has its own delay). */
  duplicate?: number;
  /** Transit time; a plain number means a fixed delay in ms. */
  delay?: Delay | number;
}

/** Link faults with every field filled in. */
export interface ResolvedFaults {
  loss: number;
  duplicate: number;
  delay: Delay;
}

/** A perfect link: nothing lost or duplicated, 1 ms of delay. */
export const NO_FAULTS: ResolvedFaults = { loss: 0, duplicate: 0, delay: fixed(1) };

function checkProbability(field: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${field} must be a probability in [0, 1], got ${String(value)}`);
  }
}

function checkDuration(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite number of ms >= 0, got ${String(value)}`);
  }
}

function checkDelay(delay: Delay): void {
  switch (delay.kind) {
    case 'fixed':
      return checkDuration('delay.ms', delay.ms);
    case 'uniform':
      checkDuration('delay.min', delay.min);
      checkDuration('delay.max', delay.max);
      if (delay.max < delay.min) {
        throw new RangeError(`delay.max must be >= delay.min, got min ${delay.min} and max ${delay.max}`);
      }
      return;
    case 'exponential':
      return checkDuration('delay.mean', delay.mean);
    default:
      throw new RangeError(`delay.kind must be 'fixed', 'uniform' or 'exponential', got ${String((delay as { kind: unknown }).kind)}`);
  }
}

/** Merges `change` over `base`, validating every field; throws a RangeError naming the bad field. */
export function resolveFaults(base: ResolvedFaults, change: LinkFaults): ResolvedFaults {
  const resolved = { ...base };
  if (change.loss !== undefined) {
    checkProbability('loss', change.loss);
    resolved.loss = change.loss;
  }
  if (change.duplicate !== undefined) {
    checkProbability('duplicate', change.duplicate);
    resolved.duplicate = change.duplicate;
  }
  if (change.delay !== undefined) {
    const delay = typeof change.delay === 'number' ? fixed(change.delay) : change.delay;
    checkDelay(delay);
    resolved.delay = delay;
  }
  return resolved;
}

/** Draws one transit time from a delay distribution. */
export function sampleDelay(delay: Delay, random: Random): number {
  switch (delay.kind) {
    case 'fixed':
      return delay.ms;
    case 'uniform':
      return random.uniform(delay.min, delay.max);
    case 'exponential':
      return random.exponential(delay.mean);
  }
}
