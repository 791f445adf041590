import { EncryptionKey } from '../../../src/security/kms';
import { errorOf, onlyOf, statementsOf, synthConstructs } from '../../helpers/synth';

describe('EncryptionKey', () => {
  it('rotates yearly, has an alias, and a policy giving the account control plus the services it was opened to', () => {
    const granted: any[] = [];
    const { json } = synthConstructs((stack) => {
      const key = new EncryptionKey(stack, 'key', { alias: 'shop-data', description: 'Shop data' });
      key.allowService({ principal: 'cloudwatch.amazonaws.com' });
      key.allowService({ principal: 'cloudwatch.amazonaws.com' });
      key.allowService({ principal: 'events.amazonaws.com', actions: ['kms:Decrypt'] });
      key.grantDecrypt({ addToPolicy: (s) => granted.push(s) });
      key.grantEncryptDecrypt({ addToPolicy: (s) => granted.push(s) });
    });
    const key = onlyOf(json, 'aws_kms_key');
    expect(key).toMatchObject({ description: 'Shop data', enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(onlyOf(json, 'aws_kms_alias')).toMatchObject({ name: 'alias/shop-data', target_key_id: expect.stringMatching(/aws_kms_key\..*\.key_id/) });
    expect(statementsOf(key)).toEqual([
      { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Service1', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
      { Sid: 'Service2', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['kms:Decrypt'], Resource: '*' },
    ]);
    expect(granted.map((s) => s.Action)).toEqual([['kms:Decrypt'], ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']]);
  });

  it('rejects an AWS-reserved alias and a deletion window outside 7-30 days', () => {
    expect(errorOf(() => synthConstructs((stack) => new EncryptionKey(stack, 'key', { alias: 'aws/s3', description: 'x', deletionWindowDays: 3 })))).toBe(
      ['test/key: invalid props:', '  alias: "aws/s3" starts with "aws/", which AWS reserves for its own keys', '  deletionWindowDays: 3 is out of range; allowed: 7 to 30 days'].join('\n'),
    );
  });
});
