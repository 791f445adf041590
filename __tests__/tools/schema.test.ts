import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { readOverrides } from '../../stacks/settings';
import { STACK_NAMES, resolveAppSettings } from '../../stacks';
import { SCHEMA_FILE, generatedFiles } from '../../tools/schema';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const generated = generatedFiles();
const schema = JSON.parse(generated[SCHEMA_FILE]);
// No code optimisation: a third of the compile time of this 280 KB schema, and the same answers.
const validate = new Ajv2020({ allErrors: true, strict: true, code: { optimize: false }, inlineRefs: false }).compile(schema);

function resolveFile(file: string): void {
  resolveAppSettings(readOverrides({ file }));
}

describe('published settings schema', () => {
  test('the committed schema is what `npm run schema` generates from the code', () => {
    const committed = fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8');
    expect(committed).toBe(generated[SCHEMA_FILE]);
  });

  test('covers every stack, and every field, map entry and list item object has a real description', () => {
    expect(Object.keys(schema.properties.stacks.properties)).toEqual([...STACK_NAMES]);
    const missing: string[] = [];
    // A description must say something: not the key, not a placeholder such as `The entry "cpu".`
    const real = (text: unknown, key: string) => typeof text === 'string' && text.length >= 12 && text !== key && !/^The entry\b/.test(text);
    const walk = (node: any, at: string): void => {
      for (const [key, prop] of Object.entries<any>(node?.properties ?? {})) {
        if (!real(prop.description, key)) missing.push(`${at}.${key}: ${JSON.stringify(prop.description)}`);
        walk(prop, `${at}.${key}`);
      }
      for (const [pattern, entry] of Object.entries<any>(node?.patternProperties ?? {})) {
        if (entry.type === 'object' && !real(entry.description, pattern)) missing.push(`${at}.<${pattern}>: ${JSON.stringify(entry.description)}`);
        walk(entry, `${at}.<entry>`);
      }
      if (node?.items?.type === 'object' && !real(node.items.description, '')) missing.push(`${at}[]: ${JSON.stringify(node.items.description)}`);
      if (node?.items) walk(node.items, `${at}[]`);
    };
    walk(schema, '');
    expect(missing).toEqual([]);
    expect(generated[SCHEMA_FILE]).not.toMatch(/The entry "/);
  });

  test('is the declarations as JSON Schema: no TSDoc scraping, no kit metadata', () => {
    const source = fs.readFileSync(path.join(ROOT, 'tools', 'schema.ts'), 'utf8');
    expect(source).not.toMatch(/typescript|getJSDoc/);
    const karma = schema.properties.stacks.properties.karmacadabra.properties;
    expect(karma.agents.patternProperties['^[a-z][a-z0-9-]{0,30}[a-z0-9]$'].properties.port.description).toMatch(/A new agent must name it/);
    expect(karma.network.properties.natGateways).toMatchObject({ enum: ['none', 'single', 'perAz', 'instance'], default: 'single' });
  });

  test('carries the defaults the stacks use', () => {
    const production = schema.properties.stacks.properties['artwork-matcher-production'].properties;
    expect(production.services.properties.gateway.properties.cpu.default).toBe(512);
    expect(production.ecr.properties.imageTagMutability.default).toBe('IMMUTABLE');
    const demo = schema.properties.stacks.properties['artwork-matcher-demo'].properties;
    expect(demo.network.properties.natGateways.default).toBe('instance');
  });
});

describe('example settings files', () => {
  const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  test('there is one per stack', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...STACK_NAMES].sort());
  });

  test.each(files)('%s validates against the schema and resolves', (file) => {
    const full = path.join(EXAMPLES, file);
    const doc = JSON.parse(fs.readFileSync(full, 'utf8'));
    expect(doc.$schema).toBe(`../${SCHEMA_FILE}`);
    expect(Object.keys(doc.stacks)).toEqual([file.replace(/\.json$/, '')]);
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(() => resolveFile(full)).not.toThrow();
  });
});

describe('the schema rejects what synth rejects', () => {
  // Rules JSON Schema cannot state (cron ranges, time zone names, host bits, placeholders,
  // template sequences, tag keys equal but for case, cross-field checks) are synth's alone.
  const cases: [string, unknown][] = [
    ['a misspelt field', { stacks: { 'artwork-matcher-demo': { imageTags: 'v1' } } }],
    ['an unknown stack', { stacks: { 'artwork-matcher-prod': {} } }],
    ['a value outside an enum', { stacks: { 'artwork-matcher-demo': { network: { natGateways: 'two' } } } }],
    ['a number out of range', { stacks: { 'artwork-matcher-demo': { services: { gateway: { cpuTarget: 150 } } } } }],
    ['a malformed CIDR', { stacks: { 'artwork-matcher-demo': { alb: { allowedCidrs: ['10.0.0.0/33'] } } } }],
    ['a wrong type', { stacks: { 'state-bootstrap': { protect: 'yes' } } }],
    ['a remote state without a bucket', { remoteState: { region: 'eu-west-1' } }],
    ['a map key outside its pattern', { stacks: { karmacadabra: { agents: { Market_Maker: { port: 9006 } } } } }],
    ['a tag the stack sets itself', { stacks: { 'state-bootstrap': { tags: { Project: 'x' } } } }],
    ['a string too long', { stacks: { 'vision-validator': { environment: 'a'.repeat(33) } } }],
    ['a region AWS does not have', { stacks: { 'state-bootstrap': { region: 'eu-north-9' } } }],
    ['a zone letter its region does not have', { stacks: { 'artwork-matcher-demo': { network: { availabilityZones: ['eu-west-1a', 'eu-west-1d'] } } } }],
    ['a bucket name formatted as an IP address', { stacks: { 'state-bootstrap': { bucketName: '192.168.1.1' } } }],
    ['a reserved bucket suffix', { remoteState: { bucket: 'state-s3alias', region: 'eu-west-1' } }],
    ['a tag key with a character AWS refuses', { stacks: { karmacadabra: { tags: { 'cost#center': 'x' } } } }],
    ['a VPC prefix the subnets cannot be cut from', { stacks: { 'ai-predictor': { network: { vpcCidr: '10.0.0.0/26' } } } }],
    ['an EC2 instance family that does not exist', { stacks: { 'artwork-matcher-demo': { network: { natInstance: { instanceType: 't4.nano' } } } } }],
    ['an ElastiCache node size its family lacks', { stacks: { 'artwork-matcher-production': { cache: { enabled: true, nodeType: 'cache.t4g.large' } } } }],
    ['a Python handler with the file extension', { stacks: { 'nutrition-video-analysis': { lambdaHandler: 'index.py.handler' } } }],
    ['a branch written as its ref', { stacks: { 'artwork-matcher-production': { cicd: { githubRepository: 'acme/x', branches: ['refs/heads/main'] } } } }],
    ['a state key prefix with a leading "/"', { remoteState: { bucket: 'state-bucket', region: 'eu-west-1', keyPrefix: '/states' } }],
  ];
  test.each(cases)('%s', (_name, doc) => {
    expect(validate(doc)).toBe(false);
    expect(() => resolveAppSettings(readOverrides({ context: doc }))).toThrow(/invalid settings/);
  });
});
