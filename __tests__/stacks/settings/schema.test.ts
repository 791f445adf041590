import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { s } from '../../../stacks/settings';

const sample = s.object(
  {
    name: s.slug(20, { description: 'A name.' }),
    count: s.number({ min: 1, max: 10, description: 'How many.', default: 2 }),
    mode: s.oneOf(['a', 'b'], { description: 'The mode.' }),
    cidrs: s.array(s.cidr(), { minLength: 1, unique: true, description: 'Some blocks.' }),
    note: s.optional(s.string({ description: 'A note.' })),
  },
  {
    refine: (v, issue) => {
      if (v.mode === 'b' && v.count < 2) issue('count', `${v.count} is too small for mode "b"; allowed: 2 or more`);
    },
  },
);
type Sample = s.Static<typeof sample>;
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
      { path: 'name', message: 'is required; expected a name of lowercase letters, digits and "-" of at most 20 characters' },
      { path: 'count', message: '"3" is a string; expected a whole number from 1 to 10; give the number alone, without units or quotes' },
      { path: 'cidrs', message: '"10.0.0.0/16" is a string; expected a list of items (each an IPv4 CIDR block such as "10.0.0.0/16")' },
    ]);
  });

  it('says how long a string may be, once', () => {
    expect(s.validate(sample, { ...good, name: 'a'.repeat(21) })[0].message).toBe(`"${'a'.repeat(21)}" is too long (21 characters); expected a name of lowercase letters, digits and "-" of at most 20 characters`);
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
    const agent = s.object({ cpu: s.number(), port: s.number() });
    const agents = s.record(agent, { defaults: { cpu: 256, port: 8000 } });
    const filled = s.fill(agents, { a: { port: 9000 }, b: {} });
    expect(filled).toEqual({ a: { cpu: 256, port: 9000 }, b: { cpu: 256, port: 8000 } });
    expect(s.validate(agents, filled)).toEqual([]);
    expect(s.validate(agents, { a: { port: 9000 } }).map((i) => i.path)).toEqual(['a.cpu']);
  });

  it('reports every key of a map outside its pattern, checks their entries too, and refuses a null entry', () => {
    const env = s.environmentVariables();
    expect(s.validate(env, { '1A': 'x', 'B-C': 5, OK: null })).toEqual([
      { path: '1A', message: '"1A" is not an environment variable name (letters, digits and "_", not starting with a digit)' },
      { path: 'B-C', message: '"B-C" is not an environment variable name (letters, digits and "_", not starting with a digit)' },
      { path: 'B-C', message: '5 is a number; expected a string value of at most 4096 characters' },
      { path: 'OK', message: 'is required; expected a string value of at most 4096 characters' },
    ]);
    expect(s.validate(s.record(s.number(), { maxEntries: 1 }), { a: 1, b: 2 })).toEqual([{ path: '', message: 'has 2 entries; expected at most 1' }]);
  });

  it('is TypeBox: the schema is JSON Schema with descriptions and defaults, and the kit\'s words never show in it', () => {
    expect(JSON.parse(JSON.stringify(sample))).toEqual({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'count', 'mode', 'cidrs'],
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$', maxLength: 20, description: 'A name.' },
        count: { type: 'integer', minimum: 1, maximum: 10, description: 'How many.', default: 2 },
        mode: { anyOf: [{ type: 'string', const: 'a' }, { type: 'string', const: 'b' }], description: 'The mode.' },
        cidrs: { type: 'array', items: expect.objectContaining({ type: 'string' }), minItems: 1, uniqueItems: true, description: 'Some blocks.' },
        note: { type: 'string', description: 'A note.' },
      },
    });
    // TypeBox's own validator agrees with the messages.
    expect(Value.Check(sample, good)).toBe(true);
    expect(Value.Check(sample, { ...good, count: 11 })).toBe(false);
  });

  it('never drops an error of a schema the kit does not build: TypeBox\'s own message, at its path', () => {
    expect(s.validate(Type.Tuple([Type.String()]), [1])).toEqual([{ path: '0', message: '1: Expected string' }]);
  });

  it('gives the declared defaults as a value, and per-use defaults over a shape', () => {
    expect(s.defaultsOf(sample)).toEqual({ count: 2 });
    const sized = s.withDefaults(sample, { name: 'x', cidrs: ['10.0.0.0/8'] });
    expect(s.defaultsOf(sized)).toEqual({ name: 'x', count: 2, cidrs: ['10.0.0.0/8'] });
    const nested = s.object({ inner: s.object({ a: s.number() }), extra: s.optional(s.object({ b: s.number() })) });
    expect(s.defaultsOf(s.withDefaults(nested, { inner: { a: 1 }, extra: { b: 2 } }))).toEqual({ inner: { a: 1 }, extra: { b: 2 } });
    expect(s.documented(s.boolean(), { description: 'On.', default: true })).toMatchObject({ type: 'boolean', description: 'On.', default: true });
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

  it('suggests the region meant by a region written another way, and nothing for a region that merely looks alike', () => {
    const hint = (value: string) => s.validate(s.region(), value)[0].message;
    expect(hint('us-west2')).toBe('"us-west2" is not an AWS region such as "eu-west-1"; did you mean "us-west-2"?');
    expect(hint('EU_WEST_1')).toBe('"EU_WEST_1" is not an AWS region such as "eu-west-1"; did you mean "eu-west-1"?');
    expect(hint('eu-central-1a')).toBe('"eu-central-1a" is not an AWS region such as "eu-west-1"; did you mean "eu-central-1"?');
    expect(hint('eu-west-9x')).toBe('"eu-west-9x" is not an AWS region such as "eu-west-1"');
  });

  it('suggests only close names, and the camelCase form of the documents\' snake_case variables', () => {
    expect(s.didYouMean('gatewy', ['gateway', 'search'])).toBe('; did you mean "gateway"?');
    expect(s.didYouMean('zzzzzz', ['gateway', 'search'])).toBe('');
    expect(s.didYouMean('desired_capacity', ['desiredCapacity', 'minSize'])).toBe('; did you mean "desiredCapacity"?');
  });
});
