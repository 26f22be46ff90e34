/**
 * Where the Terraform output tests get hashicorp/aws from (test/support/terraform.ts): a local mirror when one is
 * configured, else a normal `terraform init` from the registry; only that init may use the network.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AWS_PROVIDER, providerSource, TerraformWorkdir } from '../support/terraform';

let tmp: string;
let mirror: string;
let rc: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-source-'));
  mirror = path.join(tmp, 'mirror');
  fs.mkdirSync(path.join(mirror, AWS_PROVIDER.host, AWS_PROVIDER.namespace, AWS_PROVIDER.type, AWS_PROVIDER.version, 'linux_amd64'), { recursive: true });
  fs.writeFileSync(path.join(mirror, AWS_PROVIDER.host, AWS_PROVIDER.namespace, AWS_PROVIDER.type, AWS_PROVIDER.version, 'linux_amd64', 'terraform-provider-aws'), '');
  rc = path.join(tmp, 'user.tfrc');
  fs.writeFileSync(rc, 'plugin_cache_dir = "/tmp"\n');
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const none = () => undefined;

describe('providerSource', () => {
  test('TF_PROVIDER_MIRROR wins and must hold the provider', () => {
    expect(providerSource({ TF_PROVIDER_MIRROR: mirror, TF_CLI_CONFIG_FILE: rc }, none)).toEqual({ kind: 'mirror', dir: mirror });
    expect(() => providerSource({ TF_PROVIDER_MIRROR: tmp }, none)).toThrow(`TF_PROVIDER_MIRROR=${tmp} holds no hashicorp/aws 5.100.0`);
  });

  test("an existing TF_CLI_CONFIG_FILE is the user's configuration, used as it is", () => {
    expect(providerSource({ TF_CLI_CONFIG_FILE: rc }, () => mirror)).toEqual({ kind: 'cli-config', file: rc });
  });

  test('a TF_CLI_CONFIG_FILE that does not exist is ignored; a detected mirror is used', () => {
    expect(providerSource({ TF_CLI_CONFIG_FILE: path.join(tmp, 'missing.tfrc') }, () => mirror)).toEqual({ kind: 'mirror', dir: mirror });
  });

  test('with no mirror configured or found: a normal terraform init from the registry', () => {
    expect(providerSource({}, none)).toEqual({ kind: 'registry' });
  });
});

describe('TerraformWorkdir environment', () => {
  const json = { terraform: {} };

  test('from a mirror: its own CLI config, and every command (init too) kept off the network', () => {
    const w = new TerraformWorkdir('m', json, { kind: 'mirror', dir: mirror });
    try {
      const env = w.envFor(['init']);
      expect(env.TF_CLI_CONFIG_FILE).toBe(path.join(w.dir, 'offline.tfrc'));
      expect(fs.readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8')).toContain(`path    = ${JSON.stringify(mirror)}`);
      expect(env.HTTPS_PROXY).toBe('http://127.0.0.1:9');
    } finally {
      w.cleanup();
    }
  });

  test('from the registry: no CLI config of ours, init may reach the network, plan may not', () => {
    const w = new TerraformWorkdir('r', json, { kind: 'registry' });
    try {
      expect(w.envFor(['init']).TF_CLI_CONFIG_FILE).toBeUndefined();
      expect(w.envFor(['init']).HTTPS_PROXY).toBe(process.env.HTTPS_PROXY);
      expect(w.envFor(['plan']).HTTPS_PROXY).toBe('http://127.0.0.1:9');
      expect(fs.existsSync(path.join(w.dir, 'offline.tfrc'))).toBe(false);
    } finally {
      w.cleanup();
    }
  });

  test("from the user's CLI config: that file", () => {
    const w = new TerraformWorkdir('c', json, { kind: 'cli-config', file: rc });
    try {
      expect(w.envFor(['init']).TF_CLI_CONFIG_FILE).toBe(rc);
    } finally {
      w.cleanup();
    }
  });
});
