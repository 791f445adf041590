/** Load balancing and networking: NAT gateways, Elastic IPs and public IPv4 addresses, load balancers, VPC endpoints. */
import { blocks, bool } from '../../model';
import { Pricer } from '../context';

/** The note of every public IPv4 address line. */
export const IPV4_NOTE = 'Elastic IPs (NAT gateways included), one per subnet of an internet-facing load balancer, Fargate tasks with a public IP';

/** NAT gateway hours and the data they process. */
export const natGateways: Pricer = {
  types: ['aws_nat_gateway'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const gb = ctx.assumptions.natGbPerGateway;
    ctx.aggregate('NAT gateways', 'gateway-month', ctx.month(pr.natGatewayHour), 1, 1, r.address, { assumptions: ['hoursPerMonth'] });
    ctx.aggregate('NAT gateway data processing', 'GB', pr.natGatewayGb.usd, gb, gb, r.address, { assumptions: ['natGbPerGateway'] });
  },
};

/** Elastic IPs: public IPv4 addresses. */
export const elasticIps: Pricer = {
  types: ['aws_eip'],
  price(r, ctx) {
    ctx.aggregate('Public IPv4 addresses', 'address-month', ctx.month(ctx.pricesFor(r).publicIpv4Hour), 1, 1, r.address, { note: IPV4_NOTE });
  },
};

/** Application and Network Load Balancers: hours, capacity units, and one public address per subnet when internet-facing. */
export const loadBalancers: Pricer = {
  types: ['aws_lb'],
  price(r, ctx) {
    const pr = ctx.pricesFor(r);
    const kind = r.body.load_balancer_type ?? 'application';
    if (kind !== 'application' && kind !== 'network') {
      ctx.skip(r, `load balancer type ${kind} is not in the price table`);
      return;
    }
    const alb = kind === 'application';
    const A = ctx.assumptions;
    ctx.aggregate(alb ? 'Application Load Balancers' : 'Network Load Balancers', 'load balancer-month', ctx.month(alb ? pr.albHour : pr.nlbHour), 1, 1, r.address, { assumptions: ['hoursPerMonth'] });
    const lcu = (alb ? A.albLcuPerHour : A.nlbLcuPerHour) * ctx.hours;
    ctx.aggregate(alb ? 'ALB capacity units' : 'NLB capacity units', alb ? 'LCU-hour' : 'NLCU-hour', (alb ? pr.albLcuHour : pr.nlbLcuHour).usd, lcu, lcu, r.address, { assumptions: [alb ? 'albLcuPerHour' : 'nlbLcuPerHour'] });
    if (bool(r.body.internal) === true) return;
    const zones = Math.max(blocks(r.body.subnets).length, blocks(r.body.subnet_mapping).length);
    if (zones > 0) ctx.aggregate('Public IPv4 addresses', 'address-month', ctx.month(pr.publicIpv4Hour), zones, zones, r.address, { note: IPV4_NOTE });
    else ctx.skip(r, 'internet-facing load balancer whose subnets are not a literal list: its public IPv4 addresses cannot be counted');
  },
};

/** Interface endpoints, per zone, and the data they process (gateway endpoints are free). */
export const vpcEndpoints: Pricer = {
  types: ['aws_vpc_endpoint'],
  price(r, ctx) {
    const kind = r.body.vpc_endpoint_type ?? 'Gateway';
    if (kind === 'Gateway') return;
    if (kind !== 'Interface') {
      ctx.skip(r, `endpoint type ${kind} is not in the price table`);
      return;
    }
    const zones = blocks(r.body.subnet_ids).length;
    if (zones === 0) {
      ctx.skip(r, 'interface endpoint without a literal subnet list: its zones cannot be counted');
      return;
    }
    const pr = ctx.pricesFor(r);
    const gb = ctx.assumptions.interfaceEndpointGbPerEndpoint;
    ctx.aggregate('Interface endpoints', 'endpoint-zone-month', ctx.month(pr.interfaceEndpointAzHour), zones, zones, r.address, { note: 'one charge per endpoint per zone (subnet)' });
    ctx.aggregate('Interface endpoint data processing', 'GB', pr.interfaceEndpointGb.usd, gb, gb, r.address, { assumptions: ['interfaceEndpointGbPerEndpoint'] });
  },
};
