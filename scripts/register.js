// Transpile-only TypeScript loader for the cdktf app command.
//
// `cdktf synth` runs `node -r ./scripts/register.js main.ts`. Type-checking belongs to the test
// command (`tsc --noEmit`), so here every .ts file is only transpiled (typescript.transpileModule,
// the same thing `ts-node --transpile-only` does) and the result is cached on disk, keyed by the
// file's path and content, the TypeScript version and the compiler options. A warm synth therefore
// never loads the TypeScript compiler at all.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const root = path.resolve(__dirname, '..');
const cacheDir = process.env.TS_TRANSPILE_CACHE || path.join(root, 'node_modules', '.cache', 'ts-transpile');
const compilerOptions = {
  module: 'CommonJS',
  target: 'ES2022',
  esModuleInterop: true,
  inlineSourceMap: true,
  inlineSources: false,
};
let cacheKey;
let ts;

function key(filename, source) {
  if (cacheKey === undefined) {
    const tsVersion = require(path.join(root, 'node_modules', 'typescript', 'package.json')).version;
    cacheKey = `${tsVersion}|${JSON.stringify(compilerOptions)}`;
  }
  return crypto.createHash('sha1').update(cacheKey).update('\0').update(filename).update('\0').update(source).digest('hex');
}

function transpile(source, filename) {
  const file = path.join(cacheDir, `${key(filename, source)}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // cache miss: fall through
  }
  ts = ts || require('typescript');
  const options = ts.convertCompilerOptionsFromJson(compilerOptions, root).options;
  const output = ts.transpileModule(source, { fileName: filename, compilerOptions: options, reportDiagnostics: false }).outputText;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, output);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only checkout still synthesizes, only slower
  }
  return output;
}

require.extensions['.ts'] = function loadTs(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
// Source maps stay in the output but are not switched on: cdktf records a stack trace for every
// token it creates, and mapping those through source maps doubles synth time. Debug with
// `NODE_OPTIONS=--enable-source-maps npx cdktf synth` to see TypeScript lines in traces.
