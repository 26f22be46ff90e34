import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { deepMerge } from '../../constructs/helm/pinned-release';
import { vendorFile } from './vendor';

/** Pinned upstream chart defaults, in the vendor cache. */
export const VENDORED_CHARTS = vendorFile('charts');

type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `a.b["prometheus.io/scrape"]`: dotted where a key is a plain word, bracketed otherwise. */
export function keyPath(segments: readonly string[]): string {
  return segments.map((s, i) => (IDENT.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`)).join('');
}

/** Helm `--set` name to key segments: `a.b\.c.d` → `['a', 'b.c', 'd']`; list indexes (`x[0]`) end the path. */
export function splitSetName(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '\\' && i + 1 < name.length) {
      cur += name[++i];
    } else if (c === '.') {
      out.push(cur);
      cur = '';
    } else if (c === '[') {
      break; // inside a list: not descended into, like list values
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/** A key path the chart's defaults do not declare. */
export interface KeyProblem {
  /** Key path as `keyPath` writes it. */
  readonly path: string;
  /** What is wrong, in words. */
  readonly problem: string;
}

/** Options of `findUnknownKeys`. */
export interface KeyCheckOptions {
  /**
   * Accepts a key path (and everything under it) that the defaults do not declare.
   * @default nothing is accepted
   */
  readonly allowed?: (path: string) => boolean;
  /**
   * Names the defaults in messages.
   * @default 'the chart defaults'
   */
  readonly defaultsName?: string;
}

/**
 * Every key path set in `values` that `defaults` does not declare. A key under a default that is an empty map `{}`
 * or null (`~`, a placeholder) accepts any child; list values are not descended into; a map set where the default
 * is a scalar or list is reported, since Helm would replace the default wholesale with a different shape.
 */
export function findUnknownKeys(values: unknown, defaults: unknown, options: KeyCheckOptions = {}): KeyProblem[] {
  const allowed = options.allowed ?? (() => false);
  const where = options.defaultsName ?? 'the chart defaults';
  const problems: KeyProblem[] = [];
  const walk = (v: Values, d: Values, segments: string[]) => {
    for (const key of Object.keys(v).sort()) {
      const here = [...segments, key];
      const p = keyPath(here);
      if (allowed(p)) continue;
      if (!Object.prototype.hasOwnProperty.call(d, key)) {
        problems.push({ path: p, problem: `unknown key "${p}": not in ${where}` });
        continue;
      }
      const value = v[key];
      const def = d[key];
      if (!isMap(value)) continue;
      if (def === null || def === undefined) continue;
      if (!isMap(def)) {
        const shape = Array.isArray(def) ? 'a list' : `a ${typeof def} (${JSON.stringify(def)})`;
        problems.push({ path: p, problem: `"${p}" is set to a map, but in ${where} it is ${shape}` });
        continue;
      }
      if (Object.keys(def).length === 0) continue;
      walk(value, def, here);
    }
  };
  if (isMap(values)) walk(values, isMap(defaults) ? defaults : {}, []);
  return problems;
}

/** One sub-chart's key in the parent's values and the defaults it brings. */
export interface SubchartDefaults {
  /** Key in the parent's values: the dependency's alias, else its name. */
  readonly key: string;
  /** `name-version`, the folder under `dependencies/`. */
  readonly folder: string;
  /** Its values.yaml, or undefined when not vendored. */
  readonly values?: Values;
}

/** A vendored chart: Chart.yaml facts and the defaults a values key is checked against. */
export interface ChartDefaults {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  /** The chart's own values.yaml. */
  readonly values: Values;
  readonly subcharts: readonly SubchartDefaults[];
  /** values.yaml with each vendored sub-chart's defaults merged under its key (the parent's own section wins). */
  readonly effective: Values;
  /** Raw text of every values.yaml, for the allow-list's "appears as a comment" check. */
  readonly texts: readonly string[];
}

/** Reads `<root>/<vendoredAs>/{Chart.yaml,values.yaml}` and `dependencies/<name>-<version>/values.yaml`. */
export function loadChartDefaults(vendoredAs: string, root: string = VENDORED_CHARTS): ChartDefaults {
  const dir = path.join(root, vendoredAs);
  const chartYaml = parse(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as Values;
  const valuesText = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  const values = (parse(valuesText) ?? {}) as Values;
  const texts = [valuesText];
  const subcharts: SubchartDefaults[] = [];
  let effective: Values = { ...values };
  for (const dep of (chartYaml.dependencies as Values[] | undefined) ?? []) {
    const key = String(dep.alias ?? dep.name);
    const folder = `${String(dep.name)}-${String(dep.version).replace(/^[=v^~]+/, '')}`;
    const file = path.join(dir, 'dependencies', folder, 'values.yaml');
    if (!fs.existsSync(file)) {
      subcharts.push({ key, folder });
      continue;
    }
    const text = fs.readFileSync(file, 'utf8');
    texts.push(text);
    const sub = (parse(text) ?? {}) as Values;
    subcharts.push({ key, folder, values: sub });
    effective = { ...effective, [key]: deepMerge(sub, isMap(values[key]) ? values[key] : {}) };
  }
  return {
    dir,
    name: String(chartYaml.name),
    version: String(chartYaml.version),
    values,
    subcharts,
    effective,
    texts,
  };
}

/** True when `key:` appears commented out (`# key:`) in one of the texts. */
export function appearsAsComment(texts: readonly string[], key: string): boolean {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*#+\\s*(?:-\\s+)?["']?${escaped}["']?\\s*:`, 'm');
  return texts.some((t) => re.test(t));
}

/** A `helm_release` of a synthesised stack, with every values document merged and `set` entries applied. */
export interface ReleaseInStack {
  readonly stack: string;
  readonly id: string;
  readonly name: string;
  readonly chart: string;
  readonly repository?: string;
  readonly version?: string;
  readonly values: Values;
}

/** Every `helm_release` in one stack's Terraform JSON. */
export function helmReleases(stackName: string, tf: Record<string, any>): ReleaseInStack[] {
  const releases = tf.resource?.helm_release ?? {};
  return Object.entries(releases).map(([id, r]: [string, any]) => {
    let values: Values = {};
    for (const doc of (r.values as string[] | undefined) ?? []) {
      const parsed = parse(doc) as unknown;
      if (parsed !== null && !isMap(parsed)) throw new Error(`${stackName} helm_release.${id}: values document is not a map`);
      values = deepMerge(values, (parsed ?? {}) as Values);
    }
    for (const s of [...(r.set ?? []), ...(r.set_sensitive ?? []), ...(r.set_list ?? [])] as { name: string }[]) {
      const segments = splitSetName(s.name);
      let node: Values = values;
      for (const seg of segments.slice(0, -1)) {
        node[seg] = isMap(node[seg]) ? node[seg] : {};
        node = node[seg] as Values;
      }
      if (segments.length > 0) node[segments[segments.length - 1]] ??= '(set)';
    }
    return { stack: stackName, id, name: r.name, chart: r.chart, repository: r.repository, version: r.version, values };
  });
}
