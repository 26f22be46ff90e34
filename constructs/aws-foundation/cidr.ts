/** Terraform's `cidrsubnet`, computed at synth time so that subnet ranges are plain strings in the diff. */
export function cidrSubnet(base: string, newBits: number, netNum: number): string {
  const [address, prefixText] = base.split('/');
  const prefix = Number(prefixText);
  const newPrefix = prefix + newBits;
  if (newPrefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new RangeError(`cidrSubnet(${base}, ${newBits}, ${netNum}): no such subnet`);
  }
  const baseInt = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const subnetInt = baseInt + netNum * 2 ** (32 - newPrefix);
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(subnetInt / 2 ** shift) % 256);
  return `${octets.join('.')}/${newPrefix}`;
}

/** The prefix length of an IPv4 CIDR block (`10.20.0.0/16` gives 16), or `undefined` when it is not one. */
export function cidrPrefix(value: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return address % 2 ** (32 - prefix) === 0 ? prefix : undefined;
}

/** An IPv4 CIDR block with its host bits zero (`10.20.0.0/16`). */
export function isCidr(value: string): boolean {
  return cidrPrefix(value) !== undefined;
}

export const CIDR_RULE = "must be an IPv4 CIDR block with its host bits zero, such as '10.20.0.0/16'";
