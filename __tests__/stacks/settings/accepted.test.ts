/**
 * The other side of the bad-input sweep: values AWS and Terraform take must stay accepted by the
 * stricter rules (cron forms, time zone links, reserved-looking but valid names, escaped template
 * sequences, the documentation account where it stands in for the real one), and a `null` that
 * does remove something keeps working.
 */
import { readOverrides, resolveSettings } from '../../../stacks/settings';
import { STACKS } from '../../../stacks';
import type { KarmacadabraSettings } from '../../../stacks/karmacadabra/settings';
import { errorOf } from '../../helpers/synth';

const OFF_HOURS = { stopSchedule: 'cron(0 20 ? * MON-FRI *)', startSchedule: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' };

/** Resolves one stack's settings (throws the settings error when refused). */
function resolve(stack: string, settings: Record<string, unknown>, remoteState?: unknown): unknown {
  return resolveSettings(STACKS, readOverrides({ context: { remoteState, stacks: { [stack]: settings } } })).stacks.get(stack);
}

const ACCEPTED: readonly [string, string, Record<string, unknown>][] = [
  ['cron increments, lists, L, W and # forms', 'artwork-matcher-demo', { offHours: { ...OFF_HOURS, stopSchedule: 'cron(0/15 18-20 ? JAN,MAR-DEC 2L 2025-2030)', startSchedule: 'cron(30 7 15W * ? *)' } }],
  ['day names in any case, the nth weekday', 'vision-validator', { offHours: { ...OFF_HOURS, stopSchedule: 'cron(0 20 ? * mon-fri *)', startSchedule: 'cron(0 7 ? * 2#1 *)' } }],
  ['a time zone link and an Etc zone', 'artwork-matcher-staging', { offHours: { ...OFF_HOURS, timezone: 'Asia/Kolkata' } }],
  ['a fixed-offset Etc zone', 'artwork-matcher-demo', { offHours: { ...OFF_HOURS, timezone: 'Etc/GMT+9' } }],
  ['a backup schedule with day-of-week "?"', 'artwork-matcher-production', { backup: { schedule: 'cron(0 5 L * ? *)' } }],
  ['bucket names with dots and digits', 'ai-predictor', { s3: { filesBucketName: 'files.predictor-2024', dataBucketName: 's3alias-data' } }],
  ['tag keys with every allowed character', 'state-bootstrap', { tags: { 'Cost Center': 'a', 'team:owner/x=y+z@w': 'b', 'aws-team': 'c' } }],
  ['escaped template sequences', 'karmacadabra', { agents: { validator: { environment: { TEMPLATE: 'Hello $${name}, %%{ok}', PRICE: '$5' } } } }],
  ['zones of regions whose letters skip one', 'artwork-matcher-demo', { region: 'ap-northeast-1', network: { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1d'] } }],
  ['the last zone of us-east-1', 'vision-validator', { network: { availabilityZones: ['us-east-1a', 'us-east-1f'] } }],
  ['regions opened lately', 'ai-predictor', { region: 'ap-southeast-6' }],
  ['NAT instance types of other families', 'artwork-matcher-staging', { network: { natGateways: 'instance', natInstance: { instanceType: 'c7gn.medium' } } }],
  ['a burstable NAT instance', 'karmacadabra', { network: { natGateways: 'instance', natInstance: { instanceType: 't3a.micro' } } }],
  ['a Graviton cache node', 'artwork-matcher-production', { cache: { enabled: true, nodeType: 'cache.r7g.xlarge' } }],
  ['Python handlers in a package or a folder', 'nutrition-video-analysis', { lambdaHandler: 'app/handlers.upload.handler' }],
  ['names and mailboxes that only look like placeholders', 'artwork-matcher-production', { domain: { name: 'todo.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, monitoring: { alarmEmail: 'ops@example.com' } }],
  ['a certificate of the pinned account', 'artwork-matcher-production', { accountId: '210987654321', alb: { certificateArn: 'arn:aws:acm:eu-west-1:210987654321:certificate/abc' } }],
  ['the documentation account in an ARN while the account is the preview one', 'artwork-matcher-production', { accountId: '123456789012', alb: { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } }],
  ['a cross-account KMS key', 'state-bootstrap', { accountId: '210987654321', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }],
  ['zones pinned with a matching azCount', 'artwork-matcher-demo', { network: { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], azCount: 3 } }],
  ['a null that unsets an optional setting', 'ai-predictor', { backend: { healthCheckPath: null, healthCheckStartPeriodSec: 60 } }],
];

describe('values AWS takes stay accepted', () => {
  it.each(ACCEPTED)('%s', (_name, stack, settings) => {
    expect(() => resolve(stack, settings)).not.toThrow();
  });

  it('accepts remote state keys of several parts', () => {
    expect(() => resolve('ai-predictor', { remoteState: { enabled: true, key: 'teams/ai/terraform.tfstate' } }, { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: 'org/prod' })).not.toThrow();
  });

  it('removes a map entry that exists with null', () => {
    const settings = resolve('karmacadabra', { agents: { 'voice-extractor': null } }) as KarmacadabraSettings;
    expect(Object.keys(settings.agents)).toEqual(['validator', 'karma-hello', 'abracadabra', 'skill-extractor']);
  });
});

describe('malformed JSON is reported at its setting', () => {
  it('in the remote state of a context string', () => {
    expect(errorOf(() => readOverrides({ context: '{"remoteState": {"bucket": "state-bucket",}}' }))).toBe(
      'invalid settings for remote state (shared by every stack):\n  remoteState: not valid JSON: trailing comma before "}" (JSON allows none); remove it at line 1, column 42 of cdktf.json context "settings"',
    );
  });

  it('in a list item of a stack', () => {
    expect(errorOf(() => readOverrides({ context: '{"stacks": {"artwork-matcher-demo": {"alb": {"allowedCidrs": ["10.0.0.0/8" "10.1.0.0/16"]}}}}' }))).toBe(
      'invalid settings for stack "artwork-matcher-demo":\n  alb.allowedCidrs: not valid JSON: expected "," or "]" at line 1, column 76 of cdktf.json context "settings"',
    );
  });

  it('at the root, with its position only', () => {
    expect(errorOf(() => readOverrides({ context: '{"stacks": {}} x' }))).toBe('invalid settings in cdktf.json context "settings": not valid JSON: unexpected text after the JSON value at line 1, column 16');
  });
});
