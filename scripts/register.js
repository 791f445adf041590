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

// ----- V8 code cache for the heavy dependencies -----------------------------------------------
// About a third of synth is Node compiling cdktf, constructs and ~100 AWS provider modules (12 MB
// of JavaScript, half of it inline source maps). Node 20 has no built-in compile cache (22 adds
// one), so this keeps V8's code cache for those files, as the `v8-compile-cache` package does:
// each file is compiled with the cached data of its last run, and the cache is written at exit for
// files that had none. The inline source maps are dropped before compiling (Node reads them only
// with --enable-source-maps, which then skips this). `V8_COMPILE_CACHE=0` turns it off; a cache
// V8 rejects (another Node version) is rewritten; any failure falls back to Node's own compile.
const Module = require('module');
const vm = require('vm');
const CACHED = /[\\/]node_modules[\\/](cdktf|@cdktf[\\/]provider-aws|constructs|@sinclair[\\/]typebox)[\\/]/;
const enabled = process.env.V8_COMPILE_CACHE !== '0' && !process.execArgv.includes('--enable-source-maps') && !(process.env.NODE_OPTIONS || '').includes('--enable-source-maps');
if (enabled) {
  const codeCacheDir = path.join(process.env.V8_CODE_CACHE_DIR || path.join(root, 'node_modules', '.cache', 'v8-code'), `${process.version}-${process.arch}`);
  const toWrite = [];
  const nodeCompile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    // The project's own modules (transpiled TypeScript) too: they change between runs, so their
    // cache is keyed by their whole content (V8 itself only checks the source length).
    const own = !CACHED.test(filename) && filename.startsWith(root) && !filename.includes(`${path.sep}node_modules${path.sep}`);
    if (!own && !CACHED.test(filename)) return nodeCompile.call(this, content, filename);
    let script;
    let file;
    try {
      const map = content.lastIndexOf('\n//# sourceMappingURL=data:');
      const source = map >= 0 ? content.slice(0, map) : content;
      const key = crypto.createHash('sha1').update(filename).update('\0');
      key.update(own ? source : String(source.length));
      file = path.join(codeCacheDir, `${own ? 'own-' : ''}${key.digest('hex')}.bin`);
      let cachedData;
      try {
        cachedData = fs.readFileSync(file);
      } catch {
        // not cached yet
      }
      script = new vm.Script(Module.wrap(source), { filename, cachedData });
      if (cachedData === undefined || script.cachedDataRejected) toWrite.push([script, file]);
    } catch {
      return nodeCompile.call(this, content, filename);
    }
    const mod = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the module `require` is bound to
    const req = function require(id) {
      return mod.require(id);
    };
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    req.main = process.mainModule;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    if (toWrite.length === 0) return;
    try {
      fs.mkdirSync(codeCacheDir, { recursive: true });
      for (const [script, file] of toWrite) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      }
    } catch {
      // a read-only node_modules: no cache, only slower
    }
  });
}

// ----- Module resolution cache -------------------------------------------------------------------
// Resolving ~400 requires (node_modules look-ups, package.json reads, extension probing for the
// project's .ts files) is a twentieth of synth. Answers inside node_modules only change when
// dependencies are reinstalled: they are kept per package-lock.json (size and time) and Node
// version. A project file's answer is kept with the modification time of the folder the request
// names it in, and used while that folder is unchanged and the file exists. `RESOLVE_CACHE=0`
// turns it off.
if (process.env.RESOLVE_CACHE !== '0') {
  const Module = require('module');
  let lock;
  try {
    const st = fs.statSync(path.join(root, 'package-lock.json'));
    lock = `${st.size}-${Math.round(st.mtimeMs)}`;
  } catch {
    lock = undefined;
  }
  if (lock) {
    const file = path.join(process.env.RESOLVE_CACHE_DIR || path.join(root, 'node_modules', '.cache', 'resolve'), `${process.version}-${lock}.json`);
    let cache = {};
    try {
      cache = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      cache = {};
    }
    let added = 0;
    const nodeModules = `${path.sep}node_modules${path.sep}`;
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function cachedResolve(request, parent, isMain, options) {
      if (isMain || options || !parent || !parent.filename) return resolve.call(this, request, parent, isMain, options);
      const k = `${path.dirname(parent.filename)}\0${request}`;
      const hit = cache[k];
      if (typeof hit === 'string') return hit;
      // A project file: still there, and nothing added or removed beside the requested name
      // (`./x` may mean x.ts or x/index.ts: a change of that folder moves its modification time).
      if (hit !== undefined && fs.statSync(hit.dir, { throwIfNoEntry: false })?.mtimeMs === hit.mtime && fs.existsSync(hit.file)) return hit.file;
      const resolved = resolve.call(this, request, parent, isMain, options);
      if (!path.isAbsolute(resolved)) return resolved;
      if (resolved.includes(nodeModules)) cache[k] = resolved;
      else if (request.startsWith('.')) {
        const dir = path.dirname(path.resolve(path.dirname(parent.filename), request));
        const mtime = fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs;
        if (mtime === undefined) return resolved;
        cache[k] = { file: resolved, dir, mtime };
      } else return resolved;
      added++;
      return resolved;
    };
    process.once('exit', () => {
      if (added === 0) return;
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(cache));
        fs.renameSync(tmp, file);
      } catch {
        // read-only node_modules: resolution as usual
      }
    });
  }
}
