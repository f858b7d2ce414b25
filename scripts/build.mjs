// Compiles apps/ and libs/ to dist/ with SWC (no type check: `npm run typecheck` does that).
// The path aliases of tsconfig.json are rewritten to relative requires, so dist/ runs on plain Node.
// TSX (the web pages) compiles with Preact's automatic JSX runtime; the browser scripts of the
// pages (apps/api/src/web/client) become one minified script each, next to the server code.
import { transformFile } from '@swc/core';
import { compileClientScript } from './client-script.mjs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// `--out DIR` builds elsewhere inside the repository (the command-line tools build to dist-cli/, so
// running one never rewrites dist/ under a running server); `--quiet` prints nothing.
const outArg = process.argv.indexOf('--out');
const outDir = outArg > 0 ? resolve(root, process.argv[outArg + 1]) : join(root, 'dist');
if (relative(root, outDir).startsWith('..') || outDir === root) throw new Error(`--out must name a folder inside ${root}`);
const quiet = process.argv.includes('--quiet');
const sources = ['apps', 'libs'];
const skip = /\.(spec|int-spec|e2e-spec)\.tsx?$|\.d\.ts$/;
const clientDir = join(root, 'apps', 'api', 'src', 'web', 'client');

const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.json'), 'utf8'));

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== clientDir) yield* walk(path);
    } else if (/\.tsx?$/.test(entry.name) && !skip.test(entry.name)) yield path;
  }
}

const serverOptions = (file) => ({
  sourceMaps: true,
  module: { type: 'commonjs', strict: true },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true, tsx: file.endsWith('.tsx') },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false, react: { runtime: 'automatic', importSource: 'preact' } },
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
});

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
const jobs = [];
for (const source of sources) {
  for await (const file of walk(join(root, source))) {
    jobs.push(
      (async () => {
        const target = join(outDir, relative(root, file)).replace(/\.tsx?$/, '.js');
        const out = await transformFile(file, { ...serverOptions(file), filename: file, sourceFileName: relative(dirname(target), file) });
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, `${out.code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
        await writeFile(`${target}.map`, out.map ?? '');
      })(),
    );
  }
}
for (const entry of await readdir(clientDir)) {
  const target = join(outDir, relative(root, clientDir), entry.replace(/\.ts$/, '.js'));
  if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) {
    jobs.push(
      (async () => {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, await compileClientScript(join(clientDir, entry)));
      })(),
    );
  } else if (/\.(css|svg)$/.test(entry)) {
    jobs.push(
      (async () => {
        await mkdir(dirname(target), { recursive: true });
        await copyFile(join(clientDir, entry), target);
      })(),
    );
  }
}
await Promise.all(jobs);
if (!quiet) console.log(`built ${jobs.length} files in ${Date.now() - started} ms`);
