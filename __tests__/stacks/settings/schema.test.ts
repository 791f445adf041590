import { s } from '../../../stacks/settings';

interface Sample {
  readonly name: string;
  readonly count: number;
  readonly mode: 'a' | 'b';
  readonly cidrs: string[];
  readonly note?: string;
}

const sample = s.object<Sample>(
  {
    name: s.slug(20),
    count: s.number({ min: 1, max: 10 }),
    mode: s.oneOf<'a' | 'b'>(['a', 'b']),
    cidrs: s.array(s.cidr(), { minLength: 1, unique: true }),
    note: s.optional(s.string()),
  },
  (v, issue) => {
    if (v.mode === 'b' && v.count < 2) issue('count', `${v.count} is too small for mode "b"; allowed: 2 or more`);
  },
);
const good: Sample = { name: 'ok', count: 2, mode: 'a', cidrs: ['10.0.0.0/16'] };

describe('settings schema', () => {
  it('accepts a valid value and an unset optional', () => {
    expect(s.validate(sample, good)).toEqual([]);
    expect(s.validate(sample, { ...good, note: null })).toEqual([]);
  });

  it('reports every problem at once, each with its path', () => {
    const issues = s.validate(sample, { name: 'Bad Name', count: 11, mode: 'c', cidrs: ['10.0.0.0/33', 'x'] });
    expect(issues.map((i) => i.path)).toEqual(['name', 'count', 'mode', 'cidrs[0]', 'cidrs[1]']);
    expect(issues[1].message).toBe('11 is out of range; expected a whole number from 1 to 10');
    expect(issues[2].message).toBe('"c" is not allowed; allowed: "a", "b"');
    expect(issues[3].message).toBe('"10.0.0.0/33" is not an IPv4 CIDR block such as "10.0.0.0/16"');
  });

  it('rejects unknown keys with a suggestion', () => {
    const [issue] = s.validate(sample, { ...good, cont: 3 });
    expect(issue).toEqual({ path: 'cont', message: 'unknown setting; did you mean "count"?; allowed: name, count, mode, cidrs, note' });
  });

  it('rejects wrong types and missing required values', () => {
    const issues = s.validate(sample, { ...good, count: '3', cidrs: '10.0.0.0/16', name: undefined });
    expect(issues).toEqual([
      { path: 'name', message: 'is required; expected a name of lowercase letters, digits and "-" (at most 20)' },
      { path: 'count', message: '"3" is a string; expected a whole number from 1 to 10; give the number alone, without units or quotes' },
      { path: 'cidrs', message: '"10.0.0.0/16" is a string; expected a list of items (each an IPv4 CIDR block such as "10.0.0.0/16")' },
    ]);
  });

  it('runs cross-field checks with the field checks, without repeating a problem on the same setting', () => {
    expect(s.validate(sample, { ...good, mode: 'b', count: 1 })).toEqual([{ path: 'count', message: '1 is too small for mode "b"; allowed: 2 or more' }]);
    // count is already out of range: the cross-field problem on count is not added.
    expect(s.validate(sample, { ...good, mode: 'b', count: 0 }).map((i) => i.message)).toEqual(['0 is out of range; expected a whole number from 1 to 10']);
    // A problem elsewhere does not hide the cross-field one.
    expect(s.validate(sample, { ...good, name: 'Bad', mode: 'b', count: 1 }).map((i) => i.path)).toEqual(['name', 'count']);
  });

  it('says to drop the unit when a number is written with one', () => {
    const [issue] = s.validate(s.number({ min: 1, unit: 'MiB' }), '2GB');
    expect(issue.message).toBe('"2GB" is a string; expected a whole number of at least 1 (MiB); give the number alone in MiB, without units or quotes');
    expect(s.validate(s.oneOf([7, 30]), '30d')[0].message).toBe('"30d" is not allowed; give a number without units or quotes; allowed: 7, 30');
  });

  it('fills new map entries from their template, so a new entry names only what differs', () => {
    const agent = s.object<{ cpu: number; port: number }>({ cpu: s.number(), port: s.number() });
    const agents = s.record(agent, { defaults: { cpu: 256, port: 8000 } });
    const filled = s.fill(agents, { a: { port: 9000 }, b: {} });
    expect(filled).toEqual({ a: { cpu: 256, port: 9000 }, b: { cpu: 256, port: 8000 } });
    expect(s.validate(agents, filled)).toEqual([]);
    expect(s.validate(agents, { a: { port: 9000 } }).map((i) => i.path)).toEqual(['a.cpu']);
  });

  it('describes every schema as a JSON Schema fragment', () => {
    expect(sample.jsonSchema).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'count', 'mode', 'cidrs'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$', maxLength: 20 },
        count: { type: 'integer', minimum: 1, maximum: 10 },
        mode: { enum: ['a', 'b'] },
        cidrs: { type: 'array', items: expect.objectContaining({ type: 'string' }), minItems: 1, uniqueItems: true },
        note: { type: 'string' },
      },
    });
  });

  it('rejects duplicates in unique lists and non-integers', () => {
    expect(s.validate(sample, { ...good, cidrs: ['10.0.0.0/16', '10.0.0.0/16'] })).toEqual([{ path: 'cidrs[1]', message: '"10.0.0.0/16" is repeated; items must be unique' }]);
    expect(s.validate(s.number({ min: 0 }), 1.5)[0].message).toBe('1.5 is not a whole number; expected a whole number of at least 0');
  });

  it('checks regions, ARNs, e-mails, bucket names and tags', () => {
    expect(s.validate(s.region(), 'eu-west-1')).toEqual([]);
    expect(s.validate(s.region(), 'europe-1')[0].message).toBe('"europe-1" is not an AWS region such as "eu-west-1"');
    expect(s.validate(s.arn('acm'), 'arn:aws:acm:eu-west-1:123456789012:certificate/abc')).toEqual([]);
    expect(s.validate(s.arn('acm'), 'arn:aws:iam::123456789012:role/x')[0].message).toContain('is not an ARN of acm');
    expect(s.validate(s.email(), 'ops@example.com')).toEqual([]);
    expect(s.validate(s.email(), 'ops')).toHaveLength(1);
    expect(s.validate(s.bucketName(), 'My_Bucket')).toHaveLength(1);
    expect(s.validate(s.tags(), { 'aws:x': 'y' })[0].path).toBe('aws:x');
  });

  it('suggests only close names, and the camelCase form of the documents\' snake_case variables', () => {
    expect(s.didYouMean('gatewy', ['gateway', 'search'])).toBe('; did you mean "gateway"?');
    expect(s.didYouMean('zzzzzz', ['gateway', 'search'])).toBe('');
    expect(s.didYouMean('desired_capacity', ['desiredCapacity', 'minSize'])).toBe('; did you mean "desiredCapacity"?');
  });
});
