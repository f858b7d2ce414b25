import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command-line tools built as `npm run admin/export/import` build them, into a folder of this test file's own. */
export interface BuiltCli {
  run(tool: 'admin' | 'export' | 'import', args: string[], options?: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number }): Promise<CliResult>;
  /** The built server's entry point (`npm start` runs the same). */
  serverEntry: string;
  remove(): Promise<void>;
}

export function buildCli(): BuiltCli {
  const out = join('test-output', `cli-${process.pid}-${randomBytes(3).toString('hex')}`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet', '--out', out], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  return {
    serverEntry: join(root, out, 'apps/api/src/main.js'),
    run: (tool, args, options = {}) =>
      new Promise((resolveRun, reject) => {
        const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', ...options.env };
        for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
        const child = spawn(process.execPath, [join(root, out, `apps/cli/src/${tool}.js`), ...args], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolveRun({ code, stdout, stderr });
        });
        child.stdin.end(options.input ?? '');
      }),
    remove: () => rm(join(root, out), { recursive: true, force: true }),
  };
}
