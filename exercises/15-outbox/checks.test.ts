/**
 * Checks of exercise 15, the transactional outbox and the inbox. They run on PGlite (PostgreSQL in
 * this process, one database for the file, emptied for every run) and the in-process broker: no
 * service to start.
 *
 * The checks crash your code at chosen steps through the database, publisher and deliveries they
 * hand it (see harness.ts): a crashed process can do nothing more, and a new one, with a
 * freshly loaded copy of your module, takes over. Some checks crash a process at every step in
 * turn; the last one crashes all three services at random steps over 20 seeds.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TIMEOUT_MS,
  World,
  crashCaseSteps,
  crashCases,
  interleavingCaseSteps,
  interleavingCases,
  runCrashCase,
  runInterleavingCase,
  concurrentDescription,
  handMadeDelivery,
  handleCopiesAtOnce,
  inboxCode,
  POISON_LIMIT,
  TRANSACTIONS_PER_DELIVERY,
  unreachableDatabase,
  messages,
  noFaults,
  randomCrashes,
  randomFor,
  staircase,
  useDatabase,
} from './harness';
import { holds } from '../../checker/shared/property';
import { canaries } from '../../checker/shared/canary';

useDatabase();

describe('the outbox and the inbox', { timeout: CHECK_TIMEOUT_MS }, () => {
  it('[1] stores the order and one unsent outbox row with its message, and publishes nothing itself', async () => {
    const world = await World.create();
    const [order] = world.orders(1);
    await world.placeOrders([order]);
    expect(await world.storedOrders(), 'orders stored').toEqual([order.id]);
    const rows = await world.outbox();
    expect(rows.length, 'outbox rows after one placeOrder').toBe(1);
    expect(rows[0].payload, 'the outbox row’s payload').toEqual({ orderId: order.id, item: order.item, quantity: order.quantity });
    expect(rows[0].sent, 'the outbox row is unsent: only the relay publishes').toBe(false);
    expect(world.published, 'messages placeOrder published itself').toEqual([]);
  });

  it('[2] keeps each order and its message together when the order service dies at any step (before or after its commit), and the relay publishes every stored one', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(4), staircase());
    expect(world.published, `messages placeOrder published itself (${world.story()})`).toEqual([]);
    await world.drainOutbox();
    await world.drainQueue();
    await world.expectEveryOrderShippedOnce();
  });

  it('[3] publishes the unsent rows oldest first, with their payload and message id, marks them sent, and returns how many', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(3));
    const { service, code } = await world.orderService(noFaults, 'relay');
    expect(await code.relayOnce(service), 'relayOnce with 3 unsent rows').toBe(3);
    const rows = await world.outbox();
    expect(world.published, 'what the relay published, in order').toEqual(rows.map((r) => ({ messageId: r.message_id, body: r.payload })));
    expect(rows.map((r) => r.sent), 'rows marked sent').toEqual([true, true, true]);
    expect(await code.relayOnce(service), 'relayOnce with nothing left to publish').toBe(0);
    expect(world.published.length, 'messages published after the second pass').toBe(3);
  });

  it('[3] publishes the unsent rows in the order of their id, whatever their created_at says', async () => {
    const world = await World.create();
    // created_at is when the inserting transaction began: one that began first may insert last, and take the larger id.
    const began = ['2026-01-01T10:00:02Z', '2026-01-01T10:00:01Z', '2026-01-01T10:00:00Z'];
    await world.db.transaction(async (tx) => {
      for (const [i, createdAt] of began.entries()) {
        const orderId = `by-id-${i + 1}`;
        await tx.query('INSERT INTO orders (id, item, quantity) VALUES ($1, $2, $3)', [orderId, 'lamp', 1]);
        await tx.query('INSERT INTO outbox (id, message_id, payload, created_at) VALUES ($1, $2, $3, $4)', [i + 1, `by-id-message-${i + 1}`, { orderId, item: 'lamp', quantity: 1 }, createdAt]);
      }
    });
    const { service, code } = await world.orderService(noFaults, 'relay');
    await code.relayOnce(service);
    expect(
      world.published.map((p) => p.body.orderId),
      'rows with ids 1, 2, 3, whose created_at go the other way: oldest first means by id (the order of the inserts), not by created_at (when each transaction began)',
    ).toEqual(['by-id-1', 'by-id-2', 'by-id-3']);
  });

  it('[4] loses no row when the relay dies at any step (before a publish, after it and before marking the row sent), and republishes under the same message id', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(2));
    await world.drainOutbox(staircase());
    await world.drainQueue();
    await world.expectEveryOrderShippedOnce();
  });

  it('[5] leaves a row unsent when the broker refuses its publish, and publishes it in a later pass', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(2));
    let publishes = 0;
    await world.drainOutbox(() => ({ op, point }) => (op === 'publish' && point === 'before' && ++publishes === 1 ? 'fail' : undefined));
    await world.drainQueue();
    await world.expectEveryOrderShippedOnce();
  });

  it('[5] returns how many rows the broker took in a pass where it refused one (when the pass returns at all)', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(3));
    let publishes = 0;
    const { service, code } = await world.orderService(({ op, point }) => (op === 'publish' && point === 'before' && ++publishes === 2 ? 'fail' : undefined), 'relay');
    const returned = await code.relayOnce(service).catch(() => 'threw');
    if (returned !== 'threw') expect(returned, `what relayOnce returned after the broker took ${world.published.length} of 3 rows and refused one`).toBe(world.published.length);
    await world.drainOutbox();
    await world.drainQueue();
    await world.expectEveryOrderShippedOnce();
  });

  it('[6] publishes a row committed late with a smaller id than rows already sent (unsent by its flag, not by id)', async () => {
    const world = await World.create();
    const { service, code } = await world.orderService(noFaults, 'relay');
    const relayUntilDone = async () => {
      for (let pass = 0; pass < 20 && (await code.relayOnce(service)) > 0; pass++);
    };
    await world.placeOrders(world.orders(1, 'early'));
    // A slow transaction of another order-service process takes the next id now, and commits last.
    const { rows } = await world.db.query<{ id: number }>("SELECT nextval('outbox_id_seq') AS id");
    await world.placeOrders(world.orders(1, 'later'));
    await relayUntilDone();
    await world.db.transaction(async (tx) => {
      await tx.query('INSERT INTO orders (id, item, quantity) VALUES ($1, $2, $3)', ['slow-1', 'chair', 1]);
      await tx.query('INSERT INTO outbox (id, message_id, payload) VALUES ($1, $2, $3)', [rows[0].id, 'slow-message-1', { orderId: 'slow-1', item: 'chair', quantity: 1 }]);
    });
    await relayUntilDone();
    expect(world.published.map((p) => p.body.orderId), 'orders the relay published, the late one last').toEqual(['early-1', 'later-1', 'slow-1']);
  });

  it('[6] publishes a row that commits with a smaller id while a pass is publishing, in a later pass (marks sent only the rows it published)', async () => {
    const world = await World.create();
    const { service, code } = await world.orderService(noFaults, 'relay');
    await world.placeOrders(world.orders(1, 'early'));
    // A slow transaction of another order-service process takes the next id now, and commits while
    // the relay is publishing the rows it read: after its SELECT, before it marks them sent.
    const { rows } = await world.db.query<{ id: number }>("SELECT nextval('outbox_id_seq') AS id");
    await world.placeOrders(world.orders(1, 'later'));
    let lateCommit: Promise<void> | undefined;
    const commitLate = () =>
      world.db.transaction(async (tx) => {
        await tx.query('INSERT INTO orders (id, item, quantity) VALUES ($1, $2, $3)', ['slow-1', 'chair', 1]);
        await tx.query('INSERT INTO outbox (id, message_id, payload) VALUES ($1, $2, $3)', [rows[0].id, 'slow-message-1', { orderId: 'slow-1', item: 'chair', quantity: 1 }]);
      });
    const racing = {
      ...service,
      publisher: {
        publish: async (...args: Parameters<typeof service.publisher.publish>) => {
          await (lateCommit ??= commitLate());
          return service.publisher.publish(...args);
        },
      },
    };
    for (let pass = 0; pass < 20 && (await code.relayOnce(racing)) > 0; pass++);
    expect(
      world.published.map((p) => p.body.orderId),
      'orders the relay published when slow-1 committed (with an id below later-1’s) during its first pass: a row it did not read in that pass was marked sent without being published, as by an UPDATE of every unsent row up to the last id (mark by the ids of the rows published) (item 6)',
    ).toEqual(['early-1', 'later-1', 'slow-1']);
  });

  it('[7] ships a message once and acks it; a copy of a handled message ships nothing more and is acked', async () => {
    const world = await World.create();
    const body = { orderId: 'o-1', item: 'book', quantity: 2 };
    await world.send('m-1', body);
    await world.send('m-1', body);
    await world.drainQueue();
    expect(await world.shipments(), 'shipments after two copies of one message').toEqual(new Map([['o-1', 1]]));
    const { rows } = await world.db.query('SELECT message_id FROM inbox');
    expect(rows, 'the inbox after the message').toEqual([{ message_id: 'm-1' }]);
  });

  it('[8] neither loses nor doubles a shipment when the consumer dies at any step (before its commit, after it and before the ack)', async () => {
    const world = await World.create();
    await world.placeOrders(world.orders(2));
    await world.drainOutbox();
    await world.drainQueue(staircase());
    await world.expectEveryOrderShippedOnce();
  });

  it('[9] nacks a message whose transaction failed, and ships it when it comes again', async () => {
    const world = await World.create();
    await world.send('m-1', { orderId: 'o-1', item: 'pen', quantity: 1 });
    let failed = false;
    await world.drainQueue(() => ({ op, point }) => {
      if (failed || op !== 'transaction' || point !== 'before') return undefined;
      failed = true;
      return 'fail';
    });
    expect(await world.shipments(), 'shipments after one failed transaction').toEqual(new Map([['o-1', 1]]));
    expect(world.violations).toEqual([]);
  });

  it('[10] ships every stored order exactly once over 20 seeds, with all three services dying at random steps', async () => {
    const worlds: World[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const world = await World.create({ label: `seed ${seed}: `, prefix: `s${seed}-`, keepTables: seed > 1 });
      const crashes = (service: string) => {
        const random = randomFor(seed, service);
        return () => randomCrashes(random, 0.25);
      };
      await world.placeOrders(world.orders(1), crashes('order service'));
      await world.drainOutbox(crashes('relay'));
      await world.drainQueue(crashes('shipping'));
      worlds.push(world);
    }
    await World.expectEveryOrderShippedOnce(worlds);
  });

  it('[10] ships every stored order exactly once for random crash points of all three services and redeliveries (property-based, 8 cases)', async () => {
    await holds(crashCases, runCrashCase, { seed: 15, numRuns: 8, timeLimitMs: 3_000, steps: crashCaseSteps });
  });

  it('[10] ships every order exactly once for random waves of copies handled at the same moment (property-based, 8 cases)', async () => {
    await holds(interleavingCases, runInterleavingCase, { seed: 1510, numRuns: 8, timeLimitMs: 3_000, steps: interleavingCaseSteps });
  });

  it('[11] has acked or nacked the delivery by the time handleOrderPlaced resolves, after a commit and after a failure', async () => {
    const { handleOrderPlaced, db } = await inboxCode();
    await World.create();
    const first = handMadeDelivery('m-11', { orderId: 'o-11', item: 'pen', quantity: 1 });
    await handleOrderPlaced(db, first.delivery);
    expect(first.outcome.settled, 'what the delivery was when handleOrderPlaced resolved (ack after the commit, before returning)').toBe('ack');
    const unreachable = unreachableDatabase(db);
    const second = handMadeDelivery('m-12', { orderId: 'o-12', item: 'pen', quantity: 1 });
    await Promise.race([handleOrderPlaced(unreachable.db, second.delivery).catch(() => {}), unreachable.gaveUp]);
    expect(unreachable.calls(), 'calls handleOrderPlaced made for one delivery to a database that fails every call: it retries in a loop inside the handler, which never ends while the failure lasts (nack with requeue instead)').toBeLessThanOrEqual(TRANSACTIONS_PER_DELIVERY);
    expect(second.outcome.settled, 'whether the delivery was acked or nacked when handleOrderPlaced settled after its transaction failed (nack it with requeue)').not.toBeNull();
  });

  it('[12] ships each of 50 messages once when three copies of each are handled at the same moment, in transactions that run at once', async () => {
    const world = await World.create({ concurrent: true });
    const { handleOrderPlaced, db } = await inboxCode({ concurrent: true });
    const problems = await handleCopiesAtOnce(handleOrderPlaced, db, messages(50), 3);
    const on = `(on ${concurrentDescription()})`;
    expect(problems, `what went wrong with the deliveries ${on}`).toEqual([]);
    const doubled = [...(await world.shipments())].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    expect(doubled, `orders shipped more than once ${on}: a SELECT does not see a copy still being handled; let the inbox insert decide (its rowCount)`).toEqual([]);
    expect((await world.shipments()).size, `orders shipped ${on}`).toBe(50);
  });

  it('[13] dead-letters a message whose transaction fails every time after exactly deliveryLimit + 1 deliveries, nacked with requeue each time, and ships the others', async () => {
    const world = await World.create({ deliveryLimit: POISON_LIMIT });
    const poison = messages(3)[1];
    world.failsAlways.add(poison.messageId);
    for (const { messageId, body } of messages(3)) await world.send(messageId, body);
    await world.drainQueue();
    expect(world.violations, 'what the consumer did that the README rules out').toEqual([]);
    expect(
      world.deliveries.get(poison.messageId),
      `deliveries of ${poison.messageId}, whose transaction fails every time, on a queue with a delivery limit of ${POISON_LIMIT}: the first and ${POISON_LIMIT} retries, each nacked with requeue`,
    ).toBe(POISON_LIMIT + 1);
    expect(world.deadLettered, 'messages in the dead-letter queue').toEqual([poison.messageId]);
    expect(await world.shipments(), 'shipments: every order but the one whose transaction always fails').toEqual(new Map([['o-1', 1], ['o-3', 1]]));
  });
});

canaries();
