import { App } from 'cdktf';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { environments, loadEnvironments } from '../../config';
import { FoundationStack } from '../../stacks/foundation-stack';

/**
 * Synthesises the foundation stack of each AWS environment, from the committed config through the same
 * `FoundationStack` class and App settings that `stacks/synth.ts` uses, into a temp dir; returns each stack's
 * Terraform JSON. Only the foundation stacks: they are the ones Terraform can check offline (the kubernetes and
 * helm providers of platform/workloads are not in the mirror), and building them alone keeps these tests
 * independent of the Kubernetes side. The one difference from `npm run synth`: no cross-stack `output` blocks that
 * platform/workloads add (test/stacks/foundation-stack.test.ts covers those references).
 */
export function synthFoundationStacks(): Map<string, Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foundation-synth-'));
  try {
    const app = new App({ outdir: dir, stackTraces: false, hclOutput: false });
    const names: string[] = [];
    for (const env of loadEnvironments(environments)) {
      if (!env.aws) continue;
      names.push(`foundation-${env.name}`);
      new FoundationStack(app, `foundation-${env.name}`, { ...env, aws: env.aws });
    }
    app.synth();
    return new Map(names.map((n) => [n, JSON.parse(fs.readFileSync(path.join(dir, 'stacks', n, 'cdk.tf.json'), 'utf8'))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
