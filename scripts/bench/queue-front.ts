/**
 * `npm run bench:queue-front`: what taking items from the front of an array costs (exercise 12,
 * "Speed"): draining n waiting items with `shift()` against a head index that moves, for growing n.
 * On V8 `shift()` is cheap on a small array but moves every remaining item on a large one, so its
 * time per item grows with n: the ratio printed grows with n too.
 */

/** Milliseconds to take n items from the front of an array, one at a time. */
function drain(n: number, take: 'shift' | 'head index'): number {
  const items = Array.from({ length: n }, (_, i) => i);
  let sum = 0;
  const start = performance.now();
  if (take === 'shift') {
    while (items.length > 0) sum += items.shift() as number;
  } else {
    for (let head = 0; head < items.length; head++) sum += items[head];
  }
  const ms = performance.now() - start;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`drained the wrong items (${sum})`);
  return ms;
}

console.log('Items taken from the front of an array, one at a time (best of 3 runs):');
for (const n of [1_000, 10_000, 30_000, 100_000]) {
  const best = (take: 'shift' | 'head index') => Math.min(...[1, 2, 3].map(() => drain(n, take)));
  const [shift, head] = [best('shift'), best('head index')];
  const ratio = shift / Math.max(head, 0.001);
  console.log(`  ${n.toLocaleString('en-US').padStart(7)} items: shift() ${shift.toFixed(1).padStart(7)} ms, head index ${head.toFixed(2).padStart(6)} ms  (shift ${ratio.toFixed(0)}x slower, ${((shift * 1e6) / n).toFixed(0)} ns per item)`);
}
