/**
 * Kubernetes resource quantities, parsed the way the API server reads them, for the few sums a construct needs
 * (Redis `maxmemory` from a memory limit, requests not above limits).
 */

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
