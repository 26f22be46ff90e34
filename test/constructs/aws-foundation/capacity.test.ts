import { nodeAllocatable, reservedCpuMillis, smallestAllocatable, zonalSizes } from '../../../constructs/aws-foundation/capacity';

const MI = 2 ** 20;

describe('node allocatable estimates', () => {
  test('CPU reserve follows the EKS AMI formula (6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% beyond)', () => {
    expect(reservedCpuMillis(2)).toBe(70);
    expect(reservedCpuMillis(4)).toBe(80);
    expect(reservedCpuMillis(8)).toBe(90);
  });

  test('m6i.xlarge: 3920m; 95% of 16 GiB less 255Mi + 11Mi x 58 pods and 100Mi eviction', () => {
    expect(nodeAllocatable('m6i.xlarge')).toEqual({ cpuMillis: 3920, memoryBytes: (Math.floor(16 * 1024 * 0.95) - 255 - 11 * 58 - 100) * MI });
  });

  test('memory per vCPU follows the family (c: 2 GiB, m: 4, r: 8)', () => {
    const mem = (t: string) => nodeAllocatable(t)!.memoryBytes;
    expect(mem('c6i.large')).toBeLessThan(mem('m6i.large'));
    expect(mem('m6i.large')).toBeLessThan(mem('r6i.large'));
  });

  test('unknown types are undefined, and so is the smallest of a list holding one', () => {
    expect(nodeAllocatable('t3.medium')).toBeUndefined();
    expect(smallestAllocatable(['m6i.large', 't3.medium'])).toBeUndefined();
    expect(smallestAllocatable(['m6i.xlarge', 'm6i.large'])).toEqual(nodeAllocatable('m6i.large'));
  });
});

describe('zonalSizes', () => {
  test('multiples of the zone count split exactly', () => {
    expect(zonalSizes({ minSize: 3, maxSize: 12, desiredSize: 3 }, 3)).toEqual({ minSize: 1, maxSize: 4, desiredSize: 1 });
  });

  test('other sizes round up per zone, so the cluster never gets less than config asks', () => {
    expect(zonalSizes({ minSize: 3, maxSize: 5, desiredSize: 4 }, 2)).toEqual({ minSize: 2, maxSize: 3, desiredSize: 2 });
    expect(zonalSizes({ minSize: 0, maxSize: 1, desiredSize: 0 }, 3)).toEqual({ minSize: 0, maxSize: 1, desiredSize: 0 });
  });
});
