import { Construct } from 'constructs';
import { assertResources, limitAtLeastRequestRule, limitsBelowRequests } from '../../../constructs/core/quantity';

const scope = new Construct(undefined as any, 'platform-prod').node.root as Construct;

describe('limitsBelowRequests', () => {
  test('finds nothing when every limit is at or above its request, in other units too', () => {
    expect(limitsBelowRequests({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '0.5', memory: '1024Mi' } })).toEqual([]);
  });

  test('lists every limit below its request, CPU first', () => {
    expect(limitsBelowRequests({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '999m', memory: '2G' } })).toEqual([
      { resource: 'cpu', limit: '999m', request: '1' },
      { resource: 'memory', limit: '2G', request: '2Gi' },
    ]);
  });

  test('compares nothing that is absent or no quantity (the quantity check reports those)', () => {
    expect(limitsBelowRequests({ limits: { cpu: '1m' } })).toEqual([]);
    expect(limitsBelowRequests({ requests: { cpu: '1' } })).toEqual([]);
    expect(limitsBelowRequests({ requests: { cpu: '1', memory: 'lots' }, limits: { cpu: 'abc', memory: '1Mi' } })).toEqual([]);
  });
});

describe('assertResources', () => {
  test('accepts requests alone, and limits at their requests', () => {
    expect(() => assertResources(scope, 'resources', { requests: { cpu: '100m', memory: '128Mi' } })).not.toThrow();
    expect(() => assertResources(scope, 'resources', { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } })).not.toThrow();
  });

  test.each([
    ['a request that is no quantity', { requests: { cpu: '1 core' } }, "[platform-prod] 'prometheus.resources.requests.cpu' ('1 core') must be a CPU quantity such as '250m' or '1.5' (greater than 0)"],
    ['a limit that is no quantity', { limits: { memory: '2GB' } }, "[platform-prod] 'prometheus.resources.limits.memory' ('2GB') must be a memory quantity such as '512Mi' or '2Gi' (greater than 0)"],
    ['a CPU limit below its request', { requests: { cpu: '500m' }, limits: { cpu: '250m' } }, "[platform-prod] 'prometheus.resources.limits.cpu' ('250m') must be >= resources.requests.cpu ('500m')"],
    ['a memory limit below its request', { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } }, "[platform-prod] 'prometheus.resources.limits.memory' ('512Mi') must be >= resources.requests.memory ('1Gi')"],
  ])('fails on %s, naming the field under the given path', (_name, resources, message) => {
    expect(() => assertResources(scope, 'prometheus.resources', resources)).toThrow(message);
  });

  test('the rule is the one config validation reports', () => {
    expect(limitAtLeastRequestRule('memory', '2Gi')).toBe("must be >= resources.requests.memory ('2Gi')");
  });
});
