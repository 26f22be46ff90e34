import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { CHARTS } from '../../constructs/helm/catalogue';
import { deepMerge } from '../../constructs/helm/pinned-release';
import { ChartDefaults, helmReleases, keyPath, loadChartDefaults } from './helm-values';
import type { ToolRun } from './prom-rules';

/**
 * Helpers for checking the Alertmanager configuration of the kube-prometheus-stack release with the real `amtool`
 * (Debian package `prometheus-alertmanager`).
 *
 * The chart writes `toYaml .Values.alertmanager.config` into the Secret Alertmanager loads, after Helm has coalesced
 * the release's values over the chart's defaults: maps merge key by key, lists are replaced. So what Alertmanager
 * runs is the chart's default `alertmanager.config` (its `inhibit_rules` included) with ours merged over it;
 * `effectiveAlertmanagerConfig` rebuilds that from the vendored chart defaults.
 */

export type AlertmanagerConfig = Record<string, unknown>;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Alertmanager part of the kube-prometheus-stack release of one synthesised stack. */
export interface ReleaseAlertmanager {
  /** Helm release name. */
  readonly releaseName: string;
  /** `alertmanager.config` as the release sets it. */
  readonly config: AlertmanagerConfig;
  /** `alertmanager.alertmanagerSpec.secrets`: Secrets mounted at `/etc/alertmanager/secrets/<name>/`. */
  readonly mountedSecrets: readonly string[];
}

/** Finds the one kube-prometheus-stack `helm_release` in a stack's Terraform JSON and reads its Alertmanager values. */
export function releaseAlertmanager(stackName: string, tf: Record<string, any>): ReleaseAlertmanager {
  const releases = helmReleases(stackName, tf).filter((r) => r.chart === CHARTS.kubePrometheusStack.chart);
  if (releases.length !== 1) {
    throw new Error(`${stackName}: expected one helm_release of chart ${CHARTS.kubePrometheusStack.chart}, found ${releases.length}`);
  }
  const [release] = releases;
  const am = release.values.alertmanager;
  const config = isMap(am) ? am.config : undefined;
  if (!isMap(am) || !isMap(config)) {
    throw new Error(`${stackName}: helm_release "${release.name}" sets no alertmanager.config map (found ${JSON.stringify(config)})`);
  }
  const spec = isMap(am.alertmanagerSpec) ? am.alertmanagerSpec : {};
  return {
    releaseName: release.name,
    config,
    mountedSecrets: Array.isArray(spec.secrets) ? spec.secrets.map(String) : [],
  };
}

let chartDefaults: ChartDefaults | undefined;

/** kube-prometheus-stack's vendored defaults (read once). */
function kubePrometheusStackDefaults(): ChartDefaults {
  chartDefaults ??= loadChartDefaults(CHARTS.kubePrometheusStack.vendoredAs!);
  return chartDefaults;
}

/** Key paths under `value` that hold null. */
function nullPaths(value: unknown, segments: string[] = []): string[] {
  if (value === null) return [keyPath(segments)];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, [...segments, String(i)]));
  if (isMap(value)) return Object.entries(value).flatMap(([k, v]) => nullPaths(v, [...segments, k]));
  return [];
}

/**
 * The configuration Alertmanager receives: the chart's default `alertmanager.config` with `config` coalesced over it
 * as Helm does (maps merge, lists replace). Helm also deletes a default key set to null; that is not modelled here,
 * so a null anywhere in `config` is refused rather than checked wrongly.
 */
export function effectiveAlertmanagerConfig(config: AlertmanagerConfig): AlertmanagerConfig {
  const nulls = nullPaths(config);
  if (nulls.length > 0) {
    throw new Error(`alertmanager.config holds null at ${nulls.join(', ')}: Helm would delete the chart's default there, which this check does not model`);
  }
  const am = kubePrometheusStackDefaults().values.alertmanager;
  const defaults = isMap(am) && isMap(am.config) ? am.config : {};
  return deepMerge(defaults, config);
}

/** Alertmanager version the chart deploys (`alertmanager.alertmanagerSpec.image.tag` of its defaults), e.g. `0.34.0`. */
export function chartAlertmanagerVersion(): string {
  const am = kubePrometheusStackDefaults().values.alertmanager as any;
  const tag = am?.alertmanagerSpec?.image?.tag;
  if (typeof tag !== 'string') throw new Error('kube-prometheus-stack defaults: alertmanager.alertmanagerSpec.image.tag is not a string');
  return tag.replace(/^v/, '');
}

/** Runs `amtool` with `args`; never throws on a non-zero exit. */
export function amtool(args: readonly string[]): ToolRun {
  const r = spawnSync('amtool', args, { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`amtool ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** Version of the `amtool` on PATH, e.g. `0.25.0`. */
export function amtoolVersion(): string {
  const run = amtool(['--version']);
  const m = /version (\d+\.\d+\.\d+)/.exec(run.output);
  if (!m) throw new Error(`cannot read the version from 'amtool --version': ${run.output}`);
  return m[1];
}

/** Compares `a.b.c` versions numerically: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Writes `config` as YAML to `<dir>/<name>.yml` and returns the path. */
export function writeAlertmanagerConfig(dir: string, name: string, config: AlertmanagerConfig): string {
  const file = path.join(dir, `${name}.yml`);
  fs.writeFileSync(file, stringify(config, { aliasDuplicateObjects: false }));
  return file;
}

/**
 * `amtool check-config` on `config`. amtool parses strictly (an unknown field fails) and checks that every route
 * names a defined receiver. It does not open the credential files (`api_url_file`, `routing_key_file`, `url_file`):
 * Alertmanager reads those when it notifies. So the paths under /etc/alertmanager/secrets/ stay as rendered and no
 * dummy files are needed.
 */
export function checkAlertmanagerConfig(dir: string, name: string, config: AlertmanagerConfig): ToolRun {
  return amtool(['check-config', writeAlertmanagerConfig(dir, name, config)]);
}

/**
 * Receivers an alert with `labels` reaches, in routing-tree order (`amtool config routes test`). Throws with
 * amtool's output when it cannot load the configuration.
 */
export function routeReceivers(configFile: string, labels: Readonly<Record<string, string>>): string[] {
  const matchers = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const run = amtool(['config', 'routes', 'test', `--config.file=${configFile}`, ...matchers]);
  // amtool warns on stderr that --config.file overrides --alertmanager.url; the answer is the first other line.
  const answer = run.output.split('\n').find((l) => l.trim() !== '' && !l.startsWith('Warning:'));
  if (run.status !== 0 || answer === undefined) {
    throw new Error(`amtool config routes test ${matchers.join(' ')} on ${configFile} failed (exit ${run.status}):\n${run.output}`);
  }
  return answer.split(',').map((s) => s.trim());
}

/** Names of the receivers a configuration defines. */
export function receiverNames(config: AlertmanagerConfig): string[] {
  const receivers = Array.isArray(config.receivers) ? config.receivers : [];
  return receivers.map((r) => String(isMap(r) ? r.name : r));
}

/** A field of a receiver that names a file (`api_url_file`, `routing_key_file`, `url_file`, ...). */
export interface CredentialFile {
  readonly receiver: string;
  /** `<kind>_configs[<i>].<field>`. */
  readonly field: string;
  readonly path: string;
}

/** A field of a receiver that holds a credential inline, where a `*_file` field should be used. */
const INLINE_CREDENTIAL_FIELDS = ['api_url', 'routing_key', 'service_key', 'url', 'api_key', 'auth_password', 'bot_token', 'token', 'webhook_url'];

/** Every `*_file` field of every receiver, and every inline credential field (which should not exist). */
export function receiverCredentials(config: AlertmanagerConfig): { files: CredentialFile[]; inline: string[] } {
  const files: CredentialFile[] = [];
  const inline: string[] = [];
  for (const r of Array.isArray(config.receivers) ? config.receivers : []) {
    if (!isMap(r)) continue;
    const receiver = String(r.name);
    for (const [kind, list] of Object.entries(r)) {
      if (!kind.endsWith('_configs') || !Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (!isMap(c)) return;
        for (const [field, value] of Object.entries(c)) {
          const where = `${kind}[${i}].${field}`;
          if (field.endsWith('_file') && typeof value === 'string') files.push({ receiver, field: where, path: value });
          if (INLINE_CREDENTIAL_FIELDS.includes(field)) inline.push(`receiver ${receiver}: ${where}`);
        }
      });
    }
  }
  return { files, inline };
}

/** A string field of a receiver, which Alertmanager renders as a Go template when it notifies. */
export interface TemplatedField {
  readonly receiver: string;
  /** `<kind>_configs[<i>].<field>`. */
  readonly field: string;
  readonly text: string;
}

/** Every string field of every receiver's `*_configs` entries, except `*_file` paths (never templated). */
export function templatedFields(config: AlertmanagerConfig): TemplatedField[] {
  const out: TemplatedField[] = [];
  for (const r of Array.isArray(config.receivers) ? config.receivers : []) {
    if (!isMap(r)) continue;
    for (const [kind, list] of Object.entries(r)) {
      if (!kind.endsWith('_configs') || !Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (!isMap(c)) return;
        for (const [field, value] of Object.entries(c)) {
          if (typeof value === 'string' && !field.endsWith('_file')) out.push({ receiver: String(r.name), field: `${kind}[${i}].${field}`, text: value });
        }
      });
    }
  }
  return out;
}

/**
 * `amtool template render` of one template text against amtool's sample alerts (two firing alerts). check-config
 * does not parse receiver templates; Alertmanager does only when it notifies, so a broken one fails at 3 a.m.
 * `dir` receives an empty template file for the required `--template.glob`.
 */
export function renderTemplate(dir: string, text: string): ToolRun {
  const glob = path.join(dir, 'empty.tmpl');
  if (!fs.existsSync(glob)) fs.writeFileSync(glob, '');
  return amtool(['template', 'render', `--template.glob=${glob}`, `--template.text=${text}`]);
}
