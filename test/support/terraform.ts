import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Terraform for output tests: the real `terraform` binary and the real `hashicorp/aws` provider, from a local
 * provider mirror when one is configured (see `providerSource`), else downloaded by a normal `terraform init`. Plans
 * never reach AWS. Everything test-only (CLI config, fake keys, `skip_*` flags, local state) lives in a temporary
 * copy of the stack; the synthesised output is never touched.
 */

/** The provider that `@cdktf/provider-aws` 20.1.0 binds, exactly. */
export const AWS_PROVIDER = { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'aws', version: '5.100.0' } as const;

/** Environment variable that points at a filesystem mirror, overriding the search. */
export const MIRROR_ENV = 'TF_PROVIDER_MIRROR';

function holdsAwsProvider(root: string): boolean {
  const dir = path.join(root, AWS_PROVIDER.host, AWS_PROVIDER.namespace, AWS_PROVIDER.type, AWS_PROVIDER.version);
  return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
}

/**
 * Finds a filesystem mirror (unpacked or packed layout) that holds hashicorp/aws 5.100.0: `$TF_PROVIDER_MIRROR` if
 * set (and then only there), else the usual plugin folders, else a bounded search under /opt, /usr/local and
 * /usr/share for a `tf-plugins` or `plugins` folder. Returns undefined when there is none.
 */
function mirrorFromEnv(fromEnv: string): string {
  if (!holdsAwsProvider(fromEnv)) {
    throw new Error(`${MIRROR_ENV}=${fromEnv} holds no ${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type} ${AWS_PROVIDER.version} (expected ${fromEnv}/${AWS_PROVIDER.host}/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}/${AWS_PROVIDER.version}/)`);
  }
  return fromEnv;
}

export function findProviderMirror(): string | undefined {
  const fromEnv = process.env[MIRROR_ENV];
  if (fromEnv) return mirrorFromEnv(fromEnv);
  const home = os.homedir();
  const candidates = [
    '/opt/tf-plugins',
    path.join(home, '.terraform.d', 'plugins'),
    path.join(home, '.local', 'share', 'terraform', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
  const known = candidates.find(holdsAwsProvider);
  if (known) return known;
  const found = spawnSync('find', ['/opt', '/usr/local', '/usr/share', '-maxdepth', '6', '-type', 'd', '-path', `*/${AWS_PROVIDER.host}/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}/${AWS_PROVIDER.version}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const hit = (found.stdout ?? '').split('\n').find((l) => l.trim() !== '');
  return hit ? path.resolve(hit, '..', '..', '..', '..') : undefined;
}

/** Where `terraform init` gets the provider from. */
export type ProviderSource =
  /** A filesystem mirror holding hashicorp/aws: installed from there only, no network. */
  | { readonly kind: 'mirror'; readonly dir: string }
  /** The user's own CLI configuration (`TF_CLI_CONFIG_FILE`), used as it is (mirrors, caches, credentials). */
  | { readonly kind: 'cli-config'; readonly file: string }
  /** Neither: a normal `terraform init`, which downloads the provider from the registry (needs network). */
  | { readonly kind: 'registry' };

/**
 * The provider source on this machine: `$TF_PROVIDER_MIRROR` (must hold the provider), else `$TF_CLI_CONFIG_FILE`
 * when that file exists, else a detected filesystem mirror (`findProviderMirror`), else the registry.
 */
export function providerSource(env: NodeJS.ProcessEnv = process.env, detect: () => string | undefined = findProviderMirror): ProviderSource {
  if (env[MIRROR_ENV]) return { kind: 'mirror', dir: mirrorFromEnv(env[MIRROR_ENV]) };
  const rc = env.TF_CLI_CONFIG_FILE;
  if (rc && fs.existsSync(rc)) return { kind: 'cli-config', file: rc };
  const dir = detect();
  return dir ? { kind: 'mirror', dir } : { kind: 'registry' };
}

/** CLI configuration that installs providers from the mirror only: no `direct` block, so nothing is downloaded. */
export function cliConfig(mirror: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = ["${AWS_PROVIDER.host}/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}"]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * Provider settings that let `terraform plan` run with no AWS account: static fake keys (not real credentials:
 * AWS's documented example key id) and the four `skip_*` flags. Merged into the stack's `aws` provider block by
 * Terraform's override-file rules, in the test's copy only.
 */
export const OFFLINE_PROVIDER_OVERRIDE = {
  provider: {
    aws: [
      {
        access_key: 'AKIAIOSFODNN7EXAMPLE',
        secret_key: 'offline-plan-fake-secret-key',
        skip_credentials_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
      },
    ],
  },
};

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary copy of one synthesised stack with its own CLI config; `cleanup()` removes it (and the provider copy). */
export class TerraformWorkdir {
  public readonly dir: string;
  public readonly source: ProviderSource;
  private readonly env: NodeJS.ProcessEnv;

  /** `source`: a mirror folder, or where to get the provider from. @default providerSource() */
  constructor(
    public readonly stackName: string,
    stackJson: Record<string, unknown>,
    source: ProviderSource | string = providerSource(),
  ) {
    this.source = typeof source === 'string' ? { kind: 'mirror', dir: source } : source;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${stackName}-`));
    fs.writeFileSync(path.join(this.dir, 'cdk.tf.json'), JSON.stringify(stackJson, null, 2));
    const rc = path.join(this.dir, 'offline.tfrc');
    if (this.source.kind === 'mirror') fs.writeFileSync(rc, cliConfig(this.source.dir));
    this.env = {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_DATA_DIR: path.join(this.dir, '.terraform'),
      // Fail fast instead of hanging if anything still tries the network.
      AWS_EC2_METADATA_DISABLED: 'true',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
    if (this.source.kind === 'mirror') {
      this.env.TF_CLI_CONFIG_FILE = rc;
      delete this.env.TF_PLUGIN_CACHE_DIR;
    } else if (this.source.kind === 'cli-config') {
      this.env.TF_CLI_CONFIG_FILE = this.source.file;
    } else {
      delete this.env.TF_CLI_CONFIG_FILE;
    }
    for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete this.env[k];
  }

  /** The environment of `terraform <args>`: only `init` from a source other than a mirror may use the network. */
  envFor(args: readonly string[]): NodeJS.ProcessEnv {
    if (args[0] !== 'init' || this.source.kind === 'mirror') return this.env;
    return { ...this.env, HTTPS_PROXY: process.env.HTTPS_PROXY, HTTP_PROXY: process.env.HTTP_PROXY };
  }

  run(args: readonly string[], timeoutMs = 60_000): TerraformRun {
    const r = spawnSync('terraform', [...args, '-no-color'], { cwd: this.dir, env: this.envFor(args), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
  }

  /** Runs and throws with Terraform's own output when the exit code is not 0. */
  must(args: readonly string[], timeoutMs?: number): string {
    const r = this.run(args, timeoutMs);
    if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} in ${this.stackName} exited ${r.status}:\n${r.stderr}\n${r.stdout}`.slice(0, 8000));
    return r.stdout;
  }

  /** `terraform init -backend=false`: installs the provider (see `source`), touches no backend. */
  init(): void {
    this.must(['init', '-backend=false', '-input=false'], this.source.kind === 'registry' ? 300_000 : undefined);
  }

  /** `terraform validate -json` of the untouched stack. */
  validate(): { valid: boolean; error_count: number; diagnostics: { severity: string; summary: string; detail?: string }[] } {
    const r = this.run(['validate', '-json']);
    return JSON.parse(r.stdout);
  }

  /**
   * Makes the copy plannable offline: drops the remote backend from the copy (Terraform then uses its default
   * local backend, state inside this folder) and adds the fake-key provider override. Call after `validate()`.
   */
  makeOffline(): void {
    const file = path.join(this.dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete json.terraform?.backend;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    fs.writeFileSync(path.join(this.dir, 'offline_override.tf.json'), JSON.stringify(OFFLINE_PROVIDER_OVERRIDE, null, 2));
  }

  /**
   * `terraform plan` (no refresh: nothing exists) then `terraform show -json` of the saved plan. Input variables
   * without a default (secrets supplied at deploy time, such as an auth token) get a fake value on the command line.
   */
  planJson(): PlanJson {
    const json = JSON.parse(fs.readFileSync(path.join(this.dir, 'cdk.tf.json'), 'utf8'));
    const variables: Record<string, { default?: unknown }> = json.variable ?? {};
    const vars = Object.entries(variables)
      .filter(([, v]) => v.default === undefined)
      .flatMap(([name]) => ['-var', `${name}=offline-plan-fake-value-0123456789`]);
    this.must(['plan', '-input=false', '-lock=false', '-refresh=false', ...vars, '-out=plan.out'], 120_000);
    return JSON.parse(this.must(['show', '-json', 'plan.out']));
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The parts of `terraform show -json <plan>` the tests read. */
export interface PlanJson {
  resource_changes: ResourceChange[];
  configuration: { root_module: { resources: ConfigResource[] } };
  output_changes: Record<string, { actions: string[]; after?: unknown; after_unknown?: unknown }>;
  errored: boolean;
}

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  action_reason?: string;
  change: { actions: string[]; after: any; after_unknown: any };
}

export interface ConfigResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  expressions: Record<string, any>;
}

/** Reading helpers over a plan. */
export class Plan {
  constructor(public readonly json: PlanJson) {}

  /** Resources of a type that the plan creates. */
  created(type: string): ResourceChange[] {
    return this.json.resource_changes.filter((r) => r.mode === 'managed' && r.type === type && r.change.actions.includes('create'));
  }

  /** Data sources of a type that the plan reads (at plan time or, when their inputs are unknown, at apply). */
  reads(type: string): ResourceChange[] {
    return this.json.resource_changes.filter((r) => r.mode === 'data' && r.type === type);
  }

  /** The configuration (expressions and their references) of one address. */
  config(address: string): ConfigResource {
    const c = this.json.configuration.root_module.resources.find((r) => r.address === address);
    if (!c) throw new Error(`no configuration for ${address}`);
    return c;
  }

  /** The resource addresses an expression refers to (`aws_kms_key.x`, without attributes). */
  static refs(expression: { references?: string[]; constant_value?: unknown } | undefined): string[] {
    if (!expression) return [];
    const fromRefs = expression.references ?? [];
    // Attributes written as blocks (a route table's `route`) show `${...}` templates in constant_value instead.
    const fromTemplates = [...JSON.stringify(expression.constant_value ?? '').matchAll(/\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}/g)].map((m) => m[1]);
    const address = (r: string) => r.split('.').slice(0, r.startsWith('data.') ? 3 : 2).join('.');
    return [...new Set([...fromRefs, ...fromTemplates].map(address))];
  }
}
