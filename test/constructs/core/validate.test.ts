import { Construct } from 'constructs';
import {
  assertDnsLabel,
  assertDnsSubdomain,
  assertInt,
  assertPinnedImage,
  assertSecretKey,
  imageVersion,
  isDnsLabel,
  isDnsLabel1035,
  isDnsSubdomain,
  isPinnedImage,
  isSecretKey,
} from '../../../constructs/core/validate';
import { parseCpuMillis, parseMemoryBytes } from '../../../constructs/core/quantity';

const scope = new Construct(undefined as any, 'platform-prod').node.root as Construct;

describe('isPinnedImage', () => {
  test.each(['redis:8.2.2-alpine', 'ghcr.io/example/api:1.4.2', 'registry:5000/team/app:v2', `nginx@sha256:${'a'.repeat(64)}`])(
    'accepts %s',
    (image) => expect(isPinnedImage(image)).toBe(true),
  );
  test.each(['redis', 'redis:latest', 'registry:5000/team/app', 'ghcr.io/example/api:', `nginx@sha256:${'a'.repeat(10)}`])(
    'rejects %s',
    (image) => expect(isPinnedImage(image)).toBe(false),
  );
});

describe('imageVersion', () => {
  test('is the tag of a tagged image', () => expect(imageVersion('registry:5000/app:1.2.3')).toBe('1.2.3'));
  test('is the digest prefix of a digest image', () => expect(imageVersion(`app@sha256:${'b'.repeat(64)}`)).toBe('bbbbbbbbbbbb'));
});

describe('isDnsLabel', () => {
  test.each(['api', 'payments-api', 'a1'])('accepts %s', (n) => expect(isDnsLabel(n)).toBe(true));
  test.each(['Api', '-api', 'api-', 'a_b', 'a'.repeat(64), ''])('rejects %s', (n) => expect(isDnsLabel(n)).toBe(false));
});

describe('isSecretKey', () => {
  test.each(['password', 'tls.crt', 'SLACK_WEBHOOK-url', '.dockerconfigjson', 'k'.repeat(253)])('accepts %s', (k) => expect(isSecretKey(k)).toBe(true));
  test.each(['', 'pass word', 'a/b', 'clé', 'k'.repeat(254)])('rejects %s', (k) => expect(isSecretKey(k)).toBe(false));
});

describe('assertions name the construct path, the field, the value and the rule', () => {
  test('assertPinnedImage', () => {
    expect(() => assertPinnedImage(scope, 'image', 'redis:latest')).toThrow(
      "[platform-prod] 'image' ('redis:latest') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)",
    );
  });
  test('assertDnsLabel', () => {
    expect(() => assertDnsLabel(scope, 'name', 'Bad_Name')).toThrow("[platform-prod] 'name' ('Bad_Name') must be a DNS label");
  });
  test('assertSecretKey', () => {
    expect(() => assertSecretKey(scope, 'key', 'a/b')).toThrow("[platform-prod] 'key' ('a/b') must be a Secret key: 1-253 letters, digits, -, _ or .");
  });
  test('assertInt', () => {
    expect(() => assertInt(scope, 'replicas', 2.5, 1, 5)).toThrow("[platform-prod] 'replicas' (2.5) must be an integer from 1 to 5");
    expect(() => assertInt(scope, 'replicas', 0, 1)).toThrow("[platform-prod] 'replicas' (0) must be an integer >= 1");
  });
});

describe('quantities', () => {
  test.each([
    ['250m', 250],
    ['1', 1000],
    ['1.5', 1500],
  ])('CPU %s is %d millicores', (q, m) => expect(parseCpuMillis(q)).toBe(m));
  test.each(['0', '0m', '-1', '1Gi', 'abc', '1.5.2'])('CPU %s is not a quantity', (q) => expect(parseCpuMillis(q)).toBeUndefined());
  test.each([
    ['512Mi', 512 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1G', 1e9],
    ['128974848', 128974848],
  ])('memory %s is %d bytes', (q, b) => expect(parseMemoryBytes(q)).toBe(b));
  test.each(['0Mi', '1.5 Gi', '512MB', 'Mi', '-1Gi'])('memory %s is not a quantity', (q) => expect(parseMemoryBytes(q)).toBeUndefined());
});

describe('isDnsLabel1035', () => {
  test.each(['api', 'a', 'payments-api2'])('accepts %s', (n) => expect(isDnsLabel1035(n)).toBe(true));
  test.each(['9api', '-api', 'api-', 'Api', 'a'.repeat(64)])('rejects %s', (n) => expect(isDnsLabel1035(n)).toBe(false));
});

describe('isDnsSubdomain', () => {
  test.each(['gp3', 'gp3.encrypted', 'ebs-sc.example.com', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`])('accepts %s', (n) =>
    expect(isDnsSubdomain(n)).toBe(true),
  );
  test.each(['', 'GP3', 'gp3_encrypted', '.gp3', 'gp3.', 'gp3..x', '-gp3', 'gp3-.x', 'a'.repeat(64), `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`])(
    'rejects %j',
    (n) => expect(isDnsSubdomain(n)).toBe(false),
  );
});

describe('assertDnsSubdomain', () => {
  test('names the field, the value and the rule', () => {
    expect(() => assertDnsSubdomain(scope, 'storageClassName', 'GP3')).toThrow(
      "[platform-prod] 'storageClassName' ('GP3') must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric",
    );
  });
  test('passes a dotted name', () => expect(() => assertDnsSubdomain(scope, 'storageClassName', 'gp3.encrypted')).not.toThrow());
});
