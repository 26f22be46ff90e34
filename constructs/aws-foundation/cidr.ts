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
