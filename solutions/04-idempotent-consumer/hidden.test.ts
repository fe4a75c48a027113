/**
 * Hidden checks (kept by the instructor, used for the final grade; the public ones are in
 * exercises/04-idempotent-consumer/checks.test.ts) of exercise 04, an idempotent consumer in asyncio: more copies at once, failures
 * and cancellations with copies waiting, the default window and its edges.
 */
import { describe, expect, it } from 'vitest';
import { scenario } from '../../exercises/04-idempotent-consumer/harness';
import { canaries } from '../../checker/shared/canary';

describe('IdempotentConsumer', () => {
  const anyPayload = scenario<unknown[]>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply)
          await consumer.handle("pay-7", {"account": "acct-1", "cents": [1, 2]})
          await consumer.handle("pay-8", None)
          return effects.calls
    `);
  it('[1] passes any payload through unchanged, with its id', async () => {
    const calls = await anyPayload();
    expect(calls).toEqual([
      [{ account: 'acct-1', cents: [1, 2] }, 'pay-7'],
      [null, 'pay-8'],
    ]);
  });

  const fiveCopiesDuringEffect = scenario<{ calls: number; returned: unknown[] }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          consumer = IdempotentConsumer(effects.apply)
          calls = [asyncio.ensure_future(consumer.handle("m1", "x"))]
          for _ in range(5):
              await settle()
              calls.append(asyncio.ensure_future(consumer.handle("m1", "x")))
          await settle()
          effects.release("m1")
          return {"calls": len(effects.calls), "returned": list(await asyncio.gather(*calls))}
    `);
  it('[3] five copies during the effect: apply runs once, the original returns True and every copy False', async () => {
    const run = await fiveCopiesDuringEffect();
    expect(run.calls, 'calls of apply for one message and five concurrent copies').toBe(1);
    expect(run.returned).toEqual([true, false, false, false, false, false]);
  });

  const copiesWaitingForFailure = scenario<{ outcomes: unknown[]; calls: number; done: string[] }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          effects.fail("m1")
          consumer = IdempotentConsumer(effects.apply)
          calls = [asyncio.ensure_future(consumer.handle("m1", "x")) for _ in range(4)]
          await settle()
          effects.release("m1")
          outcomes = await asyncio.gather(*calls, return_exceptions=True)
          return {"outcomes": [type(o).__name__ if isinstance(o, BaseException) else o for o in outcomes], "calls": len(effects.calls), "done": effects.done}
    `);
  it('[4] copies waiting for an effect that fails: exactly one of them applies the message', async () => {
    const run = await copiesWaitingForFailure();
    const [failed, ...copies] = run.outcomes;
    expect(failed, 'what the call whose effect failed did').toBe('RuntimeError');
    expect(copies.map(String).sort(), 'what the three copies that waited returned: one applies the message, the others are duplicates of it').toEqual(['false', 'false', 'true']);
    expect(run.calls, 'calls of apply: the failed one and the one retry').toBe(2);
    expect(run.done).toEqual(['m1']);
  });

  const copiesWaitingForCancelled = scenario<{ outcomes: unknown[]; calls: number; remembered: number }>(`
      async def scenario():
          effects = Effects()
          effects.hold("m1")
          consumer = IdempotentConsumer(effects.apply)
          first = asyncio.ensure_future(consumer.handle("m1", "x"))
          await settle()
          copies = [asyncio.ensure_future(consumer.handle("m1", "x")) for _ in range(2)]
          await settle()
          first.cancel()
          await settle()
          effects.release("m1")
          outcomes = await asyncio.gather(first, *copies, return_exceptions=True)
          return {"outcomes": [type(o).__name__ if isinstance(o, BaseException) else o for o in outcomes], "calls": len(effects.calls), "remembered": consumer.remembered}
    `);
  it('[5] a call cancelled during its effect, with copies waiting: one copy applies the message, none hangs', async () => {
    const run = await copiesWaitingForCancelled();
    const [cancelled, ...copies] = run.outcomes;
    expect(cancelled, 'what the cancelled call did').toBe('CancelledError');
    expect(copies.map(String).sort(), 'what the two copies that waited for it returned: one applies the message').toEqual(['false', 'true']);
    expect(run.calls).toBe(2);
    expect(run.remembered).toBe(1);
  });

  const defaultWindow = scenario<{ m0Inside: unknown; m0After: unknown; most: number; rememberedDefault: number }>(`
      async def scenario():
          effects = Effects()
          consumer = IdempotentConsumer(effects.apply)
          for i in range(1000):
              await consumer.handle(f"m{i}", i)
          m0_inside = await consumer.handle("m0", 0)
          await consumer.handle("m1000", 1000)
          remembered_default = consumer.remembered
          m0_after = await consumer.handle("m0", 0)
          small = IdempotentConsumer(effects.apply, window_size=50)
          most = 0
          for i in range(5000):
              await small.handle(f"n{i}", i)
              most = max(most, small.remembered)
          return {"m0Inside": m0_inside, "m0After": m0_after, "most": most, "rememberedDefault": remembered_default}
    `);
  it('[7] remembers 1000 ids by default, and never more than window_size over 5,000 messages', async () => {
    const run = await defaultWindow();
    expect(run.m0Inside, 'a copy of m0 after 999 newer ids, default window').toBe(false);
    expect(run.rememberedDefault, 'ids remembered by default after 1001 messages').toBe(1000);
    expect(run.m0After, 'm0 should have left the default window of 1000').toBe(true);
    expect(run.most, 'the most ids remembered with window_size=50').toBe(50);
  });

  const windowOfOne = scenario<unknown[]>(`
      async def scenario():
          consumer = IdempotentConsumer(Effects().apply, window_size=1)
          return [await consumer.handle(message_id, message_id) for message_id in ["a", "a", "b", "b", "a"]]
    `);
  it('[7] with a window of 1, remembers the last id only', async () => {
    const returned = await windowOfOne();
    expect(returned, 'what handle returned for a, a, b, b, a with window_size=1').toEqual([true, false, true, false, true]);
  });

  const negativeWindow = scenario<string | null>(`
      async def scenario():
          try:
              IdempotentConsumer(Effects().apply, window_size=-5)
          except ValueError:
              return "ValueError"
          return None
    `);
  it('[8] refuses a negative window_size with ValueError', async () => {
    const raised = await negativeWindow();
    expect(raised, 'IdempotentConsumer(apply, window_size=-5)').toBe('ValueError');
  });
});

canaries();
