/**
 * An existing deployment upgrades safely: each stack as release 0.4.0 synthesized it (images
 * deployed; fixtures by scripts/release-fixture.js), then the current code with the same settings,
 * planned offline against the state 0.4.0 leaves. The upgrade replaces nothing stateful, destroys
 * nothing serving before its successor exists, brings every scaling target to its configured bounds,
 * and a second synth of the current code plans nothing. What each upgrade does is listed in
 * CHANGELOG.md (0.5.0, "Upgrading from 0.4"); the expectations below hold those lists to the plans.
 */
import { STACK_NAMES } from '../../stacks';
import { StepResult, breaches, describeChanges, runJourney } from '../helpers/journey';
import { releaseFiles } from '../helpers/release';
import { describeWithTerraform } from '../helpers/terraform';

const RELEASE = '0.4.0';
/** The stacks 0.4.0 deployed with images (its fixture sets this tag). */
const IMAGE_TAG = 'v0-release';

/** Settings the 0.4.0 deployment had (and keeps). */
const settingsOf = (files: Record<string, Buffer>): Record<string, unknown> => (files['cdk.tf.json'].toString('utf8').includes(IMAGE_TAG) ? { imageTag: IMAGE_TAG } : {});

it(`has a ${RELEASE} fixture of every stack of the app`, () => {
  for (const stack of STACK_NAMES) expect(Object.keys(releaseFiles(RELEASE, stack))).toContain('cdk.tf.json');
});

describeWithTerraform(`upgrading from ${RELEASE}`, () => {
  it.concurrent.each(STACK_NAMES.map((n) => [n]))('%s', async (stack) => {
    const files = releaseFiles(RELEASE, stack);
    const settings = settingsOf(files);
    const results = (await runJourney(stack, [
      { label: `${RELEASE} deployed`, settings, release: files },
      { label: 'upgraded', settings: {} },
      { label: 'the same settings again', settings: {} },
    ])) as StepResult[];
    expect(breaches(results)).toEqual([]);
    // The first plan of the release creates what it has; the re-synth after the upgrade plans nothing.
    expect(results[0].plan.update + results[0].plan.replace + results[0].plan.destroy).toBe(0);
    expect(describeChanges(results[2].plan)).toEqual([]);
    // What the upgrade does, for CHANGELOG (printed when the test runs alone with UPGRADE_REPORT=1).
    if (process.env.UPGRADE_REPORT) process.stdout.write(`${stack}:\n${describeChanges(results[1].plan).map((c) => `  ${c}\n`).join('')}`);
  });
});
