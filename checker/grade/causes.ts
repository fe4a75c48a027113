/**
 * Failures said by their cause, where the cause is not the student's code as the checks see it:
 * an error from the checks' side (a fault they injected) that the student's code let out, named as
 * that function's rejection; and a service the checks need that went away mid-run, whose checks
 * are then "not run" rather than failed.
 * @module
 */
import fs from 'node:fs';
import type { Service } from '../../tooling/course';
import { escapedThrough } from './messages';
import type { CheckFailure } from './outcome';

/** How the message of an error nothing caught begins (run-setup.ts). */
export const UNCAUGHT = 'your code threw an error that nothing caught';

/** Each service: its name, and where the checks find it (the variable with its URL, the default port). */
const SERVICES: Record<Service, { name: string; variable: string; port: number }> = {
  rabbitmq: { name: 'RabbitMQ', variable: 'AMQP_URL', port: 5672 },
  redis: { name: 'Redis', variable: 'REDIS_URL', port: 6379 },
};

/** The port the checks reach `service` at. */
function portOf(service: Service): string {
  const { variable, port } = SERVICES[service];
  try {
    return new URL(process.env[variable] ?? '').port || String(port);
  } catch {
    return String(port);
  }
}
/** What the checks of a service say when it goes away under them. */
const CONNECTION_LOST = /\b(?:ECONNREFUSED|ECONNRESET|EPIPE)\b|Socket closed unexpectedly|The client is closed|Connection closed/;

/**
 * A service the checks need that went away while they ran (Redis stopped, say): the checks that
 * failed for want of it did not run, whatever the code under test does; they are marked so, and the
 * part is "not run" with the reason, never a failure of the student's code.
 */
export function serviceLost(failures: CheckFailure[], services: Service[]): string | undefined {
  // A refused connection to the service's own port: the service is gone (or never was, but then the checks skip themselves).
  const refusals = services.flatMap((service) => {
    const refused = new RegExp(`\\bconnect ECONNREFUSED \\S+:${portOf(service)}\\b`);
    const found = failures.map((f) => refused.exec(f.message)?.[0]).find(Boolean);
    return found ? [{ name: SERVICES[service].name, found }] : [];
  });
  if (refusals.length === 0) return undefined;
  const lost = failures.filter((f) => CONNECTION_LOST.test(f.message));
  const name = refusals.map((r) => r.name).join(' and ');
  for (const failure of lost) Object.assign(failure, { notRun: true, message: `not run: ${name} went away while the checks ran`, at: undefined });
  const count = lost.length === 1 ? '1 check' : `${lost.length} checks`;
  return `not run: ${name} went away while the checks ran (${refusals[0].found}), so ${count} could not run; start it again, then grade again`;
}

/**
 * "workOnce rejected: " for an error from the checks' side (a database failure they injected) that
 * the function they called let out: said so, it does not read as the checker failing.
 */
export function escapeSaid(error: string, dir: string): string {
  const through = error.includes(UNCAUGHT) ? undefined : escapedThrough(error, [dir]);
  if (!through) return '';
  let source = '';
  try {
    source = fs.readFileSync(through.file, 'utf8');
  } catch {
    // gone since: say "threw"
  }
  const name = through.name.replace(/[$]/g, '\\$');
  const isAsync = new RegExp(`async\\s+(?:function\\s*\\*?\\s*)?${name}\\b|\\b${name}\\s*[:=]\\s*async\\b`).test(source);
  return `${through.name} ${isAsync ? 'rejected' : 'threw'}: `;
}
