/**
 * The shell scripts `npm run ops` runs (rollback, and the destroy's emptying loops), run for real
 * by /bin/sh against a stand-in `aws` on the PATH that answers like the AWS CLI and records every
 * call: the scripts' own logic (which revision is the previous one, when a loop stops) is what is
 * tested, without an account.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { planDestroy } from '../../tools/ops/destroy';
import { parseOpsArgs } from '../../tools/ops/args';
import { Step, serviceSteps } from '../../tools/ops/steps';

/**
 * Runs `step` with a fake `aws`: `answers` maps an AWS CLI operation (`list-images`) to what it
 * prints on each call in turn (the last answer repeats). Returns the calls and the exit status.
 */
function runWithFakeAws(step: Step, answers: Record<string, string[]>): { calls: string[]; status: number; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-aws-'));
  try {
    for (const [operation, outputs] of Object.entries(answers)) outputs.forEach((out, i) => fs.writeFileSync(path.join(dir, `${operation}.${i}`), out));
    fs.writeFileSync(
      path.join(dir, 'aws'),
      [
        '#!/bin/sh',
        'echo "$*" >> "$FAKE_AWS/calls"',
        'n=$(cat "$FAKE_AWS/$2.count" 2>/dev/null || echo 0); echo $((n + 1)) > "$FAKE_AWS/$2.count"',
        'while [ "$n" -gt 0 ] && [ ! -f "$FAKE_AWS/$2.$n" ]; do n=$((n - 1)); done',
        '[ -f "$FAKE_AWS/$2.$n" ] && cat "$FAKE_AWS/$2.$n"',
        'exit 0',
      ].join('\n'),
      { mode: 0o755 },
    );
    if (!('shell' in step)) throw new Error('a script step was expected');
    const r = spawnSync('/bin/sh', ['-c', step.shell], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_AWS: dir }, encoding: 'utf8' });
    const calls = fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : [];
    return { calls, status: r.status ?? 1, stderr: r.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const FAMILY = 'arn:aws:ecs:us-east-1:123456789012:task-definition/karmacadabra-prod-validator';
const CONTEXT = {
  region: 'us-east-1',
  contract: {
    cluster: 'karmacadabra-prod',
    services: { validator: { name: 'karmacadabra-prod-validator', container: 'validator', log_group: '/ecs/v', task_family: 'karmacadabra-prod-validator', image_tag: 'v2' } },
    images: {},
    endpointUrl: '',
  },
};
const [rollback] = serviceSteps(parseOpsArgs(['karmacadabra', 'rollback', 'validator']), CONTEXT);
// Newest first, another family sharing the prefix in between, revision 6 deregistered.
const REVISIONS = [`${FAMILY}-canary:3`, `${FAMILY}:8`, `${FAMILY}:7`, `${FAMILY}:5`].join('\t');

describe('the scripts npm run ops runs', () => {
  it('rollback moves the service to the ACTIVE revision of its own family before the one it runs', () => {
    const { calls, status } = runWithFakeAws(rollback, { 'describe-services': [`${FAMILY}:7`], 'list-task-definitions': [REVISIONS] });
    expect(status).toBe(0);
    expect(calls.at(-1)).toBe(`ecs update-service --region us-east-1 --cluster karmacadabra-prod --service karmacadabra-prod-validator --task-definition ${FAMILY}:5 --query service.taskDefinition --output text`);
  });

  it('rollback fails, changing nothing, when the service runs the oldest revision', () => {
    const { calls, status, stderr } = runWithFakeAws(rollback, { 'describe-services': [`${FAMILY}:5`], 'list-task-definitions': [REVISIONS] });
    expect(status).toBe(1);
    expect(stderr).toBe(`no ACTIVE revision of karmacadabra-prod-validator before ${FAMILY}:5\n`);
    expect(calls.some((c) => c.includes('update-service'))).toBe(false);
  });

  it('the destroy deletes object versions page by page, images batch by batch and every recovery point, until none is left', () => {
    const resources = [
      { address: 'aws_s3_bucket.data', type: 'aws_s3_bucket', values: { bucket: 'am-data', force_destroy: false } },
      { address: 'aws_ecr_repository.gateway', type: 'aws_ecr_repository', values: { name: 'am/gateway', force_delete: false } },
      { address: 'aws_backup_vault.backup', type: 'aws_backup_vault', values: { name: 'am', force_destroy: false } },
    ];
    const [bucket, repository, vault] = planDestroy('am', 'eu-west-1', resources).steps;
    const page = '{"Objects": [{"Key": "a", "VersionId": "1"}], "Quiet": true}';
    const s3 = runWithFakeAws(bucket, { 'list-object-versions': [page, page, '{"Objects": [], "Quiet": true}'] });
    expect(s3.calls.filter((c) => c.startsWith('s3api delete-objects'))).toEqual([`s3api delete-objects --region eu-west-1 --bucket am-data --delete ${page}`, `s3api delete-objects --region eu-west-1 --bucket am-data --delete ${page}`]);
    const ecr = runWithFakeAws(repository, { 'list-images': ['[{"imageDigest": "sha256:1"}]', '[]'] });
    expect(ecr.calls.filter((c) => c.startsWith('ecr batch-delete-image'))).toEqual(['ecr batch-delete-image --region eu-west-1 --repository-name am/gateway --image-ids [{"imageDigest": "sha256:1"}]']);
    const backup = runWithFakeAws(vault, { 'list-recovery-points-by-backup-vault': ['arn:rp:1\tarn:rp:2', ''] });
    expect(backup.calls.filter((c) => c.startsWith('backup delete-recovery-point')).map((c) => c.split(' ').at(-1))).toEqual(['arn:rp:1', 'arn:rp:2']);
    expect(backup.status).toBe(0);
  });
});
