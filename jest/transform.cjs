// A jest transformer for this repository: TypeScript (and the pages' TSX) with decorators through SWC, and the
// ESM-only packages of Nest 12 (and friends) turned into CommonJS, because jest 30 on Node 20
// cannot load ES modules without --experimental-vm-modules.
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createHash } = require('node:crypto');

const tsconfig = JSON.parse(readFileSync(join(__dirname, '..', 'tsconfig.json'), 'utf8'));
const root = join(__dirname, '..');
const typeCache = new Map();

function packageType(file) {
  let dir = dirname(file);
  const seen = [];
  while (dir !== dirname(dir)) {
    if (typeCache.has(dir)) break;
    seen.push(dir);
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      typeCache.set(dir, pkg.type === 'module' ? 'module' : 'commonjs');
      break;
    } catch {
      dir = dirname(dir);
    }
  }
  const type = typeCache.get(dir) ?? 'commonjs';
  for (const d of seen) typeCache.set(d, type);
  return type;
}

function isEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return packageType(file) === 'module';
}

function swc(src, filename, syntax) {
  return transformSync(src, {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs', strict: false, ignoreDynamic: false },
    jsc: {
      target: 'es2023',
      parser: syntax === 'typescript' ? { syntax: 'typescript', decorators: true, tsx: filename.endsWith('.tsx') } : { syntax: 'ecmascript', importMeta: true },
      transform: syntax === 'typescript' ? { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false, react: { runtime: 'automatic', importSource: 'preact' } } : undefined,
      keepClassNames: true,
      baseUrl: root,
      paths: syntax === 'typescript' ? tsconfig.compilerOptions.paths : undefined,
    },
  }).code;
}

// ESM code may declare its own __dirname/__filename; inside jest's CommonJS wrapper those names
// are parameters already, so `const` would be a redeclaration.
const redeclared = /\b(?:const|let)\s+(__dirname|__filename)\b/g;

module.exports = {
  getCacheKey(src, filename) {
    return createHash('sha1').update('v5').update(filename).update(src).digest('hex');
  },
  process(src, filename) {
    // pg-boss requires node:timers/promises inside delay(), which its stop monitor may call a moment
    // after a test file ends; jest refuses a require once a file's environment is gone. Required
    // once, when the module loads, it behaves the same.
    if (/pg-boss[\\/]src[\\/]tools\.js$/.test(filename)) {
      return { code: `const __hwTimers = require('node:timers/promises');\n${src.replace("const { setTimeout } = require('node:timers/promises')", 'const { setTimeout } = __hwTimers')}` };
    }
    if (/\.tsx?$/.test(filename)) return { code: swc(src, filename, 'typescript') };
    if (isEsm(filename)) return { code: swc(src, filename, 'ecmascript').replace(redeclared, 'var $1') };
    if (/\bimport\s*\(/.test(src)) {
      // CommonJS that loads ESM with a dynamic import(): make it a require(), which Node 20.19+ allows.
      return { code: src.replace(/\bawait\s+import\s*\(/g, 'await __hwImport(').replace(/(^|[^.\w])import\s*\(/g, '$1__hwImport(') + '\nfunction __hwImport(m) { return Promise.resolve().then(() => require(m)); }\n' };
    }
    return { code: src };
  },
};
