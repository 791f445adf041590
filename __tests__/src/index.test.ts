/**
 * The library's public API (src/index.ts): an engineer building a sixth system imports every
 * construct from one place; the app does not (a synth loads only what its stacks build).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as library from '../../src';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every .ts file below `dir`. */
const sources = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

describe('the library\'s public API', () => {
  it('exports the stack base, a construct of every domain and the patterns', () => {
    for (const name of ['AwsStack', 'Vpc', 'ApplicationLoadBalancer', 'WebAcl', 'EcsCluster', 'EcsService', 'LambdaFunction', 'SecureBucket', 'Queue', 'EncryptionKey', 'LogGroup', 'Monitoring', 'CostBudget', 'EcsPlatform', 'ContainerService', 'QueueWorker', 'PublicEndpoint', 'ImageRelease', 'Guardrails']) {
      expect(typeof (library as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('exports every construct module of src/ (a new module is added to it)', () => {
    const index = fs.readFileSync(path.join(ROOT, 'src', 'index.ts'), 'utf8');
    const listed = new Set([...index.matchAll(/export \* from '\.\/([^']+)'/g)].map((m) => m[1]));
    const modules = sources(path.join(ROOT, 'src'))
      .map((f) => path.relative(path.join(ROOT, 'src'), f).replace(/\.ts$/, '').replace(/\/index$/, ''))
      .filter((m) => m !== 'index' && !/^(core\/(dependencies|format|json)|compute\/ecs-service\/.+|compute\/lambda\/.+|patterns\/.+)$/.test(m));
    expect(modules.filter((m) => !listed.has(m))).toEqual([]);
  });

  it('is not what the app loads: no stack, tool or main.ts imports it', () => {
    const importers = ['stacks', 'tools'].flatMap((d) => sources(path.join(ROOT, d))).concat(path.join(ROOT, 'main.ts'));
    expect(importers.filter((f) => /from '(\.\.\/)+src'|from '\.\/src'/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
