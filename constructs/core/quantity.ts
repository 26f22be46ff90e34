/**
 * Kubernetes resource quantities, parsed the way the API server reads them, for the few sums a construct needs
 * (Redis `maxmemory` from a memory limit, requests not above limits).
 */
import { IConstruct } from 'constructs';
import { fail } from './errors';

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const CPU = /^(\d+(\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** A CPU quantity (`250m`, `1`, `1.5`): what is allowed, for error messages. */
export const CPU_QUANTITY_RULE = "must be a CPU quantity such as '250m' or '1.5' (greater than 0)";
/** A memory quantity (`512Mi`, `2Gi`, `1G`). */
export const MEMORY_QUANTITY_RULE = "must be a memory quantity such as '512Mi' or '2Gi' (greater than 0)";

/** Millicores of a CPU quantity, or undefined when it is not one. */
export function parseCpuMillis(quantity: string): number | undefined {
  const m = CPU.exec(quantity);
  if (!m) return undefined;
  const value = Number(m[1]);
  const millis = m[3] === 'm' ? value : value * 1000;
  return millis > 0 ? millis : undefined;
}

/** Bytes of a memory quantity, or undefined when it is not one. */
export function parseMemoryBytes(quantity: string): number | undefined {
  const m = MEMORY.exec(quantity);
  if (!m) return undefined;
  const suffix = m[3] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  const bytes = Math.floor(Number(m[1]) * factor);
  return bytes > 0 ? bytes : undefined;
}

/** CPU and memory quantities of one kind (requests or limits); either may be absent. */
export interface CpuAndMemory {
  readonly cpu?: string;
  readonly memory?: string;
}

/** Requests and limits of one container, in the Kubernetes shape. */
export interface RequestsAndLimits {
  readonly requests?: CpuAndMemory;
  readonly limits?: CpuAndMemory;
}

/** A limit set below its request, which the API server rejects when it admits the pod. */
export interface LimitBelowRequest {
  readonly resource: 'cpu' | 'memory';
  readonly limit: string;
  readonly request: string;
}

/** What a limit below its request is told, completing `<...>.limits.<resource> (<limit>) ...`. */
export function limitAtLeastRequestRule(resource: 'cpu' | 'memory', request: string): string {
  return `must be >= resources.requests.${resource} ('${request}')`;
}

/**
 * Every limit below its request, CPU first. Limits and requests that are absent, or are no quantity (the quantity
 * check reports those), are never compared: one mistake, one message.
 */
export function limitsBelowRequests(resources: RequestsAndLimits): LimitBelowRequest[] {
  const found: LimitBelowRequest[] = [];
  for (const [resource, parse] of [['cpu', parseCpuMillis], ['memory', parseMemoryBytes]] as const) {
    const request = resources.requests?.[resource];
    const limit = resources.limits?.[resource];
    if (request === undefined || limit === undefined) continue;
    const requested = parse(request);
    const limited = parse(limit);
    if (requested !== undefined && limited !== undefined && limited < requested) found.push({ resource, limit, request });
  }
  return found;
}

/**
 * Checks the requests and limits of one container found at `field` (`resources`, `prometheus.resources`): each
 * quantity parses (requests, then limits; CPU, then memory), and no limit is below its request.
 */
export function assertResources(scope: IConstruct, field: string, resources: RequestsAndLimits): void {
  for (const kind of ['requests', 'limits'] as const) {
    const q = resources[kind];
    if (q?.cpu !== undefined && parseCpuMillis(q.cpu) === undefined) fail(scope, `${field}.${kind}.cpu`, q.cpu, CPU_QUANTITY_RULE);
    if (q?.memory !== undefined && parseMemoryBytes(q.memory) === undefined) fail(scope, `${field}.${kind}.memory`, q.memory, MEMORY_QUANTITY_RULE);
  }
  for (const { resource, limit, request } of limitsBelowRequests(resources)) {
    fail(scope, `${field}.limits.${resource}`, limit, limitAtLeastRequestRule(resource, request));
  }
}
