import { environments, loadEnvironments } from '../../config';
import { problemsOf, registryWith } from '../support/config';

describe('monitoring config', () => {
  test('prod runs two Prometheus replicas and pages through a receiver whose credentials are in a Secret', () => {
    const prod = loadEnvironments(environments, ['prod'])[0].monitoring;
    expect(prod.prometheus.replicas).toBe(2);
    expect(prod.alertmanager.replicas).toBeGreaterThanOrEqual(2);
    expect(prod.alertmanager.receivers.some((r) => r.severities.includes('critical'))).toBe(true);
    expect(prod.alertmanager.credentialsSecretName).toBe('alertmanager-receivers');
  });

  test("every environment leaves Grafana's admin password to the chart, scrapes no control plane, and sets requests", () => {
    for (const env of loadEnvironments(environments)) {
      // No Secret to create before the first deploy: the chart generates the password.
      expect({ env: env.name, adminSecret: env.monitoring.grafana.adminSecretName }).toEqual({ env: env.name, adminSecret: undefined });
      // EKS hides the control plane and kind binds it to 127.0.0.1: scraping it would page forever.
      expect({ env: env.name, scrape: env.monitoring.scrapeControlPlane }).toEqual({ env: env.name, scrape: false });
      expect(env.monitoring.prometheus.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test('accepts an existing Grafana admin Secret (one Vault or External Secrets manages)', () => {
    const registry = registryWith('prod', ({ monitoring: m }) => (m.grafana.adminSecretName = 'grafana-admin'));
    expect(loadEnvironments(registry, ['prod'])[0].monitoring.grafana.adminSecretName).toBe('grafana-admin');
  });

  test('fails on a Grafana admin Secret that is not a DNS label', () => {
    expect(problemsOf(registryWith('dev', ({ monitoring: m }) => (m.grafana.adminSecretName = 'Grafana_Admin')))).toEqual([
      "environments.dev.monitoring.grafana.adminSecretName ('Grafana_Admin') must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric",
    ]);
  });

  test('fails when an environment does not say whether to scrape the control plane, or says it in words', () => {
    expect(problemsOf(registryWith('dev', ({ monitoring: m }) => delete m.scrapeControlPlane))).toEqual(['environments.dev.monitoring.scrapeControlPlane is required: must be true or false']);
    expect(problemsOf(registryWith('prod', ({ monitoring: m }) => (m.scrapeControlPlane = 'no')))).toEqual(["environments.prod.monitoring.scrapeControlPlane ('no') must be true or false"]);
  });

  test('fails on receivers without the credentials Secret', () => {
    expect(problemsOf(registryWith('prod', ({ monitoring: m }) => delete m.alertmanager.credentialsSecretName))).toEqual([
      'environments.prod.monitoring.alertmanager.credentialsSecretName (undefined) is required when there are receivers (their credentials live in it)',
    ]);
  });

  test('fails on a receiver with an unknown severity, named by the receiver', () => {
    expect(problemsOf(registryWith('prod', ({ monitoring: m }) => (m.alertmanager.receivers[0].severities = ['page'])))).toEqual([
      "environments.prod.monitoring.alertmanager.receivers.oncall.severities[0] ('page') must list one or more of 'critical', 'warning', 'info'",
    ]);
  });

  test('fails on two receivers with one name', () => {
    expect(problemsOf(registryWith('prod', ({ monitoring: m }) => (m.alertmanager.receivers[1].name = 'oncall')))).toEqual([
      'environments.prod.monitoring.alertmanager.receivers.oncall.name (\'oncall\') is a duplicate receiver name: each receiver needs its own',
    ]);
  });

  test('fails on a receiver of unknown kind', () => {
    expect(problemsOf(registryWith('prod', ({ monitoring: m }) => (m.alertmanager.receivers[0].kind = 'email')))).toEqual([
      "environments.prod.monitoring.alertmanager.receivers.oncall.kind ('email') must be a receiver of kind 'slack', 'pagerduty' or 'webhook'",
    ]);
  });

  test('fails on a memory limit below the request', () => {
    expect(problemsOf(registryWith('staging', ({ monitoring: m }) => (m.prometheus.resources.limits.memory = '1Gi')))).toEqual([
      "environments.staging.monitoring.prometheus.resources.limits.memory ('1Gi') must be >= resources.requests.memory ('2Gi')",
    ]);
  });

  test('reports a limit that is no quantity once, as no quantity (never also as below its request)', () => {
    expect(problemsOf(registryWith('staging', ({ monitoring: m }) => (m.prometheus.resources.limits = { cpu: 'abc', memory: '2Gi' })))).toEqual([
      "environments.staging.monitoring.prometheus.resources.limits.cpu ('abc') must be a CPU quantity such as '250m' or '1.5' (greater than 0)",
    ]);
  });

  test('fails on a retention of 0 days and an unknown field', () => {
    expect(
      problemsOf(
        registryWith('dev', ({ monitoring: m }) => {
          m.prometheus.retentionDays = 0;
          m.prometheus.retention = '10d';
        }),
      ),
    ).toEqual([
      'environments.dev.monitoring.prometheus.retentionDays (0) must be an integer from 1 to 365',
      "environments.dev.monitoring.prometheus: unknown field(s) 'retention'; check the spelling against config/schema/",
    ]);
  });

  test('fails on a Slack channel without #, with the construct\'s message', () => {
    const registry = registryWith('prod', ({ monitoring: m }) => (m.alertmanager.receivers.find((r: { kind: string }) => r.kind === 'slack').channel = 'platform-alerts'));
    expect(problemsOf(registry)).toEqual([
      "environments.prod.monitoring.alertmanager.receivers.team-slack.channel ('platform-alerts') must be a Slack channel such as '#platform-alerts'",
    ]);
  });

  test('takes a Prometheus storage class with dots (a DNS subdomain, as StorageClass names are)', () => {
    const registry = registryWith('prod', ({ monitoring: m }) => (m.prometheus.storageClassName = 'gp3.encrypted'));
    expect(loadEnvironments(registry, ['prod'])[0].monitoring.prometheus.storageClassName).toBe('gp3.encrypted');
  });

  test('fails on a Prometheus storage class that is no Kubernetes object name, with the construct\'s message', () => {
    expect(problemsOf(registryWith('dev', ({ monitoring: m }) => (m.prometheus.storageClassName = 'GP3_encrypted')))).toEqual([
      "environments.dev.monitoring.prometheus.storageClassName ('GP3_encrypted') must be a DNS subdomain, as Kubernetes object names are: at most 253 characters, dot-separated labels of lower-case letters, digits or -, each starting and ending alphanumeric",
    ]);
  });

  test('fails on a runbook base that is not https', () => {
    expect(problemsOf(registryWith('dev', ({ monitoring: m }) => (m.runbookBaseUrl = 'http://wiki/runbooks')))).toEqual([
      "environments.dev.monitoring.runbookBaseUrl ('http://wiki/runbooks') must be an https URL",
    ]);
  });
});
