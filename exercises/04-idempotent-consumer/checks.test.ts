/**
 * Checks of exercise 04, an idempotent consumer in asyncio. Each check has a scenario in Python,
 * run by `/usr/bin/python3` against your idempotent_consumer.py before the checks (see the harness). `Effects` is the
 * effect the scenarios give your consumer; `hold(id)` makes its calls for that id wait until
 * `release(id)`, `fail(id)` makes the next one raise, and `settle()` lets every task run.
 */
import { describe, expect, it } from 'vitest';
import { scenario } from './harness';
import { canaries } from '../../checker/shared/canary';

describe('IdempotentConsumer', () => {
  const newMessage = scenario<{ returned: unknown; calls: unknown }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply)
          returned = await consumer.handle("m1", {"amount": 3})
          return {"returned": returned, "calls": effects.calls}
    `);
  it('[1] applies a new message: awaits the effect with its payload and id, and returns True', async () => {
    const run = await newMessage();
    expect(run.calls, 'the calls of apply(payload, message_id)').toEqual([[{ amount: 3 }, 'm1']]);
    expect(run.returned, 'what handle returned for a new message').toBe(true);
  });

  const slowEffect = scenario<{ returnedEarly: boolean; returned: unknown }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          consumer = IdempotentConsumer(effects.apply)
          call = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          returned_early = call.done()
          effects.release("m1")
          return {"returnedEarly": returned_early, "returned": await call}
    `);
  it('[1] returns only once the effect has completed', async () => {
    const run = await slowEffect();
    expect(run.returnedEarly, 'handle returned while the effect was still running: await it').toBe(false);
    expect(run.returned).toBe(true);
  });

  const copyAfterwards = scenario<{ returned: unknown[]; calls: unknown[] }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply)
          returned = [await consumer.handle("m1", "x"), await consumer.handle("m1", "x")]
          return {"returned": returned, "calls": effects.calls}
    `);
  it('[2] ignores a copy of an applied message: returns False and does not apply it again', async () => {
    const run = await copyAfterwards();
    expect(run.returned, 'what handle returned for the message, then for its copy').toEqual([true, false]);
    expect(run.calls, 'calls of apply').toHaveLength(1);
  });

  const manyCopies = scenario<{ applied: string[]; returnedTrue: number }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply)
          arrivals = ["a", "b", "a", "c", "c", "c", "b", "d", "a", "e", "d"]
          returned = [await consumer.handle(message_id, message_id) for message_id in arrivals]
          return {"applied": sorted(effects.done), "returnedTrue": returned.count(True)}
    `);
  it('[2] applies each distinct id once, whatever the order and number of copies', async () => {
    const run = await manyCopies();
    expect(run.applied, 'ids whose effect was applied').toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(run.returnedTrue, 'calls of handle that returned True').toBe(5);
  });

  const copyDuringEffect = scenario<{ calls: number; copyDoneEarly: boolean; returned: unknown[] }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          consumer = IdempotentConsumer(effects.apply)
          original = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          copy = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          copy_done_early = copy.done()
          effects.release("m1")
          returned = [await original, await copy]
          return {"calls": len(effects.calls), "copyDoneEarly": copy_done_early, "returned": returned}
    `);
  it('[3] a copy that arrives while the effect is running is not applied: it waits, then returns False', async () => {
    const run = await copyDuringEffect();
    expect(run.calls, 'calls of apply: the copy came while the first was still running (check, await, then remember lets it through)').toBe(1);
    expect(run.copyDoneEarly, 'the copy returned before the effect had completed: it cannot know yet whether it will').toBe(false);
    expect(run.returned, 'what the original and the copy returned').toEqual([true, false]);
  });

  const copyOutlivesWindow = scenario<{ returned: unknown[]; applied: string[] }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          effects.hold("m2")
          consumer = IdempotentConsumer(effects.apply, window_size=1)
          original = asyncio.ensure_future(consumer.handle("m1", "x"))
          other = asyncio.ensure_future(consumer.handle("m2", "y"))
          await settle()
          copy = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          # Both effects complete at once: m2, remembered right after m1, pushes m1 out of the window of 1.
          effects.release("m1")
          effects.release("m2")
          returned = [await original, await other, await copy]
          return {"returned": returned, "applied": [message_id for _, message_id in effects.calls]}
    `);
  it('[3] a copy that waited for the effect returns False from that call\'s outcome, also when the id has left a small window meanwhile', async () => {
    const run = await copyOutlivesWindow();
    expect(
      run.applied,
      'the effects applied, with window_size=1: a copy of m1 waited for the running m1, which succeeded, and applied m1 again, because it looked the id up in the window after waiting, when m2 had already pushed m1 out; a waiting copy decides by the outcome of the call it waited for',
    ).toEqual(['m1', 'm2']);
    expect(run.returned, 'what handle returned for m1, m2, and the copy of m1 that waited').toEqual([true, true, false]);
  });

  const failingEffect = scenario<{ error: string | null; retried: unknown; calls: number; remembered: number }>(`
      async def scenario():
          effects = Effects()
          effects.fail("m1")
          consumer = IdempotentConsumer(effects.apply)
          error = None
          try:
              await consumer.handle("m1", "x")
          except RuntimeError as raised:
              error = str(raised)
          retried = await consumer.handle("m1", "x")
          return {"error": error, "retried": retried, "calls": len(effects.calls), "remembered": consumer.remembered}
    `);
  it('[4] an effect that raises: the error reaches the caller, and a redelivery is applied', async () => {
    const run = await failingEffect();
    expect(run.error, 'the error of the effect should reach the caller of handle').toBe('the effect of m1 failed');
    expect(run.retried, 'a redelivery of a message whose effect failed was taken for a duplicate: remember an id only after apply returned').toBe(true);
    expect(run.calls).toBe(2);
    expect(run.remembered).toBe(1);
  });

  const copyWaitingForFailure = scenario<{ first: unknown; copy: unknown; calls: number }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          effects.fail("m1")
          consumer = IdempotentConsumer(effects.apply)
          first = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          copy = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          effects.release("m1")
          await asyncio.gather(first, return_exceptions=True)
          await settle()

          def outcome(task):
              if not task.done():
                  task.cancel()
                  return "still waiting"
              if task.exception() is not None:
                  return type(task.exception()).__name__
              return task.result()

          return {"first": outcome(first), "copy": outcome(copy), "calls": len(effects.calls)}
    `);
  it('[4] a copy waiting for an effect that fails applies the message itself, and returns True', async () => {
    const run = await copyWaitingForFailure();
    expect(run.first, 'what the call whose effect failed did').toBe('RuntimeError');
    const why =
      run.copy === 'still waiting'
        ? 'the copy that waited for the failed call was still waiting after that call had failed: wake the waiting copies when the effect fails too (in a finally), not only when it succeeds (item 4)'
        : typeof run.copy === 'string'
          ? `the copy that waited for the failed call raised ${run.copy}, the failed call's outcome: the message was not applied, so the waiting copy must apply it itself and return True (item 4)`
          : 'what the copy that waited for the failed call returned: the message was not applied, so that copy must apply it (item 4)';
    expect(run.copy, why).toBe(true);
    expect(run.calls, 'calls of apply: the failed one, then the waiting copy').toBe(2);
  });

  const cancelledCall = scenario<{ cancelled: boolean; retried: unknown; remembered: number }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          consumer = IdempotentConsumer(effects.apply)
          call = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          call.cancel()
          await settle()
          effects.release("m1")
          retried = await consumer.handle("m1", "x")
          return {"cancelled": call.cancelled(), "retried": retried, "remembered": consumer.remembered}
    `);
  it('[5] a call cancelled during its effect leaves the id free: a later copy is applied', async () => {
    const run = await cancelledCall();
    expect(run.cancelled, 'the cancelled call should end cancelled').toBe(true);
    expect(run.retried, 'the copy after a cancelled effect').toBe(true);
    expect(run.remembered).toBe(1);
  });

  const slowAndOthers = scenario<{ mostRunning: number; othersDone: boolean[] }>(`
      async def scenario():
          effects = Effects()
          effects.hold("slow")
          consumer = IdempotentConsumer(effects.apply)
          slow = asyncio.ensure_future(consumer.handle("slow", "x"))
          await settle()
          others = [asyncio.ensure_future(consumer.handle(f"m{i}", i)) for i in range(3)]
          await settle()
          others_done = [other.done() for other in others]
          effects.release("slow")
          await asyncio.gather(slow, *others)
          return {"mostRunning": effects.most_running, "othersDone": others_done}
    `);
  it('[6] applies different messages concurrently: a slow effect does not hold up the others', async () => {
    const run = await slowAndOthers();
    expect(run.othersDone, 'other messages waited for the slow effect of another id: is there one lock for all messages?').toEqual([true, true, true]);
    expect(run.mostRunning).toBeGreaterThanOrEqual(2);
  });

  const windowOfThree = scenario<{ remembered: number; copies: Record<string, unknown> }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply, window_size=3)
          for message_id in ["a", "b", "c", "d"]:
              await consumer.handle(message_id, message_id)
          remembered = consumer.remembered
          copies = {message_id: await consumer.handle(message_id, message_id) for message_id in ["d", "b", "a"]}
          return {"remembered": remembered, "copies": copies}
    `);
  it('[7] remembers at most window_size ids and forgets the oldest first', async () => {
    const run = await windowOfThree();
    expect(run.remembered, 'ids remembered with window_size=3, after 4 messages').toBe(3);
    expect(run.copies, 'what handle returned for copies of d, b, then a: a should have left the window').toEqual({ d: false, b: false, a: true });
  });

  const rememberedWhileRunning = scenario<{ whileRunning: number; afterwards: number }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply, window_size=2)
          for message_id in ["a", "b"]:
              await consumer.handle(message_id, message_id)
          effects.hold("c")
          effects.hold("d")
          running = [asyncio.ensure_future(consumer.handle(message_id, message_id)) for message_id in ["c", "d"]]
          await settle()
          while_running = consumer.remembered
          effects.release("c")
          effects.release("d")
          await asyncio.gather(*running)
          return {"whileRunning": while_running, "afterwards": consumer.remembered}
    `);
  it('[7] counts in remembered the applied ids only, never more than window_size, also while effects are running', async () => {
    const run = await rememberedWhileRunning();
    expect(
      run.whileRunning,
      `with window_size=2, after a and b were applied and while the effects of c and d were still running, remembered was ${run.whileRunning}: it counts the applied ids the window holds (at most window_size), not the ids whose effect is still running, which are not applied yet and may never be`,
    ).toBe(2);
    expect(run.afterwards, 'remembered once the effects of c and d had completed, with window_size=2').toBe(2);
  });

  const fractionWindow = scenario<string | null>(`
      async def scenario():
          try:
              IdempotentConsumer(Effects().apply, window_size=0.5)
          except ValueError:
              return "ValueError"
          return None
    `);
  it('[8] refuses a window_size below 1 that is a fraction, such as 0.5, with ValueError', async () => {
    const raised = await fractionWindow();
    expect(
      raised,
      'IdempotentConsumer(apply, window_size=0.5) did not raise ValueError: 0.5 is below 1, and a window of 0.5 remembers no id at all, so every copy would be applied again; test window_size < 1, not window_size <= 0',
    ).toBe('ValueError');
  });

  const windowOfZero = scenario<string | null>(`
      async def scenario():
          try:
              IdempotentConsumer(Effects().apply, window_size=0)
          except ValueError:
              return "ValueError"
          return None
    `);
  it('[8] refuses a window_size of 0 with ValueError', async () => {
    const raised = await windowOfZero();
    expect(raised, 'IdempotentConsumer(apply, window_size=0)').toBe('ValueError');
  });
});

canaries();
