import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import type { K8sObject } from './synth';

/**
 * Helpers for checking synthesised PrometheusRules and dashboard queries with the real `promtool`.
 *
 * Unit test files (`test/output/promtool/*.test.yaml`) are ordinary `promtool test rules` files, except that each
 * `rule_files` entry names a synthesised PrometheusRule as `<namespace>/<name>` (for example `data/redis`); the
 * harness replaces it with the path of a rule file holding that object's `spec.groups`.
 */

/** A PrometheusRule's rule groups, as promtool reads them. */
export interface RuleGroup {
  name: string;
  rules: { alert?: string; record?: string; expr: string | number; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}

/** Every PrometheusRule among `objects`, by `<namespace>/<name>`. */
export function prometheusRules(objects: readonly K8sObject[]): Map<string, RuleGroup[]> {
  const out = new Map<string, RuleGroup[]>();
  for (const o of objects) {
    if (o.kind !== 'PrometheusRule') continue;
    const id = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (out.has(id)) throw new Error(`two PrometheusRules named ${id}`);
    out.set(id, ((o.spec as { groups?: RuleGroup[] })?.groups ?? []) as RuleGroup[]);
  }
  return out;
}

/** Alert names of a PrometheusRule. */
export function alertNames(groups: readonly RuleGroup[]): string[] {
  return groups.flatMap((g) => g.rules.map((r) => r.alert).filter((a): a is string => a !== undefined));
}

/** Writes one rule file per PrometheusRule under `dir` (`<namespace>/<name>.rules.yaml`); returns their paths by id. */
export function writeRuleFiles(dir: string, rules: ReadonlyMap<string, RuleGroup[]>): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [id, groups] of rules) {
    const file = path.join(dir, `${id}.rules.yaml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, stringify({ groups }));
    paths.set(id, file);
  }
  return paths;
}

export interface ToolRun {
  status: number | null;
  /** stdout and stderr together, for failure messages. */
  output: string;
}

export function promtool(args: readonly string[], cwd?: string): ToolRun {
  const r = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 60000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

const RULE_REF = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A parsed unit test file: which PrometheusRules it loads, and where each alert fires or stays silent. */
export interface UnitTestFile {
  file: string;
  /** `<namespace>/<name>` of every PrometheusRule in `rule_files`. */
  ruleRefs: string[];
  /** Alert names with at least one `alert_rule_test` expecting alerts. */
  fires: Set<string>;
  /** Alert names with at least one `alert_rule_test` expecting none. */
  silent: Set<string>;
  /** The parsed document, for substitution. */
  doc: Record<string, unknown>;
}

export function readUnitTestFile(file: string): UnitTestFile {
  const doc = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const name = path.basename(file);
  const refs = doc?.rule_files;
  if (!Array.isArray(refs) || refs.length === 0) throw new Error(`${name}: rule_files must list PrometheusRules as <namespace>/<name>`);
  for (const ref of refs) {
    if (typeof ref !== 'string' || !RULE_REF.test(ref)) {
      throw new Error(`${name}: rule_files entry ${JSON.stringify(ref)} must name a PrometheusRule as <namespace>/<name>, such as 'data/redis'`);
    }
  }
  const fires = new Set<string>();
  const silent = new Set<string>();
  const tests = Array.isArray(doc.tests) ? (doc.tests as Record<string, unknown>[]) : [];
  for (const t of tests) {
    for (const a of (t.alert_rule_test as { alertname?: string; exp_alerts?: unknown[] }[] | undefined) ?? []) {
      if (typeof a.alertname !== 'string') continue;
      if (Array.isArray(a.exp_alerts) && a.exp_alerts.length > 0) fires.add(a.alertname);
      else silent.add(a.alertname);
    }
  }
  return { file, ruleRefs: refs as string[], fires, silent, doc };
}

/** The unit test file with `rule_files` pointing at the synthesised rule files, written into `dir`. */
export function materialise(test: UnitTestFile, rulePaths: ReadonlyMap<string, string>, dir: string): string {
  const out = path.join(dir, path.basename(test.file));
  fs.writeFileSync(out, stringify({ ...test.doc, rule_files: test.ruleRefs.map((r) => rulePaths.get(r)) }));
  return out;
}

/**
 * Alerts without a unit test where they fire, or without one where they stay silent, as messages naming the
 * PrometheusRule and the alert. Only test files that load the alert's PrometheusRule count for it.
 */
export function missingCoverage(rules: ReadonlyMap<string, RuleGroup[]>, tests: readonly UnitTestFile[]): string[] {
  const problems: string[] = [];
  for (const [id, groups] of rules) {
    const covering = tests.filter((t) => t.ruleRefs.includes(id));
    for (const alert of alertNames(groups)) {
      if (!covering.some((t) => t.fires.has(alert))) problems.push(`${id} alert ${alert}: no promtool unit test where it fires (non-empty exp_alerts)`);
      if (!covering.some((t) => t.silent.has(alert))) problems.push(`${id} alert ${alert}: no promtool unit test where it stays silent (empty exp_alerts)`);
    }
  }
  return problems;
}

/** Grafana variables replaced by values that keep a query valid PromQL: durations for built-ins, `.+` for the rest. */
export function substituteGrafanaVariables(expr: string): string {
  const builtins: Record<string, string> = {
    __rate_interval: '2m',
    __interval: '1m',
    __range: '1h',
    __range_s: '3600',
    __interval_ms: '60000',
  };
  const value = (name: string) => builtins[name] ?? '.+';
  return expr
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g, (_, n: string) => value(n))
    .replace(/\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]/g, (_, n: string) => value(n))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, n: string) => value(n));
}

/**
 * Runs `promtool check rules` over `exprs` loaded as recording rules (one per expression, in `dir`). Returns
 * promtool's result; a parse error names the expression's rule.
 */
export function checkExpressions(dir: string, exprs: readonly { name: string; expr: string }[]): ToolRun {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'expressions.rules.yaml');
  const rules = exprs.map((e, i) => ({ record: `check:expr_${i}`, expr: e.expr, labels: { source: e.name } }));
  fs.writeFileSync(file, stringify({ groups: [{ name: 'expressions', rules }] }));
  return promtool(['check', 'rules', file]);
}
