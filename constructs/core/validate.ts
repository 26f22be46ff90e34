import { IConstruct } from 'constructs';
import { fail } from './errors';

/** An image reference pinned to a version tag or a digest: never `:latest`, never tagless. */
export function isPinnedImage(image: string): boolean {
  if (image.includes('@')) return /^[^@]+@sha256:[a-f0-9]{64}$/.test(image);
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) && tag !== 'latest';
}

/** The tag of a pinned image (`redis:8.2.2-alpine` gives `8.2.2-alpine`), or the digest. */
export function imageVersion(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1).replace('sha256:', '').slice(0, 12);
  return image.slice(image.lastIndexOf(':') + 1);
}

export const PINNED_IMAGE_RULE = 'must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)';

export function assertPinnedImage(scope: IConstruct, field: string, image: string): void {
  if (!isPinnedImage(image)) fail(scope, field, image, PINNED_IMAGE_RULE);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1123 label: what Kubernetes accepts as a Service or namespace name. */
export function isDnsLabel(name: string): boolean {
  return DNS_LABEL.test(name);
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** RFC 1035 label: what a Service name must be (a DNS label that starts with a letter). */
export function isDnsLabel1035(name: string): boolean {
  return DNS_1035_LABEL.test(name);
}

export const DNS_1035_LABEL_RULE =
  'must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric';

/** For names that become a Service's name. */
export function assertDnsLabel1035(scope: IConstruct, field: string, name: string): void {
  if (!isDnsLabel1035(name)) fail(scope, field, name, DNS_1035_LABEL_RULE);
}

export const DNS_LABEL_RULE = 'must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric';

export function assertDnsLabel(scope: IConstruct, field: string, name: string): void {
  if (!isDnsLabel(name)) fail(scope, field, name, DNS_LABEL_RULE);
}

/**
 * RFC 1123 subdomain: what Kubernetes accepts as the name of most objects (a StorageClass, a ConfigMap, a Secret):
 * at most 253 characters, dot-separated DNS labels.
 */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && name.split('.').every(isDnsLabel);
}

export const DNS_SUBDOMAIN_RULE =
  'must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric';

/** For names of Kubernetes objects that allow dots (StorageClass, Secret, ConfigMap). */
export function assertDnsSubdomain(scope: IConstruct, field: string, name: string): void {
  if (!isDnsSubdomain(name)) fail(scope, field, name, DNS_SUBDOMAIN_RULE);
}

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
/** A key of a Secret's or ConfigMap's data, as the API server accepts it: `[-._a-zA-Z0-9]+`, at most 253 characters. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export const SECRET_KEY_RULE = 'must be a Secret key: 1-253 letters, digits, -, _ or .';

export function assertSecretKey(scope: IConstruct, field: string, key: string): void {
  if (!isSecretKey(key)) fail(scope, field, key, SECRET_KEY_RULE);
}

export function assertInt(scope: IConstruct, field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    fail(scope, field, value, `must be an integer ${range}`);
  }
}

export function assertPort(scope: IConstruct, field: string, value: number): void {
  assertInt(scope, field, value, 1, 65535);
}
