// The database contract, run against PGlite (always) and against a PostgreSQL server when
// DATABASE_URL names one; without it the server's tests are skipped loudly (CI need not run one).
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDatabase, PostgresDatabase, databaseUrl, openDatabase, type Database } from './index';

const serverUrl = databaseUrl();
if (!serverUrl) console.warn('\n!!! DATABASE_URL is not set: the PostgreSQL server tests did not run (PGlite ones did).\n');

const implementations: [string, () => Promise<Database>, boolean][] = [
  ['PGlite', () => PgliteDatabase.create(), true],
  ['PostgreSQL server', async () => new PostgresDatabase(serverUrl as string), serverUrl !== undefined],
];

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(implementations)('%s', (_name, open, available) => {
  let db: Database;
  const tables: string[] = [];

  /** A fresh table of our own, so that runs never share one on a shared server. */
  async function freshTable(columns: string): Promise<string> {
    const name = `workbook_test_${randomUUID().slice(0, 8)}`;
    await db.query(`CREATE TABLE ${name} (${columns})`);
    tables.push(name);
    return name;
  }

  beforeAll(async () => {
    if (available) db = await open();
  }, 120_000);

  afterAll(async () => {
    if (!available) return;
    for (const table of tables) await db.query(`DROP TABLE IF EXISTS ${table}`);
    await db.close();
  });

  it.skipIf(!available)('runs parameterised statements, with rows, row counts and the same value types', async () => {
    const orders = await freshTable('id bigserial PRIMARY KEY, item text NOT NULL, placed_at timestamptz NOT NULL DEFAULT now(), price numeric');
    const inserted = await db.query<{ id: number }>(`INSERT INTO ${orders} (item, price) VALUES ($1, $2), ($3, $4) RETURNING id`, ['book', '12.50', 'pen', '1.20']);
    expect(inserted).toEqual({ rows: [{ id: 1 }, { id: 2 }], rowCount: 2 });
    expect(await db.query(`UPDATE ${orders} SET item = upper(item) WHERE id > $1`, [0])).toEqual({ rows: [], rowCount: 2 });
    const { rows } = await db.query<{ n: number; item: string; placed_at: Date; price: string }>(
      `SELECT count(*) OVER () AS n, item, placed_at, price FROM ${orders} WHERE item = $1`,
      ['PEN'],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ n: 1, item: 'PEN', price: '1.20' });
    expect(rows[0].placed_at).toBeInstanceOf(Date);
  });

  it.skipIf(!available)('reports a unique violation with its SQLSTATE, and ON CONFLICT DO NOTHING as zero rows', async () => {
    const inbox = await freshTable('message_id text PRIMARY KEY');
    const first = await db.query(`INSERT INTO ${inbox} VALUES ($1) ON CONFLICT DO NOTHING`, ['m-1']);
    const again = await db.query(`INSERT INTO ${inbox} VALUES ($1) ON CONFLICT DO NOTHING`, ['m-1']);
    expect([first.rowCount, again.rowCount]).toEqual([1, 0]);
    await expect(db.query(`INSERT INTO ${inbox} VALUES ($1)`, ['m-1'])).rejects.toMatchObject({ code: '23505' });
  });

  it.skipIf(!available)('commits a transaction whole, or rolls it back whole and rethrows', async () => {
    const accounts = await freshTable('name text PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0)');
    await db.query(`INSERT INTO ${accounts} VALUES ('alice', 100), ('bob', 0)`);
    const transfer = (amount: number) =>
      db.transaction(async (tx) => {
        await tx.query(`UPDATE ${accounts} SET balance = balance + $1 WHERE name = 'bob'`, [amount]);
        await tx.query(`UPDATE ${accounts} SET balance = balance - $1 WHERE name = 'alice'`, [amount]);
        return amount;
      });
    await expect(transfer(60)).resolves.toBe(60);
    await expect(transfer(60)).rejects.toMatchObject({ code: '23514' }); // alice would go below 0
    const crash = new Error('crash before commit');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`UPDATE ${accounts} SET balance = 0`);
        throw crash;
      }),
    ).rejects.toBe(crash);
    const { rows } = await db.query(`SELECT name, balance FROM ${accounts} ORDER BY name`);
    expect(rows).toEqual([{ name: 'alice', balance: 40 }, { name: 'bob', balance: 60 }]);
  });

  it.skipIf(!available)('refuses a statement sent to the database from inside a transaction, and rolls back', async () => {
    const log = await freshTable('line text');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${log} VALUES ('inside')`);
        await db.query(`INSERT INTO ${log} VALUES ('outside')`);
      }),
    ).rejects.toThrow(/tx\.query/);
    expect((await db.query(`SELECT * FROM ${log}`)).rows).toEqual([]);
  });

  it.skipIf(!available)('lets exactly one of 20 concurrent transactions claim the same inbox key', async () => {
    const inbox = await freshTable('message_id text PRIMARY KEY');
    const effects = await freshTable('message_id text NOT NULL');
    const handle = () =>
      db.transaction(async (tx) => {
        const claimed = await tx.query(`INSERT INTO ${inbox} VALUES ($1) ON CONFLICT DO NOTHING`, ['m-7']);
        if (claimed.rowCount === 1) await tx.query(`INSERT INTO ${effects} VALUES ($1)`, ['m-7']);
        return claimed.rowCount;
      });
    const results = await Promise.all(Array.from({ length: 20 }, handle));
    expect(results.filter((n) => n === 1)).toHaveLength(1);
    expect((await db.query(`SELECT count(*) AS n FROM ${effects}`)).rows).toEqual([{ n: 1 }]);
  });
});

describe('openDatabase', () => {
  it('names the server, and how to do without it, when no PostgreSQL answers at the URL', async () => {
    const url = `postgres://workbook:secret@127.0.0.1:${await closedPort()}/workbook`;
    await expect(openDatabase({ url })).rejects.toThrow(/No PostgreSQL answered at postgres:\/\/127\.0\.0\.1:\d+\/workbook .*Unset DATABASE_URL/);
  });
});
