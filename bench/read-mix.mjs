// One open-ended read load, in its own process (pinned to the load's core by forwarding.mjs):
// autocannon cycling through the read scenarios of `npm run bench` on every connection, after a
// warm-up, until a line "stop" arrives on stdin (or its duration runs out); then it prints its
// result as JSON on the last line.
import autocannon from 'autocannon';
import { createInterface } from 'node:readline';
import { scenarios } from './scenarios.mjs';

const { base, items, warmup, connections, duration } = JSON.parse(process.env.BENCH_READ_MIX);
const reads = scenarios(items, []).filter((s) => s.read);
const requests = reads.map((scenario) => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  setupRequest: (req) => ({ ...req, body: JSON.stringify(scenario.body()) }),
}));

// A few requests of each first, checked by hand: GraphQL answers errors with status 200.
for (const scenario of reads) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(scenario.body()) });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) {
    console.error(`${scenario.name}: ${response.status} ${text.slice(0, 500)}`);
    process.exit(1);
  }
}
if (warmup > 0) await autocannon({ url: base, connections, duration: warmup, requests });

let bad = 0;
const instance = autocannon({ url: base, connections, duration, requests }, (error, result) => {
  if (error) {
    console.error(error);
    process.exit(1);
  }
  console.log(JSON.stringify({
    requestsPerSecond: result.requests.total / (result.duration || 1),
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx + bad,
    errors: result.errors,
  }));
  process.exit(0);
});
instance.on('response', (_client, status) => {
  if (status !== 200) bad++;
});
// Tells the parent the measured part has begun.
console.log('measuring');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stop') instance.stop();
});
