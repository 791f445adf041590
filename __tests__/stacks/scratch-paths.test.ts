/**
 * The writable-root review: every application container keeps a writable root only with a reason,
 * and `scratchPaths` turns it read-only with scratch volumes where the images write. The model
 * sync task (the stack's own AWS CLI container) runs read-only.
 */
import { TerraformStack } from 'cdktf';
import { check } from '../../tools/guardrails';
import { StackModel } from '../../tools/model';
import { buildStack, errorOf, synth } from '../helpers/synth';

function synthesized(name: string, overrides: Record<string, unknown> = {}) {
  return synth(buildStack<TerraformStack>(name, { stacks: { [name]: overrides } }));
}

/** Every container definition of the stack, with its task family (decoded as the guardrails decode it). */
function containers(document: Record<string, any>): { family: string; c: Record<string, any> }[] {
  const model = StackModel.fromDocument(document);
  return model.resources('aws_ecs_task_definition').flatMap((t) => (model.document<Record<string, any>[]>(t, 'container_definitions') ?? []).map((c) => ({ family: String(t.body.family), c })));
}

describe.each([
  ['ai-predictor', {}],
  ['vision-validator', {}],
  ['karmacadabra', { enableExecuteCommand: false }],
  ['artwork-matcher-demo', {}],
  ['nutrition-video-analysis', {}],
])('%s with scratchPaths', (name, extra) => {
  it('runs every application container read-only with /tmp on task storage, and needs no writable-root suppression', () => {
    const { document } = synthesized(name, { ...extra, scratchPaths: ['/tmp'] });
    const writable = containers(document).filter(({ c }) => c.readonlyRootFilesystem === false).map(({ family, c }) => `${family}/${c.name}`);
    expect(writable).toEqual([]);
    expect(check(document).filter((f) => f.rule === 'AWS-ECS-002')).toEqual([]);
    const scratch = containers(document).filter(({ c }) => (c.mountPoints ?? []).some((m: { containerPath: string }) => m.containerPath === '/tmp'));
    expect(scratch.length).toBeGreaterThan(0);
  });
});

describe('scratchPaths settings', () => {
  it('refuses them beside ECS Exec, which needs a writable root', () => {
    expect(errorOf(() => synthesized('karmacadabra', { scratchPaths: ['/tmp'] }))).toBe(
      'invalid settings for stack "karmacadabra":\n  scratchPaths: has no effect with enableExecuteCommand true (ECS Exec\'s agent writes to the root filesystem, which scratch paths make read-only); turn enableExecuteCommand off or remove scratchPaths',
    );
    expect(errorOf(() => synthesized('ai-predictor', { scratchPaths: ['/tmp'], backend: { enableExecuteCommand: true } }))).toContain('scratchPaths: has no effect with backend.enableExecuteCommand true');
  });

  it('refuses a path that is not absolute', () => {
    expect(errorOf(() => synthesized('vision-validator', { scratchPaths: ['tmp'] }))).toBe('invalid settings for stack "vision-validator":\n  scratchPaths[0]: "tmp" is not an absolute path below "/" such as "/tmp"');
  });

  it('leaves the model sync task read-only in every case (the AWS CLI writes to /tmp and ~/.aws, with HOME in /tmp)', () => {
    const { document } = synthesized('nutrition-video-analysis');
    const sync = containers(document).find(({ c }) => c.name === 'sync')!.c;
    expect(sync.readonlyRootFilesystem).toBe(true);
    expect(sync.mountPoints.map((m: { containerPath: string }) => m.containerPath)).toEqual(['/mnt/models', '/tmp']);
    expect(sync.environment).toEqual([{ name: 'HOME', value: '/tmp' }]);
  });
});
