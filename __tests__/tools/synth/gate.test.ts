/**
 * The production gate as a user meets it: with defaults every stack synthesizes, each summary
 * shows the open gate findings (a production load balancer without HTTPS, alarms nobody
 * receives) with the setting that closes them; `--gate` (what `npm run deploy` runs first)
 * refuses a production stack until the setting is given or the finding is accepted with a
 * written reason, which every summary then shows; other environments pass.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { check, isOpenGate } from '../../../tools/guardrails';
import { checkGate, reportLines } from '../../../tools/synth/command';
import { globMatches } from '../../../tools/glob';
import { STACKS } from '../../../stacks';
import { buildStack, errorOf, synth } from '../../helpers/synth';
import { useTempDirs } from '../../helpers/temp';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const tempDir = useTempDirs();

/** The stack's synthesis as `synthesize` reports it, built with `overrides`. */
function synthesis(name: string, overrides: Record<string, unknown> = {}) {
  const stack = buildStack<TerraformStack & { environment: string }>(name, { stacks: { [name]: overrides } });
  const { document } = synth(stack);
  return { stack: name, resources: 0, environment: stack.environment, report: { stack: name, findings: check(document) } };
}

const open = (s: ReturnType<typeof synthesis>) => s.report.findings.filter(isOpenGate).map((f) => [f.rule, f.closeWith]);

describe('the production gate with defaults', () => {
  it('shows each production stack\'s open findings with the settings that close them, and refuses them', () => {
    const vision = synthesis('vision-validator');
    expect(open(vision)).toEqual([
      ['AWS-ALB-008', 'stacks.vision-validator.domain or stacks.vision-validator.alb.certificateArn'],
      ['AWS-SNS-004', 'stacks.vision-validator.monitoring.alarmEmail or stacks.vision-validator.monitoring.alarmTopicArn'],
    ]);
    const lines = reportLines([vision], false);
    expect(lines[0]).toMatch(/^vision-validator: 0 resources; guardrails: 2 findings, \d+ suppressed$/);
    expect(lines.find((l) => l.includes('AWS-ALB-008'))).toMatch(/ gate +alb\/this +aws_lb\.\S+ +serves plain HTTP only in the production environment.*; close it with stacks\.vision-validator\.domain or stacks\.vision-validator\.alb\.certificateArn, or accept it with a written reason in stacks\.vision-validator\.guardrails\.accept\.AWS-ALB-008$/);
    const refusal = errorOf(() => checkGate([vision]));
    expect(refusal.split('\n').slice(0, 2)).toEqual(['production gate: deploy refused until each open finding is closed or accepted with a written reason:', 'vision-validator (environment "production"):']);
    expect(refusal).toContain('  AWS-SNS-004 monitoring/alarms/this: receives 6 alarms but has no subscription: they reach nobody; close it with stacks.vision-validator.monitoring.alarmEmail or stacks.vision-validator.monitoring.alarmTopicArn');
  });

  it('holds every production stack of the app, and no other (their open findings are shown, not refused)', () => {
    const blocked: string[] = [];
    for (const def of STACKS) {
      const s = synthesis(def.name);
      try {
        checkGate([s]);
      } catch {
        blocked.push(def.name);
      }
      // Every gate finding names the setting that closes it.
      for (const f of s.report.findings.filter(isOpenGate)) expect([def.name, f.rule, f.closeWith]).toEqual([def.name, f.rule, expect.stringMatching(new RegExp(`^stacks\\.${def.name}\\.`))]);
    }
    expect(blocked).toEqual(['artwork-matcher-production', 'vision-validator', 'karmacadabra']);
    expect(open(synthesis('artwork-matcher-demo')).map(([rule]) => rule)).toEqual(['AWS-SNS-004']);
  });
});

describe('closing the gate', () => {
  it('passes once the user gives a domain or certificate and an alarm recipient', () => {
    const closed = synthesis('vision-validator', { alb: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' }, monitoring: { alarmEmail: 'oncall@vision.example.org' } });
    expect(open(closed)).toEqual([]);
    expect(() => checkGate([closed])).not.toThrow();
  });

  it('takes an existing alarm topic instead of the stack\'s own: the alarms go there, no topic or key is made', () => {
    const arn = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const stack = buildStack<TerraformStack>('karmacadabra', { stacks: { karmacadabra: { monitoring: { alarmTopicArn: arn } } } });
    const { json, document } = synth(stack);
    expect(json.resource!.aws_sns_topic).toBeUndefined();
    // One key, the stack's (logs and secrets): no key of an alarm topic of its own.
    expect(Object.keys(json.resource!.aws_kms_key ?? {})).toEqual(['key_F64E54E4']);
    const alarms = Object.values(json.resource!.aws_cloudwatch_metric_alarm) as { alarm_actions: string[] }[];
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) expect(a.alarm_actions).toEqual([arn]);
    expect(check(document).filter(isOpenGate).map((f) => f.rule)).toEqual(['AWS-ALB-008']);
  });

  it('refuses an e-mail beside an existing topic (it can only be subscribed where that topic is managed)', () => {
    expect(errorOf(() => buildStack('ai-predictor', { stacks: { 'ai-predictor': { monitoring: { alarmEmail: 'ops@predictor.example.org', alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:oncall' } } } }))).toBe(
      'invalid settings for stack "ai-predictor":\n  monitoring.alarmEmail: cannot be subscribed to alarmTopicArn, a topic managed elsewhere; subscribe "ops@predictor.example.org" where that topic is managed, or remove alarmTopicArn',
    );
  });
});

describe('accepting a gate finding', () => {
  const reason = 'TLS ends at the company proxy in front of the load balancer';

  it('lets the production stack deploy, and every summary shows the finding as accepted with the reason', () => {
    const accepted = synthesis('karmacadabra', { monitoring: { alarmEmail: 'ops@karma.example.org' }, guardrails: { accept: { 'AWS-ALB-008': reason } } });
    expect(open(accepted)).toEqual([]);
    expect(() => checkGate([accepted])).not.toThrow();
    const lines = reportLines([accepted], false);
    expect(lines[0]).toMatch(/^karmacadabra: 0 resources; guardrails: 0 findings, \d+ suppressed, 1 accepted$/);
    expect(lines[2]).toMatch(new RegExp(`^ {2}AWS-ALB-008 +accepted +alb/this +.*\\(accepted: ${reason}\\)$`));
  });

  it('needs a reason, a rule id, and a gate rule (another finding is fixed, not accepted)', () => {
    const at = (accept: Record<string, string>) => errorOf(() => synthesis('vision-validator', { guardrails: { accept } }));
    expect(at({ 'AWS-ALB-008': 'ok' })).toBe('invalid settings for stack "vision-validator":\n  guardrails.accept.AWS-ALB-008: "ok" is too short; expected a written reason of at least 20 characters');
    expect(at({ 'ALB-008': reason })).toBe('invalid settings for stack "vision-validator":\n  guardrails.accept.ALB-008: "ALB-008" is not a guardrails rule id such as "AWS-SNS-004"');
    expect(at({ 'AWS-SNS-04': reason })).toBe('invalid settings for stack "vision-validator":\n  guardrails.accept.AWS-SNS-04: "AWS-SNS-04" is not a guardrails rule id such as "AWS-SNS-004"');
    expect(at({ 'AWS-SNS-005': reason })).toBe('vision-validator: stacks.vision-validator.guardrails.accept: "AWS-SNS-005" is not a rule; did you mean "AWS-SNS-001"?; rules are listed in docs/guardrails.md');
    expect(at({ 'AWS-S3-001': reason })).toBe('vision-validator: stacks.vision-validator.guardrails.accept: AWS-S3-001 is not a production-gate rule (only AWS-ALB-008, AWS-SNS-004, AWS-API-008 can be accepted); fix its finding instead');
  });
});

describe('npm run deploy', () => {
  it('stops at the gate before the cdktf CLI runs, and says what to set', () => {
    const out = tempDir('deploy-gate-');
    const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'tools/cdktf.ts', 'deploy', 'artwork-matcher-production', '--auto-approve'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('production gate: deploy refused');
    expect(r.stderr).toContain('close it with stacks.artwork-matcher-production.domain or stacks.artwork-matcher-production.alb.certificateArn or stacks.artwork-matcher-production.cloudfront.enabled');
    // The cdktf CLI never started (it would print its own lines and need Terraform).
    expect(r.stdout).not.toMatch(/Deploying|Synthesizing|terraform init/i);
    expect(fs.readdirSync(path.join(out, 'stacks'))).toEqual(['artwork-matcher-production']);
  });
});

describe('the stacks npm run deploy gates', () => {
  it('are the ones cdktf deploys: names and glob patterns', () => {
    const picked = (pattern: string) => STACKS.map((d) => d.name).filter((n) => globMatches(pattern, n));
    expect(picked('*-staging')).toEqual(['artwork-matcher-staging']);
    expect(picked('artwork-matcher-*')).toEqual(['artwork-matcher-demo', 'artwork-matcher-staging', 'artwork-matcher-production']);
    expect(picked('karmacadabra')).toEqual(['karmacadabra']);
    expect(picked('vision?validator')).toEqual(['vision-validator']);
    expect(picked('vision.validator')).toEqual([]);
  });
});
