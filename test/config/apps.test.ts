import { environments, loadEnvironments } from '../../config';
import { REDIS_BY_FLAG_RULE } from '../../config/schema/apps';
import { problemsOf, registryWith, registryWithApp } from '../support/config';

describe('app catalogue', () => {
  test.each(['dev', 'staging', 'prod'] as const)('%s: names an API, payments, analytics and notifications, each pinned', (env) => {
    const config = loadEnvironments(environments, [env])[0];
    expect(config.apps.map((a) => a.name)).toEqual(['api', 'payments', 'analytics', 'notifications']);
    for (const app of config.apps) expect(app.image).toMatch(/:\d+\.\d+\.\d+$/);
  });

  test('dev is small (1 to 2 pods), staging medium, prod at least 2 pods with room to scale', () => {
    const [dev, staging, prod] = loadEnvironments(environments);
    for (const app of dev.apps) expect([app.minReplicas, app.maxReplicas]).toEqual([1, 2]);
    for (const app of staging.apps) {
      expect(app.minReplicas).toBe(2);
      expect(app.maxReplicas).toBeGreaterThanOrEqual(4);
    }
    for (const app of prod.apps) {
      expect(app.minReplicas).toBeGreaterThanOrEqual(2);
      expect(app.maxReplicas).toBeGreaterThanOrEqual(app.minReplicas * 3);
    }
  });

  test('holds no secret values: secrets are named by Secret and key only', () => {
    for (const env of loadEnvironments(environments)) {
      for (const app of env.apps) {
        for (const v of app.secretEnv ?? []) expect(Object.keys(v).sort()).toEqual(['key', 'name', 'secretName']);
      }
    }
  });
});

describe('apps that use Redis', () => {
  test('only the api uses Redis, in every environment, and lists neither redis-connection nor REDIS_PASSWORD by hand', () => {
    for (const env of loadEnvironments(environments)) {
      expect(env.apps.filter((a) => a.redis).map((a) => a.name)).toEqual(['api']);
      for (const app of env.apps) {
        expect(app.configMaps ?? []).not.toContain('redis-connection');
        expect((app.secretEnv ?? []).map((v) => v.name)).not.toContain('REDIS_PASSWORD');
      }
    }
  });

  test.each([
    ['redis-connection in configMaps', (a: Record<string, any>) => (a.configMaps = ['api-config', 'redis-connection']), 'configMaps[1]', "('redis-connection')"],
    ['REDIS_PASSWORD in secretEnv', (a: Record<string, any>) => (a.secretEnv = [{ name: 'REDIS_PASSWORD', secretName: 'redis-client', key: 'password' }]), 'secretEnv.REDIS_PASSWORD.name', "('REDIS_PASSWORD')"],
  ])('wiring Redis by hand (%s) fails: half of it cannot log in', (_what, edit, field, value) => {
    expect(problemsOf(registryWithApp('dev', 'api', edit))).toEqual([`environments.dev.apps.api.${field} ${value} ${REDIS_BY_FLAG_RULE}`]);
  });

  test('the rule names the flag and both halves of the contract', () => {
    expect(REDIS_BY_FLAG_RULE).toBe("is set by 'redis: true' (envFrom redis-connection and REDIS_PASSWORD from the client Secret, together): use that instead");
  });
});

describe('app validation messages', () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ['a negative count', registryWithApp('dev', 'api', (a) => (a.minReplicas = -1)), ['environments.dev.apps.api.minReplicas (-1) must be an integer >= 1']],
    ['a non-integer count', registryWithApp('staging', 'payments', (a) => (a.maxReplicas = 4.5)), ['environments.staging.apps.payments.maxReplicas (4.5) must be an integer >= 1']],
    [
      'a min above its max',
      registryWithApp('staging', 'payments', (a) => Object.assign(a, { minReplicas: 2, maxReplicas: 1 })),
      ['environments.staging.apps.payments.maxReplicas (1) must be >= minReplicas (2)'],
    ],
    [
      'a prod min below 2',
      registryWithApp('prod', 'notifications', (a) => (a.minReplicas = 1)),
      [
        'environments.prod.apps.notifications.minReplicas (1) must be >= 2 in the production tier: with one pod, every node drain takes the app down (and a minAvailable PodDisruptionBudget would block the drain instead)',
      ],
    ],
    [
      'a malformed CPU quantity',
      registryWithApp('dev', 'api', (a) => (a.resources.requests.cpu = '50 millicores')),
      ["environments.dev.apps.api.resources.requests.cpu ('50 millicores') must be a CPU quantity such as '250m' or '1.5' (greater than 0)"],
    ],
    [
      'a malformed memory quantity',
      registryWithApp('dev', 'api', (a) => (a.resources.limits.memory = '256MB')),
      ["environments.dev.apps.api.resources.limits.memory ('256MB') must be a memory quantity such as '512Mi' or '2Gi' (greater than 0)"],
    ],
    [
      'a duplicate name',
      registryWith('staging', (e) => e.apps.push({ ...e.apps[0] })),
      ["environments.staging.apps.api.name ('api') is a duplicate app name: each app needs its own"],
    ],
    [
      'an unpinned image',
      registryWithApp('prod', 'payments', (a) => (a.image = 'ghcr.io/example/payments-api')),
      ["environments.prod.apps.payments.image ('ghcr.io/example/payments-api') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)"],
    ],
    [
      'a :latest image',
      registryWithApp('prod', 'payments', (a) => (a.image = 'ghcr.io/example/payments-api:latest')),
      ["environments.prod.apps.payments.image ('ghcr.io/example/payments-api:latest') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)"],
    ],
    ['a bad port', registryWithApp('dev', 'payments', (a) => (a.port = 0)), ['environments.dev.apps.payments.port (0) must be an integer from 1 to 65535']],
    [
      'a name that is not a DNS label',
      registryWithApp('dev', 'analytics', (a) => (a.name = 'Business_Analytics')),
      ["environments.dev.apps.Business_Analytics.name ('Business_Analytics') must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric"],
    ],
    [
      'a name that starts with a digit (a valid DNS label, but not a Service name)',
      registryWithApp('dev', 'analytics', (a) => (a.name = '9analytics')),
      ["environments.dev.apps.9analytics.name ('9analytics') must be an RFC 1035 label, as Service names are: 1-63 lower-case letters, digits or -, starting with a letter and ending alphanumeric"],
    ],
    [
      'a utilisation target outside 1-100',
      registryWithApp('staging', 'analytics', (a) => (a.scaleOn.cpuUtilizationPercent = 150)),
      ['environments.staging.apps.analytics.scaleOn.cpuUtilizationPercent (150) must be an integer from 1 to 100'],
    ],
    [
      'a missing request where utilisation scaling is asked (the default metrics)',
      registryWithApp('dev', 'notifications', (a) => delete a.resources.requests.memory),
      [
        'environments.dev.apps.notifications.resources.requests.memory (undefined) must be set when the autoscaler scales on memory utilisation (scaleOn.memoryUtilizationPercent): utilisation is a percentage of the request',
      ],
    ],
    [
      'a missing CPU request where CPU utilisation is asked',
      registryWithApp('staging', 'analytics', (a) => delete a.resources.requests.cpu),
      [
        'environments.staging.apps.analytics.resources.requests.cpu (undefined) must be set when the autoscaler scales on CPU utilisation (scaleOn.cpuUtilizationPercent): utilisation is a percentage of the request',
      ],
    ],
    [
      'a limit below its request',
      registryWithApp('prod', 'api', (a) => (a.resources.limits.cpu = '250m')),
      ["environments.prod.apps.api.resources.limits.cpu ('250m') must be >= resources.requests.cpu ('500m')"],
    ],
    [
      'no metric to scale on',
      registryWithApp('dev', 'api', (a) => (a.scaleOn = {})),
      ['environments.dev.apps.api.scaleOn ({}) must name at least one metric (cpuUtilizationPercent, memoryUtilizationPercent or podsMetric)'],
    ],
    [
      'a peer that is not in the catalogue',
      registryWithApp('dev', 'payments', (a) => (a.allowFrom.apps = ['api', 'checkout'])),
      ["environments.dev.apps.payments.allowFrom.apps[1] ('checkout') is not an app of this environment; known apps: api, payments, analytics, notifications"],
    ],
    [
      'an app that admits itself',
      registryWithApp('dev', 'payments', (a) => (a.allowFrom.apps = ['payments'])),
      ["environments.dev.apps.payments.allowFrom.apps[0] ('payments') names the app itself: list the other apps that call it"],
    ],
    [
      'a grace period shorter than the preStop sleep',
      registryWithApp('prod', 'payments', (a) => (a.preStopSleepSeconds = 90)),
      ['environments.prod.apps.payments.terminationGracePeriodSeconds (60) must be greater than preStopSleepSeconds (90), or the app gets no time to shut down after the hook'],
    ],
    [
      'a startup timeout that is not a multiple of 5',
      registryWithApp('dev', 'api', (a) => (a.startupTimeoutSeconds = 42)),
      ['environments.dev.apps.api.startupTimeoutSeconds (42) must be a multiple of 5 (the startup probe runs every 5 s)'],
    ],
    [
      'a misspelt field',
      registryWithApp('dev', 'api', (a) => (a.minReplica = 1)),
      ["environments.dev.apps.api: unknown field(s) 'minReplica'; check the spelling against config/schema/"],
    ],
    [
      'an OTLP endpoint in config (it comes from the tracing component)',
      registryWith('staging', (e) => (e.appTelemetry = { otlpEndpoint: 'http://jaeger:4317' })),
      ["environments.staging: unknown field(s) 'appTelemetry'; check the spelling against config/schema/"],
    ],
    [
      'a Secret key longer than the 253 characters Kubernetes allows',
      registryWithApp('dev', 'analytics', (a) => (a.secretEnv[0].key = 'k'.repeat(254))),
      [`environments.dev.apps.analytics.secretEnv.WAREHOUSE_PASSWORD.key ('${'k'.repeat(254)}') must be a Secret key: 1-253 letters, digits, -, _ or .`],
    ],
  ];

  test.each(cases)('fails on %s', (_what, registry, expected) => {
    expect(problemsOf(registry)).toEqual(expected);
  });

  test('reports every broken app at once', () => {
    const registry = registryWith('staging', (e) => {
      e.apps[0].image = 'api';
      e.apps[1].maxReplicas = 1;
    });
    expect(problemsOf(registry)).toEqual([
      "environments.staging.apps.api.image ('api') must be pinned to a version tag or an @sha256 digest (not :latest, not tagless)",
      'environments.staging.apps.payments.maxReplicas (1) must be >= minReplicas (2)',
    ]);
  });

  test('a catalogue may be empty', () => {
    const registry = registryWith('dev', (e) => delete e.apps);
    expect(loadEnvironments(registry, ['dev'])[0].apps).toEqual([]);
  });
});
