/**
 * The NAT instance of a `Vpc` with `natGateways: "instance"`: one small EC2 instance in the first
 * public subnet that forwards and masquerades the private subnets' traffic (a tenth of a NAT
 * gateway's price, one instance's availability: for demos). Built into the VPC construct itself,
 * so its resources keep the VPC's addresses.
 */
import { Construct } from 'constructs';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { nameTags } from '../core/tags';
import { InstanceRole } from '../compute/instance-types';
import { SecurityGroup } from './security-group';

/** The NAT instance of `natGateways: "instance"`. */
export interface NatInstanceProps {
  /** Instance type; Graviton (`t4g`) types boot the arm64 AMI. @default "t4g.nano" */
  readonly instanceType?: string;
  /** Pinned AMI id (Amazon Linux 2023 of the type's architecture). @default - looked up from its public SSM parameter at plan time */
  readonly amiId?: string;
}

/** Public SSM parameters of the Amazon Linux 2023 AMIs a NAT instance boots. */
const NAT_INSTANCE_AMI_PARAMETERS = {
  arm64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
  x86_64: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
} as const;

/** Where the NAT instance goes: the VPC's id and CIDR block, the first public subnet, and the internet gateway it waits for. */
export interface NatInstancePlacement {
  readonly vpcId: string;
  readonly cidr: string;
  readonly subnetId: string;
  readonly internetGateway: InternetGateway;
}

/**
 * The NAT instance in `vpc` (the construct its resources belong to): Amazon Linux 2023 forwarding
 * and masquerading the private subnets' traffic, an Elastic IP, IMDSv2, an encrypted root volume,
 * Session Manager access (no SSH) and EC2 automatic recovery.
 */
export function natInstance(vpc: Construct, namePrefix: string, props: NatInstanceProps, placement: NatInstancePlacement): { instance: Instance; publicIp: string } {
  const { vpcId, cidr, subnetId, internetGateway: igw } = placement;
  const type = props.instanceType ?? 't4g.nano';
  // Graviton families carry a "g" after the generation digit (t4g, c7g, m6gd, ...).
  const arch = /^[a-z]+\d+g/.test(type) ? 'arm64' : 'x86_64';
  const ami = props.amiId ?? new DataAwsSsmParameter(vpc, 'nat-ami', { name: NAT_INSTANCE_AMI_PARAMETERS[arch] }).insecureValue;
  const name = `${namePrefix}-nat`;
  const sg = new SecurityGroup(vpc, 'nat-sg', { name, description: 'NAT instance: everything from the VPC, out to the internet', vpcId });
  sg.addIngress({ peer: { cidr }, protocol: '-1', description: 'Traffic of the private subnets to the internet' });
  // Session Manager instead of SSH: no inbound port, no key pair.
  const role = new InstanceRole(vpc, 'nat-role', { name, managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore'] });
  const instance = new Instance(vpc, 'nat-instance', {
    ami,
    instanceType: type,
    subnetId,
    vpcSecurityGroupIds: [sg.securityGroupId],
    iamInstanceProfile: role.resource.name,
    // It forwards packets that are neither from nor to itself.
    sourceDestCheck: false,
    metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled', httpPutResponseHopLimit: 1 },
    rootBlockDevice: { volumeType: 'gp3', volumeSize: 8, encrypted: true, deleteOnTermination: true },
    maintenanceOptions: { autoRecovery: 'default' },
    creditSpecification: /^t\d/.test(type) ? { cpuCredits: 'standard' } : undefined,
    // Base64 here: cdktf writes a multi-line `user_data` into HCL as a heredoc, which adds a
    // newline, so the HCL and JSON outputs would hash different scripts.
    userDataBase64: Buffer.from(NAT_USER_DATA).toString('base64'),
    userDataReplaceOnChange: true,
    tags: nameTags(name),
    volumeTags: nameTags(name),
    // A new AMI release must not replace the instance on some later plan: patch on purpose. A
    // replacement (new type or user data) starts the new instance before the old one goes: the
    // address and the routes move to it in place.
    lifecycle: { ignoreChanges: ['ami'], createBeforeDestroy: true },
    dependsOn: [igw, ...role.role.policyResources],
  });
  const eip = new Eip(vpc, 'nat-instance-eip', { domain: 'vpc', instance: instance.id, tags: nameTags(name), dependsOn: [igw] });
  return { instance, publicIp: eip.publicIp };
}

/**
 * User data of the NAT instance: IPv4 forwarding and masquerading out of its primary interface,
 * applied at every boot by a systemd unit. Amazon Linux 2023 has no iptables by default
 * (`iptables-nft` installs it), and at first boot the instance may not have its Elastic IP yet
 * (the address is associated once the instance runs): the package install is retried for up to
 * 15 minutes instead of failing once and leaving the private subnets without a way out. Passed
 * base64-encoded (see `userDataBase64`).
 */
const NAT_USER_DATA = [
  '#!/bin/bash',
  'set -eu',
  'for attempt in $(seq 1 90); do dnf install -y iptables-nft && break; echo "iptables-nft: attempt $attempt failed, retrying in 10 s" >&2; sleep 10; done',
  'command -v iptables >/dev/null',
  "cat > /usr/local/sbin/nat.sh <<'NAT_SCRIPT'",
  '#!/bin/bash',
  'sysctl -q -w net.ipv4.ip_forward=1',
  "IFACE=$(ip route show default | awk '{print $5; exit}')",
  'iptables -t nat -C POSTROUTING -o $IFACE -j MASQUERADE 2>/dev/null || iptables -t nat -A POSTROUTING -o $IFACE -j MASQUERADE',
  'NAT_SCRIPT',
  'chmod 0755 /usr/local/sbin/nat.sh',
  "cat > /etc/systemd/system/nat.service <<'NAT_UNIT'",
  '[Unit]',
  'Description=NAT for the private subnets',
  'After=network-online.target',
  'Wants=network-online.target',
  '[Service]',
  'Type=oneshot',
  'ExecStart=/usr/local/sbin/nat.sh',
  'RemainAfterExit=yes',
  '[Install]',
  'WantedBy=multi-user.target',
  'NAT_UNIT',
  'systemctl daemon-reload',
  'systemctl enable --now nat.service',
  '',
].join('\n');
