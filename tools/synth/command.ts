/**
 * `npm run synth [-- <stack>...] [--hcl] [--verbose]`: the app command itself (`main.ts`, which
 * cdktf.json names as `app`), run directly rather than through the cdktf CLI, whose start costs
 * seconds and prints `[ERROR]` lines that are none. It writes what `npx cdktf synth` writes (that
 * CLI runs the same `main.ts` without arguments): the App takes cdktf.json's `context` itself, and
 * stack directories of no stack of the app are removed from the output as the CLI removes them.
 *
 * Output: the settings-sources line, then one line per stack (`<stack>: N resources; guardrails:
 * N findings, N suppressed[, N accepted]`), below it each open warning, each open production-gate
 * finding with the setting that closes it, and each accepted one with the user's reason.
 * `--verbose` adds the guardrails tables with the suppressed findings and their reasons. Errors
 * are printed once, by `runOrExit`, with exit status 1.
 *
 * - `<stack>...`: only these stacks are built and written, and only their settings (and the
 *   shared ones) are validated: a bad setting of another stack does not stop them;
 * - `--hcl`: writes `cdk.tf` (HCL, formatted by `terraform fmt`) instead of `cdk.tf.json`;
 * - `--gate`: the production gate, which `npm run deploy` runs first and a deploy pipeline runs
 *   before `terraform apply`: exit status 1 when a production stack (`isProductionEnvironment` of
 *   its `Environment` tag) has an open gate finding, naming each with the setting that closes it.
 *   The output is written all the same (a plan stays possible).
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, describeSources } from '../../stacks/settings';
import { STACK_NAMES, buildApp } from '../../stacks';
import { describeFinding, formatStack, isOpenGate, levelOf, relative } from '../guardrails';
import { isProductionEnvironment } from '../../src/core/environment';
import { StackSynthesis, createApp, synthesize } from '.';

/** What `npm run synth` was asked to do. */
export interface SynthOptions {
  /** The stacks to synthesize; empty: every stack. */
  readonly stacks: readonly string[];
  /** Write HCL (`cdk.tf`) instead of JSON. */
  readonly hcl: boolean;
  /** Print the guardrails tables, suppressed findings included. */
  readonly verbose: boolean;
  /** Refuse (exit 1) while a production stack has an open gate finding. */
  readonly gate: boolean;
}

/** The command's usage line. */
export const SYNTH_USAGE = 'usage: npm run synth -- [stack...] [--hcl] [--verbose] [--gate]';

const OPTIONS = ['--hcl', '--verbose', '--gate'];

/** Reads the command's arguments; undefined for `--help`. Throws a `UserError` on an unknown option. */
export function parseSynthArgs(argv: readonly string[]): SynthOptions | undefined {
  if (argv.includes('--help') || argv.includes('-h')) return undefined;
  const unknown = argv.find((a) => a.startsWith('-') && !OPTIONS.includes(a));
  if (unknown !== undefined) throw new UserError(`unknown option ${unknown}; ${SYNTH_USAGE}`);
  return { stacks: [...new Set(argv.filter((a) => !a.startsWith('-')))], hcl: argv.includes('--hcl'), verbose: argv.includes('--verbose'), gate: argv.includes('--gate') };
}

/** `1 finding`, `2 findings`. */
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The report after synth: one line per stack, and below it each open finding (a warning or a
 * production-gate finding: an error stops synth before) and each accepted gate finding with its
 * reason, unless `verbose` printed the tables already.
 */
export function reportLines(written: readonly StackSynthesis[], verbose: boolean): string[] {
  return written.flatMap(({ stack, resources, report }) => {
    const n = (level: ReturnType<typeof levelOf>) => report.findings.filter((f) => levelOf(f) === level).length;
    const open = n('warning') + n('gate');
    const accepted = n('accepted');
    const line = `${stack}: ${count(resources, 'resource')}; guardrails: ${count(open, 'finding')}, ${n('suppressed')} suppressed${accepted ? `, ${accepted} accepted` : ''}`;
    return [line, ...(open + accepted > 0 && !verbose ? formatStack(report, ['gate', 'warning', 'accepted']).split('\n').slice(1) : [])];
  });
}

/**
 * The production gate over what synth wrote: a `UserError` naming every open gate finding of the
 * production stacks (by their `Environment` tag), with the setting that closes it and the acceptance that would let it deploy. Stacks of other environments pass (their
 * open findings are in the report).
 */
export function checkGate(written: readonly StackSynthesis[]): void {
  const blocked = written.filter((w) => isProductionEnvironment(w.environment) && w.report.findings.some(isOpenGate));
  if (blocked.length === 0) return;
  const lines = blocked.flatMap((w) => [
    `${w.stack} (environment ${JSON.stringify(w.environment)}):`,
    ...w.report.findings.filter(isOpenGate).map((f) => `  ${f.rule} ${relative(w.stack, f.path)}: ${describeFinding(f, w.stack)}`),
  ]);
  throw new UserError(['production gate: deploy refused until each open finding is closed or accepted with a written reason:', ...lines].join('\n'));
}

/** cdktf.json's `context` (the cdktf CLI passes it in `CDKTF_CONTEXT_JSON`, which wins). */
function cdktfContext(): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'cdktf.json'), 'utf8')).context ?? {};
  } catch {
    return {};
  }
}

/** Removes the directories of `<outdir>/stacks` that belong to no stack of the app (a renamed or removed stack), as the cdktf CLI does. */
function removeOrphans(outdir: string): void {
  const dir = path.join(outdir, 'stacks');
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && !STACK_NAMES.includes(entry.name)) fs.rmSync(path.join(dir, entry.name), { recursive: true, force: true });
  }
}

/** Runs `npm run synth` with `argv` (see the module comment); `write` takes the output. */
export function synthCommand(argv: readonly string[], write: (text: string) => void = (t) => process.stdout.write(t)): void {
  const options = parseSynthArgs(argv);
  if (!options) {
    write(`${SYNTH_USAGE}\nstacks: ${STACK_NAMES.join(', ')}\n`);
    return;
  }
  // As `cdktf synth --hcl` tells the app.
  if (options.hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
  const app = createApp({ context: cdktfContext() });
  const sources = { context: app.node.tryGetContext(SETTINGS_CONTEXT_KEY), file: process.env[SETTINGS_FILE_ENV] };
  write(`${describeSources(sources)}\n`);
  buildApp(app, sources, options.stacks.length > 0 ? { only: options.stacks } : {});
  const written = synthesize(app, options.verbose ? (line) => write(`${line}\n`) : () => undefined);
  removeOrphans(app.outdir);
  for (const line of reportLines(written, options.verbose)) write(`${line}\n`);
  if (options.gate) {
    checkGate(written);
    write(`production gate: passed (${written.map((w) => w.stack).join(', ')})\n`);
  }
}
