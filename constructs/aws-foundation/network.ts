import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { cidrSubnet } from './cidr';

/** Properties of `Network`. */
export interface NetworkProps {
  /** Name prefix and `Name` tag of every resource. */
  readonly name: string;
  /** The VPC's range; at most /20 so that every zone gets room. */
  readonly vpcCidr: string;
  /** Availability zones, full names; one public and one private subnet in each. */
  readonly zones: readonly string[];
  /**
   * Name of the EKS cluster that will use the subnets, for the load balancer discovery tags.
   * @default no cluster tags
   */
  readonly clusterName?: string;
}

/**
 * A VPC with one public and one private subnet per zone (at most three zones). Private subnets get the large
 * ranges, since pods take VPC addresses under the AWS VPC CNI: the VPC is cut in quarters, zone i's private subnet
 * is quarter i, and the public subnets share the last quarter (a sixteenth of the VPC each).
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly publicSubnets: Subnet[] = [];
  public readonly privateSubnets: Subnet[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const prefix = Number(props.vpcCidr.split('/')[1]);
    if (prefix > 20) fail(this, 'vpcCidr', props.vpcCidr, 'must be /20 or larger (a smaller prefix number)');
    if (props.zones.length > 3) fail(this, 'zones', props.zones, 'must list at most 3 zones');

    this.vpc = new Vpc(this, 'Vpc', {
      cidrBlock: props.vpcCidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });

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
  }
}
