/**
 * Facts about kube-prometheus-stack read from its vendored values (`loadChartDefaults('kube-prometheus-stack')`), so
 * that tests follow the chart's structure instead of a hand-kept list:
 * - which blocks carry a container image (each renders a container that needs resource requests, or is off);
 * - which scrape jobs the chart can switch off, and which `defaultRules.rules` groups belong to each.
 */

type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at a dotted key path (`grafana.sidecar.resources`); segments are map keys, which here hold no dots. */
export function valueAt(values: unknown, dotted: string): unknown {
  let node: unknown = values;
  for (const key of dotted.split('.')) {
    if (!isMap(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * Dotted paths of every image block in `values`: a map under a key named `image` or ending in `Image`
 * (`thanosImage`, `downloadDashboardsImage`) that names a `repository`. Lists are not descended into.
 */
export function imageBlocks(values: Values): string[] {
  const out: string[] = [];
  const walk = (node: Values, prefix: string) => {
    for (const [key, v] of Object.entries(node)) {
      if (!isMap(v)) continue;
      const here = prefix === '' ? key : `${prefix}.${key}`;
      if ((key === 'image' || key.endsWith('Image')) && 'repository' in v) out.push(here);
      else walk(v, here);
    }
  };
  walk(values, '');
  return out.sort();
}

/**
 * The chart's switchable scrape jobs, with the `defaultRules.rules` groups that belong to each. A scrape job is a
 * top-level block with a boolean `enabled` and a `serviceMonitor` block (`kubeControllerManager`, `kubeEtcd`,
 * `prometheus`, ...). A rule group belongs to the job whose name, or whose name without a leading `kube`, is the
 * longest case-insensitive prefix of the group's name: `kubeSchedulerAlerting` → `kubeScheduler`, `etcd` →
 * `kubeEtcd`, `kubeApiserverSlos` → `kubeApiServer`, `prometheusOperator` → `prometheusOperator` (not `prometheus`).
 * Groups of no job (`general`, `node`, `kubernetesApps`) are left out.
 */
export function scrapeJobRuleGroups(defaults: Values): Map<string, string[]> {
  const jobs = Object.entries(defaults)
    .filter(([, v]) => isMap(v) && typeof v.enabled === 'boolean' && isMap(v.serviceMonitor))
    .map(([k]) => k);
  const rules = Object.keys((valueAt(defaults, 'defaultRules.rules') as Values | undefined) ?? {});
  const out = new Map<string, string[]>(jobs.map((j) => [j, []]));
  for (const group of rules) {
    let best: { job: string; length: number } | undefined;
    for (const job of jobs) {
      const names = [job, ...(/^kube[A-Z]/.test(job) ? [job.slice(4)] : [])];
      for (const name of names) {
        if (group.toLowerCase().startsWith(name.toLowerCase()) && name.length > (best?.length ?? 0)) best = { job, length: name.length };
      }
    }
    if (best) out.get(best.job)!.push(group);
  }
  for (const [job, groups] of out) if (groups.length === 0) out.delete(job);
  return out;
}

/** A scrape job is off when its block or its ServiceMonitor is disabled. */
export function scrapeJobEnabled(values: Values, job: string): boolean {
  return valueAt(values, `${job}.enabled`) !== false && valueAt(values, `${job}.serviceMonitor.enabled`) !== false;
}

/**
 * Rule groups left on while their scrape job is off, as `defaultRules.rules.<group>` messages: with the job off,
 * an alert on its absence (`KubeControllerManagerDown`: `absent(up{job="kube-controller-manager"} == 1)`) would
 * fire forever, were the chart to render it.
 */
export function rulesOfDisabledJobs(values: Values, pairs: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  if (valueAt(values, 'defaultRules.create') === false) return problems;
  for (const [job, groups] of pairs) {
    if (scrapeJobEnabled(values, job)) continue;
    for (const g of groups) {
      if (valueAt(values, `defaultRules.rules.${g}`) !== false) problems.push(`defaultRules.rules.${g} is on while scrape job ${job} is off`);
    }
  }
  return problems;
}
