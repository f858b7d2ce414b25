// One load run, in its own process (pinned to its own core by run.mjs): autocannon against the
// API or the floor for one scenario, printing its result as JSON on the last line.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { scenarios } from './scenarios.mjs';

const { target, base, index, items, tokens, open, duration, warmup, connections, serverPid } = JSON.parse(process.env.BENCH_LOAD);
const scenario = scenarios(items, tokens, open)[index];

function request() {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (scenario.auth) headers.authorization = `Bearer ${scenario.token()}`;
  if (target === 'api') return { method: 'POST', path: '/graphql', headers, body: JSON.stringify(scenario.body()) };
  const { path, body } = scenario.floor();
  return { method: 'POST', path, headers, body: JSON.stringify(body) };
}

// A few requests first, checked by hand: GraphQL answers errors with status 200.
for (let i = 0; i < 3; i++) {
  const r = request();
  const response = await fetch(`${base}${r.path}`, { method: 'POST', headers: r.headers, body: r.body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) {
    console.error(`${scenario.name} on ${target}: ${response.status} ${text.slice(0, 500)}`);
    process.exit(1);
  }
}

// Unmeasured load first, so the figures are the server's steady state: the JIT-compiled
// query, warm caches and connection pools, not their first seconds.
if (warmup > 0) {
  await autocannon({ url: base, connections, duration: warmup, requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }] });
}

// Linux counts CPU time in clock ticks of USER_HZ, 100 a second on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

/**
 * The CPU time the server process has used so far, in microseconds (user and system, from
 * /proc/<pid>/stat: Linux only; null elsewhere). Taken around the measured run, it gives the
 * server's CPU a request: what the server itself spent, whatever it waited for.
 */
function serverCpu() {
  if (!serverPid) return null;
  try {
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ').at(-1).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

let bad = 0;
const cpuBefore = serverCpu();
const result = await autocannon({
  url: base,
  connections,
  duration,
  requests: [{ setupRequest: (req) => ({ ...req, ...request() }) }],
  onResponse: (status) => (status === 200 ? undefined : bad++),
});
const cpuAfter = serverCpu();
console.log(JSON.stringify({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  total: result.requests.total,
  non2xx: result.non2xx + bad,
  errors: result.errors,
  timeouts: result.timeouts,
  cpuMicrosPerRequest: cpuBefore === null || cpuAfter === null || result.requests.total === 0 ? null : (cpuAfter - cpuBefore) / result.requests.total,
}));
