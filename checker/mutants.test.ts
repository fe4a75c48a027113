/**
 * Every mutant in checker/mutants (a plausible wrong implementation, see mutation.ts) is caught:
 * the check named here fails on it, while the mutant still type-checks.
 *
 * Mutants are graded in rounds: round k grades the k-th mutant of every exercise at once, next to
 * the reference solutions (exercise 05's checks use exercise 04's solution).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grade, type GradeReport } from './grade';
import { materialize } from './mutation';
import { EXERCISES, minutes, resultOf, root, scratchDir } from './test-support';

/** Exercise → mutant → the check that must catch it. */
const CAUGHT_BY: Record<string, Record<string, string>> = {
  '01-http-messages': {
    'no-allow-header': 'createMessageServer › answers 405 with an Allow: POST header to other methods on /message',
    'numeric-id-accepted': 'createMessageServer › answers 400 when the body is not an object with a string id',
    'limit-off-by-one': 'createMessageServer › accepts a body of exactly 1 MiB',
    'answers-before-handler': 'createMessageServer › hands each valid message to onMessage, and answers only once onMessage is done',
    'client-waits-forever': 'sendMessage › rejects with a TimeoutError after timeoutMs when the server never answers',
    'client-trusts-any-status': 'sendMessage › rejects with an HttpError carrying the status for a 4xx or 5xx answer',
  },
  '02-work-queue': {
    'runs-worker-inside-enqueue': 'WorkQueue › returns an id from enqueue at once, before any worker runs',
    'concurrency-off-by-one': 'WorkQueue › never works on more than `concurrency` messages at once, and does use that many',
    'one-attempt-too-many': 'WorkQueue › moves a message to deadLetters after exactly maxAttempts failures, with the last error',
    'drops-early-messages': 'WorkQueue › keeps messages enqueued before any worker, and processes them once a worker comes',
    'failure-stalls-queue': 'WorkQueue › keeps going after a worker throws: the other messages are still processed',
  },
  '03-retry-backoff': {
    'one-attempt-too-many': 'withRetry › makes exactly maxAttempts calls, then rethrows the last error',
    'no-jitter-cap': 'backoffDelay › with jitter, keeps every delay within [0, maxDelayMs], even late attempts',
    'retries-everything': 'withRetry › does not retry an error that isRetryable rejects',
    'delay-starts-doubled': 'withRetry › retries a failed call after 100 ms, then 200 ms, and returns the first success',
    'ignores-abort-while-waiting': 'withRetry › stops at once when the signal aborts during a wait, and rejects with its reason',
  },
  '04-at-least-once': {
    'acks-first-copy-only': 'ReliableSender and AckingReceiver › acknowledges every copy, so a lost ack is made good by the next retransmission',
    'never-gives-up': 'ReliableSender and AckingReceiver › rejects send with a DeliveryError after maxAttempts transmissions without an ack',
    'resolves-on-send': 'ReliableSender and AckingReceiver › does not resolve send when only the data arrives: it needs the ack',
    'retransmits-in-seconds': 'ReliableSender and AckingReceiver › keeps to one transmission per retransmitMs per message: no flood',
  },
  '05-exactly-once': {
    'no-window': 'IdempotentConsumer › remembers at most windowSize ids, however many messages pass',
    'remembers-before-applying': 'IdempotentConsumer › does not remember a message whose effect threw, so its redelivery is applied',
    'evicts-newest': 'IdempotentConsumer › forgets the oldest id first: a copy of it after windowSize newer messages is applied again',
    'window-one-short': 'IdempotentConsumer › remembers 1000 ids by default',
  },
  '06-request-reply': {
    'matches-oldest-first': 'RequestReplyClient › matches replies that come back in reverse order to the right callers',
    'keeps-timed-out-entries': 'RequestReplyClient › counts in pending the requests still waiting, and leaves none behind',
    'timer-left-running': 'RequestReplyClient › cancels a request’s timeout timer when its reply arrives',
    'timestamp-ids': 'RequestReplyClient › gives every request its own correlationId',
  },
  '07-pub-sub': {
    'one-subscriber-per-topic': 'Broker › delivers every message to every subscriber of the topic, in publish order',
    'unsubscribe-drops-topic': 'Broker › stops delivering to a subscriber after its unsubscribe, and only to it',
    'awaits-each-subscriber': 'Broker › does not let a slow subscriber hold up the others',
    'one-failure-stops-delivery': 'Broker › still delivers to the other subscribers when one throws',
    'delivers-synchronously': 'Broker › returns from publish before any subscriber runs',
  },
  '08-circuit-breaker': {
    'never-half-opens': 'CircuitBreaker › becomes half-open after resetTimeoutMs and lets a trial call through',
    'opens-one-failure-late': 'CircuitBreaker › opens after failureThreshold consecutive failures',
    'success-keeps-count': 'CircuitBreaker › counts consecutive failures only: a success starts the count again',
    'half-open-lets-all-through': 'CircuitBreaker › lets only one trial call through while half-open',
    'reopens-without-cool-down': 'CircuitBreaker › reopens when the trial call fails, for another full resetTimeoutMs',
  },
  '09-broker-worker': {
    'acks-before-storing': 'exactly-once payments on RabbitMQ › loses no payment when a worker dies in the middle of a transaction (ack only after the effect is stored)',
    'no-dedup': 'exactly-once payments on RabbitMQ › does not apply a payment twice when a worker dies after storing it but before acking (the id is checked in the store)',
    'dedup-in-memory': 'exactly-once payments on RabbitMQ › does not apply a payment twice when a worker dies after storing it but before acking (the id is checked in the store)',
    'drops-failed-payments': 'exactly-once payments on RabbitMQ › retries a payment whose transaction failed instead of dropping it',
    'ignores-prefetch': 'exactly-once payments on RabbitMQ › never holds more messages at once than its prefetch',
  },
};

const mutantsDir = path.join(root, 'checker', 'mutants');
const workDir = scratchDir('mutants');
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** Round k: the k-th mutant of each exercise that has one. */
function rounds(): { id: string; mutant: string }[][] {
  const result: { id: string; mutant: string }[][] = [];
  for (const [id, mutants] of Object.entries(CAUGHT_BY).filter(([id]) => EXERCISES.includes(id))) {
    Object.keys(mutants).forEach((mutant, k) => (result[k] ??= []).push({ id, mutant }));
  }
  return result;
}

describe('mutants', () => {
  it('has at least three per exercise, each listed here with the check that catches it', () => {
    for (const id of EXERCISES) {
      const folders = fs.readdirSync(path.join(mutantsDir, id)).sort();
      expect(folders, `checker/mutants/${id}`).toEqual(Object.keys(CAUGHT_BY[id]).sort());
      expect(folders.length, id).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(rounds().map((round, k) => [k + 1, round] as const))(
    'round %i: each mutant type-checks and is caught by its check',
    async (_k, round) => {
      const submissions: Record<string, string> = {};
      for (const { id, mutant } of round) submissions[id] = materialize(root, id, path.join(mutantsDir, id, mutant), workDir).dir;
      const report: GradeReport = await grade({ exercises: round.map((m) => m.id), dir: 'solutions', submissions });
      for (const { id, mutant } of round) {
        const result = resultOf(report, id);
        const name = `${id}/${mutant}`;
        expect(result.problems, `${name} should type-check and run`).toEqual([]);
        expect(result.status, `${name} should not pass`).toBe('failed');
        const failed = result.failures.map((f) => f.check);
        expect(failed, `${name} should be caught by "${CAUGHT_BY[id][mutant]}"`).toContain(CAUGHT_BY[id][mutant]);
      }
    },
    minutes(3),
  );
});
