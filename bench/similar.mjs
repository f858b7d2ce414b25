// npm run bench:similar [-- --items 100000 --rounds 20 --pg-port 54349]
// similarItems as the API runs it (libs/items, built), against round one's query (every word
// ORed, every match ranked), interleaved on the same dataset: statement time per report being
// typed, with and without a description. No HTTP: what /new/assist waits for in the database.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import pg from 'pg';
import { openDataset, machineLine } from './harness.mjs';

const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '20' },
    'pg-port': { type: 'string', default: '54349' },
    // Round one's query takes seconds a report at 100,000 items: measure it on the first few rounds only.
    'old-rounds': { type: 'string', default: '2' },
  },
});

const REPORTS = [
  ['xenopsd crashes during live migration', ''],
  ['memory leak in squeezed', ''],
  ['storage timeout on NFS SR', ''],
  ['XenCenter freezes on pool reboot', ''],
  ['network bond loses VLAN', ''],
  ['VDI_IO_ERROR when exporting a VM', ''],
  ['Installer does not see my RAID', ''],
  ['VM hangs on reboot', 'It happens every time after the upgrade; the logs show an exception right before.'],
  ['PV drivers drop packets on Windows guests', 'Seen on two different sites with different hardware. It worked in the previous release.'],
  ['HA fails when the pool master changes', 'Steps to reproduce: start a pool of three hosts, then repeat the action a few times.'],
];

const OLD = `WITH q AS (SELECT to_tsquery('simple', coalesce((SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(to_tsvector('english', item_search_words($1 || ' ' || $2)))), '')) AS words)
  SELECT i.id FROM item i, q WHERE NOT i.closed AND (i.title % $1 OR i.search @@ q.words) AND i.visibility = 'PUBLIC'
   ORDER BY similarity(i.title, $1) * 2 + ts_rank_cd(i.search, q.words, 1) DESC, i.id DESC LIMIT 5`;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
};

async function main() {
  const items = Number(options.items);
  const database = await openDataset(items, options['pg-port']);
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    const require = createRequire(import.meta.url);
    const { similarItems, ItemVisibility } = require('../dist/libs/items/src/index.js');
    const db = { query: (sql, params) => client.query(sql, params).then((r) => r.rows) };
    const timed = async (work) => {
      const started = process.hrtime.bigint();
      await work();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const loadBefore = loadavg()[0];
    const now = { title: [], described: [] };
    const old = { title: [], described: [] };
    // Warm the caches once.
    for (const [title, description] of REPORTS) await similarItems(db, title, description, 5, ItemVisibility.PUBLIC);
    for (let round = 0; round < Number(options.rounds); round++) {
      for (const [title, description] of REPORTS) {
        const kind = description ? 'described' : 'title';
        now[kind].push(await timed(() => similarItems(db, title, description, 5, ItemVisibility.PUBLIC)));
        if (round < Number(options['old-rounds'])) old[kind].push(await timed(() => client.query(OLD, [title, description])));
      }
    }
    const row = (name, times) => `| ${name} | ${times.length} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.9).toFixed(1)} | ${quantile(times, 0.99).toFixed(1)} |`;
    const table = [
      `| similarItems (${items.toLocaleString('en')} items), first: 5 | reports typed | p50 ms | p90 ms | p99 ms |`,
      '| --- | ---: | ---: | ---: | ---: |',
      row('now, title only', now.title),
      row('now, title and description', now.described),
      row("round one's query, title only", old.title),
      row("round one's query, title and description", old.described),
    ].join('\n');
    console.log(`\n${machineLine(loadBefore)}\n\n${table}`);
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
