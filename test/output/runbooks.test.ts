import { App } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { redisCharts } from '../../charts/redis-chart';
import { environments, loadEnvironments } from '../../config';
import { registryWith } from '../support/config';
import { checkExpressions } from '../support/prom-rules';
import { ENVIRONMENTS, synthAll } from '../support/synth';
import { describeWithTools } from '../support/tools';

/**
 * The runbook links of every synthesised alert lead somewhere: each `runbook_url` under the environment's
 * `monitoring.runbookBaseUrl` names a Markdown file in docs/runbooks/ that exists and, when it has an anchor, a heading
 * whose GitHub anchor is that anchor. The runbook (or its section) quotes the alert's current expression and `for` as
 * whole lines (`expr: ...`, `for: 5m`), so a changed threshold cannot leave a runbook that describes the old one.
 * Every runbook is linked by some alert (no orphans), the index links every runbook, and the relative links between
 * runbooks resolve too.
 */
const RUNBOOK_DIR = path.resolve(__dirname, '..', '..', 'docs', 'runbooks');
const INDEX = 'README.md';

/**
 * The anchor GitHub gives a heading (github-slugger): the rendered text in lower case, every character that is not a
 * letter, digit, mark, connector (`_`), space or hyphen dropped, each space turned into a hyphen. Inline code, emphasis
 * and link syntax are reduced to their text first, as GitHub slugs the rendered text.
 */
function githubAnchor(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
  /** Index of the heading's line in the document. */
  readonly line: number;
}

/**
 * The ATX headings (`## Text`) of a Markdown document, outside fenced code blocks (a `# comment` in a shell block is
 * no heading), with GitHub's anchors: a repeated anchor gets `-1`, `-2`, ... as on GitHub.
 */
function headings(markdown: string): Heading[] {
  const out: Heading[] = [];
  const seen = new Map<string, number>();
  let fence: string | undefined;
  markdown.split('\n').forEach((line, index) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === undefined) fence = f[1];
      else if (f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const h = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (!h) return;
    const text = h[2] ?? '';
    const slug = githubAnchor(text);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.push({ level: h[1].length, text, anchor: n === 0 ? slug : `${slug}-${n}`, line: index });
  });
  return out;
}

/** The text of the section a heading opens: up to the next heading of the same or a higher level. */
function section(markdown: string, anchor: string): string | undefined {
  const all = headings(markdown);
  const i = all.findIndex((h) => h.anchor === anchor);
  if (i < 0) return undefined;
  const end = all.slice(i + 1).find((h) => h.level <= all[i].level);
  return markdown
    .split('\n')
    .slice(all[i].line, end?.line)
    .join('\n');
}

/** Where a runbook link points: a file relative to the runbook folder, and an anchor if it has one. */
interface RunbookTarget {
  readonly file: string;
  readonly anchor?: string;
}

/** Splits `<base>/<file>[#<anchor>]`; undefined for a URL outside the base. */
function runbookTarget(url: string, base: string): RunbookTarget | undefined {
  const prefix = `${base.replace(/\/+$/, '')}/`;
  if (!url.startsWith(prefix)) return undefined;
  const [file, anchor] = url.slice(prefix.length).split('#', 2);
  return { file: decodeURIComponent(file), anchor };
}

/**
 * What is wrong with a link to `target` in `dir` (none when the file exists and has the anchor's heading): what an
 * on-call engineer following it would miss, named by link, file and anchor.
 */
function targetProblems(link: string, target: RunbookTarget, dir: string): string[] {
  const shown = path.posix.join(path.basename(dir), target.file);
  if (!target.file.endsWith('.md')) return [`${link}: '${target.file}' is not a Markdown file (GitHub shows a 404 for a blob URL without the .md)`];
  const file = path.join(dir, target.file);
  if (!fs.existsSync(file)) return [`${link}: ${shown} does not exist`];
  if (target.anchor === undefined) return [];
  const anchors = headings(fs.readFileSync(file, 'utf8')).map((h) => h.anchor);
  if (anchors.includes(target.anchor)) return [];
  return [`${link}: ${shown} has no heading with anchor #${target.anchor} (its anchors: ${anchors.map((a) => `#${a}`).join(', ')})`];
}

/** An alerting rule as synthesised. */
interface Rule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly annotations: { readonly runbook_url?: string };
}

/** Every alerting rule anywhere in `objects` (PrometheusRules today; any object that holds rules). */
function alertRules(node: unknown, out: Rule[] = []): Rule[] {
  if (Array.isArray(node)) node.forEach((n) => alertRules(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, any>;
    if (typeof o.alert === 'string' && typeof o.expr === 'string') out.push(o as Rule);
    else Object.values(o).forEach((v) => alertRules(v, out));
  }
  return out;
}

/**
 * What the runbook (or, for a link with an anchor, its section) lacks of the rule as synthesised: the lines
 * `expr: <expr>` and `for: <for>`, which the runbook's `yaml` block quotes. None when the file or heading is missing
 * (`targetProblems` reports that).
 */
function quoteProblems(rule: Rule, target: RunbookTarget, dir: string): string[] {
  const file = path.join(dir, target.file);
  if (!fs.existsSync(file)) return [];
  const doc = fs.readFileSync(file, 'utf8');
  const text = target.anchor === undefined ? doc : section(doc, target.anchor);
  if (text === undefined) return [];
  const lines = new Set(text.split('\n').map((l) => l.trim()));
  const where = target.anchor === undefined ? target.file : `${target.file}#${target.anchor}`;
  return [`expr: ${rule.expr}`, `for: ${rule.for ?? '0s'}`].filter((line) => !lines.has(line)).map((line) => `${rule.alert}: ${where} lacks the line '${line}'`);
}

/** Relative links (`[text](target)`) of a Markdown document outside code, skipping URLs with a scheme. */
function relativeLinks(markdown: string): string[] {
  const fenced = new Set<number>();
  let open = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^ {0,3}(`{3,}|~{3,})/.test(line)) open = !open;
    else if (open) fenced.add(i);
  });
  return markdown
    .split('\n')
    .filter((_, i) => !fenced.has(i))
    .map((line) => line.replace(/`[^`]*`/g, ''))
    .flatMap((line) => [...line.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]))
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/**
 * The PromQL queries a runbook gives to paste: the ```promql blocks, one query per line (an indented line continues
 * the one before), comments and blank lines skipped, placeholders (`<app>`) replaced by a real app name.
 */
function promqlQueries(markdown: string): string[] {
  const queries: string[] = [];
  let inBlock = false;
  for (const line of markdown.split('\n')) {
    if (/^ {0,3}```promql\s*$/.test(line)) inBlock = true;
    else if (inBlock && /^ {0,3}```\s*$/.test(line)) inBlock = false;
    else if (inBlock && line.trim() !== '' && !line.trim().startsWith('#')) {
      const query = line.replace(/<[a-z-]+>/g, 'api');
      if (/^\s/.test(line) && queries.length > 0) queries[queries.length - 1] += ` ${query.trim()}`;
      else queries.push(query.trim());
    }
  }
  return queries;
}

/** Runbook files: every Markdown file in the folder. */
function runbookFiles(): string[] {
  return fs
    .readdirSync(RUNBOOK_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort();
}

const configs = Object.fromEntries(loadEnvironments(environments).map((e) => [e.name, e]));

describe('runbook link checks (harness logic, on made-up documents)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-'));
    fs.mkdirSync(path.join(dir, 'runbooks'));
    fs.writeFileSync(
      path.join(dir, 'runbooks', 'cache.md'),
      ['# Cache', '', '## CacheDown', '', '```yaml', 'expr: up == 0', 'for: 15m', '```', '', '## First checks', '', '## First checks', ''].join('\n'),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const base = 'https://git.example.com/blob/main/docs/runbooks';

  test('anchors are what GitHub generates: lower case, punctuation dropped, spaces to hyphens', () => {
    expect(githubAnchor('RedisDown')).toBe('redisdown');
    expect(githubAnchor('First checks')).toBe('first-checks');
    expect(githubAnchor('Pods: Pending & crash looping')).toBe('pods-pending--crash-looping');
    expect(githubAnchor('`maxmemory` is too small (v8.2)')).toBe('maxmemory-is-too-small-v82');
    expect(githubAnchor('See [redis.md](redis.md) and snake_case')).toBe('see-redismd-and-snake_case');
  });

  test('headings skip fenced code and number repeated anchors as GitHub does', () => {
    const doc = fs.readFileSync(path.join(dir, 'runbooks', 'cache.md'), 'utf8');
    expect(headings(doc).map((h) => h.anchor)).toEqual(['cache', 'cachedown', 'first-checks', 'first-checks-1']);
    expect(section(doc, 'cachedown')).toBe(['## CacheDown', '', '```yaml', 'expr: up == 0', 'for: 15m', '```', ''].join('\n'));
    expect(headings('```sh\n# a shell comment\n```\n# Title')).toEqual([{ level: 1, text: 'Title', anchor: 'title', line: 3 }]);
  });

  test('maps a URL under the base to a file and an anchor; a URL elsewhere to nothing', () => {
    expect(runbookTarget(`${base}/cache.md#cachedown`, `${base}/`)).toEqual({ file: 'cache.md', anchor: 'cachedown' });
    expect(runbookTarget(`${base}/service-down.md`, base)).toEqual({ file: 'service-down.md', anchor: undefined });
    expect(runbookTarget('https://runbooks.prometheus-operator.dev/runbooks/general/watchdog', base)).toBeUndefined();
  });

  test('accepts an existing file and an existing heading', () => {
    const rb = path.join(dir, 'runbooks');
    expect(targetProblems('u', { file: 'cache.md' }, rb)).toEqual([]);
    expect(targetProblems('u', { file: 'cache.md', anchor: 'first-checks-1' }, rb)).toEqual([]);
  });

  test('fails on a missing file, a missing heading and a link without .md', () => {
    const rb = path.join(dir, 'runbooks');
    const link = (u: string) => [u, runbookTarget(u, base)!] as const;
    expect(targetProblems(...link(`${base}/service-down.md`), rb)).toEqual([`${base}/service-down.md: runbooks/service-down.md does not exist`]);
    expect(targetProblems(...link(`${base}/cache.md#cacheslow`), rb)).toEqual([
      `${base}/cache.md#cacheslow: runbooks/cache.md has no heading with anchor #cacheslow (its anchors: #cache, #cachedown, #first-checks, #first-checks-1)`,
    ]);
    expect(targetProblems(...link(`${base}/service-down`), rb)).toEqual([
      `${base}/service-down: 'service-down' is not a Markdown file (GitHub shows a 404 for a blob URL without the .md)`,
    ]);
  });

  test("fails when the alert's section does not quote its current expression and for as whole lines", () => {
    const rb = path.join(dir, 'runbooks');
    const rule = (expr: string, for_: string): Rule => ({ alert: 'CacheDown', expr, for: for_, annotations: {} });
    expect(quoteProblems(rule('up == 0', '15m'), { file: 'cache.md', anchor: 'cachedown' }, rb)).toEqual([]);
    expect(quoteProblems(rule('up == 0', '5m'), { file: 'cache.md', anchor: 'cachedown' }, rb)).toEqual(["CacheDown: cache.md#cachedown lacks the line 'for: 5m'"]);
    expect(quoteProblems(rule('up < 1', '15m'), { file: 'cache.md', anchor: 'first-checks' }, rb)).toEqual([
      "CacheDown: cache.md#first-checks lacks the line 'expr: up < 1'",
      "CacheDown: cache.md#first-checks lacks the line 'for: 15m'",
    ]);
  });

  test('reads the PromQL to paste: one query per line, continuations joined, comments skipped, placeholders filled', () => {
    const doc = ['```promql', '# a comment', 'up{job="<app>"}', '', 'sum(rate(a[5m]))', '  / sum(rate(b[5m]))', '```', '```sh', 'kubectl get pods', '```'].join('\n');
    expect(promqlQueries(doc)).toEqual(['up{job="api"}', 'sum(rate(a[5m])) / sum(rate(b[5m]))']);
  });

  test('finds rules anywhere in objects, and relative links outside code', () => {
    const rules = alertRules([{ spec: { groups: [{ rules: [{ alert: 'A', expr: 'up == 0', annotations: {} }, { record: 'r', expr: 'up' }] }] } }]);
    expect(rules.map((r) => r.alert)).toEqual(['A']);
    expect(relativeLinks('[a](a.md#x) [b](https://x.example.com) `[c](c.md)`\n```\n[d](d.md)\n```\n[e](#first-checks)')).toEqual(['a.md#x', '#first-checks']);
  });
});

describe.each(ENVIRONMENTS)('%s: runbook links', (env) => {
  const base = configs[env].monitoring.runbookBaseUrl;
  const linked = () =>
    alertRules(synthAll().objects(env))
      .map((rule) => ({ rule, url: rule.annotations.runbook_url ?? '' }))
      .map(({ rule, url }) => ({ rule, url, target: runbookTarget(url, base) }))
      .filter((l): l is { rule: Rule; url: string; target: RunbookTarget } => l.target !== undefined);

  test('every runbook_url under the base names an existing runbook file and heading', () => {
    const links = linked();
    expect(links.length).toBeGreaterThan(0);
    expect(links.flatMap(({ rule, url, target }) => targetProblems(`${rule.alert} ${url}`, target, RUNBOOK_DIR))).toEqual([]);
  });

  test("the runbook (or the alert's section) quotes the alert's current expression and for", () => {
    expect(linked().flatMap(({ rule, target }) => quoteProblems(rule, target, RUNBOOK_DIR))).toEqual([]);
  });
});

describe('alerts only other settings synthesise (RedisMemoryNearLimit: maxmemory-policy noeviction)', () => {
  // No environment runs such a policy today, so the synthesised output never links this section: build the real
  // chart from staging's config with the policy changed, as an environment that adopted it would.
  test('their runbook links resolve and their sections quote the rule', () => {
    const [env] = loadEnvironments(registryWith('staging', (e) => (e.redis.maxmemoryPolicy = 'noeviction')), ['staging']);
    const rules = alertRules(redisCharts(new App(), env).map((c) => c.toJson()));
    expect(rules.map((r) => r.alert)).toContain('RedisMemoryNearLimit');
    const problems = rules.flatMap((rule) => {
      const url = rule.annotations.runbook_url ?? '';
      const target = runbookTarget(url, env.monitoring.runbookBaseUrl);
      if (!target) return [`${rule.alert} ${url}: not under ${env.monitoring.runbookBaseUrl}`];
      return [...targetProblems(`${rule.alert} ${url}`, target, RUNBOOK_DIR), ...quoteProblems(rule, target, RUNBOOK_DIR)];
    });
    expect(problems).toEqual([]);
  });
});

describe('docs/runbooks', () => {
  test('every runbook is linked by an alert of some environment (no orphans)', () => {
    const linkedFiles = new Set(
      ENVIRONMENTS.flatMap((env) =>
        alertRules(synthAll().objects(env)).flatMap((r) => runbookTarget(r.annotations.runbook_url ?? '', configs[env].monitoring.runbookBaseUrl)?.file ?? []),
      ),
    );
    expect(runbookFiles().filter((f) => f !== INDEX && !linkedFiles.has(f))).toEqual([]);
  });

  test('the index links every runbook', () => {
    const index = fs.readFileSync(path.join(RUNBOOK_DIR, INDEX), 'utf8');
    const targets = new Set(relativeLinks(index).map((l) => l.split('#')[0]));
    expect(runbookFiles().filter((f) => f !== INDEX && !targets.has(f))).toEqual([]);
  });

  test('relative links between runbooks (and to the source) resolve, anchors included', () => {
    const problems = runbookFiles().flatMap((f) =>
      relativeLinks(fs.readFileSync(path.join(RUNBOOK_DIR, f), 'utf8')).flatMap((link) => {
        const [file, anchor] = link.split('#', 2);
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), file === '' ? f : file));
        if (!target.endsWith('.md')) return fs.existsSync(path.join(RUNBOOK_DIR, target)) ? [] : [`${f}: link ${link}: ${target} does not exist`];
        return targetProblems(`${f}: link ${link}`, { file: target, anchor }, RUNBOOK_DIR);
      }),
    );
    expect(problems).toEqual([]);
  });
});

describeWithTools(['promtool'], 'runbook PromQL (promtool)', () => {
  test('promtool rejects a broken query taken from a runbook (the check can fail)', () => {
    const exprs = promqlQueries('```promql\nsum by (pod) (rate(x[5m])\n```').map((expr) => ({ name: 'broken', expr }));
    expect(checkExpressions(fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-promql-')), exprs).status).not.toBe(0);
  });

  test('every query the runbooks give to paste parses', () => {
    const exprs = runbookFiles().flatMap((f) => promqlQueries(fs.readFileSync(path.join(RUNBOOK_DIR, f), 'utf8')).map((expr) => ({ name: f, expr })));
    expect(exprs.length).toBeGreaterThan(20);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runbook-promql-'));
    if (checkExpressions(dir, exprs).status === 0) return;
    // promtool names a bad rule by its index only: check each query alone to name the broken ones.
    const broken = exprs.filter((e, i) => checkExpressions(path.join(dir, String(i)), [e]).status !== 0).map((e) => `${e.name}: ${e.expr}`);
    expect(broken).toEqual([]);
  });
});
