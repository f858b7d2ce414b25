// npm run bench:suggest [-- --items 100000 --seconds 20 --pg-port 54339 --api-port 3990]
// How long suggestComponents takes to answer one reporter, over HTTP against the built API, on
// the benchmark's dataset (generated as `npm run bench` generates it, and shared with it): one
// request at a time, the reports' titles and descriptions varied, after a warm-up. Prints the
// latency percentiles and how large the learned tables are.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDataset, stopServer } from './harness.mjs';

const root = resolve(import.meta.dirname, '..');
const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '20' },
    'pg-port': { type: 'string', default: '54339' },
    'api-port': { type: 'string', default: '3990' },
  },
});
const items = Number(options.items);
const port = Number(options['api-port']);

/** What reporters type: short titles, long descriptions with logs, words the dataset uses and words it never saw. */
const REPORTS = [
  ['xenopsd leaks memory on live migration', 'After migrating a VM between two hosts the xenopsd process keeps growing.'],
  ['VDI_IO_ERROR when exporting a VM', 'xe vm-export stops at 60% with VDI_IO_ERROR: Device I/O errors. The disk is on a thin-provisioned SR.'],
  ['XenCenter crashes when I open the console', 'System.NullReferenceException at XenAdmin.ConsoleView. It started after the update to 8.2.'],
  ['Bond failover does not happen', 'Pulling the cable of eth0 in an active-backup bond leaves bond0 down; xcp-networkd does not switch.'],
  ['Windows guest blue screen after driver update', 'INACCESSIBLE_BOOT_DEVICE after installing xenvbd 9.0.0.73 on Windows Server 2019.'],
  ['Installer does not see my disks', 'Booting the 8.2.2.200-rc1 ISO on a Dell R750 shows no target disk.'],
  ['yum update fails in dom0', 'CentOS-Base.repo points to a dead mirror: http://mirror.centos.org/centos/7/os/x86_64/repodata/repomd.xml: [Errno 14] HTTP Error 404'],
  ['Performance graphs are flat', 'xcp-rrdd logs rrd_updates: no datasources since the upgrade; all VMs show zero CPU.'],
  ['squeezed balloons below dynamic-min', 'squeezed sets the balloon target to 512 MB though memory-dynamic-min is 2 GB.'],
  ['Hypervisor panics at boot', `(XEN) ****************************************\n(XEN) Panic on CPU 0:\n(XEN) IO-APIC + timer doesn't work!\n${'(XEN) stack trace line 0xffff82d080200000\n'.repeat(40)}`],
  ['The Debian package fails to configure', 'dpkg --configure xcp-xapi 1.3.2-15 fails: xapi.conf references a missing path.'],
  ['Something is wrong', 'It does not work.'],
];

async function main() {
  const database = await openDataset(items, options['pg-port']);
  let api;
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const [sizes] = (await client.query(`SELECT (SELECT count(*)::int FROM item) AS items, (SELECT count(*)::int FROM component_word) AS words, pg_size_pretty(pg_total_relation_size('component_word')) AS size`)).rows;
    await client.end();
    api = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '0', RATE_LIMIT_POINTS_PER_HOUR: '0', PORT: String(port), HOST: '127.0.0.1', GRAPHIQL: 'false', TRACKER_ADMIN_USERNAME: 'bench-admin', TRACKER_ADMIN_PASSWORD: 'bench-admin-password' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const url = `http://127.0.0.1:${port}/graphql`;
    const query = `query ($t: String!, $d: String) { suggestComponents(title: $t, description: $d, first: 3) { component { slug } score reason } }`;
    const ask = async (i) => {
      const [title, description] = REPORTS[i % REPORTS.length];
      const started = process.hrtime.bigint();
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { t: title, d: description } }) });
      const body = await response.json();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { ms, body };
    };
    for (let i = 0; i < 200; i++) {
      try {
        await ask(0);
        break;
      } catch (error) {
        if (i === 199) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const warmUntil = Date.now() + 5000;
    for (let i = 0; Date.now() < warmUntil; i++) await ask(i);
    const times = [];
    const until = Date.now() + Number(options.seconds) * 1000;
    for (let i = 0; Date.now() < until; i++) times.push((await ask(i)).ms);
    times.sort((a, b) => a - b);
    const at = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
    const example = (await ask(1)).body.data.suggestComponents[0];
    console.log(`\nsuggestComponents at ${sizes.items.toLocaleString('en')} items (${sizes.words.toLocaleString('en')} learned component-word rows, ${sizes.size}), one request at a time over HTTP:`);
    console.log(`| requests | p50 ms | p90 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: |\n| ${times.length} | ${at(50)} | ${at(90)} | ${at(99)} | ${times.at(-1).toFixed(1)} |`);
    console.log(`e.g. "${REPORTS[1][0]}": ${example.component.slug} (${example.score.toFixed(2)}): ${example.reason}`);
  } finally {
    await stopServer(api);
    await database.stop();
  }
}

await main();
