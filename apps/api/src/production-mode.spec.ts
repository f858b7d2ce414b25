import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

describe('production mode of the served process', () => {
  const before = process.env.NODE_ENV;
  afterEach(() => {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  });

  it('sets NODE_ENV to production when it is unset', () => {
    delete process.env.NODE_ENV;
    jest.isolateModules(() => require('./production-mode'));
    expect(process.env.NODE_ENV).toBe('production');
  });

  it('keeps a NODE_ENV the operator set', () => {
    process.env.NODE_ENV = 'development';
    jest.isolateModules(() => require('./production-mode'));
    expect(process.env.NODE_ENV).toBe('development');
  });

  it('is the first module the server loads', () => {
    const main = readFileSync(resolve(__dirname, 'main.ts'), 'utf8');
    const imports = main.split('\n').filter((line) => line.startsWith('import '));
    expect(imports[0]).toBe("import './production-mode';");
  });

  // graphql-js skips, in production, its check that every type comes from one copy of it: so
  // there must be one copy, whatever depends on it.
  it('has one copy of graphql installed', () => {
    const lock = JSON.parse(readFileSync(resolve(__dirname, '../../../package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    const copies = Object.keys(lock.packages).filter((path) => /(^|\/)node_modules\/graphql$/.test(path));
    expect(copies).toEqual(['node_modules/graphql']);
  });
});
