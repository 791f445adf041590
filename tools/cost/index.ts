/**
 * `npm run cost [-- <stack>...] [--deployed] [--json] [--region-check] [--assumptions <file.json>]`: a monthly
 * cost estimate of each stack (all of them when none is named) from its synthesized Terraform, in
 * preview mode (plan-time look-ups pinned, so it needs no AWS credentials).
 *
 * For each stack: one line per priced item (quantity, unit price, FLOOR at minimum capacity,
 * CEILING at maximum capacity), the totals, the resources it could not price, and the usage
 * assumptions the lines depend on. Settings come from cdktf.json `context.settings` and
 * `STACK_SETTINGS_FILE`, as for `npm run plan`.
 *
 * A stack whose `imageTag` is unset runs no task (its services wait for their images): it is priced
 * so, and the summary says so. `--deployed` prices every stack as if its images were pushed (the
 * tag set where it is unset), its services at their configured task counts.
 *
 * - `--json`: the estimates as JSON (one object keyed by stack name); `npm run -s cost -- --json`
 *   keeps npm's banner out of the output.
 * - `--region-check`: only the region of each stack and whether the price table covers it, with
 *   the number of entries per check level (exit 1 when a region is missing).
 * - `--assumptions <file.json>`: overrides of the usage assumptions (see `Assumptions`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { enforce } from '../guardrails';
import { StackModel } from '../model';
import { installFastPath, synthesizeInMemory } from '../synth';
import { asDeployed, stacksWithoutImages } from '../synth/deployed';
import { UserError } from '../../src/core/errors';
import { SETTINGS_CONTEXT_KEY, SETTINGS_FILE_ENV, readOverrides } from '../../stacks/settings';
import { STACK_NAMES, buildApp } from '../../stacks';
import { ASSUMPTION_DOCS, Assumptions, DEFAULT_ASSUMPTIONS, Estimate, estimate } from './estimate';
import { PRICES, PRICES_AS_OF, priceEntries } from './prices';

const ROOT = path.resolve(__dirname, '..', '..');

interface Options {
  readonly stacks: string[];
  readonly json: boolean;
  readonly regionCheck: boolean;
  /** Price every stack as if its images were pushed (`imageTag` set where it is unset). */
  readonly deployed: boolean;
  readonly assumptions?: Partial<Assumptions>;
}

const USAGE = 'usage: npm run cost -- [stack...] [--deployed] [--json] [--region-check] [--assumptions <file.json>]';

function parseArgs(argv: readonly string[]): Options | undefined {
  const stacks: string[] = [];
  let json = false;
  let regionCheck = false;
  let deployed = false;
  let assumptions: Partial<Assumptions> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--region-check') regionCheck = true;
    else if (a === '--deployed') deployed = true;
    else if (a === '--assumptions') {
      const file = argv[++i];
      if (!file) throw new UserError(`--assumptions needs a JSON file; ${USAGE}`);
      try {
        assumptions = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
      } catch (e) {
        throw new UserError(`cannot read assumptions from ${file}: ${(e as Error).message}`);
      }
      const unknown = Object.keys(assumptions ?? {}).filter((k) => !(k in DEFAULT_ASSUMPTIONS));
      if (typeof assumptions !== 'object' || assumptions === null || Array.isArray(assumptions)) throw new UserError(`${file} is not a JSON object of assumptions`);
      if (unknown.length) throw new UserError(`${file}: unknown assumption ${JSON.stringify(unknown[0])}; allowed: ${Object.keys(DEFAULT_ASSUMPTIONS).join(', ')}`);
    } else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\nstacks: ${STACK_NAMES.join(', ')}\n`);
      return undefined;
    } else if (a.startsWith('-')) throw new UserError(`unknown option ${a}; ${USAGE}`);
    else stacks.push(a);
  }
  const unknown = stacks.filter((s) => !STACK_NAMES.includes(s));
  if (unknown.length > 0) throw new UserError(`unknown stack ${JSON.stringify(unknown[0])}; stacks: ${STACK_NAMES.join(', ')}`);
  return { stacks: stacks.length > 0 ? [...new Set(stacks)] : [...STACK_NAMES], json, regionCheck, deployed, assumptions };
}

function readContext(): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).context?.[SETTINGS_CONTEXT_KEY];
  } catch {
    return undefined;
  }
}

/** The stacks to price: their models (synthesized in preview mode), and those of them whose services run no task for want of `imageTag`. */
interface Priced {
  readonly models: Map<string, StackModel>;
  /** Stacks priced with their services at 0 tasks (`imageTag` unset, no `--deployed`). */
  readonly withoutImages: readonly string[];
}

/** The model of each stack, synthesized in preview mode (with `deployed`, as deployed: `imageTag` set where it is unset). */
function synthStacks(names: readonly string[], deployed: boolean): Priced {
  installFastPath();
  const overrides = readOverrides({ context: readContext(), file: process.env[SETTINGS_FILE_ENV] });
  const withoutImages = stacksWithoutImages(overrides, names);
  const app = Testing.app();
  try {
    const built = buildApp(app, { context: deployed ? asDeployed(overrides, withoutImages) : overrides }, { only: names, preview: true });
    const stacks = new Map(names.map((n) => [n, built.get(n) as TerraformStack]));
    const documents = new Map(names.map((n) => [n, synthesizeInMemory(stacks.get(n)!).document]));
    // The guardrails, as on every synth: an error-severity finding stops the estimate.
    enforce(names.map((n) => ({ name: n, json: documents.get(n)! })), (line) => process.stderr.write(`${line}\n`));
    return { models: new Map(names.map((n) => [n, StackModel.fromStack(stacks.get(n)!, documents.get(n)!)])), withoutImages: deployed ? [] : withoutImages };
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true }); // the empty temporary directory Testing.app makes
  }
}

// ----- formatting -----

const usd = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function unitPrice(n: number): string {
  if (n === 0) return '$0';
  if (n >= 1) return `$${usd(n)}`;
  const s = String(Number(n.toPrecision(3)));
  const decimals = s.split('.')[1]?.length ?? 0;
  return `$${decimals < 2 ? n.toFixed(2) : s}`;
}

function quantity(q: { floor: number; ceiling: number }): string {
  const f = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : Number(n.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 3 }));
  return q.floor === q.ceiling ? f(q.floor) : `${f(q.floor)}..${f(q.ceiling)}`;
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

function formatAssumption(e: Estimate, key: keyof Assumptions): string {
  const v = e.assumptions[key];
  const value = typeof v === 'object' ? Object.entries(v).map(([k, x]) => `${k} ${Math.round(x * 100)}%`).join(', ') : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
  return `  ${key} = ${value}: ${ASSUMPTION_DOCS[key]}`;
}

function render(name: string, e: Estimate): string {
  const out: string[] = [];
  out.push(`===== ${name} (${e.region}, prices of ${e.pricesAsOf}) =====`);
  const rows = [['Item', 'Quantity', 'Unit', 'Unit price', 'Floor $/mo', 'Ceiling $/mo']];
  for (const l of e.lines) rows.push([l.item, quantity(l.quantity), l.unit, unitPrice(l.unitPrice), usd(l.floor), usd(l.ceiling)]);
  rows.push(['TOTAL', '', '', '', usd(e.floor), usd(e.ceiling)]);
  out.push(table(rows, [false, true, false, true, true, true]));
  const notes = e.lines.filter((l) => l.note).map((l) => `  ${l.item}: ${l.note}`);
  if (notes.length) out.push('Notes:', ...notes);
  if (e.unpriced.length) {
    out.push(`NOT PRICED (${e.unpriced.length}): these resources are missing from the totals`);
    for (const u of e.unpriced) out.push(`  ${u.address}: ${u.reason}`);
  } else out.push('Not priced: none (every resource is priced or free).');
  out.push('Assumptions (usage the Terraform cannot say; override with --assumptions <file.json>):');
  for (const k of e.usedAssumptions) out.push(formatAssumption(e, k));
  if (!e.assumptions.applyFreeTier) out.push(formatAssumption(e, 'applyFreeTier'));
  return out.join('\n');
}

function regionCheck(models: ReadonlyMap<string, StackModel>): number {
  let missing = 0;
  process.stdout.write(`Price table of ${PRICES_AS_OF}: regions ${Object.keys(PRICES).join(', ')}\n`);
  for (const [region, prices] of Object.entries(PRICES)) {
    const counts = new Map<string, number>();
    for (const [, p] of priceEntries(prices)) counts.set(p.check, (counts.get(p.check) ?? 0) + 1);
    process.stdout.write(`  ${region}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
  }
  for (const [name, model] of models) {
    const regions = new Set(model.providers.filter((p) => p.type === 'aws').map((p) => String(p.body.region)));
    for (const region of regions) {
      const ok = region in PRICES;
      if (!ok) missing++;
      process.stdout.write(`  ${name.padEnd(28)} ${region}: ${ok ? 'priced' : 'MISSING from the price table'}\n`);
    }
  }
  return missing > 0 ? 1 : 0;
}

/** The summary of every estimate, with what it leaves out for want of images. */
function summary(estimates: ReadonlyMap<string, Estimate>, withoutImages: readonly string[]): string {
  const out = ['Summary (USD per month):'];
  for (const [name, e] of estimates) {
    const notes = [e.unpriced.length ? `${e.unpriced.length} not priced` : '', withoutImages.includes(name) ? 'no tasks: imageTag unset' : ''].filter(Boolean);
    out.push(`  ${name.padEnd(28)} floor ${usd(e.floor).padStart(10)}  ceiling ${usd(e.ceiling).padStart(10)}${notes.length ? `  (${notes.join('; ')})` : ''}`);
  }
  if (withoutImages.length > 0) {
    const one = withoutImages.length === 1;
    out.push(`imageTag is unset in ${withoutImages.join(', ')}: ${one ? 'its' : 'their'} services wait for their images with 0 tasks and are priced without them. npm run cost -- --deployed prices ${one ? 'it' : 'them'} as if the images were pushed.`);
  }
  return `${out.join('\n')}\n`;
}

function main(): number {
  const options = parseArgs(process.argv.slice(2));
  if (!options) return 0;
  const { models, withoutImages } = synthStacks(options.stacks, options.deployed);
  if (options.regionCheck) return regionCheck(models);
  const estimates = new Map([...models].map(([name, model]) => [name, estimate(model, { assumptions: options.assumptions })]));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(Object.fromEntries(estimates), null, 2)}\n`);
    return 0;
  }
  const deployed = options.deployed ? ' Priced as deployed (--deployed): every stack with its images pushed (imageTag set where it is unset).' : '';
  process.stdout.write(`Monthly estimate (USD, list prices, no tax, no Savings Plans) from the synthesized Terraform (preview mode).${deployed}\nFLOOR: minimum capacity (autoscaling minimums); CEILING: maximum capacity. Usage-driven lines use the same assumptions in both.\n\n`);
  for (const [name, e] of estimates) process.stdout.write(`${render(name, e)}\n\n`);
  process.stdout.write(summary(estimates, withoutImages));
  return 0;
}

// exitCode, not exit(): piped output must be complete.
try {
  process.exitCode = main();
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
}
