/**
 * The GitHub Actions examples read the stacks' outputs and write their settings by name: each name
 * they use must exist, or a copied workflow fails on its first release.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildStack, synth } from '../helpers/synth';

const DIR = path.resolve(__dirname, '..', '..', 'examples', 'github-actions');

const REMOTE_STATE = { bucket: 'acme-terraform-state', region: 'eu-west-1' };
const WORKFLOWS: Record<string, { readonly stack: string; readonly settings: Record<string, unknown> }> = {
  'deploy-artwork-matcher.yml': { stack: 'artwork-matcher-production', settings: { imageTag: 'abc1234', cicd: { githubRepository: 'acme/artwork' } } },
  'deploy-vision-validator.yml': { stack: 'vision-validator', settings: {} },
};
const build = (stack: string, settings: Record<string, unknown>) => buildStack(stack, { remoteState: REMOTE_STATE, stacks: { [stack]: { accountId: '123456789012', ...settings } } });

describe.each(Object.entries(WORKFLOWS))('%s', (file, { stack, settings }) => {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const json = synth(build(stack, settings)).json;

  it('reads only outputs the stack has', () => {
    const read = [...text.matchAll(/output -(?:raw|json) (\w+)/g), ...text.matchAll(/`(\w+)` output/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    expect(read.filter((name) => !(name in (json.output ?? {})))).toEqual([]);
  });

  it('sets only settings the stack has', () => {
    const set = [...text.matchAll(/\.stacks\[\$stack\]\.(\w+)/g)].map((m) => m[1]);
    expect(set.length).toBeGreaterThan(0);
    for (const name of set) expect(() => build(stack, { [name]: name === 'imageTag' ? 'v1' : 'public.ecr.aws/acme/vision:v1' })).not.toThrow();
  });
});
