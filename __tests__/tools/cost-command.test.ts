/**
 * `npm run cost` (the real command) on a stack whose `imageTag` is unset: the summary says its
 * services have no tasks, and `--deployed` prices it with its images pushed.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The summary lines of `npm run cost -- <args>`. */
function summary(args: readonly string[]): string[] {
  const r = spawnSync(process.execPath, ['-r', './scripts/register.js', 'tools/cost/index.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, STACK_SETTINGS_FILE: '' } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.slice(r.stdout.indexOf('Summary (USD per month):')).trimEnd().split('\n');
}

/** The floor of a summary line, in USD. */
const floorOf = (line: string): number => Number(/floor +([\d,.]+)/.exec(line)![1].replace(/,/g, ''));

describe('npm run cost', () => {
  it('says when a stack runs no task because imageTag is unset, and --deployed prices its tasks', () => {
    const waiting = summary(['artwork-matcher-production']);
    expect(waiting[1]).toMatch(/^ {2}artwork-matcher-production +floor +[\d,.]+ +ceiling +[\d,.]+ {2}\(no tasks: imageTag unset\)$/);
    expect(waiting[2]).toBe('imageTag is unset in artwork-matcher-production: its services wait for their images with 0 tasks and are priced without them. npm run cost -- --deployed prices it as if the images were pushed.');
    const deployed = summary(['artwork-matcher-production', '--deployed']);
    expect(deployed).toHaveLength(2);
    expect(deployed[1]).not.toContain('imageTag');
    // The GPU group and the services' tasks: about a thousand dollars a month more.
    expect(floorOf(deployed[1]) - floorOf(waiting[1])).toBeGreaterThan(900);
  });

  it('says nothing of images for a stack without an imageTag setting', () => {
    expect(summary(['vision-validator']).join('\n')).not.toContain('imageTag');
  });
});
