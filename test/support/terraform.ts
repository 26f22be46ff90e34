import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Offline Terraform for output tests: the real `terraform` binary and the real `hashicorp/aws` provider from the
 * machine's filesystem mirror, no network. Everything test-only (CLI config, fake keys, `skip_*` flags, local state)
 * lives in a temporary copy of the stack; the synthesised output is never touched.
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
export function findProviderMirror(): string | undefined {
  const fromEnv = process.env[MIRROR_ENV];
  if (fromEnv) {
    if (!holdsAwsProvider(fromEnv)) {
      throw new Error(`${MIRROR_ENV}=${fromEnv} holds no ${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type} ${AWS_PROVIDER.version} (expected ${fromEnv}/${AWS_PROVIDER.host}/${AWS_PROVIDER.namespace}/${AWS_PROVIDER.type}/${AWS_PROVIDER.version}/)`);
    }
    return fromEnv;
  }
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
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    public readonly stackName: string,
    stackJson: Record<string, unknown>,
    mirror: string,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `tf-${stackName}-`));
    fs.writeFileSync(path.join(this.dir, 'cdk.tf.json'), JSON.stringify(stackJson, null, 2));
    const rc = path.join(this.dir, 'offline.tfrc');
    fs.writeFileSync(rc, cliConfig(mirror));
    this.env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      TF_DATA_DIR: path.join(this.dir, '.terraform'),
      // Fail fast instead of hanging if anything still tries the network.
      AWS_EC2_METADATA_DISABLED: 'true',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
    delete this.env.TF_PLUGIN_CACHE_DIR;
    for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete this.env[k];
  }

  run(args: readonly string[], timeoutMs = 60_000): TerraformRun {
    const r = spawnSync('terraform', [...args, '-no-color'], { cwd: this.dir, env: this.env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
  }

  /** Runs and throws with Terraform's own output when the exit code is not 0. */
  must(args: readonly string[], timeoutMs?: number): string {
    const r = this.run(args, timeoutMs);
    if (r.status !== 0) throw new Error(`terraform ${args.join(' ')} in ${this.stackName} exited ${r.status}:\n${r.stderr}\n${r.stdout}`.slice(0, 8000));
    return r.stdout;
  }

  /** `terraform init -backend=false`: installs the provider from the mirror, touches no backend. */
  init(): void {
    this.must(['init', '-backend=false', '-input=false']);
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
