import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { decodeJsonencode, jsonencode } from '../../../src/core/json';
import { fitName, namePrefix } from '../../../src/core/naming';
import { camelCase, didYouMean, show } from '../../../src/core/format';
import { onlyOf, parseField, synthConstructs } from '../../helpers/synth';

describe('jsonencode', () => {
  it('writes a Terraform jsonencode() expression and reads back to the same document, references as ${...}', () => {
    const doc = { a: 'plain', n: 3, t: true, z: null, list: [1, 'two'], nested: { empty: {}, none: [] } };
    const { json } = synthConstructs((stack) => {
      const b = new S3Bucket(stack, 'b', { bucket: 'x' });
      new IamPolicy(stack, 'p', { name: 'p', policy: jsonencode({ ...doc, ref: b.arn, template: `${b.arn}/*`, skipped: undefined }) });
    });
    const raw = onlyOf(json, 'aws_iam_policy').policy as string;
    expect(raw.startsWith('${jsonencode({')).toBe(true);
    expect(parseField(onlyOf(json, 'aws_iam_policy'), 'policy')).toEqual({ ...doc, ref: '${aws_s3_bucket.b.arn}', template: '${aws_s3_bucket.b.arn}/*' });
  });

  it('escapes what HCL would read as syntax inside strings: quotes, backslashes, newlines, template markers', () => {
    const tricky = 'say "hi" \\ now\nnext\t%{if x} ${literal}';
    const { json } = synthConstructs((stack) => new IamPolicy(stack, 'p', { name: 'p', policy: jsonencode({ [`k"${'\\'}`]: tricky }) }));
    expect(parseField(onlyOf(json, 'aws_iam_policy'), 'policy')).toEqual({ 'k"\\': tricky });
  });

  it('reads function calls and nested brackets as expressions, and plain JSON as JSON', () => {
    expect(decodeJsonencode('${jsonencode({"a" = element(["x", "y"], 1), "b" = [aws_x.y.ids[0], "${var.z}-suffix"]})}')).toEqual({
      a: '${element(["x", "y"], 1)}',
      b: ['${aws_x.y.ids[0]}', '${var.z}-suffix'],
    });
    expect(decodeJsonencode('{"plain": [1, 2]}')).toEqual({ plain: [1, 2] });
    expect(() => decodeJsonencode('${jsonencode({"a" = })}')).toThrow(/cannot decode jsonencode expression/);
  });
});

describe('names and messages', () => {
  it('fits names deterministically, and makes name prefixes end in "-"', () => {
    expect(fitName('short', 10)).toBe('short');
    const long = fitName('artwork-matcher-production-embeddings-task', 37);
    expect(long).toHaveLength(37);
    expect(long).toBe(fitName('artwork-matcher-production-embeddings-task', 37));
    expect(long).not.toBe(fitName('artwork-matcher-production-embeddings-exec', 37));
    expect(namePrefix('artwork-matcher-production-embeddings-task', 38)).toMatch(/^artwork-matcher-production-[0-9a-z-]+-$/);
    expect(namePrefix('artwork-matcher-production-embeddings-task', 38)).toHaveLength(38);
  });

  it('shows values briefly, and suggests close or camelCase names', () => {
    expect(show('x'.repeat(100))).toBe(JSON.stringify(`${'x'.repeat(77)}...`));
    expect(show({ a: 'y'.repeat(80) })).toMatch(/\.\.\.$/);
    expect(camelCase('enable_vpc_endpoints')).toBe('enableVpcEndpoints');
    expect(didYouMean('enable_vpc_endpoints', ['enableVpcEndpoints', 'natGateways'])).toBe('; did you mean "enableVpcEndpoints"?');
  });
});
