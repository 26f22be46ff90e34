import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { CIDR_RULE, cidrPrefix, cidrSubnet } from './cidr';
import { policyJson, serviceTrustJson } from './iam';
import { LOG_RETENTION_RULE, VPC_PREFIX_MAX, VPC_PREFIX_MIN, VPC_PREFIX_RULE, isLogRetentionDays } from './rules';

/** How many NAT gateways carry the private subnets' outbound traffic. */
export type NatGatewayMode = 'single' | 'perZone';

/** Properties of `Network`. */
export interface NetworkProps {
  /** Name prefix and `Name` tag of every resource. */
  readonly name: string;
  /** The VPC's range, /16 to /20, so that every zone gets room. */
  readonly vpcCidr: string;
  /** Availability zones, full names (2 or 3); one public and one private subnet in each. */
  readonly zones: readonly string[];
  /**
   * Name of the EKS cluster that will use the subnets, for the load balancer discovery tags.
   * @default no cluster tags
   */
  readonly clusterName?: string;
  /**
   * `perZone`: one NAT gateway in each zone, so a zone outage cuts no other zone off (and no cross-zone traffic
   * cost); `single`: one NAT gateway in the first zone for every private subnet (cheaper, one point of failure).
   * @default 'perZone'
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Days VPC flow logs are kept in CloudWatch Logs (flow logs are always on, every packet accepted or rejected).
   * @default 365
   */
  readonly flowLogRetentionDays?: number;
}

/**
 * A VPC with one public and one private subnet per zone (2 or 3 zones), an internet gateway for the public
 * subnets, NAT gateways for the private ones, flow logs of all traffic, and a default security group with no rules.
 *
 * Private subnets get the large ranges, since pods take VPC addresses under the AWS VPC CNI: the VPC is cut in
 * quarters, zone i's private subnet is quarter i, and the public subnets share the last quarter (a sixteenth of the
 * VPC each). Public subnets give no public IPs on launch: only load balancers and NAT gateways live there.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnets: Subnet[] = [];
  /** One per zone (`perZone`) or one in the first zone (`single`). */
  public readonly natGateways: NatGateway[] = [];
  /** One route table per private subnet, whose default route goes to its NAT gateway. */
  public readonly privateRouteTables: RouteTable[] = [];
  public readonly flowLog: FlowLog;
  public readonly flowLogGroup: CloudwatchLogGroup;
  /** Private subnet ids (Terraform references), in zone order. */
  public readonly privateSubnetIds: string[];
  /** Each zone (plain string) with its private subnet id, in zone order: where per-zone node groups run. */
  public readonly privateZoneSubnets: { readonly zone: string; readonly subnetId: string }[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const natMode = props.natGateways ?? 'perZone';
    const flowLogRetentionDays = props.flowLogRetentionDays ?? 365;

    const prefix = cidrPrefix(props.vpcCidr);
    if (prefix === undefined) fail(this, 'vpcCidr', props.vpcCidr, CIDR_RULE);
    if (prefix < VPC_PREFIX_MIN || prefix > VPC_PREFIX_MAX) fail(this, 'vpcCidr', props.vpcCidr, VPC_PREFIX_RULE);
    if (props.zones.length < 2 || props.zones.length > 3) fail(this, 'zones', props.zones, 'must list 2 or 3 zones (EKS needs two; the VPC has room for three)');
    if (new Set(props.zones).size !== props.zones.length) fail(this, 'zones', props.zones, 'must not list a zone twice');
    if (!isLogRetentionDays(flowLogRetentionDays)) fail(this, 'flowLogRetentionDays', flowLogRetentionDays, LOG_RETENTION_RULE);

    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    // The default security group admits all traffic between its members; nothing should use it (CIS 5.4).
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: this.vpc.id, ingress: [], egress: [], tags: { Name: `${props.name}-default-unused` } });

    const clusterTag: Record<string, string> = props.clusterName ? { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' } : {};
    const publicQuarter = cidrSubnet(props.vpcCidr, 2, 3);
    props.zones.forEach((zone, i) => {
      this.privateSubnets.push(
        new Subnet(this, `Private-${zone}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(props.vpcCidr, 2, i),
          tags: { Name: `${props.name}-private-${zone}`, 'kubernetes.io/role/internal-elb': '1', ...clusterTag },
        }),
      );
      this.publicSubnets.push(
        new Subnet(this, `Public-${zone}`, {
          vpcId: this.vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrSubnet(publicQuarter, 2, i),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${zone}`, 'kubernetes.io/role/elb': '1', ...clusterTag },
        }),
      );
    });
    this.privateSubnetIds = this.privateSubnets.map((s) => s.id);
    this.privateZoneSubnets = props.zones.map((zone, i) => ({ zone, subnetId: this.privateSubnetIds[i] }));

    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: { Name: props.name } });
    const publicRoutes = new RouteTable(this, 'PublicRoutes', {
      vpcId: this.vpc.id,
      route: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
      tags: { Name: `${props.name}-public` },
    });
    props.zones.forEach((zone, i) => {
      new RouteTableAssociation(this, `PublicRoutes-${zone}`, { routeTableId: publicRoutes.id, subnetId: this.publicSubnets[i].id });
    });

    const natZones = natMode === 'perZone' ? props.zones : props.zones.slice(0, 1);
    natZones.forEach((zone, i) => {
      const ip = new Eip(this, `NatIp-${zone}`, { domain: 'vpc', tags: { Name: `${props.name}-nat-${zone}` }, dependsOn: [igw] });
      this.natGateways.push(
        new NatGateway(this, `Nat-${zone}`, {
          allocationId: ip.allocationId,
          subnetId: this.publicSubnets[i].id,
          connectivityType: 'public',
          tags: { Name: `${props.name}-${zone}` },
          dependsOn: [igw],
        }),
      );
    });
    props.zones.forEach((zone, i) => {
      const nat = this.natGateways[natMode === 'perZone' ? i : 0];
      const table = new RouteTable(this, `PrivateRoutes-${zone}`, {
        vpcId: this.vpc.id,
        route: [{ cidrBlock: '0.0.0.0/0', natGatewayId: nat.id }],
        tags: { Name: `${props.name}-private-${zone}` },
      });
      new RouteTableAssociation(this, `PrivateRoutes-${zone}-Association`, { routeTableId: table.id, subnetId: this.privateSubnets[i].id });
      this.privateRouteTables.push(table);
    });

    // Flow logs: every accepted and rejected packet of the VPC, to CloudWatch Logs (encrypted at rest by the service).
    this.flowLogGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', {
      name: `/aws/vpc/${props.name}/flow-logs`,
      retentionInDays: flowLogRetentionDays,
    });
    const flowLogRole = new IamRole(this, 'FlowLogRole', {
      name: `${props.name}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustJson('vpc-flow-logs.amazonaws.com'),
    });
    new IamRolePolicy(this, 'FlowLogPolicy', {
      role: flowLogRole.id,
      name: 'write-flow-logs',
      policy: policyJson([
        {
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [`${this.flowLogGroup.arn}:*`],
        },
      ]),
    });
    this.flowLog = new FlowLog(this, 'FlowLog', {
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.flowLogGroup.arn,
      iamRoleArn: flowLogRole.arn,
      maxAggregationInterval: 60,
      tags: { Name: props.name },
    });
  }
}
