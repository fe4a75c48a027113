/**
 * The seal on a grading's result, for the gradebook (checker/class): when the grader is given a
 * key (`GRADE_RESULT_KEY`, which it takes out of its environment before anything else runs), it
 * prints its JSON report as one line `grade-result <HMAC-SHA256 of the JSON, hex> <the JSON,
 * base64>`. The gradebook made the key, and records only a result whose seal it verifies: text
 * printed by anyone else in the sandbox, who does not have the key, is ignored.
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'grade-result';
/** The environment variable the key comes in. */
const RESULT_KEY_VARIABLE = 'GRADE_RESULT_KEY';

/** The key given to this process, taken out of its environment (so that no child inherits it); undefined when none. */
export function takeResultKey(): string | undefined {
  const key = process.env[RESULT_KEY_VARIABLE];
  delete process.env[RESULT_KEY_VARIABLE];
  return key || undefined;
}

const macOf = (key: string, json: string) => createHmac('sha256', key).update(json).digest('hex');

/** The sealed line of `json`. */
export function sealResult(key: string, json: string): string {
  return `${PREFIX} ${macOf(key, json)} ${Buffer.from(json).toString('base64')}`;
}

/** The JSON of the first line of `output` sealed with `key`, or undefined when no line is. */
export function unsealResult(key: string, output: string): string | undefined {
  for (const line of output.split('\n')) {
    const [prefix, mac, body, ...rest] = line.trim().split(' ');
    if (prefix !== PREFIX || !mac || !body || rest.length > 0) continue;
    const json = Buffer.from(body, 'base64').toString('utf8');
    const expected = Buffer.from(macOf(key, json), 'hex');
    const given = Buffer.from(mac, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return json;
  }
  return undefined;
}
