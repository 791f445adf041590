/**
 * `npm run plan`'s preview of a change, the parts that need no Terraform: the summary read from a
 * JSON plan (image tags, breaches of the journey rules), the outputs a seeded state keeps, and
 * how `--from` finds its settings (a file, or a git ref). The real offline plans of a change:
 * __tests__/terraform/changes.test.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from '../../tools/terraform/cli';
import { readFromSettings } from '../../tools/terraform/from';
import { PlanAction, PlanJson, ResourceChange, summarizePlan } from '../../tools/terraform/plan';
import { imageTags, previewSummary } from '../../tools/terraform/preview';
import { outputsFromPlan } from '../../tools/terraform/seed';

const service = (tag: string) => ({ name: 'n', container: 'c', log_group: 'g', task_family: 'n', image_tag: tag });
const change = (address: string, actions: PlanAction[]): ResourceChange => {
  const [type, name] = address.split('.');
  return { address, mode: 'managed', type, name, change: { actions, before: {}, after: {} } };
};

describe('the summary of a preview', () => {
  it('names the image tags a first apply deploys, from the ecs_services output', () => {
    const plan: PlanJson = { format_version: '1.2', output_changes: { ecs_services: { actions: ['create'], before: null, after: { gateway: service('a1b2c3d'), search: service('a1b2c3d') } } } };
    expect(imageTags(plan)).toEqual(['a1b2c3d (gateway, search)']);
  });

  it('names each change of tag, grouped, and a tag kept as it is', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      output_changes: { ecs_services: { actions: ['update'], before: { gateway: service('none'), search: service('none'), cache: service('7.2') }, after: { gateway: service('v2'), search: service('v2'), cache: service('7.2') } } },
    };
    expect(imageTags(plan)).toEqual(['none -> v2 (gateway, search)', '7.2 (cache)']);
    expect(imageTags({ format_version: '1.2', planned_values: { outputs: { ecs_services: { sensitive: false, value: { api: service('v1') } } } } })).toEqual(['v1 (api)']);
    expect(imageTags({ format_version: '1.2' })).toEqual([]);
  });

  it('names every stateful resource replaced or destroyed, and every serving one destroyed or replaced destroy-first', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      output_changes: { ecs_services: { actions: ['no-op'], before: { api: service('v1') }, after: { api: service('v1') } } },
      resource_changes: [
        change('aws_s3_bucket.data', ['delete', 'create']),
        change('aws_sqs_queue.jobs', ['delete']),
        change('aws_ecs_service.api', ['delete', 'create']),
        change('aws_lb_listener_rule.api', ['create', 'delete']),
        change('aws_ecs_task_definition.api', ['delete', 'create']),
      ],
    };
    expect(previewSummary(plan, summarizePlan(plan))).toEqual([
      'image tags: v1 (api)',
      'stateful resources replaced or destroyed (data lost): aws_s3_bucket.data (replace destroy-first), aws_sqs_queue.jobs (destroy)',
      'serving resources destroyed or replaced destroy-first (traffic fails meanwhile): aws_ecs_service.api (replace destroy-first)',
    ]);
    const quiet: PlanJson = { format_version: '1.2', resource_changes: [change('aws_lb_listener_rule.api', ['create', 'delete'])] };
    expect(previewSummary(quiet, summarizePlan(quiet))).toEqual(['stateful resources replaced or destroyed (data lost): none', 'serving resources destroyed or replaced destroy-first (traffic fails meanwhile): none']);
  });
});

describe('the outputs a seeded state keeps', () => {
  it('keeps the outputs the plan knows whole, with their type and sensitivity, and leaves out those it does not', () => {
    const plan: PlanJson = {
      format_version: '1.2',
      planned_values: {
        outputs: {
          ecs_cluster_name: { sensitive: false, value: 'c', type: 'string' },
          ecs_services: { sensitive: false, value: { api: { image_tag: 'v1', port: 80 } } },
          endpoint_url: { sensitive: false },
          secret: { sensitive: true, value: 's', type: 'string' },
          partly: { sensitive: false, value: { a: 'x' } },
        },
      },
      output_changes: { partly: { actions: ['create'], after: { a: 'x' }, after_unknown: { b: true } } },
    };
    expect(outputsFromPlan(plan)).toEqual({
      ecs_cluster_name: { value: 'c', type: 'string' },
      ecs_services: { value: { api: { image_tag: 'v1', port: 80 } }, type: ['object', { api: ['object', { image_tag: 'string', port: 'number' }] }] },
      secret: { value: 's', type: 'string', sensitive: true },
    });
  });
});

describe('--from', () => {
  it('reads a settings file with the current cdktf.json context', () => {
    const from = readFromSettings(path.join(ROOT, 'examples', 'karmacadabra.json'), { context: { stacks: {} }, file: 'current.json' });
    expect(from.sources).toEqual({ context: { stacks: {} }, file: path.join(ROOT, 'examples', 'karmacadabra.json') });
    expect(from.label).toBe(path.join(ROOT, 'examples', 'karmacadabra.json'));
  });

  it('reads a git ref\'s cdktf.json context and its version of the current settings file', () => {
    const from = readFromSettings('HEAD', { context: {}, file: path.join(ROOT, 'examples', 'karmacadabra.json') });
    try {
      const atHead = (file: string) => spawnSync('git', ['show', `HEAD:${file}`], { cwd: ROOT, encoding: 'utf8' }).stdout;
      expect(from.description).toBe('the settings at git ref HEAD (cdktf.json, examples/karmacadabra.json)');
      expect(from.sources.context).toEqual(JSON.parse(atHead('cdktf.json')).context.settings);
      expect(fs.readFileSync(from.sources.file!, 'utf8')).toBe(atHead('examples/karmacadabra.json'));
    } finally {
      from.cleanup();
    }
    expect(fs.existsSync(from.sources.file!)).toBe(false);
    expect(readFromSettings('HEAD', { context: {} }).description).toBe('the settings at git ref HEAD (cdktf.json)');
  });

  it('says what is wrong with a ref it cannot read', () => {
    expect(() => readFromSettings('no-such-ref-or-file', {})).toThrow('--from no-such-ref-or-file: neither a settings file nor a git ref');
    const outside = path.join(os.tmpdir(), 'settings.json');
    expect(() => readFromSettings('HEAD', { file: outside })).toThrow(`--from HEAD: the settings file ${outside} is outside the repository, so git has no version of it; give --from a settings file instead`);
    expect(() => readFromSettings('HEAD', { file: path.join(ROOT, 'settings-not-committed.json') })).toThrow('--from HEAD: settings-not-committed.json does not exist at HEAD (git show HEAD:settings-not-committed.json failed)');
  });
});
