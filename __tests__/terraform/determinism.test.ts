/**
 * Deterministic output: the app synthesized twice, by two processes in two working directories
 * (each with its own output directory, temporary directory, HOME and time zone), writes the same
 * files byte for byte, in JSON (`cdktf synth`) and in HCL (`cdktf synth --hcl`), and no file holds
 * what would differ between machines or runs: the project's or the run's absolute paths, HOME,
 * the temporary directory, a timestamp.
 *
 * Each run is the command cdktf.json names as `app` (what `npm run synth` makes the cdktf CLI run),
 * with the environment the CLI gives it (`CDKTF_OUTDIR`, `CDKTF_CONTEXT_JSON` from cdktf.json's
 * context, `SYNTH_HCL_OUTPUT`), from a working directory with `cdktf.out` inside it as in a
 * checkout. Lambda packages are built afresh in each run (their cache lives in the run's own
 * temporary directory), so the zips are compared as built, not as copied from one cache.
 *
 * In the terraform project because it spawns the real synth (four processes, two at a time).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mapLimit, workDir } from '../helpers/terraform';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every file under `dir`, by posix path relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const relName = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), relName);
      else out.push(relName);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** The differences between two output trees: files only in one, files whose bytes differ (with the first differing line of text files). */
export function treeDifferences(a: string, b: string): string[] {
  const [fa, fb] = [filesUnder(a), filesUnder(b)];
  const problems = [...fa.filter((f) => !fb.includes(f)).map((f) => `${f}: only in the first run`), ...fb.filter((f) => !fa.includes(f)).map((f) => `${f}: only in the second run`)];
  for (const f of fa.filter((x) => fb.includes(x))) {
    const [x, y] = [fs.readFileSync(path.join(a, f)), fs.readFileSync(path.join(b, f))];
    if (x.equals(y)) continue;
    if (f.endsWith('.zip')) {
      problems.push(`${f}: the bytes differ (${x.length} and ${y.length} bytes)`);
      continue;
    }
    const [lx, ly] = [x.toString('utf8').split('\n'), y.toString('utf8').split('\n')];
    const i = lx.findIndex((line, n) => line !== ly[n]);
    problems.push(`${f}: differs at line ${i + 1}: ${JSON.stringify(lx[i]?.trim().slice(0, 160))} vs ${JSON.stringify(ly[i]?.trim().slice(0, 160))}`);
  }
  return problems;
}

/** An ISO 8601 date with a time (`2024-05-01T12:00`, `2024-05-01 12:00:00`); a bare date such as IAM's "2012-10-17" is not one. */
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** What in a text file would differ between machines or runs: the `forbidden` strings (absolute paths) and timestamps. */
export function leaksIn(text: string, forbidden: readonly string[]): string[] {
  const found = forbidden.filter((p) => text.includes(p)).map((p) => `the path ${JSON.stringify(p)}`);
  const stamp = TIMESTAMP.exec(text);
  if (stamp) found.push(`a timestamp ${JSON.stringify(stamp[0])}`);
  return found;
}

/** The modification times (DOS date and time words) of every entry in a zip's central directory. */
export function zipEntryTimes(zip: Buffer): { name: string; date: number; time: number }[] {
  const out: { name: string; date: number; time: number }[] = [];
  for (let i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); i >= 0; i = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), i + 46)) {
    const nameLength = zip.readUInt16LE(i + 28);
    out.push({ name: zip.toString('utf8', i + 46, i + 46 + nameLength), time: zip.readUInt16LE(i + 12), date: zip.readUInt16LE(i + 14) });
  }
  return out;
}

/** `when` as a zip (DOS) date word, local time as zip writers use it. */
function dosDate(when: Date): number {
  return ((when.getFullYear() - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate();
}

interface Run {
  readonly name: string;
  readonly hcl: boolean;
  readonly tz: string;
}

interface Result {
  readonly run: Run;
  /** The working directory (the run's "checkout"); its `cdktf.out` is the output. */
  readonly cwd: string;
  readonly out: string;
  readonly home: string;
  readonly tmp: string;
  readonly code: number | null;
  readonly stderr: string;
}

/** cdktf.json's `app` command with absolute paths (it names them relative to the project). */
function appCommand(): { command: string; args: string[] } {
  const app = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }).app;
  const [command, ...args] = app.split(/\s+/);
  if (command !== 'node') throw new Error(`cdktf.json's app is ${JSON.stringify(app)}; this test runs a "node ..." command only`);
  return { command: process.execPath, args: args.map((a) => (a.startsWith('./') || a.endsWith('.ts') ? path.join(ROOT, a) : a)) };
}

function synthIn(run: Run): Promise<Result> {
  const cwd = workDir(`determinism-${run.name}`);
  const [out, home, tmp] = ['cdktf.out', 'home', 'tmp'].map((d) => path.join(cwd, d));
  fs.mkdirSync(home);
  fs.mkdirSync(tmp);
  const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CDKTF_|STACK_SETTINGS_FILE$|SYNTH_HCL_OUTPUT$|LAMBDA_PACKAGE_CACHE$|TF_)/.test(k)));
  Object.assign(env, {
    CDKTF_OUTDIR: out,
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: [] }),
    SYNTH_HCL_OUTPUT: String(run.hcl),
    HOME: home,
    TMPDIR: tmp,
    TZ: run.tz,
    // The transpile cache is keyed by file content: shared, it only saves time.
    TS_TRANSPILE_CACHE: process.env.TS_TRANSPILE_CACHE ?? path.join(ROOT, 'node_modules', '.cache', 'ts-transpile'),
  });
  const { command, args } = appCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ run, cwd, out, home, tmp, code, stderr }));
  });
}

describe('synth output is deterministic', () => {
  const runs: Run[] = [
    { name: 'json-a', hcl: false, tz: 'UTC' },
    { name: 'json-b', hcl: false, tz: 'Pacific/Auckland' },
    { name: 'hcl-a', hcl: true, tz: 'America/Los_Angeles' },
    { name: 'hcl-b', hcl: true, tz: 'Asia/Kolkata' },
  ];
  let results: Map<string, Result>;

  beforeAll(async () => {
    // Two at a time: the machine's cores, and the two runs of a pair overlap in time.
    const done = await mapLimit(runs, 2, synthIn);
    results = new Map(done.map((r) => [r.run.name, r]));
  });

  it.each(runs.map((r) => r.name))('%s synthesizes every stack', (name) => {
    const r = results.get(name)!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(filesUnder(r.out).filter((f) => /^stacks\/[^/]+\/cdk\.tf(\.json)?$/.test(f)).length).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ['JSON', 'json-a', 'json-b'],
    ['HCL', 'hcl-a', 'hcl-b'],
  ])('%s: two runs in two directories write the same files, byte for byte', (_form, a, b) => {
    expect(treeDifferences(results.get(a)!.out, results.get(b)!.out)).toEqual([]);
  });

  it('no file holds an absolute path of the project, the run, HOME or the temporary directory, nor a timestamp', () => {
    const problems: string[] = [];
    for (const r of results.values()) {
      // The runs' own HOME and TMPDIR are specific; the jest process's temporary directory ("/tmp") is
      // not searched: a container's /tmp mount or a guardrails reason may name it.
      const forbidden = [ROOT, r.cwd, r.home, r.tmp, os.homedir()].filter((p) => p.length > 1);
      for (const f of filesUnder(r.out)) {
        const bytes = fs.readFileSync(path.join(r.out, f));
        // Zips: their entry names and stored text are searched too (deflated text is not, which the byte comparison covers).
        for (const leak of leaksIn(bytes.toString('latin1'), forbidden)) problems.push(`${r.run.name}/${f}: ${leak}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the Lambda packages carry one fixed timestamp, not the time they were built', () => {
    const out = results.get('json-a')!.out;
    const zips = filesUnder(out).filter((f) => f.endsWith('.zip'));
    expect(zips.length).toBeGreaterThan(0);
    const today = dosDate(new Date());
    const stamps = new Set<string>();
    for (const f of zips) {
      const entries = zipEntryTimes(fs.readFileSync(path.join(out, f)));
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries) {
        expect({ file: f, entry: e.name, today: e.date === today }).toEqual({ file: f, entry: e.name, today: false });
        stamps.add(`${e.date}/${e.time}`);
      }
    }
    expect(stamps.size).toBe(1);
  });
});

describe('the determinism checks can fail', () => {
  const root = () => fs.mkdtempSync(path.join(workDir('determinism-self'), 't-'));

  it('reports a file only one run wrote, and the first differing line of a changed file', () => {
    const [a, b] = [root(), root()];
    fs.mkdirSync(path.join(a, 'stacks', 's'), { recursive: true });
    fs.mkdirSync(path.join(b, 'stacks', 's'), { recursive: true });
    fs.writeFileSync(path.join(a, 'stacks', 's', 'cdk.tf.json'), '{\n  "id": "abc"\n}\n');
    fs.writeFileSync(path.join(b, 'stacks', 's', 'cdk.tf.json'), '{\n  "id": "abd"\n}\n');
    fs.writeFileSync(path.join(b, 'manifest.json'), '{}');
    expect(treeDifferences(a, b)).toEqual(['manifest.json: only in the second run', 'stacks/s/cdk.tf.json: differs at line 2: "\\"id\\": \\"abc\\"" vs "\\"id\\": \\"abd\\""']);
  });

  it('finds machine paths and timestamps, and lets IAM policy versions be', () => {
    expect(leaksIn('{"path": "/home/me/project/x.tfstate", "Version": "2012-10-17"}', ['/home/me/project'])).toEqual(['the path "/home/me/project"']);
    expect(leaksIn('{"created": "2025-03-04T05:06:07.000Z"}', [])).toEqual(['a timestamp "2025-03-04T05:06"']);
    expect(leaksIn('{"Version": "2012-10-17", "schedule": "cron(0 3 * * ? *)"}', ['/home/me/project'])).toEqual([]);
  });

  it('reads the modification time of each zip entry', () => {
    // A one-entry zip made by hand: central directory header with time 0x6000 and date 0x5a21.
    const name = Buffer.from('index.py');
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x6000, 12);
    central.writeUInt16LE(0x5a21, 14);
    central.writeUInt16LE(name.length, 28);
    expect(zipEntryTimes(Buffer.concat([Buffer.alloc(10), central, name]))).toEqual([{ name: 'index.py', time: 0x6000, date: 0x5a21 }]);
  });
});
