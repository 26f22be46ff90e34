// Strict schema validation of Kubernetes objects, run as a Node ES module because `kubernetes-models` ships ES
// modules only (jest runs CommonJS). `test/support/k8s-schema.ts` spawns this file, writes
// `{ "objects": [...], "crdDirs": [...] }` to its stdin and reads one verdict per object from its stdout.
//
// Built-in kinds: `kubernetes-models` validators (ajv code precompiled from the official OpenAPI schema). They check
// types, enums, formats and required fields but accept unknown fields, so each object is wrapped in a recording
// Proxy: a compiled ajv validator reads exactly the properties its schema declares (`data.spec`, `data.replicas`,
// also when absent) and enumerates the keys of free-form maps (labels, resource limits) through `for..in`. After
// validation every own property that was never read, in an object whose keys were never enumerated, is an unknown
// field, reported the way the API server's strict field validation does (`unknown field "spec.foo"`). An object
// the validator reached but did not look into at all has a schema without properties (RawExtension): any content.
//
// Custom resources: the CRD's `openAPIV3Schema` for the object's version, made structural-strict (every object
// schema with `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true` gets
// `additionalProperties: false`, as the API server prunes or rejects), compiled with ajv; `metadata` is checked
// against ObjectMeta with the built-in route above.
//
// An apiVersion/kind with neither a built-in schema nor a CRD fails: nothing passes unchecked.
import fs from 'node:fs';
import path from 'node:path';
import { Buffer } from 'node:buffer';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { parseAllDocuments } from 'yaml';
import { formats } from '@kubernetes-models/validate';
import { validate as validateObjectMetaFn } from '@kubernetes-models/apimachinery/_schemas/IoK8sApimachineryPkgApisMetaV1ObjectMeta';

const Ajv = AjvModule.default ?? AjvModule;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `spec`, `containers[0]`, `labels["app.kubernetes.io/name"]` joined into one field path. */
export function joinPath(segments) {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** ajv's `/spec/template/0/name` (JSON pointer) to path segments. */
function pointerToSegments(pointer) {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function isObject(v) {
  return typeof v === 'object' && v !== null;
}

/**
 * Wraps `value` in Proxies that record, per object node, which keys a validator reads and whether it enumerates
 * them. Returns the proxy and the list of nodes; call `stop()` before touching the proxy yourself.
 */
export function recordAccess(value, basePath = []) {
  const nodes = [];
  let recording = true;
  const wrap = (target, segments) => {
    const node = { segments, target, read: new Set(), enumerated: false, isArray: Array.isArray(target) };
    nodes.push(node);
    const children = new Map();
    const child = (key) => {
      const v = target[key];
      if (!isObject(v)) return v;
      if (!children.has(key)) {
        const seg = node.isArray && /^\d+$/.test(key) ? Number(key) : key;
        children.set(key, wrap(v, [...segments, seg]));
      }
      return children.get(key);
    };
    return new Proxy(target, {
      get(t, key, receiver) {
        if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(t, key)) {
          if (recording && typeof key === 'string') node.read.add(key);
          return Reflect.get(t, key, receiver);
        }
        if (recording) node.read.add(key);
        return child(key);
      },
      has(t, key) {
        if (recording && typeof key === 'string') node.read.add(key);
        return Reflect.has(t, key);
      },
      ownKeys(t) {
        if (recording) node.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };
  const proxy = isObject(value) ? wrap(value, basePath) : value;
  return { proxy, nodes, stop: () => { recording = false; } };
}

/** Own properties no validator read, in objects whose schema declares properties (see the file header). */
export function unreadFields(nodes) {
  const out = [];
  for (const node of nodes) {
    if (node.isArray || node.enumerated || node.read.size === 0) continue;
    for (const key of Object.keys(node.target)) {
      if (!node.read.has(key)) out.push(joinPath([...node.segments, key]));
    }
  }
  return out.sort();
}

function describeAjvError(e) {
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'type': return `must be ${p.type}`;
    case 'enum': return `must be one of ${(p.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'format': return `must match format "${p.format}"`;
    case 'pattern': return `must match pattern "${p.pattern}"`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `must be ${p.comparison} ${p.limit}`;
    case 'minLength': return `must be at least ${p.limit} characters long`;
    case 'maxLength': return `must be at most ${p.limit} characters long`;
    case 'minItems': return `must have at least ${p.limit} items`;
    case 'maxItems': return `must have at most ${p.limit} items`;
    case 'minProperties': return `must have at least ${p.limit} properties`;
    case 'maxProperties': return `must have at most ${p.limit} properties`;
    case 'uniqueItems': return `must not have duplicate items (items ${p.j} and ${p.i} are identical)`;
    default: return e.message ?? `fails ${e.keyword} ${JSON.stringify(p)}`;
  }
}

/**
 * ajv errors as `spec.replicas: must be integer`, `missing required field "spec.selector"`, `unknown field "spec.x"`.
 * Errors of the branches of a failed oneOf/anyOf are folded into one line: `must be number or must be string`.
 */
export function formatAjvErrors(errors, basePath = []) {
  const lines = [];
  const junctions = new Set(errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath));
  const branchMessages = new Map();
  for (const e of errors) {
    const segments = [...basePath, ...pointerToSegments(e.instancePath)];
    if (e.keyword === 'required') {
      lines.push(`missing required field "${joinPath([...segments, p(e).missingProperty])}"`);
    } else if (e.keyword === 'additionalProperties') {
      lines.push(`unknown field "${joinPath([...segments, p(e).additionalProperty])}"`);
    } else if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      continue;
    } else if (junctions.has(e.instancePath)) {
      const list = branchMessages.get(e.instancePath) ?? [];
      list.push(describeAjvError(e));
      branchMessages.set(e.instancePath, list);
    } else {
      lines.push(`${joinPath(segments) || '(object)'}: ${describeAjvError(e)}`);
    }
  }
  for (const pointer of junctions) {
    const segments = [...basePath, ...pointerToSegments(pointer)];
    const alternatives = [...new Set(branchMessages.get(pointer) ?? ['match one of its allowed shapes'])];
    lines.push(`${joinPath(segments) || '(object)'}: ${alternatives.join(' or ')}`);
  }
  return lines;
}

function p(e) {
  return e.params ?? {};
}

/** Runs a compiled (kubernetes-models) validator on `value` with unknown-field detection. */
export function strictValidate(fn, value, basePath = []) {
  const rec = recordAccess(value, basePath);
  let ok;
  try {
    ok = fn(rec.proxy);
  } finally {
    rec.stop();
  }
  const errors = ok ? [] : formatAjvErrors(fn.errors ?? [], basePath);
  return [...errors, ...unreadFields(rec.nodes).map((f) => `unknown field "${f}"`)];
}

const API_VERSION = /^(?:([a-z0-9]([a-z0-9.-]*[a-z0-9])?)\/)?(v\d+(?:(?:alpha|beta)\d+)?)$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * The kubernetes-models validator of a built-in kind, or undefined. `apps/v1` `Deployment` is the class exported by
 * `kubernetes-models/apps/v1/Deployment`; its prototype's `validate` runs the compiled schema on `this`.
 */
async function builtinValidator(apiVersion, kind) {
  const m = API_VERSION.exec(apiVersion ?? '');
  if (!m || !KIND.test(kind ?? '')) return undefined;
  let mod;
  try {
    mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
  } catch (err) {
    if (err && (err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')) return undefined;
    throw err;
  }
  const cls = mod[kind];
  if (!cls || cls.apiVersion !== apiVersion || cls.kind !== kind) return undefined;
  return { fn: captureValidateFunc(cls), source: `kubernetes-models/${apiVersion}/${kind}` };
}

/**
 * kubernetes-models keeps schemas of built-in alpha/beta API versions that clusters no longer serve (removed in
 * 1.16-1.32: `extensions/v1beta1`, `policy/v1beta1`, `autoscaling/v2beta2`, ...) or that are off by default (every
 * beta added since 1.24). The API server answers "no matches for kind", so they fail here, naming the GA version.
 */
async function prereleaseApiError(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const ga = [];
  for (const v of ['v1', 'v2', 'v3']) {
    const candidate = group ? `${group}/${v}` : v;
    if (await builtinValidator(candidate, kind)) ga.push(candidate);
  }
  const use = ga.length > 0 ? `use ${ga.join(' or ')}` : 'no GA version of this kind exists';
  return `apiVersion "${apiVersion}": built-in alpha/beta API versions are removed or disabled by default in current Kubernetes; ${use}`;
}

/**
 * `setValidateFunc(Class, fn)` keeps `fn` in a closure. Calling `Class.prototype.validate` on a Proxy whose reads we
 * record is equivalent to calling `fn` on it; the validation error it throws carries ajv's `errors`.
 */
function captureValidateFunc(cls) {
  const fn = (data) => {
    try {
      cls.prototype.validate.call(data);
      fn.errors = null;
      return true;
    } catch (err) {
      if (err && Array.isArray(err.errors)) {
        fn.errors = err.errors;
        return false;
      }
      throw err;
    }
  };
  return fn;
}

/** ObjectMeta validator, with the same call shape as a compiled schema. */
const validateObjectMeta = (data) => {
  const ok = validateObjectMetaFn(data, { instancePath: '' });
  validateObjectMeta.errors = validateObjectMetaFn.errors;
  return ok;
};

/** Adds `additionalProperties: false` where the API server would prune or reject unknown fields. */
export function makeStructuralStrict(schema) {
  if (!isObject(schema) || Array.isArray(schema)) return schema;
  const out = { ...schema };
  if (out['x-kubernetes-embedded-resource'] === true && isObject(out.properties)) {
    // An embedded object always may carry apiVersion, kind and metadata, declared or not.
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  if (isObject(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, makeStructuralStrict(v)]));
    if (out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (isObject(out.items) && !Array.isArray(out.items)) out.items = makeStructuralStrict(out.items);
  if (isObject(out.additionalProperties)) out.additionalProperties = makeStructuralStrict(out.additionalProperties);
  // allOf/anyOf/oneOf/not only constrain values in a structural schema; the fields themselves are declared above.
  return out;
}

/**
 * CRD patterns are Go (RE2) regular expressions. RE2 spells flags inline (`^(?i)(abort|warn)?$`), which JavaScript
 * cannot; leading inline flags become RegExp flags. A pattern JavaScript cannot compile at all throws, naming it,
 * rather than being skipped.
 */
export function goRegExp(pattern, flags) {
  let source = pattern;
  let extra = '';
  const inline = /^(\^?)\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    if (inline[2].includes('U')) throw new Error(`CRD pattern ${JSON.stringify(pattern)}: RE2 flag U has no JavaScript equivalent`);
    extra = inline[2].replace(/[^ims]/g, '');
    source = inline[1] + source.slice(inline[0].length);
  }
  const all = [...new Set(flags + extra)].join('');
  try {
    return new RegExp(source, all);
  } catch {
    // RE2 allows identity escapes of punctuation (`\-`) that unicode-mode JavaScript rejects; without `u` they mean
    // the same. Patterns are ASCII in practice, where the two modes agree.
  }
  try {
    return new RegExp(source, all.replace('u', ''));
  } catch (err) {
    throw new Error(`CRD pattern ${JSON.stringify(pattern)} cannot be compiled as a JavaScript RegExp: ${err.message}`, { cause: err });
  }
}

/** Go's time.ParseDuration syntax: `0`, or signed decimal numbers, each with a unit. */
export const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;

/** Every CRD in `dirs`, read lazily: a file is parsed only once an object of a group it mentions is checked. */
export class CrdCatalogue {
  constructor(dirs) {
    this.files = [];
    for (const dir of dirs) {
      for (const file of listYaml(dir)) this.files.push({ file, text: undefined, crds: undefined });
    }
    this.validators = new Map();
    this.ajv = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: true, code: { regExp: goRegExp } });
    for (const [name, format] of Object.entries(formats)) this.ajv.addFormat(name, format);
    // The API server reads `duration` as a Go duration (`30s`, `1h30m`), not ISO 8601 (`PT30S`) as ajv-formats does.
    this.ajv.addFormat('duration', GO_DURATION);
  }

  /** The CRD defining `group` `kind`, with the file it came from, or undefined. */
  find(group, kind) {
    for (const entry of this.files) {
      entry.text ??= fs.readFileSync(entry.file, 'utf8');
      if (!entry.text.includes(group)) continue;
      entry.crds ??= parseAllDocuments(entry.text)
        .map((d) => d.toJS())
        .filter((o) => o && o.kind === 'CustomResourceDefinition');
      const crd = entry.crds.find((c) => c.spec?.group === group && c.spec?.names?.kind === kind);
      if (crd) return { crd, file: entry.file };
    }
    return undefined;
  }

  /** Compiled strict validator for one apiVersion/kind, `{ error }` when the CRD lacks that version, or undefined. */
  validator(apiVersion, kind) {
    const key = `${apiVersion} ${kind}`;
    if (this.validators.has(key)) return this.validators.get(key);
    const slash = (apiVersion ?? '').indexOf('/');
    let result;
    if (slash > 0) {
      const group = apiVersion.slice(0, slash);
      const version = apiVersion.slice(slash + 1);
      const found = this.find(group, kind);
      if (found) {
        const source = `CRD ${found.crd.metadata?.name} (${path.basename(found.file)})`;
        const v = (found.crd.spec.versions ?? []).find((x) => x.name === version);
        if (!v || v.served === false) {
          const served = (found.crd.spec.versions ?? []).filter((x) => x.served !== false).map((x) => x.name);
          result = { source, error: `version ${version} is not served by ${source}; served: ${served.join(', ')}` };
        } else {
          const schema = makeStructuralStrict(v.schema?.openAPIV3Schema ?? { type: 'object' });
          // metadata is the API server's ObjectMeta, checked separately; CRDs may not constrain it beyond that.
          if (isObject(schema.properties)) {
            schema.properties = { ...schema.properties };
            delete schema.properties.metadata;
          }
          try {
            const fn = this.ajv.compile(schema);
            result = { source: `${source} ${version}`, fn, scope: found.crd.spec.scope };
          } catch (err) {
            result = { source, error: `the schema of ${source} ${version} cannot be compiled, so nothing was checked: ${err.message}` };
          }
        }
      }
    }
    this.validators.set(key, result);
    return result;
  }
}

function listYaml(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listYaml(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * Validates each object; returns `{ apiVersion, kind, name, namespace, route, source, errors }` per object, where
 * `route` is `builtin`, `crd` or `none` (no schema: always an error).
 */
export async function validateObjects(objects, crdDirs) {
  const crds = new CrdCatalogue(crdDirs);
  const results = [];
  for (const obj of objects) {
    const apiVersion = obj?.apiVersion;
    const kind = obj?.kind;
    const base = { apiVersion, kind, name: obj?.metadata?.name, namespace: obj?.metadata?.namespace };
    if (!isObject(obj) || Array.isArray(obj)) {
      results.push({ ...base, route: 'none', source: null, errors: ['(object): must be a mapping with apiVersion and kind'] });
      continue;
    }
    const builtin = await builtinValidator(apiVersion, kind);
    if (builtin) {
      const errors = strictValidate(builtin.fn, obj);
      if (/(alpha|beta)\d+$/.test(apiVersion)) errors.unshift(await prereleaseApiError(apiVersion, kind));
      results.push({ ...base, route: 'builtin', source: builtin.source, errors });
      continue;
    }
    const crd = crds.validator(apiVersion, kind);
    if (crd && crd.error) {
      results.push({ ...base, route: 'crd', source: crd.source, errors: [crd.error] });
      continue;
    }
    if (crd) {
      const { metadata, ...rest } = obj;
      const errors = crd.fn(rest) ? [] : formatAjvErrors(crd.fn.errors ?? []);
      if (metadata === undefined) errors.unshift('missing required field "metadata"');
      else errors.push(...strictValidate(validateObjectMeta, metadata, ['metadata']));
      if (crd.scope === 'Cluster' && metadata?.namespace !== undefined) {
        errors.push(`metadata.namespace: must be absent, ${kind} is cluster-scoped`);
      }
      results.push({ ...base, route: 'crd', source: crd.source, errors });
      continue;
    }
    results.push({
      ...base,
      route: 'none',
      source: null,
      errors: [
        `no schema for apiVersion "${apiVersion}" kind "${kind}": it is neither a built-in kind of kubernetes-models ` +
          `nor defined by a CRD in ${crdDirs.join(', ')}. Fix the apiVersion/kind, or vendor the CRD's YAML ` +
          '(pin it in upstream/pins.json; `npm run vendor` fetches it) into that folder: it is then picked up automatically',
      ],
    });
  }
  return results;
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const results = await validateObjects(input.objects, input.crdDirs);
  process.stdout.write(JSON.stringify(results));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err && err.stack ? err.stack : String(err));
    process.exit(1);
  });
}
