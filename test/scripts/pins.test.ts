/**
 * upstream/pins.json against the chart catalogue (constructs/helm/catalogue.ts) and against the cache it fills: a
 * chart bump in one place only fails here, naming both versions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ChartRef, CHARTS } from '../../constructs/helm/catalogue';
import { loadPins, Pins, sha256 } from '../../scripts/vendor';
import { VENDOR_ROOT, vendorFile } from '../support/vendor';

const PINS_FILE = path.resolve(__dirname, '..', '..', 'upstream', 'pins.json');
const pins = loadPins(PINS_FILE);

/**
 * Where the catalogue and the pins disagree: a catalogue chart with `vendoredAs` must have that folder pinned at its
 * version, and a catalogue chart whose defaults are pinned under another folder must be pinned at its version too.
 */
function catalogueMismatches(catalogue: Record<string, ChartRef>, p: Pins): string[] {
  const out: string[] = [];
  for (const [key, ref] of Object.entries(catalogue)) {
    if (ref.vendoredAs) {
      const pinned = p.charts[ref.vendoredAs];
      if (!pinned) out.push(`CHARTS.${key} (${ref.chart} ${ref.version}): vendoredAs '${ref.vendoredAs}' is not a chart of upstream/pins.json`);
      else if (pinned.chart !== ref.chart || pinned.version !== ref.version) {
        out.push(`CHARTS.${key}: the catalogue installs ${ref.chart} ${ref.version}, upstream/pins.json pins charts/${ref.vendoredAs} at ${pinned.chart} ${pinned.version}; bump both together`);
      }
      continue;
    }
    for (const [folder, pinned] of Object.entries(p.charts)) {
      if (pinned.chart === ref.chart && pinned.version !== ref.version) {
        out.push(`CHARTS.${key}: the catalogue installs ${ref.chart} ${ref.version}, upstream/pins.json pins charts/${folder} at ${pinned.version}; bump both together`);
      }
    }
  }
  return out;
}

describe('the chart catalogue and the pins', () => {
  test('agree on every chart version', () => {
    expect(catalogueMismatches(CHARTS, pins)).toEqual([]);
  });

  test('a catalogue bump without a pin bump fails, naming both versions', () => {
    const bumped = { ...CHARTS, vault: { ...CHARTS.vault, version: '0.35.0' } };
    expect(catalogueMismatches(bumped, pins)).toEqual([
      `CHARTS.vault: the catalogue installs vault 0.35.0, upstream/pins.json pins charts/vault at vault ${pins.charts.vault.version}; bump both together`,
    ]);
  });

  test('a chart without vendoredAs is still held to the version pinned for it', () => {
    const bumped = { ...CHARTS, clusterAutoscaler: { ...CHARTS.clusterAutoscaler, version: '9.59.0' } };
    expect(catalogueMismatches(bumped, pins)).toEqual([
      `CHARTS.clusterAutoscaler: the catalogue installs cluster-autoscaler 9.59.0, upstream/pins.json pins charts/cluster-autoscaler at ${pins.charts['cluster-autoscaler'].version}; bump both together`,
    ]);
  });

  test('a vendoredAs folder that is not pinned fails', () => {
    const renamed = { ...CHARTS, jaeger: { ...CHARTS.jaeger, vendoredAs: 'jaeger-v2' } };
    expect(catalogueMismatches(renamed, pins)).toEqual([`CHARTS.jaeger (jaeger ${CHARTS.jaeger.version}): vendoredAs 'jaeger-v2' is not a chart of upstream/pins.json`]);
  });
});

describe('upstream/pins.json', () => {
  const chartFolders = [...new Set(pins.files.filter((f) => f.path.startsWith('charts/')).map((f) => f.path.split('/')[1]))].sort();

  test('every pinned chart folder has a chart entry, and every chart entry pins files', () => {
    expect(Object.keys(pins.charts).sort()).toEqual(chartFolders);
  });

  test("each chart's values.yaml comes from its release archive, pinned at the chart's version", () => {
    const problems = Object.entries(pins.charts).flatMap(([folder, c]) => {
      const values = pins.files.find((f) => f.path === `charts/${folder}/values.yaml`);
      if (!values) return [`charts/${folder}: no values.yaml pinned`];
      if (values.url !== c.archive || values.member !== `${c.chart}/values.yaml`) return [`charts/${folder}/values.yaml: not ${c.chart}/values.yaml of ${c.archive}`];
      return c.archive.includes(c.version) ? [] : [`charts/${folder}: archive ${c.archive} does not name version ${c.version}`];
    });
    expect(problems).toEqual([]);
  });

  test("the cached Chart.yaml of each pinned chart states the pinned name and version (cert-manager's is a template)", () => {
    const problems = Object.entries(pins.charts).flatMap(([folder, c]) => {
      const chartYaml = parse(fs.readFileSync(vendorFile(`charts/${folder}/Chart.yaml`), 'utf8'));
      const version = c.chartYamlIsTemplate ? c.version : chartYaml.version;
      return chartYaml.name === c.chart && version === c.version ? [] : [`charts/${folder}/Chart.yaml is ${chartYaml.name} ${chartYaml.version}, pinned ${c.chart} ${c.version}`];
    });
    expect(problems).toEqual([]);
  });

  test('the cache holds every pinned file with its pinned sha256, and nothing else', () => {
    const bad = pins.files.filter((f) => !fs.existsSync(vendorFile(f.path)) || sha256(fs.readFileSync(vendorFile(f.path))) !== f.sha256).map((f) => f.path);
    expect(bad).toEqual([]);
    const cached = (fs.readdirSync(VENDOR_ROOT, { recursive: true, encoding: 'utf8' }) as string[]).filter((p) => fs.statSync(path.join(VENDOR_ROOT, p)).isFile() && !p.startsWith('.'));
    expect(cached.sort()).toEqual(pins.files.map((f) => f.path).sort());
  });
});
