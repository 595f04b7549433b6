import { everyPairOnce } from './interleaved-load';

/** Counts each "x then y" in the circuit, repeated (the last slot is followed by the first). */
function transitions(circuit: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  circuit.forEach((route, i) => {
    const pair = `${route}→${circuit[(i + 1) % circuit.length]}`;
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  });
  return counts;
}

describe('the order of the side-by-side slots', () => {
  it.each([[['a', 'b']], [['a', 'b', 'c']], [['a', 'b', 'c', 'd', 'e']]])(
    'has every route follow every other exactly once, and never itself: %j',
    (names) => {
      const circuit = everyPairOnce(names);
      const expected = names.flatMap((from) => names.filter((to) => to !== from).map((to) => `${from}→${to}`));
      expect([...transitions(circuit).keys()].sort()).toEqual(expected.sort());
      expect([...transitions(circuit).values()].every((count) => count === 1)).toBe(true);
    },
  );
});
