import type { PodSecurityLevel } from '../constructs/platform/pod-security-namespace';

/**
 * The namespaces the platform creates in every environment, with the Pod Security level each enforces. The
 * platform stack creates them; charts put objects in them by these names.
 */
export const NAMESPACES = {
  /** Application workloads. */
  apps: { name: 'apps', enforce: 'restricted' },
  /** Stateful data services (Redis). */
  data: { name: 'data', enforce: 'restricted' },
  /** kube-prometheus-stack: node-exporter needs host access, so only `privileged` admits it. */
  monitoring: { name: 'monitoring', enforce: 'privileged' },
  /** Jaeger v2 and the tail-sampling collector (constructs/tracing). */
  tracing: { name: 'tracing', enforce: 'restricted' },
} as const satisfies Record<string, { name: string; enforce: PodSecurityLevel }>;
