/**
 * Making and removing RabbitMQ virtual hosts and users for the gradebook, through the management
 * plugin's HTTP API when it answers on the loopback (milliseconds a call; `./setup` enables it),
 * else through `rabbitmqctl` (an Erlang program that takes seconds to start, each call). The
 * gradebook runs on the broker's machine, as a user that may do either.
 * @module
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The management API, `RABBITMQ_MANAGEMENT_URL` (credentials in the URL), by default guest's on the loopback. */
function managementUrl(): URL {
  return new URL(process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672/');
}

/** One call of the management API; `missingOk` takes a 404 as done (a delete of what is gone). */
async function api(method: 'GET' | 'PUT' | 'DELETE', route: string, body?: object, missingOk = false): Promise<unknown> {
  const base = managementUrl();
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  base.username = '';
  base.password = '';
  const response = await fetch(new URL(`api/${route}`, base), {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (missingOk && response.status === 404) return undefined;
  if (!response.ok) throw new Error(`RabbitMQ management API: ${method} ${route} answered ${response.status} ${(await response.text()).slice(0, 200)}`);
  return response.status === 200 && method === 'GET' ? response.json() : undefined;
}

let apiAnswers: Promise<boolean> | undefined;
/** Whether the management API answers (asked once per process). */
function hasApi(): Promise<boolean> {
  apiAnswers ??= api('GET', 'overview').then(
    () => true,
    () => false,
  );
  return apiAnswers;
}

/** `rabbitmqctl` with `args`; its error says what it printed. */
async function rabbitmqctl(...args: string[]): Promise<string> {
  try {
    return (await run('rabbitmqctl', ['--quiet', ...args], { timeout: 120_000 })).stdout;
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`rabbitmqctl ${args[0]} failed: ${(stderr || stdout || message).trim().split('\n').slice(-2).join(' ')}`, { cause: error });
  }
}

/** A name as one segment of an API route. */
const segment = (name: string) => encodeURIComponent(name);

/** Makes the vhost `name` and the user `name` with every permission there and none elsewhere. */
export async function addRabbitAccount(name: string, password: string): Promise<void> {
  if (await hasApi()) {
    await Promise.all([api('PUT', `vhosts/${segment(name)}`, {}), api('PUT', `users/${segment(name)}`, { password, tags: '' })]);
    await api('PUT', `permissions/${segment(name)}/${segment(name)}`, { configure: '.*', write: '.*', read: '.*' });
    return;
  }
  await Promise.all([rabbitmqctl('add_vhost', name), rabbitmqctl('add_user', name, password)]);
  await rabbitmqctl('set_permissions', '-p', name, name, '.*', '.*', '.*');
}

/** Removes the vhost `name` (its queues, its connections) and the user `name`, either of which may be missing. */
export async function removeRabbitAccount(name: string): Promise<void> {
  if (await hasApi()) {
    await Promise.all([api('DELETE', `vhosts/${segment(name)}`, undefined, true), api('DELETE', `users/${segment(name)}`, undefined, true)]);
    return;
  }
  const gone = (error: unknown) => {
    if (!/does not exist|not found|no_such/i.test(error instanceof Error ? error.message : String(error))) throw error;
  };
  await Promise.all([rabbitmqctl('delete_vhost', name).catch(gone), rabbitmqctl('delete_user', name).catch(gone)]);
}

/** The names of every user and vhost. */
export async function rabbitNames(): Promise<string[]> {
  if (await hasApi()) {
    const lists = (await Promise.all([api('GET', 'users'), api('GET', 'vhosts')])) as { name: string }[][];
    return lists.flat().map((entry) => entry.name);
  }
  const lines = [await rabbitmqctl('list_users', '--no-table-headers'), await rabbitmqctl('list_vhosts', '--no-table-headers')].join('\n');
  return lines.split('\n').map((line) => line.split('\t')[0].trim()).filter(Boolean);
}
