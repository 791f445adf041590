/**
 * Guardrails: a security rule pack run over every stack's synthesized Terraform on every synth
 * (`synthesize` in `core/app.ts`: `cdktf synth`, `npm run plan`, `npm run ops`; and `npm run cost`
 * and `npm run diagrams`, which synthesize in memory). A finding of error severity fails synth;
 * warnings are printed. See `engine.ts` for why this is a post-synth check and not an Aspect.
 *
 * Suppress a finding that is intended on the construct that causes it, with a reason a reviewer
 * would accept; it covers the construct and everything below it, and shows in the report:
 * ```ts
 * Guardrails.suppress(api, 'AWS-API-003', 'the document\'s browser client uploads without credentials; WAF rate limits it');
 * ```
 */
import { UserError } from '../../src/core/errors';
import { ValidationError } from '../../src/core/validation';
import { didYouMean } from '../../src/core/format';
import { Finding, Rule, evaluate, isOpenGate } from './engine';
import { RULES, RULES_BY_ID } from './rules';

export type { Counterpart, Finding, Relation, Rule, Severity } from './engine';
export type { SuppressionRecord } from '../model';
export { evaluate, isOpenGate, unusedSuppressions } from './engine';
export { RULES, RULES_BY_ID } from './rules';

/**
 * The findings of one stack, suppressed ones included (with their reason). A suppression that
 * names no rule of the pack is a mistake in the code (a typo hides nothing): it throws.
 */
export function check(json: Record<string, any>, rules: readonly Rule[] = RULES): Finding[] {
  const unknown = ((json['//']?.guardrails?.suppressions ?? []) as { path: string; rule: string }[]).filter((s) => !RULES_BY_ID.has(s.rule));
  if (unknown.length > 0) {
    throw new ValidationError(unknown.map((s) => `${s.path}: guardrails suppression: ${JSON.stringify(s.rule)} is not a rule${didYouMean(s.rule, [...RULES_BY_ID.keys()])}; rules are listed in docs/guardrails.md`).join('\n'));
  }
  const problems = ((json['//']?.guardrails?.accepted ?? []) as { path: string; rule: string }[]).flatMap((a) => {
    // An acceptance at a stack's root comes from its settings: name the setting.
    const where = a.path.includes('/') ? `${a.path}: guardrails acceptance` : `${a.path}: stacks.${a.path}.guardrails.accept`;
    const rule = RULES_BY_ID.get(a.rule);
    if (!rule) return [`${where}: ${JSON.stringify(a.rule)} is not a rule${didYouMean(a.rule, [...RULES_BY_ID.keys()])}; rules are listed in docs/guardrails.md`];
    if (rule.severity !== 'gate') return [`${where}: ${a.rule} is not a production-gate rule (only ${GATE_RULES.map((r) => r.id).join(', ')} can be accepted); fix its finding instead`];
    return [];
  });
  if (problems.length > 0) throw new ValidationError(problems.join('\n'));
  return evaluate(json, rules);
}

/** The rules of gate severity (what the deploy command refuses a production environment for). */
export const GATE_RULES: readonly Rule[] = RULES.filter((r) => r.severity === 'gate');

/** A stack's findings for the report. */
export interface StackReport {
  readonly stack: string;
  readonly findings: readonly Finding[];
}

/** A construct path relative to its stack. */
export function relative(stack: string, path: string): string {
  return path.startsWith(`${stack}/`) ? path.slice(stack.length + 1) : path;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (c === r.length - 1 ? 0 : r[c].length))));
  return rows.map((r) => `  ${r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')}`.trimEnd()).join('\n');
}

/** A finding's level in the reports: its severity, or `suppressed`, or `accepted` (a gate finding the user accepted). */
export type Level = Finding['severity'] | 'suppressed' | 'accepted';

export function levelOf(f: Finding): Level {
  return f.suppressed ? 'suppressed' : f.accepted ? 'accepted' : f.severity;
}

function counts(findings: readonly Finding[]): string {
  const n = (level: Level) => findings.filter((f) => levelOf(f) === level).length;
  const [errors, warnings, gates, accepted, suppressed] = [n('error'), n('warning'), n('gate'), n('accepted'), n('suppressed')];
  const parts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`, gates && `${gates} open production-gate finding${gates > 1 ? 's' : ''}`, accepted && `${accepted} accepted`, suppressed && `${suppressed} suppressed`].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no findings';
}

/**
 * What a finding's report row says: the rule's message, then for an open gate finding the setting
 * that closes it (or the acceptance that lets it deploy), for an accepted one the user's reason,
 * for a suppressed one the code's reason.
 */
export function describeFinding(f: Finding, stack: string): string {
  if (f.suppressed) return `${f.message} (suppressed: ${f.suppressed})`;
  if (f.accepted) return `${f.message} (accepted: ${f.accepted})`;
  if (f.severity !== 'gate') return f.message;
  const accept = `stacks.${stack}.guardrails.accept.${f.rule}`;
  return `${f.message}; close it with ${f.closeWith ?? 'the setting the rule names'}, or accept it with a written reason in ${accept}`;
}

/**
 * The report of one stack: a table (rule, level, resource path and address, message), errors
 * first, suppressed findings last with their reason. `only` limits the rows to some levels.
 */
export function formatStack(report: StackReport, only?: readonly Level[]): string {
  const rank = { error: 0, gate: 1, warning: 2, accepted: 3, suppressed: 4 } as const;
  const shown = report.findings.filter((f) => !only || only.includes(levelOf(f))).sort((a, b) => rank[levelOf(a)] - rank[levelOf(b)] || a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path));
  const heading = `guardrails ${report.stack}: ${counts(report.findings)}`;
  if (shown.length === 0) return heading;
  const rows = [['RULE', 'LEVEL', 'RESOURCE', 'ADDRESS', 'MESSAGE'], ...shown.map((f) => [f.rule, levelOf(f), relative(report.stack, f.path), f.address, describeFinding(f, report.stack)])];
  return `${heading}\n${table(rows)}`;
}

/** Rule findings of error severity stopped synth; the message holds the tables. */
export class GuardrailsError extends UserError {
  constructor(
    message: string,
    /** Names of the stacks with error-severity findings. */
    public readonly stacks: readonly string[],
  ) {
    super(message);
    this.name = 'GuardrailsError';
  }
}

/**
 * Checks every stack, prints a table per stack with findings or suppressions (to `log`), and
 * throws a `GuardrailsError` listing every error-severity finding when there is one. Returns the
 * reports.
 */
export function enforce(stacks: readonly { name: string; json: Record<string, any> }[], log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): StackReport[] {
  const reports = stacks.map((s) => ({ stack: s.name, findings: check(s.json) }));
  const failing = reports.filter((r) => r.findings.some((f) => !f.suppressed && f.severity === 'error'));
  for (const r of reports) {
    if (r.findings.length === 0 || failing.includes(r)) continue;
    log(formatStack(r));
  }
  const suppressed = reports.reduce((n, r) => n + r.findings.filter((f) => f.suppressed).length, 0);
  const open = reports.reduce((n, r) => n + r.findings.filter((f) => levelOf(f) === 'warning').length, 0);
  const gates = reports.reduce((n, r) => n + r.findings.filter(isOpenGate).length, 0);
  if (failing.length > 0) {
    const tables = failing.map((r) => formatStack(r));
    throw new GuardrailsError([`guardrails: ${failing.length} stack${failing.length > 1 ? 's' : ''} break${failing.length > 1 ? '' : 's'} error-severity rules (fix them, or suppress an intended finding on its construct with Guardrails.suppress(construct, rule, reason)):`, ...tables].join('\n'), failing.map((r) => r.stack));
  }
  log(`guardrails: ${RULES.length} rules over ${reports.length} stack${reports.length === 1 ? '' : 's'}: ${open + gates === 0 ? 'no findings' : [open && `${open} warning${open > 1 ? 's' : ''}`, gates && `${gates} open production-gate finding${gates > 1 ? 's' : ''}`].filter(Boolean).join(', ')}${suppressed ? `, ${suppressed} suppressed` : ''}`);
  return reports;
}

