import { ConfigError, environments, loadEnvironments } from '../../config';

/** A deep copy of the real registry with one environment's monitoring changed by `edit`. */
function registryWith(env: keyof typeof environments, edit: (m: Record<string, any>) => void): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(environments));
  edit(copy[env].monitoring);
  return copy;
}

function problemsOf(registry: Record<string, unknown>): string[] {
  try {
    loadEnvironments(registry);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('monitoring config', () => {
  test('prod runs two Prometheus replicas and pages through a receiver whose credentials are in a Secret', () => {
    const prod = loadEnvironments(environments, ['prod'])[0].monitoring;
    expect(prod.prometheus.replicas).toBe(2);
    expect(prod.alertmanager.replicas).toBeGreaterThanOrEqual(2);
    expect(prod.alertmanager.receivers.some((r) => r.severities.includes('critical'))).toBe(true);
    expect(prod.alertmanager.credentialsSecretName).toBe('alertmanager-receivers');
  });

  test('every environment names the Grafana admin Secret and sets requests', () => {
    for (const env of loadEnvironments(environments)) {
      expect(env.monitoring.grafana.adminSecretName).toMatch(/^[a-z0-9-]+$/);
      expect(env.monitoring.prometheus.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  test('fails on a missing Grafana admin Secret', () => {
    expect(problemsOf(registryWith('dev', (m) => delete m.grafana.adminSecretName))).toEqual([
      'environments.dev.monitoring.grafana.adminSecretName is required: must be a DNS label: 1-63 lower-case letters, digits or -, starting and ending alphanumeric',
    ]);
  });

  test('fails on receivers without the credentials Secret', () => {
    expect(problemsOf(registryWith('prod', (m) => delete m.alertmanager.credentialsSecretName))).toEqual([
      'environments.prod.monitoring.alertmanager.credentialsSecretName (undefined) is required when there are receivers (their credentials live in it)',
    ]);
  });

  test('fails on a receiver with an unknown severity, named by the receiver', () => {
    expect(problemsOf(registryWith('prod', (m) => (m.alertmanager.receivers[0].severities = ['page'])))).toEqual([
      "environments.prod.monitoring.alertmanager.receivers.oncall.severities[0] ('page') must list one or more of 'critical', 'warning', 'info'",
    ]);
  });

  test('fails on two receivers with one name', () => {
    expect(problemsOf(registryWith('prod', (m) => (m.alertmanager.receivers[1].name = 'oncall')))).toEqual([
      'environments.prod.monitoring.alertmanager.receivers.oncall.name (\'oncall\') is a duplicate receiver name: each receiver needs its own',
    ]);
  });

  test('fails on a receiver of unknown kind', () => {
    expect(problemsOf(registryWith('prod', (m) => (m.alertmanager.receivers[0].kind = 'email')))).toEqual([
      "environments.prod.monitoring.alertmanager.receivers.oncall.kind ('email') must be a receiver of kind 'slack', 'pagerduty' or 'webhook'",
    ]);
  });

  test('fails on a memory limit below the request', () => {
    expect(problemsOf(registryWith('staging', (m) => (m.prometheus.resources.limits.memory = '1Gi')))).toEqual([
      "environments.staging.monitoring.prometheus.resources.limits.memory ('1Gi') must be >= requests.memory ('2Gi')",
    ]);
  });

  test('fails on a retention of 0 days and an unknown field', () => {
    expect(
      problemsOf(
        registryWith('dev', (m) => {
          m.prometheus.retentionDays = 0;
          m.prometheus.retention = '10d';
        }),
      ),
    ).toEqual([
      'environments.dev.monitoring.prometheus.retentionDays (0) must be an integer from 1 to 365',
      "environments.dev.monitoring.prometheus: unknown field(s) 'retention'; check the spelling against config/schema/",
    ]);
  });

  test('fails on a runbook base that is not https', () => {
    expect(problemsOf(registryWith('dev', (m) => (m.runbookBaseUrl = 'http://wiki/runbooks')))).toEqual([
      "environments.dev.monitoring.runbookBaseUrl ('http://wiki/runbooks') must be an https URL",
    ]);
  });
});
