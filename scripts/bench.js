#!/usr/bin/env node
// `npm run bench`: medians of 5 runs, all from this one process tree.
//   - floor: `node -e "require('cdktf')"` (wall time and peak RSS)
//   - app synth: the cdktf.json app command over the whole app (warm transpile cache), and cold
//   - ratio synth / floor
//   - `cdktf synth` through the CLI (informational: the CLI adds its own ~3 s)
//   - unit tests: `jest --selectProjects unit` wall time
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS || 5);
const RSS = path.join(__dirname, 'bench-rss.js');

function run(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const m = /BENCH_MAX_RSS_KB=(\d+)/.exec(r.stderr || '');
  return { wall, rssMb: m ? Number(m[1]) / 1024 : NaN };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(label, fn) {
  fn(); // warm-up
  const samples = Array.from({ length: RUNS }, fn);
  const wall = median(samples.map((s) => s.wall));
  const rss = median(samples.map((s) => s.rssMb));
  console.log(`${label.padEnd(34)} wall ${wall.toFixed(3)} s  (min ${Math.min(...samples.map((s) => s.wall)).toFixed(3)}, max ${Math.max(...samples.map((s) => s.wall)).toFixed(3)})${Number.isNaN(rss) ? '' : `  peak RSS ${rss.toFixed(0)} MB`}`);
  return { wall, rss };
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tscache-'));
console.log(`node ${process.version}, ${os.cpus().length} cpus, ${RUNS} runs each (medians)`);

const floor = bench("floor: require('cdktf')", () => run(process.execPath, ['-r', RSS, '-e', "require('cdktf')"]));
const synth = bench('app synth (warm cache)', () => run(process.execPath, ['-r', RSS, '-r', './scripts/register.js', 'main.ts'], { CDKTF_OUTDIR: outdir, TS_TRANSPILE_CACHE: cacheDir }));
const cold = bench('app synth (cold: transpile all)', () => {
  fs.rmSync(cacheDir, { recursive: true, force: true });
  return run(process.execPath, ['-r', RSS, '-r', './scripts/register.js', 'main.ts'], { CDKTF_OUTDIR: outdir, TS_TRANSPILE_CACHE: cacheDir });
});
const stacks = fs.readdirSync(path.join(outdir, 'stacks'));
const resources = stacks.reduce((n, s) => {
  const doc = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
  return n + Object.values(doc.resource || {}).reduce((m, byName) => m + Object.keys(byName).length, 0);
}, 0);
console.log(`  (${stacks.length} stacks, ${resources} resources)`);
console.log(`ratio synth/floor                  wall ${(synth.wall / floor.wall).toFixed(2)}x (cold ${(cold.wall / floor.wall).toFixed(2)}x), peak RSS ${(synth.rss / floor.rss).toFixed(2)}x`);
const cli = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
bench('cdktf synth (CLI, informational)', () => run(cli, ['synth', '--output', outdir]));
bench('unit tests (jest, unit project)', () => run(path.join(ROOT, 'node_modules', '.bin', 'jest'), ['--selectProjects', 'unit', '--silent']));
fs.rmSync(outdir, { recursive: true, force: true });
fs.rmSync(cacheDir, { recursive: true, force: true });
