/**
 * `npm run guardrails-doc`: writes the generated part of docs/guardrails.md (between the
 * `<!-- guardrails:begin ... -->` and `<!-- guardrails:end -->` markers; the markers and everything
 * outside them stay as they are) from the rule pack itself (`RULES` in tools/guardrails/rules): how
 * the rules run, how to suppress one, and a table of every rule with its severity, rationale and
 * the checkov and cdk-nag rules it corresponds to, each with how the two compare. `--check` fails
 * when the page differs (the test does the same), so the table cannot drift from the code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Counterpart, RULES, Rule } from '.';
import { MIN_REASON } from '../../src/core/suppressions';
import { ROOT } from '../terraform/cli';

/** The page the rules are listed on, relative to the project root. */
export const GUARDRAILS_DOC = 'docs/guardrails.md';
const BEGIN = /<!-- guardrails:begin[^>]*-->\n/;
const END = '<!-- guardrails:end -->';

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

/** The checks a rule names, each as its id and how the rule compares (`CKV_AWS_91` (narrower: production only)), or a dash. */
function counterparts(list: readonly Counterpart[] | undefined): string {
  if (!list?.length) return '-';
  return list.map((c) => `\`${c.id}\` (${c.relation}${c.difference ? `: ${cell(c.difference).replace(/\.$/, '')}` : ''})`).join('<br>');
}

function row(r: Rule): string {
  const none = r.noEquivalent && !r.checkov?.length && !r.cdkNag?.length ? ` *No checkov or cdk-nag equivalent: ${cell(r.noEquivalent).replace(/\.$/, '')}.*` : '';
  return `| \`${r.id}\` | ${r.severity} | ${cell(r.title)} | ${cell(r.rationale)}${none} | ${counterparts(r.checkov)} | ${counterparts(r.cdkNag)} |`;
}

/** The text between the markers. */
export function guardrailsSection(rules: readonly Rule[] = RULES): string {
  const errors = rules.filter((r) => r.severity === 'error').length;
  const warnings = rules.filter((r) => r.severity === 'warning').length;
  const gates = rules.filter((r) => r.severity === 'gate');
  return [
    `Every synth checks each stack's synthesized Terraform against a pack of ${rules.length} security rules (${errors} errors, ${warnings} warnings, ${gates.length} production gates), in the spirit of cdk-nag for AWS CDK and checkov for Terraform: \`cdktf synth\` and \`npm run synth\`, \`npm run plan\`, \`npm run ops\`, and \`npm run cost\` and \`npm run diagrams\`, which synthesize in memory. The check reads the JSON document Terraform will apply (escape-hatch overrides included), after synth (\`tools/guardrails\`). A finding of **error** severity fails synth with exit status 1 and removes the failing stacks' configuration from \`cdktf.out\`, so nothing that breaks a rule is left to plan or apply; **warnings** are printed. The report is a table per stack: rule, level, resource (construct path), Terraform address and message, errors first and suppressed findings last with their reason.`,
    '',
    `A finding that is intended is suppressed on the construct that causes it, in the stack's code, with a reason a reviewer would accept (at least ${MIN_REASON} characters; it is printed in the report next to every finding it hides):`,
    '',
    '```ts',
    "import { Guardrails } from '../../src/core/suppressions';",
    '',
    "Guardrails.suppress(construct, 'AWS-XXX-NNN', 'why this finding is intended here');",
    '```',
    '',
    'A suppression covers the construct and every construct below it, and is written into the synthesized JSON (`//` → `guardrails.suppressions`), so whoever reads `cdk.tf.json` sees it too. An unknown rule id, a short reason, or the same rule suppressed twice on one construct fails synth; a suppression that no longer hides any finding fails the tests (`__tests__/stacks/all-stacks.test.ts`), so suppressions do not outlive their reason.',
    '',
    `A **gate** finding is one only the user can close, because it needs something only they have: a certificate or a domain for HTTPS, an address or a topic for alarms (${gates.map((r) => `\`${r.id}\``).join(', ')}). Synth passes and every summary shows the open finding with the setting that closes it. \`npm run deploy\` (and \`npm run synth -- <stack> --gate\`, which deploy pipelines run before \`terraform apply\`) refuses a production environment (\`Environment\` prod, production, prd or live) while one is open, until the setting is given or the finding is accepted in the stack's settings with a written reason (at least ${MIN_REASON} characters), which every summary then shows:`,
    '',
    '```json',
    '{ "stacks": { "vision-validator": { "guardrails": { "accept": { "AWS-ALB-008": "TLS ends at the company proxy in front of the load balancer" } } } } }',
    '```',
    '',
    'Other environments show their open gate findings and deploy. Only gate rules can be accepted; any other finding is fixed, or suppressed in the code.',
    '',
    'The checkov and cdk-nag columns name the checks each rule corresponds to, each read in its source (checkov under `checkov/terraform/checks/`, cdk-nag under `src/rules/`), and how the rule compares with it: **equivalent** (both flag the same configurations), **broader** (the rule flags every configuration the check flags, and more) or **narrower** (the check flags configurations the rule passes, for the reason given). Neither tool reads `Guardrails.suppress`: run over these stacks, checkov and cdk-nag also report what a narrower rule passes and every suppressed finding.',
    '',
    '| Rule | Severity | Title | Rationale | checkov | cdk-nag |',
    '|---|---|---|---|---|---|',
    ...rules.map(row),
    '',
  ].join('\n');
}

/** `page` with the text between the markers replaced by `section`. */
export function withSection(page: string, section: string): string {
  const begin = BEGIN.exec(page);
  const end = page.indexOf(END);
  if (!begin || end < begin.index) throw new Error(`${GUARDRAILS_DOC} has no "<!-- guardrails:begin ... -->" line followed by "${END}"; put both where the section belongs`);
  const start = begin.index + begin[0].length;
  return page.slice(0, start) + section + page.slice(end);
}

/** The text between the markers of `page`. */
export function sectionOf(page: string): string {
  const begin = BEGIN.exec(page);
  const end = page.indexOf(END);
  if (!begin || end < begin.index) throw new Error(`${GUARDRAILS_DOC} has no guardrails markers`);
  return page.slice(begin.index + begin[0].length, end);
}

function main(): number {
  const file = path.join(ROOT, GUARDRAILS_DOC);
  const current = fs.readFileSync(file, 'utf8');
  const next = withSection(current, guardrailsSection());
  if (next === current) return 0;
  if (process.argv.includes('--check')) {
    process.stderr.write(`out of date: the rules section of ${GUARDRAILS_DOC}; run npm run guardrails-doc\n`);
    return 1;
  }
  fs.writeFileSync(file, next);
  process.stdout.write(`wrote the rules section of ${GUARDRAILS_DOC} (${RULES.length} rules)\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
