import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';
import { yamllint } from '../support/yaml-lint';

/**
 * The manifests in dist/k8s/** are well-formed, tidy YAML (no duplicate keys, consistent indentation, no trailing
 * spaces, ...), checked by yamllint with the project's .yamllint.yaml: default rules, document-start off and a
 * line length relaxed to 1000 for cdk8s output (unfolded strings). Warnings fail as well as errors.
 */
describeWithTools(['yamllint'], 'yamllint', () => {
  test('the project config still catches duplicate keys, bad indentation, trailing spaces and truthy values', () => {
    const bad = 'a: 1\na: 2\nb:\n  x: 1\nc:\n    y: 2\nd: 3 \ne: yes\n';
    expect(yamllint([], { stdin: bad }).map((l) => l.replace(/^stdin:/, ''))).toEqual([
      '2:1: [error] duplication of key "a" in mapping (key-duplicates)',
      '6:5: [error] wrong indentation: expected 2 but found 4 (indentation)',
      '7:5: [error] trailing spaces (trailing-spaces)',
      '8:4: [warning] truthy value should be one of [false, true] (truthy)',
    ]);
  });

  test('the project config accepts cdk8s-style output (no document start, long lines)', () => {
    const ok = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  expr: ${'sum(rate(x[5m])) / '.repeat(40)}1\n---\nkind: List\n`;
    expect(yamllint([], { stdin: ok })).toEqual([]);
  });

  test('the project config still rejects a one-line blob over 1000 characters', () => {
    const blob = `data:\n  dashboard: '${'{"panels": [], '.repeat(80)}'\n`;
    expect(yamllint([], { stdin: blob }).map((l) => l.replace(/^stdin:/, ''))).toEqual([
      '2:1001: [error] line too long (1215 > 1000 characters) (line-length)',
    ]);
  });

  test.each(ENVIRONMENTS)('every manifest in dist/k8s/%s passes yamllint', (env) => {
    const dir = path.join(synthAll().dir, 'dist', 'k8s', env);
    const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
    expect(files.length).toBeGreaterThan(0);
    const problems = yamllint(files).map((l) => `dist/k8s/${env}/${path.relative(dir, l.split(':')[0])}:${l.split(':').slice(1).join(':')}`);
    expect(problems).toEqual([]);
  });
});
