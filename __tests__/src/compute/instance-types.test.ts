import { GPU_INSTANCE_TYPES, InstanceLaunchTemplate, gpuInstanceTypeProblem, taskFitProblem, taskMemoryMiB } from '../../../src/compute/instance-types';
import { errorOf, onlyOf, synthConstructs } from '../../helpers/synth';

describe('GPU instance catalogue', () => {
  it('knows the x86 NVIDIA types and their size, and says why another type cannot run GPU tasks', () => {
    expect(GPU_INSTANCE_TYPES['g4dn.xlarge']).toEqual({ vcpus: 4, memoryGiB: 16, gpus: 1 });
    expect(GPU_INSTANCE_TYPES['g4dn.12xlarge'].gpus).toBe(4);
    expect(gpuInstanceTypeProblem('g5.2xlarge')).toBeUndefined();
    expect(gpuInstanceTypeProblem('m6i.large')).toMatch(/^"m6i.large" is not an x86 NVIDIA GPU instance type/);
    expect(gpuInstanceTypeProblem('g4ad.xlarge')).toMatch(/^"g4ad.xlarge" is not an x86 NVIDIA GPU instance type/);
    expect(gpuInstanceTypeProblem('g4dn.3xlarge')).toMatch(/g4dn sizes: g4dn.xlarge, g4dn.2xlarge, g4dn.4xlarge/);
    expect(gpuInstanceTypeProblem('G4DN')).toBe('"G4DN" is not an EC2 instance type such as "g4dn.xlarge"');
  });

  it('checks that a GPU task fits one instance, leaving the agent its share of memory', () => {
    expect(taskMemoryMiB(GPU_INSTANCE_TYPES['g4dn.xlarge'])).toBe(15564);
    expect(taskFitProblem('g4dn.xlarge', 3072, 12288, 1)).toBeUndefined();
    expect(taskFitProblem('g4dn.xlarge', 8192, 16384, 2)).toBe(
      'a task of 8192 CPU units (the instance has 4096), 16384 MiB (about 15564 MiB are left for tasks), 2 GPUs (the instance has 1) does not fit on g4dn.xlarge',
    );
  });
});

describe('InstanceLaunchTemplate', () => {
  it('requires IMDSv2 with hop limit 1, encrypts the gp3 root and is replaced create-first', () => {
    const { json } = synthConstructs((stack) => new InstanceLaunchTemplate(stack, 'lt', { name: 'gpu', rootVolumeSizeGiB: 60, userData: '#!/bin/bash\necho hi' }));
    expect(onlyOf(json, 'aws_launch_template')).toMatchObject({
      name_prefix: 'gpu-',
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 60, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }],
      user_data: expect.stringMatching(/^\$\{base64encode\(/),
      lifecycle: { create_before_destroy: true },
    });
    expect(errorOf(() => synthConstructs((stack) => new InstanceLaunchTemplate(stack, 'lt', { name: 'x', rootVolumeSizeGiB: 4 })))).toBe('test/lt: rootVolumeSizeGiB: 4 is out of range; allowed: 8 to 16384 GiB');
  });
});
