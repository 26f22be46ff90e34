/**
 * The benchmark's floor: the least a cdktf + cdk8s app costs. Loads cdktf and cdk8s (core only, no provider
 * bindings) and synthesises one Terraform resource and one Kubernetes object into `<outDir>`:
 * `tsx scripts/bench-floor.ts <outDir>`. Whatever the real synth takes beyond this is the project's own cost
 * (provider bindings, cdk8s-plus, constructs, validation).
 */
import { ApiObject, App as K8sApp, Chart } from 'cdk8s';
import { App as TfApp, TerraformResource, TerraformStack } from 'cdktf';
import * as path from 'path';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: tsx scripts/bench-floor.ts <outDir>');
  process.exit(2);
}

const tfApp = new TfApp({ outdir: path.join(outDir, 'cdktf.out'), stackTraces: false });
const stack = new TerraformStack(tfApp, 'floor');
new TerraformResource(stack, 'marker', { terraformResourceType: 'terraform_data' });
tfApp.synth();

const k8sApp = new K8sApp({ outdir: path.join(outDir, 'dist') });
const chart = new Chart(k8sApp, 'floor');
new ApiObject(chart, 'marker', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'marker' }, data: { a: 'b' } });
k8sApp.synth();
