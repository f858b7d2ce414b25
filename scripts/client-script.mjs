// The browser scripts of the web pages: TypeScript without imports, minified into one plain
// script each (no bundler needed while they import nothing). Used by the build and, when the
// server runs from its sources (tests), at start-up.
import { transformFile } from '@swc/core';

export async function compileClientScript(file) {
  const out = await transformFile(file, {
    filename: file,
    sourceMaps: false,
    isModule: false,
    jsc: { target: 'es2020', parser: { syntax: 'typescript' }, minify: { compress: true, mangle: true } },
    minify: true,
  });
  return out.code;
}
