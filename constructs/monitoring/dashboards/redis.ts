import { REDIS_METRICS as R } from '../conventions';
import { DashboardSpec, Panel } from '../grafana-dashboard';

const SEL = 'namespace=~"$namespace", service=~"$service"';

const hitRatio = (by: string) =>
  `sum${by}(rate(${R.hits}{${SEL}}[$__rate_interval])) / (sum${by}(rate(${R.hits}{${SEL}}[$__rate_interval])) + sum${by}(rate(${R.misses}{${SEL}}[$__rate_interval])))`;

const panels: Panel[] = [
  {
    id: 1,
    title: 'Cache hit ratio',
    description: 'Keyspace hits over lookups, over the selected instances. The alert fires below 80%.',
    type: 'stat',
    unit: 'percentunit',
    width: 6,
    height: 4,
    baseColor: 'red',
    thresholds: [
      { value: 0.8, color: 'yellow' },
      { value: 0.9, color: 'green' },
    ],
    queries: [{ expr: hitRatio(' ') }],
  },
  {
    id: 2,
    title: 'Instances up',
    description: 'Redis instances the exporter reaches.',
    type: 'stat',
    unit: 'short',
    width: 6,
    height: 4,
    queries: [{ expr: `sum(${R.up}{${SEL}})` }],
  },
  {
    id: 3,
    title: 'Connected clients',
    description: 'Client connections, over the selected instances.',
    type: 'stat',
    unit: 'short',
    width: 6,
    height: 4,
    queries: [{ expr: `sum(${R.connectedClients}{${SEL}})` }],
  },
  {
    id: 4,
    title: 'Masters',
    description: 'Instances in the master role: more than one per replication group means a split brain.',
    type: 'stat',
    unit: 'short',
    width: 6,
    height: 4,
    thresholds: [{ value: 2, color: 'red' }],
    queries: [{ expr: `count by (service) (${R.instanceInfo}{${SEL}, role="master"})`, legend: '{{service}}' }],
  },
  {
    id: 5,
    title: 'Hit ratio per service',
    description: 'Keyspace hits over lookups, per Redis service.',
    type: 'timeseries',
    unit: 'percentunit',
    min: 0,
    max: 1,
    queries: [{ expr: hitRatio(' by (service) '), legend: '{{service}}' }],
  },
  {
    id: 6,
    title: 'Memory used against maxmemory',
    description: 'Memory used by each instance, with its maxmemory (0 means unlimited).',
    type: 'timeseries',
    unit: 'bytes',
    min: 0,
    queries: [
      { expr: `${R.memoryUsed}{${SEL}}`, legend: '{{pod}} used' },
      { expr: `${R.memoryMax}{${SEL}} > 0`, legend: '{{pod}} max' },
    ],
  },
  {
    id: 7,
    title: 'Clients',
    description: 'Connected and blocked clients per instance, and rejected connections per second (maxclients reached).',
    type: 'timeseries',
    unit: 'short',
    min: 0,
    queries: [
      { expr: `${R.connectedClients}{${SEL}}`, legend: '{{pod}} connected' },
      { expr: `${R.blockedClients}{${SEL}}`, legend: '{{pod}} blocked' },
      { expr: `rate(${R.rejectedConnections}{${SEL}}[$__rate_interval])`, legend: '{{pod}} rejected/s' },
    ],
  },
  {
    id: 8,
    title: 'Evictions and keyspace lookups',
    description: 'Keys evicted per second (memory pressure) and lookups per second.',
    type: 'timeseries',
    unit: 'ops',
    min: 0,
    queries: [
      { expr: `sum by (service) (rate(${R.evictedKeys}{${SEL}}[$__rate_interval]))`, legend: '{{service}} evicted/s' },
      {
        expr: `sum by (service) (rate(${R.hits}{${SEL}}[$__rate_interval]) + rate(${R.misses}{${SEL}}[$__rate_interval]))`,
        legend: '{{service}} lookups/s',
      },
    ],
  },
  {
    id: 9,
    title: 'Replication: connected replicas',
    description: 'Replicas connected to each master.',
    type: 'timeseries',
    unit: 'short',
    min: 0,
    queries: [{ expr: `${R.connectedReplicas}{${SEL}} and on (namespace, pod) ${R.instanceInfo}{${SEL}, role="master"}`, legend: '{{pod}}' }],
  },
  {
    id: 10,
    title: 'Replication: lag and master link',
    description: 'Seconds since each replica last acknowledged its master, and whether each replica reaches its master (1 = up).',
    type: 'timeseries',
    unit: 's',
    min: 0,
    queries: [
      { expr: `max by (pod, slave_ip) (${R.replicaLagSeconds}{${SEL}})`, legend: '{{pod}} -> {{slave_ip}} lag' },
      { expr: `${R.masterLinkUp}{${SEL}}`, legend: '{{pod}} master link' },
    ],
  },
];

/** Redis: hit ratio, memory, clients and replication, from the Redis exporter (`REDIS_METRICS`). */
export function redisDashboard(): DashboardSpec {
  return {
    uid: 'platform-redis',
    title: 'Platform / Redis',
    tags: ['platform', 'redis'],
    variables: [
      { name: 'namespace', label: 'Namespace', selector: R.up, labelName: 'namespace' },
      { name: 'service', label: 'Redis service', selector: `${R.up}{namespace=~"$namespace"}`, labelName: 'service' },
    ],
    panels,
  };
}
