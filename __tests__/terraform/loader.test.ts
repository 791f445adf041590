/**
 * The app command's loader (scripts/register.js) caches transpiled TypeScript, V8 code and module
 * resolution between runs. A cache must never answer for a file that changed: this runs a small
 * project through the real loader, edits and moves its files between runs, and checks every run
 * sees the files as they are. (Here, not in the unit project: it starts several Node processes.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

it('sees edited, added and removed project files on the next run despite its caches', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'register.js'), path.join(dir, 'scripts', 'register.js'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package-lock.json'), '{}');
  const caches = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-caches-'));
  const env = { ...process.env, TS_TRANSPILE_CACHE: path.join(caches, 'ts'), V8_CODE_CACHE_DIR: path.join(caches, 'v8'), RESOLVE_CACHE_DIR: path.join(caches, 'resolve') };
  const run = () => {
    const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], { cwd: dir, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout.trim();
  };
  fs.writeFileSync(path.join(dir, 'main.ts'), "import { where } from './lib';\nimport { Construct } from 'constructs';\nconsole.log(`${where} ${typeof Construct}`);\n");
  fs.mkdirSync(path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), "export const where: string = 'lib/index';\n");
  try {
    expect(run()).toBe('lib/index function');
    expect(run()).toBe('lib/index function'); // every cache warm
    expect(fs.readdirSync(path.join(caches, 'resolve'))).toHaveLength(1);
    // An edit of the same length (V8 checks only the length of a cached script's source).
    fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), "export const where: string = 'LIB/INDEX';\n");
    expect(run()).toBe('LIB/INDEX function');
    // A file that takes precedence for the same request ('./lib' is lib.ts before lib/index.ts).
    fs.writeFileSync(path.join(dir, 'lib.ts'), "export const where: string = 'lib.ts';\n");
    expect(run()).toBe('lib.ts function');
    fs.rmSync(path.join(dir, 'lib.ts'));
    expect(run()).toBe('LIB/INDEX function');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(caches, { recursive: true, force: true });
  }
});
