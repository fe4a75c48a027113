/**
 * Hidden checks of exercise 15: the public checks' harness with more orders, more messages and
 * more seeds, and harsher random crashes.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  World,
  crashCaseSteps,
  crashCases,
  handMadeDelivery,
  inboxCode,
  interleavingCaseSteps,
  interleavingCases,
  orders,
  randomCrashes,
  randomFor,
  runCrashCase,
  runInterleavingCase,
  staircase,
  useDatabase,
} from '../../exercises/15-outbox/harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

useDatabase();

describe('the outbox and the inbox, harder', { timeout: CHECK_TIMEOUT_MS }, () => {
  it('[4] loses no row of five when the relay dies at every step in turn', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(5));
    await world.drainOutbox(staircase());
    await world.drainQueue();
    await world.expectEveryOrderShippedOnce();
  });

  it('[12] ships once when three copies of a message are handled at the same moment, in transactions that run at once', async () => {
    await World.create({ concurrent: true });
    const { handleOrderPlaced, db } = await inboxCode({ concurrent: true });
    const [order] = orders(1, 'triple');
    const body = { orderId: order.id, item: order.item, quantity: order.quantity };
    let copies = [1, 2, 3].map(() => handMadeDelivery('m-triple', body));
    for (let round = 1; copies.length > 0 && round <= 5; round++) {
      await Promise.all(copies.map(({ delivery }) => handleOrderPlaced(db, delivery)));
      expect(copies.every(({ outcome }) => outcome.settled !== null), 'every copy is acked or nacked').toBe(true);
      copies = copies.filter(({ outcome }) => outcome.settled === 'requeue').map(() => handMadeDelivery('m-triple', body));
    }
    const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM shipments WHERE order_id = $1', [order.id]);
    expect(rows[0].n, 'shipments of one message handled three times at once').toBe(1);
  });

  it('[8] neither loses nor doubles a shipment of four when consumers die at every step in turn', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(4));
    await world.drainOutbox();
    await world.drainQueue(staircase());
    await world.expectEveryOrderShippedOnce();
  });

  it('[10] ships every stored order exactly once over 20 more seeds, two orders each, every service dying at 40% of its steps', async () => {
    const worlds: World[] = [];
    for (let seed = 101; seed <= 120; seed++) {
      const world = await World.create({ label: `seed ${seed}: `, prefix: `s${seed}-`, keepTables: seed > 101 });
      const crashes = (service: string) => {
        const random = randomFor(seed, service);
        return () => randomCrashes(random, 0.4);
      };
      await world.placeOrders(world.orders(2), crashes('order service'));
      await world.drainOutbox(crashes('relay'));
      await world.drainQueue(crashes('shipping'));
      worlds.push(world);
    }
    await World.expectEveryOrderShippedOnce(worlds);
  });

  it('[10] ships every stored order exactly once for 30 more random cases of crash points and redeliveries (property-based)', async () => {
    await holds(crashCases, runCrashCase, { seed: 1_015, numRuns: 30, timeLimitMs: 8_000, steps: crashCaseSteps });
  });

  it('[10] ships every order exactly once for 30 more random waves of copies handled at the same moment (property-based)', async () => {
    await holds(interleavingCases, runInterleavingCase, { seed: 101_510, numRuns: 30, timeLimitMs: 8_000, steps: interleavingCaseSteps });
  });
});

canaries();
