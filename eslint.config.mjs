// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'coverage/**', 'bench/results/**'] },
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
  {
    // Domain libraries stay free of transport: no GraphQL, no HTTP exceptions.
    files: ['libs/{catalogue,routing,identity,items,triage,voting,forwarding,notifications,core,database,config,jobs}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@nestjs/graphql', message: 'Domain libraries do not know GraphQL: keep it in apps/api.' }, { name: 'graphql', message: 'Domain libraries do not know GraphQL.' }], patterns: [{ group: ['**/apps/**'], message: 'A library never imports an app.' }] }],
    },
  },
);
