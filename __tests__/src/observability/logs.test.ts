import { EncryptionKey } from '../../../src/security/kms';
import { LogGroup } from '../../../src/observability/logs';
import { errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('LogGroup', () => {
  it('keeps events 30 days by default and can be encrypted with a key that lets CloudWatch Logs use it for this group only', () => {
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'logs', description: 'logs' });
      new LogGroup(stack, 'logs', { name: '/ecs/shop', kmsKey: key });
    });
    expect(onlyOf(json, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/ecs/shop', retention_in_days: 30, kms_key_id: expect.stringMatching(/aws_kms_key\..*\.arn/) });
    expect(statementsOf(onlyOf(json, 'aws_kms_key'))[1]).toMatchObject({
      Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/shop' } },
    });
  });

  it('grants writing to its streams, and rejects a retention CloudWatch does not offer', () => {
    const granted: any[] = [];
    synthConstructs((stack) => new LogGroup(stack, 'logs', { name: '/x' }).grantWrite({ addToPolicy: (s) => granted.push(s) }));
    expect(granted).toEqual([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.stringMatching(/:\*$/) }]);
    expect(errorOf(() => synthConstructs((stack) => new LogGroup(stack, 'logs', { name: '/x', retentionDays: 10 })))).toMatch(/^test\/logs: retentionDays: 10 is not a CloudWatch retention; allowed: 1, 3, 5, 7, 14, 30/);
  });
});
