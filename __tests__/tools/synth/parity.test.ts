/**
 * The fast path (tools/synth/fast-path.ts) writes what cdktf itself writes: the whole app, every
 * stack, synthesized with the patches and without them (`CDKTF_FAST_SYNTH=0`: cdktf's own
 * `App.synth()`, token traces and second resolve pass included), for the defaults and every
 * settings variant the tests plan, compared file by file. HCL too for the defaults.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildApp } from '../../../stacks';
import { FAST_SYNTH_ENV, installFastPath, synthesize, uninstallFastPath } from '../../../tools/synth';
import { VARIANTS } from '../../helpers/variants';

/** Every file under `dir`, relative path -> content. */
function files(dir: string, base = dir, into = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) files(p, base, into);
    else into.set(path.relative(base, p), fs.readFileSync(p));
  }
  return into;
}

/** Synthesizes the whole app (look-ups pinned) with or without the fast path; returns its files. */
function synthApp(overrides: Record<string, unknown>, fast: boolean, hcl: boolean): Map<string, Buffer> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `parity-${fast ? 'fast' : 'cdktf'}-`));
  const saved = { fast: process.env[FAST_SYNTH_ENV], hcl: process.env.SYNTH_HCL_OUTPUT };
  try {
    if (fast) installFastPath();
    else {
      uninstallFastPath();
      process.env[FAST_SYNTH_ENV] = '0';
    }
    if (hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
    else delete process.env.SYNTH_HCL_OUTPUT;
    const app = new App({ outdir, stackTraces: false });
    buildApp(app, { context: overrides }, { preview: true });
    synthesize(app, () => undefined);
    return files(outdir);
  } finally {
    for (const [k, v] of [[FAST_SYNTH_ENV, saved.fast], ['SYNTH_HCL_OUTPUT', saved.hcl]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    installFastPath();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const CASES: [string, Record<string, unknown>, boolean][] = [
  ['the defaults, JSON', {}, false],
  ['the defaults, HCL', {}, true],
  ...VARIANTS.map((v): [string, Record<string, unknown>, boolean] => [`${v.label}, JSON`, v.overrides, false]),
];

describe('the fast path writes what cdktf writes', () => {
  it.each(CASES)('%s: every file of every stack, byte for byte', (_label, overrides, hcl) => {
    const standard = synthApp(overrides, false, hcl);
    const fast = synthApp(overrides, true, hcl);
    expect([...fast.keys()].sort()).toEqual([...standard.keys()].sort());
    // Eight stacks, each with its configuration.
    expect([...standard.keys()].filter((f) => /^stacks\/[^/]+\/cdk\.tf(\.json)?$/.test(f))).toHaveLength(8);
    const differing = [...standard].filter(([file, bytes]) => !fast.get(file)!.equals(bytes)).map(([file]) => file);
    expect(differing).toEqual([]);
  });
});
