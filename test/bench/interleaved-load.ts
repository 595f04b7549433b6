/**
 * Several routes measured side by side in one autocannon run: the same
 * connections switch from route to route every slot of a few tens of
 * milliseconds, in a rotating order.
 *
 * On a shared machine, throughput drifts by ±10–25% from one quarter second to
 * the next. Routes measured one after the other, even in rotating rounds of a
 * few seconds each, gave ratios that moved by ±0.06 between identical runs;
 * slots this short put every route under the same conditions.
 *
 * The slots follow a circuit in which every route follows every other route
 * equally often: whatever work a route leaves behind after its last response
 * (garbage collection, say) then falls on every other route alike.
 *
 * A connection switches route when its response arrives. A slot's throughput
 * is counted from the moment the last request sent to the previous route has
 * been answered (about 1 ms) to the next switch, so the server's time in that
 * window went to this slot's route alone. Latencies go to the route a request
 * was sent to; the service's counters (CPU time, queries) are read as each
 * window opens, so that what a slow route's last requests did is its own.
 */
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';

export interface Sample {
  /** Responses counted towards throughput, and the time they were counted over. */
  requests: number;
  seconds: number;
  /** Every response sent to this route while measuring; only 2xx ones count towards `requests`. */
  responses: number;
  non2xx: number;
  /** Every response's latency, in milliseconds. */
  latencies: number[];
  /** The service's counters, summed over this route's slots. */
  counters: Record<string, number>;
}

export interface InterleavedOptions {
  base: string;
  routes: Record<string, autocannon.Request>;
  connections: number;
  slotMs: number;
  warmupSlots: number;
  measuredSlots: number;
  /** The service's cumulative counters, read at every switch. */
  readCounters(): Promise<Record<string, number>>;
}

export async function measureInterleaved(options: InterleavedOptions): Promise<Record<string, Sample>> {
  const names = Object.keys(options.routes);
  const samples: Record<string, Sample> = Object.fromEntries(
    names.map((name) => [name, { requests: 0, seconds: 0, responses: 0, non2xx: 0, latencies: [], counters: {} }]),
  );
  /** The route each connection's request in flight was sent to. */
  const inFlight = new Map<autocannon.Client, string>();
  let current = names[0];
  let measuring = false;
  /** Requests still in flight to another route than `current`; the window opens when none are left. */
  let othersInFlight = 0;
  let windowOpenedAt: number | undefined;
  let windowRequests = 0;

  let finished: (error?: Error) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => (finished = (error) => (error ? reject(error) : resolve())));
  done.catch(() => undefined); // awaited after the last slot
  const instance = autocannon(
    {
      url: options.base,
      connections: options.connections,
      // Stopped after the last slot; this only bounds a run whose timers stall.
      duration: ((options.warmupSlots + options.measuredSlots) * options.slotMs) / 1000 + 60,
      requests: [options.routes[current]],
    },
    (error) => finished(error as Error | undefined),
  );
  instance.on('response', (client, statusCode, _bytes, milliseconds) => {
    const route = inFlight.get(client) ?? names[0];
    if (measuring) {
      const sample = samples[route];
      sample.responses++;
      sample.latencies.push(milliseconds);
      if (statusCode < 200 || statusCode > 299) sample.non2xx++;
    }
    if (route === current) {
      if (windowOpenedAt !== undefined && statusCode >= 200 && statusCode <= 299) windowRequests++;
    } else {
      // autocannon sends this connection's next request right after this event.
      client.setRequests([options.routes[current]]);
      if (--othersInFlight === 0) openWindow();
    }
    inFlight.set(client, current);
  });

  const circuit = everyPairOnce(names);
  const routeOfSlot = (slot: number) => circuit[slot % circuit.length];
  const boundaries: Promise<Record<string, number>>[] = [];
  // Awaited only at the end: until then, a failed read must not crash the process and leave the service running.
  const readCounters = () => {
    const counters = options.readCounters();
    counters.catch(() => undefined);
    return counters;
  };
  const closeWindow = (route: string) => {
    if (measuring && windowOpenedAt !== undefined) {
      samples[route].seconds += (performance.now() - windowOpenedAt) / 1000;
      samples[route].requests += windowRequests;
    }
  };
  /** A measured slot's counters are read once, when its window opens: then nothing of the route before is left. */
  let counterPending = false;
  const openWindow = () => {
    windowOpenedAt = performance.now();
    if (counterPending) {
      counterPending = false;
      boundaries.push(readCounters());
    }
  };
  const switchTo = (route: string, measured: boolean) => {
    closeWindow(current);
    if (counterPending) boundaries.push(readCounters()); // the slot before never opened its window
    counterPending = measured;
    current = route;
    othersInFlight = [...inFlight.values()].filter((sentTo) => sentTo !== route).length;
    windowOpenedAt = undefined;
    windowRequests = 0;
    if (othersInFlight === 0) openWindow();
  };
  const slotEnds = () => new Promise((resolve) => setTimeout(resolve, options.slotMs));

  for (let slot = 0; slot < options.warmupSlots; slot++) {
    switchTo(routeOfSlot(slot), false);
    await slotEnds();
  }
  for (let slot = 0; slot < options.measuredSlots; slot++) {
    switchTo(routeOfSlot(slot), true);
    measuring = true;
    await slotEnds();
  }
  closeWindow(current);
  if (counterPending) boundaries.push(readCounters());
  boundaries.push(readCounters());
  measuring = false;
  instance.stop();
  await done;

  const counters = await Promise.all(boundaries);
  for (let slot = 0; slot < options.measuredSlots; slot++) {
    const sample = samples[routeOfSlot(slot)];
    for (const [counter, value] of Object.entries(counters[slot + 1])) {
      sample.counters[counter] = (sample.counters[counter] ?? 0) + value - counters[slot][counter];
    }
  }
  return samples;
}

/**
 * An order of routes, to be repeated, in which each route is followed once by
 * every other: an Eulerian circuit of the complete directed graph on them
 * (Hierholzer's algorithm). For a, b, c: a c b c a b... in some rotation.
 */
export function everyPairOnce(names: string[]): string[] {
  if (names.length < 2) return [...names];
  const unused = new Map(names.map((name) => [name, names.filter((other) => other !== name)]));
  const stack = [names[0]];
  const circuit: string[] = [];
  while (stack.length > 0) {
    const next = unused.get(stack[stack.length - 1])!.pop();
    if (next === undefined) circuit.push(stack.pop()!);
    else stack.push(next);
  }
  // The circuit returns to its start; repeating it, the start is not listed twice.
  return circuit.reverse().slice(0, -1);
}
