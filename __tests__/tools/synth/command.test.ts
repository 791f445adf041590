/**
 * `npm run synth` (tools/synth/command.ts through main.ts): the settings line and one line per
 * stack, the selected stacks only (another stack's bad settings do not stop them), each error
 * once. The command runs as a real process into a temporary output directory.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { STACK_NAMES } from '../../../stacks';
import type { Finding } from '../../../tools/guardrails';
import { SYNTH_USAGE, parseSynthArgs, reportLines } from '../../../tools/synth/command';
import { useTempDirs } from '../../helpers/temp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const tempDir = useTempDirs();

/** Runs `npm run synth -- <args>` (the script's command) with `env` added, into a fresh output directory. */
function synth(args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string; out: string } {
  const out = tempDir('synth-command-');
  const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out };
}

/** A settings file holding `doc`. */
function settingsFile(doc: unknown): string {
  const file = path.join(tempDir('synth-settings-'), 'settings.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

const finding = (severity: 'error' | 'warning', suppressed?: string): Finding => ({ rule: 'AWS-SQS-002', severity, path: 's/jobs', address: 'aws_sqs_queue.jobs', message: 'has no dead-letter queue', suppressed }) as Finding;

describe('npm run synth arguments', () => {
  it('reads stacks, --hcl and --verbose, and refuses an unknown option with the usage', () => {
    expect(parseSynthArgs(['karmacadabra', '--hcl', 'karmacadabra'])).toEqual({ stacks: ['karmacadabra'], hcl: true, verbose: false, gate: false });
    expect(parseSynthArgs([])).toEqual({ stacks: [], hcl: false, verbose: false, gate: false });
    expect(parseSynthArgs(['vision-validator', '--gate'])).toEqual({ stacks: ['vision-validator'], hcl: false, verbose: false, gate: true });
    expect(parseSynthArgs(['--help'])).toBeUndefined();
    expect(() => parseSynthArgs(['--json'])).toThrow(`unknown option --json; ${SYNTH_USAGE}`);
  });

  it('reports each stack in one line, an open warning below it unless --verbose printed the tables', () => {
    const report = { stack: 's', findings: [finding('warning'), finding('warning', 'a reason')] };
    const lines = reportLines([{ stack: 's', resources: 1, report }], false);
    expect(lines[0]).toBe('s: 1 resource; guardrails: 1 finding, 1 suppressed');
    expect(lines.slice(1)).toHaveLength(2); // the table's heading and the warning's row
    expect(lines[2]).toMatch(/^ {2}AWS-SQS-002 +warning +jobs +aws_sqs_queue\.jobs +has no dead-letter queue$/);
    expect(reportLines([{ stack: 's', resources: 132, report }], true)).toEqual(['s: 132 resources; guardrails: 1 finding, 1 suppressed']);
  });
});

describe('npm run synth', () => {
  it('synthesizes the named stack only, whatever another stack\'s settings hold', () => {
    const file = settingsFile({ stacks: { karmacadabra: { region: 'mars-north-1' } } });
    const r = synth(['state-bootstrap'], { STACK_SETTINGS_FILE: file });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`settings: ${file} (STACK_SETTINGS_FILE)\nstate-bootstrap: 8 resources; guardrails: 0 findings, 0 suppressed\n`);
    expect(fs.readdirSync(path.join(r.out, 'stacks'))).toEqual(['state-bootstrap']);
    expect(fs.readdirSync(path.join(r.out, 'stacks', 'state-bootstrap'))).toContain('cdk.tf.json');
  });

  it('prints each error once, on stderr, with exit status 1', () => {
    const file = settingsFile({ stacks: { karmacadabra: { region: 'mars-north-1' } } });
    const r = synth([], { STACK_SETTINGS_FILE: file });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/invalid settings for stack "karmacadabra"/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat \w|\[ERROR\]/); // no stack trace, no CLI noise
    const unknown = synth(['karmacadabr']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(`unknown stack "karmacadabr"; did you mean "karmacadabra"?; stacks: ${STACK_NAMES.join(', ')}\n`);
  });
});

describe('npm run synth without Terraform', () => {
  it('synthesizes a stack with moved blocks and terraform_data when no terraform is on PATH (synth needs none; required_version guards the version)', () => {
    // A PATH holding node alone: cdktf's own version checks would run `terraform version` and fail.
    const bin = tempDir('synth-path-');
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = synth(['state-bootstrap', 'artwork-matcher-production'], { PATH: bin });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(fs.readFileSync(path.join(r.out, 'stacks', 'state-bootstrap', 'cdk.tf.json'), 'utf8'));
    expect(doc.moved).toBeDefined();
    expect(doc.terraform.required_version).toBe('>= 1.10');
  });
});
