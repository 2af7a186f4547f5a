// `npx tsx bench/linkify.ts`: link detection must take time in proportion to a line's length,
// whatever it holds. The old pattern was quadratic on a link followed by a run of punctuation
// (10 000 characters: 120 ms; 100 000: 21 s). Prints the fastest of five runs per size and the
// ratio between sizes (linear is 10, quadratic 100). A speed figure, so a benchmark, not a test.
import { linkify } from '../lib/client/linkify';

const shapes: Record<string, (n: number) => string> = {
  'link then dots': (n) => `http://x${'.'.repeat(n)}x`,
  'www. repeated': (n) => 'www.'.repeat(n / 4),
  'domains and e-mails': (n) => 'see example.com or me@x.io '.repeat(Math.ceil(n / 27)),
};

function fastest(text: string): number {
  let best = Infinity;
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    linkify(text);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

for (const [name, shape] of Object.entries(shapes)) {
  const small = fastest(shape(10_000));
  const large = fastest(shape(100_000));
  console.log(`${name.padEnd(20)} 10k ${small.toFixed(2)} ms  100k ${large.toFixed(2)} ms  ratio ${(large / small).toFixed(1)}`);
}
