// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What each library may import (directly); everything else of @headwaters is refused. */
const BOTTOM = ['core', 'config', 'database', 'jobs'];
const LIB_IMPORTS = {
  core: [],
  config: ['core'],
  database: ['core', 'config'],
  jobs: ['core', 'config', 'database'],
  'graphql-kit': ['core', 'config', 'database'],
  identity: [...BOTTOM],
  catalogue: [...BOTTOM, 'identity'],
  routing: [...BOTTOM, 'identity', 'catalogue'],
  items: [...BOTTOM, 'identity', 'catalogue', 'routing'],
  triage: [...BOTTOM, 'identity', 'catalogue', 'routing', 'items'],
  voting: [...BOTTOM, 'identity', 'catalogue', 'routing', 'items'],
  forwarding: [...BOTTOM, 'identity', 'catalogue', 'routing', 'items'],
  notifications: [...BOTTOM, 'identity', 'catalogue', 'routing', 'items', 'triage', 'voting', 'forwarding'],
};
const LIBS = Object.keys(LIB_IMPORTS);

export default tseslint.config(
  { ignores: ['dist/**', 'dist-cli/**', 'test-output/**', 'data/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: false },
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', fetch: 'readonly', globalThis: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      'no-restricted-imports': ['error', {
        paths: [{ name: '@nestjs/graphql', importNames: ['Args'], message: 'Use Args from apps/api/src/graphql/args.decorator: it carries the validation pipe.' }],
        patterns: [{ group: ['../../libs/*', '../../../libs/*'], message: 'Import libraries through their @headwaters/* alias.' }],
      }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  // Libraries import one way only. Each may import the libraries listed for it (and what those
  // may), never one above it or beside it: the bottom (core, config, database, jobs), then
  // identity, catalogue <- routing <- items <- triage / voting / forwarding <- notifications.
  // Domain libraries also stay free of transport: no GraphQL, no HTTP, no app.
  ...Object.entries(LIB_IMPORTS).map(([lib, allowed]) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...(lib === 'graphql-kit' ? [] : [{ name: '@nestjs/graphql', message: 'Domain libraries do not know GraphQL: keep it in apps/api.' }, { name: 'graphql', message: 'Domain libraries do not know GraphQL.' }]),
          ...LIBS.filter((other) => other !== lib && !allowed.includes(other)).map((other) => ({
            name: `@headwaters/${other}`,
            message: `${lib} may import only ${allowed.length ? allowed.join(', ') : 'no other library'}: ${other} is not below it (see the layout in README.md).`,
          })),
        ],
        patterns: [
          { group: ['**/apps/**'], message: 'A library never imports an app.' },
          { group: ['../../libs/*', '../../../libs/*'], message: 'Import libraries through their @headwaters/* alias.' },
        ],
      }],
    },
  })),
);
