import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SettingsError, deepMerge, describeSources, readOverrides, resolveSettings } from '../../../stacks/settings';
import { STACKS, buildApp } from '../../../stacks';
import { errorOf, testApp } from '../../helpers/synth';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function tmpFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
  const file = path.join(dir, 'settings.json');
  fs.writeFileSync(file, content);
  return file;
}

function resolve(overrides: unknown) {
  return resolveSettings(STACKS, readOverrides({ context: overrides }));
}

describe('settings loading', () => {
  it('uses the defaults when nothing is overridden', () => {
    const resolved = resolve({});
    expect(resolved.shared.remoteState).toBeUndefined();
    expect(resolved.stacks.get('state-bootstrap')).toMatchObject({ region: 'eu-west-1', lockTableName: 'terraform-state-lock', adoptExisting: false });
  });

  it('deep-merges objects, replaces arrays and scalars, and null unsets', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, l: [1, 2], k: 'x' }, { a: { c: 3 }, l: [9], k: null })).toEqual({ a: { b: 1, c: 3 }, l: [9] });
  });

  it('layers the settings file over the cdktf.json context', () => {
    const file = tmpFile(JSON.stringify({ stacks: { 'state-bootstrap': { region: 'us-east-1' } } }));
    const overrides = readOverrides({ context: { stacks: { 'state-bootstrap': { region: 'eu-central-1', protect: false } } }, file });
    const settings = resolveSettings(STACKS, overrides).stacks.get('state-bootstrap');
    expect(settings).toMatchObject({ region: 'us-east-1', protect: false });
  });

  it('accepts context given as a JSON string', () => {
    expect(readOverrides({ context: '{"stacks":{}}' })).toEqual({ stacks: {} });
  });

  it('rejects a settings document that is null, a list or a string, naming its source', () => {
    expect(errorOf(() => readOverrides({ file: tmpFile('null') }))).toMatch(/^invalid settings in settings file .*settings\.json \(from STACK_SETTINGS_FILE\): holds null; expected an object/);
    expect(errorOf(() => readOverrides({ file: tmpFile('[]') }))).toMatch(/: \[\] is a list; expected an object \{"remoteState"/);
    expect(errorOf(() => readOverrides({ context: [] }))).toMatch(/^invalid settings in cdktf.json context "settings": \[\] is a list/);
    expect(errorOf(() => resolve({ stacks: { 'state-bootstrap': null } }))).toBe('invalid settings for stack "state-bootstrap":\n  stacks.state-bootstrap: holds null; expected an object of settings such as {"region": "eu-west-1"}');
  });

  it('rejects a key written twice in the settings file, with both positions', () => {
    const file = tmpFile('{\n  "stacks": {\n    "state-bootstrap": { "region": "eu-west-1", "region": "us-east-1" }\n  }\n}');
    expect(errorOf(() => readOverrides({ file }))).toMatch(
      /^invalid settings for stack "state-bootstrap":\n {2}region: not valid JSON: duplicate key "region" \(first at line 3, column 26\); a key may appear once per object at line 3, column 49 of settings file .*settings\.json \(from STACK_SETTINGS_FILE\)$/,
    );
  });

  it('says which sources were read, and notices a misspelt variable', () => {
    expect(describeSources({}, {})).toBe('settings: defaults only (no cdktf.json context, STACK_SETTINGS_FILE not set)');
    expect(describeSources({ context: { stacks: {} }, file: 'prod.json' }, {})).toBe('settings: cdktf.json context "settings", then prod.json (STACK_SETTINGS_FILE)');
    expect(describeSources({}, { STACK_SETTING_FILE: 'prod.json' })).toBe(
      'settings: defaults only (no cdktf.json context, STACK_SETTINGS_FILE not set); STACK_SETTING_FILE is set but not read; did you mean "STACK_SETTINGS_FILE"?',
    );
  });

  // Six kinds of bad input, each with the promised message: stack, path, value, what is allowed.
  it.each([
    ['wrong type', { stacks: { 'state-bootstrap': { protect: 'yes' } } }, '  protect: "yes" is a string; expected true or false'],
    ['unknown key with a suggestion', { stacks: { 'state-bootstrap': { bucketNmae: 'x' } } }, '  bucketNmae: unknown setting; did you mean "bucketName"?'],
    ['out-of-range number', { stacks: { 'state-bootstrap': { noncurrentVersionExpirationDays: 0 } } }, '  noncurrentVersionExpirationDays: 0 is out of range; expected a whole number from 1 to 36500 (days)'],
    ['malformed region', { stacks: { 'state-bootstrap': { region: 'mars-1' } } }, '  region: "mars-1" is not an AWS region such as "eu-west-1"'],
    ['malformed ARN', { stacks: { 'state-bootstrap': { kmsKeyArn: 'key/123' } } }, '  kmsKeyArn: "key/123" is not an ARN of kms'],
    ['inconsistent combination', { stacks: { 'state-bootstrap': { encryption: 'AES256', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc' } } }, '  kmsKeyArn: needs encryption "aws:kms", not "AES256"'],
    ['not one of the allowed values', { stacks: { 'state-bootstrap': { encryption: 'aws:kmz' } } }, '  encryption: "aws:kmz" is not an S3 encryption; did you mean "aws:kms"?; allowed: "aws:kms", "AES256"'],
  ])('rejects %s', (_kind, overrides, line) => {
    const message = errorOf(() => resolve(overrides));
    expect(message.split('\n')[0]).toBe('invalid settings for stack "state-bootstrap":');
    expect(message).toContain(line);
  });

  it('rejects an unknown stack name with a suggestion', () => {
    expect(errorOf(() => resolve({ stacks: { 'state-bootstrp': {} } }))).toContain('stacks.state-bootstrp: unknown stack; did you mean "state-bootstrap"?');
  });

  it('rejects an unknown top-level key', () => {
    expect(errorOf(() => resolve({ remotestate: {} }))).toBe('invalid settings:\n  remotestate: unknown setting; did you mean "remoteState"?; allowed: remoteState, stacks');
  });

  it('validates the shared remote state settings', () => {
    const message = errorOf(() => resolve({ remoteState: { bucket: 'Bad_Bucket', region: 'eu-west-1', useLockfile: false } }));
    expect(message).toContain('invalid settings for remote state (shared by every stack):');
    expect(message).toContain('remoteState.bucket: "Bad_Bucket" is not an S3 bucket name');
    const unlocked = errorOf(() => resolve({ remoteState: { bucket: 'state-bucket', region: 'eu-west-1', useLockfile: false } }));
    expect(unlocked).toContain('remoteState.useLockfile: false leaves the state unlocked; name a dynamodbTable or set useLockfile to true');
  });

  it('reports a missing or malformed settings file', () => {
    expect(errorOf(() => readOverrides({ file: '/nonexistent/settings.json' }))).toMatch(/invalid settings file .*settings\.json \(from STACK_SETTINGS_FILE\): cannot read it \(ENOENT\)/);
    expect(errorOf(() => readOverrides({ file: tmpFile('{\n  "stacks": { nope') }))).toMatch(/not valid JSON: expected a key in double quotes at line 2, column 15$/);
  });

  it('throws SettingsError before any stack is built', () => {
    const app = testApp();
    expect(() => buildApp(app, { context: { stacks: { 'state-bootstrap': { region: 'x' } } } })).toThrow(SettingsError);
    expect(app.node.children).toHaveLength(0);
  });

  it('fails the real app command with the message alone and a non-zero exit', () => {
    const file = tmpFile(JSON.stringify({ stacks: { 'state-bootstrap': { region: 'eu-west-9x', protect: 1 } } }));
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, STACK_SETTINGS_FILE: file, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'invalid settings for stack "state-bootstrap":\n' +
        '  region: "eu-west-9x" is not an AWS region such as "eu-west-1"\n' +
        '  protect: 1 is a number; expected true or false\n',
    );
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });
});
