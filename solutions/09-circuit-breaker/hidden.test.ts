/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/09-circuit-breaker/checks.test.ts) of exercise 09, the circuit breaker. Time is a number the checks move by hand, given to
 * your breaker as its `now` clock.
 */
import { describe, expect, it } from 'vitest';
import { cb, coolDownProperty, setup } from '../../exercises/09-circuit-breaker/harness';
import { canaries } from '../../checker/shared/canary';

describe('CircuitBreaker', () => {
  it('[3] tells in retryAfterMs how long until a trial call will be let through', async () => {
    const { clock, fail, succeed } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 400;
    const error = await succeed().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cb.CircuitOpenError);
    expect((error as { retryAfterMs: number }).retryAfterMs).toBe(600);
  });

  it('[5] lets only one trial call through while half-open', async () => {
    const { breaker, clock, fail } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    let finishTrial!: (value: string) => void;
    let calls = 0;
    const trial = breaker.call(() => {
      calls++;
      return new Promise<string>((resolve) => (finishTrial = resolve));
    });
    const second = breaker.call(async () => {
      calls++;
      return 'second';
    });
    await expect(second).rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls).toBe(1);
    finishTrial('trial');
    await expect(trial).resolves.toBe('trial');
    expect(breaker.state).toBe('closed');
  });

  it('[5] keeps the trial the only one when a call made before the circuit opened ends during it', async () => {
    const { breaker, clock, fail } = setup();
    let failOlder!: (error: Error) => void;
    const older = breaker.call(() => new Promise<string>((_resolve, reject) => (failOlder = reject))).catch((e: unknown) => e);
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    let finishTrial!: (value: string) => void;
    let calls = 0;
    const trial = breaker.call(() => {
      calls++;
      return new Promise<string>((resolve) => (finishTrial = resolve));
    });
    failOlder(new Error('the older call failed'));
    await older;
    clock.time += 1000;
    const second = breaker.call(async () => {
      calls++;
      return 'second';
    });
    await expect(second, 'the end of an older call let a second trial through while the first still ran').rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls).toBe(1);
    finishTrial('trial');
    await expect(trial).resolves.toBe('trial');
  });

  it('[6] opens again after a failed trial even when a call made before the circuit opened succeeded while the trial ran', async () => {
    const { breaker, clock, fail } = setup();
    let finishOlder!: (value: string) => void;
    const older = breaker.call(() => new Promise<string>((resolve) => (finishOlder = resolve)));
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    let failTrial!: (error: Error) => void;
    const trial = breaker.call(() => new Promise<string>((_resolve, reject) => (failTrial = reject))).catch((e: unknown) => e);
    finishOlder('older');
    await expect(older).resolves.toBe('older');
    failTrial(new Error('the trial failed'));
    await trial;
    expect(breaker.state, 'the trial failed, so the circuit must open again, whatever other calls did meanwhile').toBe('open');
    const error = await breaker.call(async () => 'after').catch((e: unknown) => e);
    expect(error, 'a call right after the failed trial must fail fast').toBeInstanceOf(cb.CircuitOpenError);
    expect((error as { retryAfterMs: number }).retryAfterMs, 'another full resetTimeoutMs, counted from the failed trial').toBe(1000);
  });

  it('[7] opens after 5 failures and waits 10 s by default', async () => {
    const { breaker, clock, fail } = setup({});
    for (let i = 0; i < 4; i++) await fail();
    expect(breaker.state).toBe('closed');
    await fail();
    expect(breaker.state).toBe('open');
    clock.time += 9_999;
    expect(breaker.state).toBe('open');
    clock.time += 1;
    expect(breaker.state).toBe('half-open');
  });

  it('[4] counts the cool-down from the moment the call that opened the circuit failed, not from when it started (property, 500 more cases)', async () => {
    await coolDownProperty({ seed: 90604, runs: 500 }, 'the failure that reaches the threshold');
  });

  it('[6] counts the cool-down from the moment a slow trial failed, not from when it started (property, 500 more cases)', async () => {
    await coolDownProperty({ seed: 9060, runs: 500 }, 'a failed trial');
  });
});

canaries();
