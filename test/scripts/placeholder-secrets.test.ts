import { parseAllDocuments } from 'yaml';
import { missingSecrets, placeholderSecrets } from '../../scripts/placeholder-secrets';
import { ENVIRONMENTS, synthAll } from '../support/synth';

const pod = (namespace: string, refs: [string, string][]) => ({
  kind: 'Deployment',
  metadata: { name: 'x', namespace },
  spec: { template: { spec: { containers: [{ env: refs.map(([name, key]) => ({ name: 'V', valueFrom: { secretKeyRef: { name, key } } })) }] } } },
});

test('names every Secret read by secretKeyRef and not in the manifests, per namespace, with its keys', () => {
  const objects = [pod('apps', [['db', 'password'], ['db', 'user'], ['own', 'k']]), pod('data', [['db', 'password']]), { kind: 'Secret', metadata: { name: 'own', namespace: 'apps' } }];
  expect(missingSecrets(objects)).toEqual(new Map([['apps/db', new Set(['password', 'user'])], ['data/db', new Set(['password'])]]));
});

test('renders them as Secrets whose every key holds the one value', () => {
  const docs = parseAllDocuments(placeholderSecrets(new Map([['data/redis-auth', new Set(['password'])], ['apps/redis-client', new Set(['password'])]]), 's3cr3t')).map((d) => d.toJS());
  expect(docs).toEqual([
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis-client', namespace: 'apps' }, type: 'Opaque', stringData: { password: 's3cr3t' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis-auth', namespace: 'data' }, type: 'Opaque', stringData: { password: 's3cr3t' } },
  ]);
});

test.each(ENVIRONMENTS)('%s: every Secret the synthesised manifests read is found (none is defined in them)', (env) => {
  const objects = synthAll().objects(env);
  expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  const names = [...missingSecrets(objects).keys()];
  const refs = JSON.stringify(objects).match(/"secretKeyRef":\{[^}]*\}/g) ?? [];
  expect(names.length).toBeGreaterThan(0);
  for (const r of refs) expect(names.some((n) => r.includes(`"name":"${n.split('/')[1]}"`))).toBe(true);
});
