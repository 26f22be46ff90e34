/**
 * The suites take what they check from the registries (config/environments, each environment's `apps`), never from
 * copied lists: the environments the suites iterate are the registry's, and a fifth app added through the registry
 * helper is synthesised and held to the same invariants as the others, without a line of test code changed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { environments, loadEnvironments } from '../../config';
import { LABEL_ENVIRONMENT } from '../../constructs/core/labels';
import { synthesizeAll } from '../../stacks/synth';
import { editedRegistry, problemsOf } from '../support/config';
import { ENVIRONMENTS, K8sObject, synthAll } from '../support/synth';
import {
  checkAutoscaling,
  checkImages,
  checkLabel,
  checkPodLabel,
  checkResourceRequests,
  checkSecurityContext,
  Located,
  locate,
  where,
} from './invariant-checks';

/** The per-object invariants of invariants.test.ts, as one list of violations. */
function objectInvariants(objects: readonly Located[], env: string): string[] {
  return [
    ...checkAutoscaling(objects),
    ...checkImages(objects),
    ...checkResourceRequests(objects),
    ...checkSecurityContext(objects),
    ...checkLabel(objects, LABEL_ENVIRONMENT, env),
    ...checkPodLabel(objects, LABEL_ENVIRONMENT, env),
  ];
}

function manifestsIn(dir: string): Map<string, K8sObject[]> {
  const out = new Map<string, K8sObject[]>();
  for (const file of fs.readdirSync(dir).sort()) {
    out.set(file, parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map((d) => d.toJS() as K8sObject).filter((o) => o !== null));
  }
  return out;
}

test("the suites iterate exactly the registry's environments, which are the ones synthesised", () => {
  expect(ENVIRONMENTS).toEqual(Object.keys(environments));
  expect(synthAll().environments).toEqual([...ENVIRONMENTS]);
  expect(fs.readdirSync(path.join(synthAll().dir, 'dist', 'k8s')).sort()).toEqual([...ENVIRONMENTS].sort());
});

test('a fourth environment needs only the registry and its name in ENVIRONMENT_NAMES (the one gate), then every suite iterates it', () => {
  const withQa = editedRegistry((r) => {
    (r as Record<string, any>).qa = { ...JSON.parse(JSON.stringify(r[ENVIRONMENTS[0] as keyof typeof r])), name: 'qa' };
  });
  expect(problemsOf(withQa)).toEqual([
    `unknown environment 'qa' in config/environments; allowed: ${ENVIRONMENTS.join(', ')} (add a name to ENVIRONMENT_NAMES first)`,
  ]);
  expect(Object.keys(withQa)).toEqual([...ENVIRONMENTS, 'qa']);
});

describe('a fifth app added through the registry helper', () => {
  const env = ENVIRONMENTS[0];
  const NAME = 'fifth-app';
  let objects: Located[];
  let tmp: string;

  beforeAll(() => {
    const registry = editedRegistry((r) => {
      const apps = (r as Record<string, any>)[env].apps as Record<string, unknown>[];
      apps.push({ ...JSON.parse(JSON.stringify(apps[0])), name: NAME });
    });
    expect(loadEnvironments(registry, [env])[0].apps.map((a) => a.name)).toContain(NAME);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fifth-app-'));
    const result = synthesizeAll({ projectDir: tmp, registry, selection: [env] });
    objects = locate(manifestsIn(result.manifestDirs.find((d) => path.basename(d) === env)!));
  });

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('is synthesised: its Deployment, HorizontalPodAutoscaler and Service', () => {
    const own = objects.filter((o) => o.obj.metadata.name === NAME).map((o) => o.obj.kind);
    expect(own).toEqual(expect.arrayContaining(['Deployment', 'HorizontalPodAutoscaler', 'Service']));
  });

  test('passes the per-object invariants, like every other app', () => {
    expect(objectInvariants(objects, env)).toEqual([]);
  });

  test('is really checked: its Deployment with an unpinned image and without its HPA fails, by name', () => {
    const broken = objects
      .filter((o) => !(o.obj.kind === 'HorizontalPodAutoscaler' && o.obj.metadata.name === NAME))
      .map((o) => {
        if (o.obj.kind !== 'Deployment' || o.obj.metadata.name !== NAME) return o;
        const obj = JSON.parse(JSON.stringify(o.obj));
        obj.spec.template.spec.containers[0].image = 'example/fifth-app:latest';
        return { file: o.file, obj };
      });
    const deployment = where(broken.find((o) => o.obj.kind === 'Deployment' && o.obj.metadata.name === NAME)!);
    const problems = objectInvariants(broken, env);
    expect(problems).toEqual(
      expect.arrayContaining([`${deployment}: has 0 HorizontalPodAutoscalers, needs exactly 1`, expect.stringContaining("image 'example/fifth-app:latest' uses ':latest'")]),
    );
    expect(problems.every((p) => p.includes(deployment))).toBe(true);
  });
});
