// Compiles apps/ and libs/ to dist/ with SWC (no type check: `npm run typecheck` does that).
// The path aliases of tsconfig.json are rewritten to relative requires, so dist/ runs on plain Node.
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'dist');
const sources = ['apps', 'libs'];
const skip = /\.(spec|int-spec|e2e-spec)\.ts$|\.d\.ts$/;

const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.json'), 'utf8'));

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.ts') && !skip.test(entry.name)) yield path;
  }
}

const options = {
  sourceMaps: true,
  module: { type: 'commonjs', strict: true },
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    baseUrl: root,
    paths: tsconfig.compilerOptions.paths,
  },
};

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
const jobs = [];
for (const source of sources) {
  for await (const file of walk(join(root, source))) {
    jobs.push(
      (async () => {
        const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
        const out = await transformFile(file, { ...options, filename: file, sourceFileName: relative(dirname(target), file) });
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, `${out.code}\n//# sourceMappingURL=${target.split('/').pop()}.map\n`);
        await writeFile(`${target}.map`, out.map ?? '');
      })(),
    );
  }
}
await Promise.all(jobs);
console.log(`built ${jobs.length} files in ${Date.now() - started} ms`);
