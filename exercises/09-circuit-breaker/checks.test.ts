/**
 * Checks of exercise 09, the circuit breaker. Time is a number the checks move by hand, given to
 * your breaker as its `now` clock.
 */
import { describe, expect, it } from 'vitest';
import { callUnderWay, cb, coolDownProperty, setup } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('CircuitBreaker', () => {
  it('[1] starts closed and passes calls through, returning their result', async () => {
    const { breaker, succeed, calls } = setup();
    expect(breaker.state).toBe('closed');
    await expect(succeed()).resolves.toBe('ok');
    expect(calls()).toBe(1);
  });

  it('[1] passes a failed call’s error through unchanged', async () => {
    const { breaker } = setup();
    const error = new Error('boom');
    await expect(breaker.call(() => Promise.reject(error))).rejects.toBe(error);
  });

  it('[1] passes the error of the call that opens the circuit through unchanged', async () => {
    const { breaker, fail } = setup();
    await fail();
    await fail();
    const error = new Error('the third failure');
    const third = await breaker.call(() => Promise.reject(error)).catch((e: unknown) => e);
    expect(third, 'the call whose failure opened the circuit was made while closed: it must reject with its own error, not a CircuitOpenError').toBe(error);
    expect(breaker.state).toBe('open');
  });

  it('[2] stays closed while the failures stay below failureThreshold', async () => {
    const { breaker, fail, succeed, calls } = setup();
    await fail();
    await fail();
    expect(breaker.state).toBe('closed');
    await expect(succeed()).resolves.toBe('ok');
    expect(calls()).toBe(3);
  });

  it('[2] opens after failureThreshold consecutive failures', async () => {
    const { breaker, fail } = setup();
    for (let i = 0; i < 3; i++) await fail();
    expect(breaker.state).toBe('open');
  });

  it('[2] counts consecutive failures only: a success starts the count again', async () => {
    const { breaker, fail, succeed } = setup();
    await fail();
    await fail();
    await succeed();
    await fail();
    await fail();
    expect(breaker.state).toBe('closed');
    await fail();
    expect(breaker.state).toBe('open');
  });

  it('[2] does not count the failure of a call that was under way when the circuit last opened', async () => {
    const { breaker, clock, fail, succeed } = setup();
    const older = callUnderWay(breaker);
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    await succeed();
    await fail();
    await fail();
    await older.fail();
    expect(
      breaker.state,
      'two failures since the trial closed the circuit; the third came from a call made before the circuit opened, which tells nothing of the service now and must not count',
    ).toBe('closed');
  });

  it('[3] fails fast while open: rejects with CircuitOpenError without calling', async () => {
    const { breaker, fail, succeed, calls } = setup();
    for (let i = 0; i < 3; i++) await fail();
    await expect(succeed()).rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls()).toBe(3);
    expect(breaker.state).toBe('open');
  });

  it('[4] stays open until resetTimeoutMs has passed', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 999;
    expect(breaker.state).toBe('open');
    await expect(succeed()).rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls()).toBe(3);
  });

  it('[4] becomes half-open after resetTimeoutMs and lets a trial call through', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    expect(breaker.state).toBe('half-open');
    await expect(succeed()).resolves.toBe('ok');
    expect(calls()).toBe(4);
  });

  it('[4] keeps the cool-down of the failure that opened the circuit when a call made before fails while it is open', async () => {
    const { breaker, clock, fail } = setup();
    const older = callUnderWay(breaker);
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 600;
    await older.fail();
    const error = await breaker.call(async () => 'early').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cb.CircuitOpenError);
    expect(
      (error as { retryAfterMs: number }).retryAfterMs,
      'a call made before the circuit opened failed 600 ms into the cool-down: that must not restart it, which is counted from the failure that opened the circuit (400 ms left)',
    ).toBe(400);
    clock.time += 400;
    expect(breaker.state, 'the cool-down ends 1000 ms after the failure that opened the circuit, whatever older calls did meanwhile').toBe('half-open');
  });

  it('[4] stays open when a call made before the circuit opened succeeds while it is open', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    const older = callUnderWay(breaker);
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 600;
    await older.succeed();
    expect(breaker.state, 'a call made before the circuit opened succeeded while it was open: that tells nothing of the service now, so the circuit stays open').toBe('open');
    await expect(succeed()).rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls()).toBe(3);
  });

  it('[5] gives retryAfterMs 0 to a call refused while a trial runs, however late the trial started', async () => {
    const { breaker, clock, fail } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1200;
    let finishTrial!: (value: string) => void;
    const trial = breaker.call(() => new Promise<string>((resolve) => (finishTrial = resolve)));
    clock.time += 100;
    const refused = await breaker.call(async () => 'second').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(cb.CircuitOpenError);
    expect(
      (refused as { retryAfterMs: number }).retryAfterMs,
      'a call refused while a trial runs gets retryAfterMs 0, not the time left in a cool-down that is already over (negative here)',
    ).toBe(0);
    finishTrial('trial');
    await expect(trial).resolves.toBe('trial');
  });

  it('[6] closes again when the trial call succeeds', async () => {
    const { breaker, clock, fail, succeed } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    await succeed();
    expect(breaker.state).toBe('closed');
    await fail();
    await fail();
    expect(breaker.state, 'the failure count should start from 0 after closing').toBe('closed');
  });

  it('[6] reopens when the trial call fails, for another full resetTimeoutMs', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1500;
    await fail();
    expect(breaker.state).toBe('open');
    clock.time += 999;
    await expect(succeed()).rejects.toBeInstanceOf(cb.CircuitOpenError);
    expect(calls()).toBe(4);
    clock.time += 1;
    expect(breaker.state).toBe('half-open');
  });

  it('[6] lets only the trial decide when a call made before the circuit opened succeeds while the trial runs', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    const older = callUnderWay(breaker);
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    let failTrial!: (error: Error) => void;
    const trial = breaker.call(() => new Promise<string>((_resolve, reject) => (failTrial = reject))).catch((e: unknown) => e);
    await older.succeed();
    await expect(
      succeed(),
      'a call made before the circuit opened succeeded while the trial ran: that must not close the circuit, and other calls still fail fast until the trial ends',
    ).rejects.toBeInstanceOf(cb.CircuitOpenError);
    failTrial(new Error('the trial failed'));
    await trial;
    expect(breaker.state, 'the trial failed, so the circuit opens again, whatever the older call did meanwhile').toBe('open');
    expect(calls()).toBe(3);
  });

  it('[4] counts the cool-down from the moment the call that opened the circuit failed, not from when it started (property, 50 cases)', async () => {
    await coolDownProperty({ seed: 9064, runs: 50 }, 'the failure that reaches the threshold');
  });

  it('[6] counts the cool-down from the moment a slow trial failed, not from when it started (property, 50 cases)', async () => {
    await coolDownProperty({ seed: 906, runs: 50 }, 'a failed trial');
  });

  it('[7] takes the default for an option given as undefined', async () => {
    const { breaker, clock, fail } = setup({ failureThreshold: undefined, resetTimeoutMs: undefined });
    for (let i = 0; i < 5; i++) await fail();
    expect(breaker.state, '{ failureThreshold: undefined } must mean 5, as if left out: spreading the options over the defaults lets undefined replace them').toBe('open');
    clock.time += 9_999;
    expect(breaker.state, '{ resetTimeoutMs: undefined } must mean 10 s, as if left out').toBe('open');
    clock.time += 1;
    expect(breaker.state).toBe('half-open');
  });

  it('[8] lets a new trial call through in every half-open period, after a failed or a successful trial', async () => {
    const { breaker, clock, fail, succeed, calls } = setup();
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    await fail(); // the first trial fails: open again
    clock.time += 1000;
    await expect(succeed(), 'after a failed trial and another cool-down, the next call should be a trial again').resolves.toBe('ok');
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 3; i++) await fail();
    clock.time += 1000;
    await expect(succeed(), 'after a successful trial, the next half-open period should let its own trial through').resolves.toBe('ok');
    expect(calls()).toBe(9);
  });
});

canaries();
