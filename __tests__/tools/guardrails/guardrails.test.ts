/**
 * The guardrails as a user meets them: `Guardrails.suppress` (required reason, known rule, covers
 * the construct and what is below it, written into the synthesized JSON), the report table, and
 * `synthesize` failing on an error-severity finding with that table (exit 1 through runOrExit) and
 * printing warnings.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsStack } from '../../../src/core/aws-stack';
import { synthesize } from '../../../tools/synth';
import { Guardrails } from '../../../src/core/suppressions';
import { GuardrailsError, check, formatStack } from '../../../tools/guardrails';
import { errorOf, synth, testStack } from '../../helpers/synth';

function withQueue(stack: AwsStack): Construct {
  const group = new Construct(stack, 'jobs');
  new SqsQueue(group, 'this', { name: 'jobs', sqsManagedSseEnabled: true });
  return group;
}

describe('Guardrails.suppress', () => {
  it('needs a rule that exists (checked with the synthesized document) and a reason a reviewer can read', () => {
    const typo = testStack();
    Guardrails.suppress(typo, 'AWS-SQS-02', 'the queue is a dead-letter queue of another stack');
    expect(errorOf(() => check(synth(typo).document))).toBe('test: guardrails suppression: "AWS-SQS-02" is not a rule; did you mean "AWS-SQS-002"?; rules are listed in docs/guardrails.md');
    const stack = testStack();
    expect(errorOf(() => Guardrails.suppress(stack, 'AWS-SQS-002', 'ok'))).toBe('test: guardrails suppression of AWS-SQS-002: reason "ok" is too short; say why the finding is intended (at least 20 characters)');
    Guardrails.suppress(stack, 'AWS-SQS-002', 'the queue is a dead-letter queue of another stack');
    expect(errorOf(() => Guardrails.suppress(stack, 'AWS-SQS-002', 'the queue is a dead-letter queue of another stack'))).toBe('test: guardrails suppression: AWS-SQS-002 is already suppressed here');
  });

  it('is written into the synthesized document and covers the construct and everything below it only', () => {
    const stack = testStack();
    const group = withQueue(stack);
    new SqsQueue(stack, 'other', { name: 'other', sqsManagedSseEnabled: true });
    Guardrails.suppress(group, 'AWS-SQS-002', 'the consumer keeps its own failure record in the jobs table');
    const doc = synth(stack).document;
    expect(doc['//'].guardrails).toEqual({ suppressions: [{ path: 'test/jobs', rule: 'AWS-SQS-002', reason: 'the consumer keeps its own failure record in the jobs table' }] });
    const dlq = check(doc).filter((f) => f.rule === 'AWS-SQS-002');
    expect(dlq.map((f) => [f.path, f.suppressed])).toEqual([
      ['test/jobs/this', 'the consumer keeps its own failure record in the jobs table'],
      ['test/other', undefined],
    ]);
  });

  it('writes nothing into a stack without suppressions', () => {
    const stack = testStack();
    withQueue(stack);
    expect(synth(stack).document['//'].guardrails).toBeUndefined();
  });
});

describe('the report', () => {
  it('is a table per stack: rule, level, resource path, address, message; errors first, suppressed last with the reason', () => {
    const stack = testStack();
    const group = withQueue(stack);
    new CloudwatchLogGroup(stack, 'logs', { name: '/x' });
    Guardrails.suppress(group, 'AWS-SQS-003', 'the queue is reached through a VPC endpoint policy that requires TLS');
    const text = formatStack({ stack: 'test', findings: check(synth(stack).document) });
    expect(text.split('\n')).toEqual([
      'guardrails test: 2 errors, 1 warning, 1 suppressed',
      expect.stringMatching(/^ {2}RULE +LEVEL +RESOURCE +ADDRESS +MESSAGE$/),
      expect.stringMatching(/^ {2}AWS-LOG-001 +error +logs +aws_cloudwatch_log_group\.logs +keeps logs forever \(no retention_in_days\)$/),
      expect.stringMatching(/^ {2}AWS-LOG-002 +error +logs +aws_cloudwatch_log_group\.logs +is encrypted with CloudWatch Logs' own key only \(no kms_key_id\)$/),
      expect.stringMatching(/^ {2}AWS-SQS-002 +warning +jobs\/this +aws_sqs_queue\.jobs_this_[0-9A-F]+ +has no dead-letter queue/),
      expect.stringMatching(/^ {2}AWS-SQS-003 +suppressed +jobs\/this .*\(suppressed: the queue is reached through a VPC endpoint policy that requires TLS\)$/),
    ]);
  });
});

describe('synthesize', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  function app(build: (stack: AwsStack) => void): App {
    const a = new App({ outdir });
    build(new AwsStack(a, 'bad', { region: 'eu-west-1', project: 'p', environment: 'dev', accountId: '123456789012' }));
    return a;
  }

  it('fails on an error-severity finding with the table, and leaves no configuration of that stack', () => {
    const a = app((stack) => new S3Bucket(stack, 'data', { bucket: 'data' }));
    let error: unknown;
    try {
      synthesize(a, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailsError);
    const message = (error as Error).message;
    expect(message).toMatch(/^guardrails: 1 stack breaks error-severity rules/);
    expect(message).toContain('guardrails bad: 3 errors, 3 warnings');
    expect(message).toMatch(/AWS-S3-002 +error +data +aws_s3_bucket\.data +has no aws_s3_bucket_public_access_block/);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'bad', 'cdk.tf.json'))).toBe(false);
  });

  it('prints warnings and suppressions and writes the stack', () => {
    const lines: string[] = [];
    const a = app((stack) => {
      const group = withQueue(stack);
      Guardrails.suppress(group, 'AWS-SQS-003', 'the queue is reached through a VPC endpoint policy that requires TLS');
    });
    synthesize(a, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/guardrails bad: 1 warning, 1 suppressed\n.*\n {2}AWS-SQS-002 +warning/);
    expect(lines[lines.length - 1]).toMatch(/^guardrails: \d+ rules over 1 stack: 1 warning, 1 suppressed$/);
    const written = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'bad', 'cdk.tf.json'), 'utf8'));
    expect(written['//'].guardrails.suppressions).toHaveLength(1);
  });
});
