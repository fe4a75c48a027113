/**
 * Checks of exercise 09, the circuit breaker. Time is a number the checks move by hand, given to
 * your breaker as its `now` clock.
 */
import { describe, expect, it } from 'vitest';
import { cb, coolDownProperty, setup } from './harness';
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

  it('[4] counts the cool-down from the moment the call that opened the circuit failed, not from when it started (property, 50 cases)', async () => {
    await coolDownProperty({ seed: 9064, runs: 50 }, 'the failure that reaches the threshold');
  });

  it('[6] counts the cool-down from the moment a slow trial failed, not from when it started (property, 50 cases)', async () => {
    await coolDownProperty({ seed: 906, runs: 50 }, 'a failed trial');
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
