import { z } from 'zod';

/** A cluster that already exists and is reached through a kubeconfig context (kind, k3d, minikube): dev. */
export const kubeconfigClusterSchema = z.strictObject({
  kind: z.literal('kubeconfig'),
  /** Path to the kubeconfig file, `~` allowed (the providers expand it). */
  kubeconfigPath: z.string().min(1, { error: 'must be a path to a kubeconfig file' }),
  /** The context inside that kubeconfig. */
  context: z.string().min(1, { error: 'must name a kubeconfig context' }),
});

/** The EKS cluster that this environment's `foundation-<env>` stack creates; reached through its outputs. */
export const eksClusterSchema = z.strictObject({
  kind: z.literal('eks'),
});

export const clusterSchema = z.discriminatedUnion('kind', [kubeconfigClusterSchema, eksClusterSchema], {
  error: "must be { kind: 'kubeconfig', kubeconfigPath, context } or { kind: 'eks' }",
});

export type ClusterConfig = z.infer<typeof clusterSchema>;
