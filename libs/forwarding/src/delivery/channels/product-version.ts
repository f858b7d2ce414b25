import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** Headwaters' own version, from its package.json (found above this file, in the sources or the build). */
export function productVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'headwaters' && manifest.version) return (cached = manifest.version);
    }
    if (dirname(dir) === dir) return (cached = '0.0.0');
  }
}
