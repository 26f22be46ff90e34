import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { TerraformOutput, Testing } from 'cdktf';
import { Network, NetworkProps } from '../../../constructs/aws-foundation/network';

const base: NetworkProps = { name: 'platform-test', vpcCidr: '10.20.0.0/16', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] };

function synth(props: Partial<NetworkProps> = {}): any {
  return JSON.parse(Testing.synthScope((scope) => new Network(scope, 'network', { ...base, ...props })));
}
const resources = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});

describe('Network', () => {
  test('defaults: a private and a public subnet per zone, private ones in the first three quarters', () => {
    const json = synth();
    const subnets = resources(json, Subnet.tfResourceType);
    const cidrs = Object.fromEntries(subnets.map((s) => [s.tags.Name, s.cidr_block]));
    expect(cidrs).toEqual({
      'platform-test-private-eu-west-1a': '10.20.0.0/18',
      'platform-test-private-eu-west-1b': '10.20.64.0/18',
      'platform-test-private-eu-west-1c': '10.20.128.0/18',
      'platform-test-public-eu-west-1a': '10.20.192.0/20',
      'platform-test-public-eu-west-1b': '10.20.208.0/20',
      'platform-test-public-eu-west-1c': '10.20.224.0/20',
    });
    for (const s of subnets.filter((x) => x.tags.Name.includes('-public-'))) expect(s.map_public_ip_on_launch).toBe(false);
  });

  test('privateZoneSubnets pairs each zone (plain string) with its private subnet, in zone order', () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const network = new Network(scope, 'network', base);
        network.privateZoneSubnets.forEach(({ zone, subnetId }) => new TerraformOutput(scope, zone, { value: subnetId }));
      }),
    );
    const keyOf = Object.fromEntries(Object.entries(json.resource[Subnet.tfResourceType]).map(([key, s]: [string, any]) => [s.tags.Name, key]));
    const outputs = Object.fromEntries(Object.entries(json.output).map(([k, o]: [string, any]) => [k, o.value]));
    expect(outputs).toEqual(Object.fromEntries(base.zones.map((zone) => [zone, `\${aws_subnet.${keyOf[`platform-test-private-${zone}`]}.id}`])));
  });

  test('defaults: one NAT gateway per zone, each private route table to its own zone', () => {
    const json = synth();
    const nats = Object.keys(json.resource[NatGateway.tfResourceType]);
    expect(nats).toHaveLength(3);
    const privateTables = resources(json, RouteTable.tfResourceType).filter((t) => t.tags.Name.includes('-private-'));
    const targets = privateTables.map((t) => t.route[0].nat_gateway_id);
    expect(new Set(targets).size).toBe(3);
    expect(targets.every((t: string) => t.startsWith('${aws_nat_gateway.'))).toBe(true);
  });

  test("natGateways 'single' puts one NAT gateway in the first zone for every private subnet", () => {
    const json = synth({ natGateways: 'single' });
    const nats = resources(json, NatGateway.tfResourceType);
    expect(nats).toHaveLength(1);
    expect(nats[0].tags.Name).toBe('platform-test-eu-west-1a');
    const privateTables = resources(json, RouteTable.tfResourceType).filter((t) => t.tags.Name.includes('-private-'));
    expect(new Set(privateTables.map((t) => t.route[0].nat_gateway_id)).size).toBe(1);
  });

  test('flow logs: all traffic, to a log group kept 365 days by default', () => {
    const json = synth();
    expect(resources(json, FlowLog.tfResourceType)).toEqual([expect.objectContaining({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' })]);
    expect(resources(json, CloudwatchLogGroup.tfResourceType)).toEqual([expect.objectContaining({ name: '/aws/vpc/platform-test/flow-logs', retention_in_days: 365 })]);
  });

  test('flowLogRetentionDays sets the retention', () => {
    expect(resources(synth({ flowLogRetentionDays: 30 }), CloudwatchLogGroup.tfResourceType)[0].retention_in_days).toBe(30);
  });

  test('clusterName tags every subnet for load balancer discovery', () => {
    const subnets = resources(synth({ clusterName: 'platform-test' }), Subnet.tfResourceType);
    for (const s of subnets) expect(s.tags['kubernetes.io/cluster/platform-test']).toBe('shared');
    expect(resources(synth(), Subnet.tfResourceType)[0].tags).not.toHaveProperty('kubernetes.io/cluster/platform-test');
  });

  test('fails on a VPC smaller than /20', () => {
    expect(() => synth({ vpcCidr: '10.20.0.0/22' })).toThrow(
      "[stack/network] 'vpcCidr' ('10.20.0.0/22') must be a /16 to /20 block: AWS allows /16 at most, and each zone's private subnet (a quarter of the VPC) needs room for pod addresses",
    );
  });

  test('fails on a malformed CIDR', () => {
    expect(() => synth({ vpcCidr: '10.20.0.0' })).toThrow(
      "[stack/network] 'vpcCidr' ('10.20.0.0') must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'",
    );
  });

  test('fails on one zone or four', () => {
    const rule = 'must list 2 or 3 zones (EKS needs two; the VPC has room for three)';
    expect(() => synth({ zones: ['eu-west-1a'] })).toThrow(`[stack/network] 'zones' (["eu-west-1a"]) ${rule}`);
    expect(() => synth({ zones: ['a1', 'b1', 'c1', 'd1'] })).toThrow(`[stack/network] 'zones' (["a1","b1","c1","d1"]) ${rule}`);
  });

  test('fails on a zone listed twice', () => {
    expect(() => synth({ zones: ['eu-west-1a', 'eu-west-1a'] })).toThrow(
      `[stack/network] 'zones' (["eu-west-1a","eu-west-1a"]) must not list a zone twice`,
    );
  });

  test('fails on a retention CloudWatch does not offer', () => {
    expect(() => synth({ flowLogRetentionDays: 10 })).toThrow(/^\[stack\/network\] 'flowLogRetentionDays' \(10\) must be a CloudWatch Logs retention: one of 1, 3, 5/);
  });
});
