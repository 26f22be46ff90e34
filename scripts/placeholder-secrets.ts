/**
 * `npx tsx scripts/placeholder-secrets.ts <env> | kubectl apply -f -`: for a throw-away test cluster (the CI's kind
 * cluster), every Secret the manifests in dist/k8s/<env> read by `secretKeyRef` but do not contain, each referenced
 * key set to ONE random value made now (so Secrets that must agree, such as Redis's server and client password, do).
 * Never for a real environment: there, Secrets come from Vault or your secret store (docs/deploy.md).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

interface Obj {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

/** `namespace/name` → referenced keys, for every secretKeyRef whose Secret is not among `objects`. */
export function missingSecrets(objects: readonly Obj[]): Map<string, Set<string>> {
  const defined = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
  const out = new Map<string, Set<string>>();
  const walk = (value: unknown, namespace: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => walk(v, namespace));
    if (value === null || typeof value !== 'object') return;
    const ref = (value as { secretKeyRef?: { name?: string; key?: string } }).secretKeyRef;
    if (ref?.name && ref.key && !defined.has(`${namespace}/${ref.name}`)) {
      const id = `${namespace}/${ref.name}`;
      out.set(id, (out.get(id) ?? new Set()).add(ref.key));
    }
    Object.values(value).forEach((v) => walk(v, namespace));
  };
  for (const o of objects) if (o.metadata?.namespace) walk(o, o.metadata.namespace);
  return out;
}

/** The Secrets as one multi-document YAML, every key holding `value`. */
export function placeholderSecrets(missing: Map<string, Set<string>>, value: string): string {
  return [...missing.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, keys]) => {
      const [namespace, name] = id.split('/');
      return stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData: Object.fromEntries([...keys].sort().map((k) => [k, value])) });
    })
    .join('---\n');
}

if (require.main === module) {
  const env = process.argv[2];
  const dir = path.resolve(__dirname, '..', 'dist', 'k8s', env ?? '');
  if (!env || !fs.existsSync(dir)) {
    console.error(`usage: tsx scripts/placeholder-secrets.ts <env> (after npm run synth; ${dir} does not exist)`);
    process.exit(1);
  }
  const objects = fs.readdirSync(dir).flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS() as Obj));
  process.stdout.write(placeholderSecrets(missingSecrets(objects.filter(Boolean)), randomBytes(24).toString('hex')));
}
