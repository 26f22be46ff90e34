/**
 * What a node of an EC2 instance type offers to pods (allocatable), estimated the way the EKS-optimised AMIs
 * reserve resources for the kubelet, for the node-group sizing check in `stacks/foundation-stack.ts`. Estimates, not
 * measurements: the check compares sums of requests with them, so they err on the small side.
 *
 * - CPU: the AMI reserves 6% of the first core, 1% of the second, 0.5% of the third and fourth, 0.25% of every
 *   further core (m6i.xlarge: 4000m - 80m = 3920m).
 * - Memory: the kernel reports about 95% of the nominal size as capacity (m5.xlarge: about 15.2 of 16 GiB); the AMI
 *   reserves 255Mi + 11Mi per pod the node may run (ENI-based max pods) and the kubelet evicts below 100Mi free.
 */

/** Memory per vCPU, GiB, of the instance families this table knows. */
const FAMILY_GIB_PER_VCPU: Readonly<Record<string, number>> = {
  m5: 4, m5a: 4, m6i: 4, m6a: 4, m6g: 4, m7i: 4, m7a: 4, m7g: 4,
  c5: 2, c5a: 2, c6i: 2, c6a: 2, c6g: 2, c7i: 2, c7a: 2, c7g: 2,
  r5: 8, r5a: 8, r6i: 8, r6a: 8, r6g: 8, r7i: 8, r7a: 8, r7g: 8,
};

/** vCPUs and ENI-based max pods per size (the same for every family above). */
const SIZES: Readonly<Record<string, { vcpu: number; maxPods: number }>> = {
  large: { vcpu: 2, maxPods: 29 },
  xlarge: { vcpu: 4, maxPods: 58 },
  '2xlarge': { vcpu: 8, maxPods: 58 },
  '4xlarge': { vcpu: 16, maxPods: 234 },
  '8xlarge': { vcpu: 32, maxPods: 234 },
};

const MI = 2 ** 20;

/** Resources, in millicores and bytes. */
export interface Resources {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** Instance types `nodeAllocatable` knows, for error messages. */
export const KNOWN_INSTANCE_TYPES_RULE = `families ${Object.keys(FAMILY_GIB_PER_VCPU).join(', ')} in sizes ${Object.keys(SIZES).join(', ')}`;

/** Reserved CPU of the EKS AMI for a node with `vcpu` cores, millicores. */
export function reservedCpuMillis(vcpu: number): number {
  let reserved = 60;
  if (vcpu >= 2) reserved += 10;
  if (vcpu >= 3) reserved += 5 * Math.min(vcpu - 2, 2);
  if (vcpu > 4) reserved += 2.5 * (vcpu - 4);
  return reserved;
}

/** Allocatable resources of one node of `instanceType`, or undefined when the table does not know the type. */
export function nodeAllocatable(instanceType: string): Resources | undefined {
  const [family, size] = instanceType.split('.');
  const gibPerVcpu = FAMILY_GIB_PER_VCPU[family];
  const s = SIZES[size];
  if (gibPerVcpu === undefined || s === undefined) return undefined;
  const capacityBytes = Math.floor(s.vcpu * gibPerVcpu * 1024 * 0.95) * MI;
  const reservedBytes = (255 + 11 * s.maxPods + 100) * MI;
  return { cpuMillis: s.vcpu * 1000 - reservedCpuMillis(s.vcpu), memoryBytes: capacityBytes - reservedBytes };
}

/** The smallest allocatable of several instance types (a node group may get any of them), per resource. */
export function smallestAllocatable(instanceTypes: readonly string[]): Resources | undefined {
  const all = instanceTypes.map(nodeAllocatable);
  if (all.length === 0 || all.some((a) => a === undefined)) return undefined;
  const known = all as Resources[];
  return { cpuMillis: Math.min(...known.map((a) => a.cpuMillis)), memoryBytes: Math.min(...known.map((a) => a.memoryBytes)) };
}

/** `a + b`. */
export function addResources(a: Resources, b: Resources): Resources {
  return { cpuMillis: a.cpuMillis + b.cpuMillis, memoryBytes: a.memoryBytes + b.memoryBytes };
}

/** `r * n`. */
export function scaleResources(r: Resources, n: number): Resources {
  return { cpuMillis: r.cpuMillis * n, memoryBytes: r.memoryBytes * n };
}

/** The sizes of one node group: min, max and desired node counts. */
export interface NodeGroupSizes {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
}

/**
 * The sizes of each zone's node group when a configured node group is split into one managed node group per zone:
 * every size divided by the zone count, rounded up (`ceil(size / zones)`). Rounding up keeps every zone able to
 * start a node and never leaves the cluster below what config asks: the cluster really gets `zones` times these
 * (min 3, max 5 over 2 zones: 2 and 3 per zone, 4 and 6 in all). Sizes that are multiples of the zone count split
 * exactly. desired stays between min and max, as ceil keeps the order.
 */
export function zonalSizes(sizes: NodeGroupSizes, zones: number): NodeGroupSizes {
  const perZone = (n: number) => Math.ceil(n / zones);
  return { minSize: perZone(sizes.minSize), maxSize: perZone(sizes.maxSize), desiredSize: perZone(sizes.desiredSize) };
}

/** `12.3 vCPU / 45.6 GiB`, for messages. */
export function showResources(r: Resources): string {
  return `${(r.cpuMillis / 1000).toFixed(1)} vCPU / ${(r.memoryBytes / 2 ** 30).toFixed(1)} GiB`;
}
