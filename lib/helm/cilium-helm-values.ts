import * as path from 'path';
import { App } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { CILIUM_CHART_VERSION } from './chart-files';
import { checkCiliumValues } from './check-values';
import { HubbleMetric } from './hubble-metric';
import { type CiliumHelmValuesProps, type HubbleMetricsProps, type HubbleProps } from './props';
import { renderValuesYaml } from './render-values';
import {
  describeValue,
  formatValuesPath,
  isPlainObject,
  parseValuesPath,
  type ValuesPathSegment,
} from './values-path';
import { formatValuesProblem } from './values-problem';
import { writeFileAtomic } from '../manifest/write-atomic';

const IS_CILIUM_HELM_VALUES = Symbol.for('cdk8s-cilium-lockdown.CiliumHelmValues');
const DEFAULT_VALUES_FILE = 'cilium/values.yaml';

type Override = { readonly path: string[]; readonly value: unknown; readonly remove: boolean };

/**
 * Typed values for the Cilium 1.20 Helm chart. Adds no Kubernetes manifest: `LockdownApp.synth()`
 * (or `writeFile()`) writes them to `<outdir>/cilium/values.yaml` for
 * `helm upgrade --install cilium cilium/cilium --version 1.20.0 -f ...`.
 *
 * Synthesis fails when a key path is one the chart's templates never read (Helm would silently
 * ignore it; the chart schema lets such typos through), when values.schema.json rejects the values
 * Helm would compute, or when a Cilium constraint is broken (a Hubble metric Cilium 1.20 does not
 * register, relay without Hubble, encryption settings without `encryption.enabled`, ...). Strings
 * YAML 1.1 would read as another type (`yes`, `0o17`, `1:20`) are written quoted.
 */
export class CiliumHelmValues extends Construct {
  /** Chart version these values are written and checked for. */
  public static readonly CHART_VERSION = CILIUM_CHART_VERSION;

  public static isCiliumHelmValues(x: unknown): x is CiliumHelmValues {
    return (
      typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[IS_CILIUM_HELM_VALUES] === true
    );
  }

  /** Every CiliumHelmValues below `scope`, ordered by construct path. */
  public static findAll(scope: IConstruct): CiliumHelmValues[] {
    return scope.node
      .findAll()
      .filter(CiliumHelmValues.isCiliumHelmValues)
      .sort((a, b) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0));
  }

  /** The values file path relative to the app's output directory (POSIX separators). */
  public readonly valuesFile: string;

  private readonly props: CiliumHelmValuesProps;
  private readonly overrides: Override[] = [];

  public constructor(scope: Construct, id: string, props: CiliumHelmValuesProps = {}) {
    super(scope, id);
    Object.defineProperty(this, IS_CILIUM_HELM_VALUES, { value: true });
    this.props = cloneValue(props) as CiliumHelmValuesProps;
    this.valuesFile = normalizeValuesFile(props.valuesFile ?? DEFAULT_VALUES_FILE, this.node.path);
    this.node.addValidation({ validate: () => this.problems().map((p) => `Cilium Helm values: ${p}`) });
  }

  /**
   * Sets any chart value by dotted path, cdk8s style: `addOverride('hubble.relay.rollOutPods', true)`.
   * Escape a literal dot with a backslash: `addOverride('nodeSelector.kubernetes\\.io/os', 'linux')`.
   * Applied after props and `extraValues`, in call order; `null` is kept (Helm then drops the chart default).
   */
  public addOverride(valuesPath: string, value: unknown): void {
    this.overrides.push({
      path: this.parsePath('addOverride', valuesPath),
      value: cloneValue(value),
      remove: false,
    });
  }

  /** Removes a value set by props, `extraValues` or an earlier override, so the chart default applies. */
  public addDeletionOverride(valuesPath: string): void {
    this.overrides.push({
      path: this.parsePath('addDeletionOverride', valuesPath),
      value: undefined,
      remove: true,
    });
  }

  private parsePath(method: string, valuesPath: string): string[] {
    try {
      return parseValuesPath(valuesPath);
    } catch (error) {
      throw new Error(
        `CiliumHelmValues ${this.node.path}: ${method}(${JSON.stringify(valuesPath)}): ${(error as Error).message}`,
      );
    }
  }

  /** The checked Helm values (only what differs from the chart's defaults). Throws if any is invalid. */
  public get values(): Record<string, unknown> {
    const { values, problems } = this.build();
    if (problems.length > 0) throw new Error(this.failureMessage(problems));
    return values;
  }

  /** The values file text: a generated-file header and the values in values.yaml's key order. Throws if any value is invalid. */
  public toYaml(): string {
    return renderValuesYaml(this.values, this.header());
  }

  /** Writes the values file below `outdir` (default: the app's outdir) atomically; returns its path. */
  public writeFile(outdir?: string): string {
    const text = this.toYaml();
    const file = this.filePath(outdir ?? appOutdir(this));
    writeFileAtomic(file, text);
    return file;
  }

  /** Where `writeFile(outdir)` writes. */
  public filePath(outdir: string): string {
    return path.join(outdir, ...this.valuesFile.split('/'));
  }

  private problems(): string[] {
    return [...this.build().problems, ...this.fileProblems()];
  }

  private build(): { values: Record<string, unknown>; problems: string[] } {
    const problems: string[] = [];
    let values = valuesFromProps(this.props);
    if (this.props.extraValues !== undefined) {
      if (isPlainObject(this.props.extraValues)) values = deepMerge(values, this.props.extraValues);
      else
        problems.push(
          `extraValues must be a map of chart values, got ${describeValue(this.props.extraValues)}`,
        );
    }
    for (const override of this.overrides) {
      const problem = applyOverride(values, override);
      if (problem) problems.push(problem);
    }
    const normalized = normalizeValues(values, [], problems) as Record<string, unknown>;
    if (problems.length === 0) problems.push(...checkCiliumValues(normalized).map(formatValuesProblem));
    return { values: normalized, problems };
  }

  private fileProblems(): string[] {
    const problems: string[] = [];
    const root = this.node.root;
    if (root instanceof App && this.valuesFile.endsWith(root.outputFileExtension)) {
      problems.push(
        `valuesFile "${this.valuesFile}" ends with "${root.outputFileExtension}", the extension of the app's manifests, so tools would apply it. Fix: name it e.g. "cilium/values.yaml"`,
      );
    }
    const clash = CiliumHelmValues.findAll(root).find(
      (other) => other !== this && other.valuesFile === this.valuesFile,
    );
    if (clash) {
      problems.push(
        `valuesFile "${this.valuesFile}" is also written by ${clash.node.path}. Fix: give one of them another valuesFile`,
      );
    }
    return problems;
  }

  private failureMessage(problems: readonly string[]): string {
    return `CiliumHelmValues ${this.node.path}: invalid Cilium ${CILIUM_CHART_VERSION} Helm values:\n  - ${problems.join('\n  - ')}`;
  }

  private header(): string[] {
    const file = path.posix.join(appOutdir(this).split(path.sep).join('/'), this.valuesFile);
    return [
      `Helm values for the Cilium ${CILIUM_CHART_VERSION} chart (cilium/cilium), generated by cdk8s-cilium-lockdown`,
      `from construct "${this.node.path}". Do not edit: change the cdk8s app and run \`cdk8s synth\` again.`,
      `Every key path is one the chart's templates read; the values were checked against its values.schema.json.`,
      'Use with:',
      '  helm repo add cilium https://helm.cilium.io/',
      `  helm upgrade --install cilium cilium/cilium --version ${CILIUM_CHART_VERSION} -n kube-system -f ${file}`,
    ];
  }
}

function appOutdir(scope: IConstruct): string {
  const root = scope.node.root;
  return root instanceof App ? root.outdir : 'dist';
}

function normalizeValuesFile(file: string, constructPath: string): string {
  const posix = path.posix.normalize(file.split(path.sep).join('/'));
  const fail = (why: string): never => {
    throw new Error(
      `CiliumHelmValues ${constructPath}: valuesFile "${file}" ${why}. Fix: use a relative path such as "${DEFAULT_VALUES_FILE}"`,
    );
  };
  if (path.posix.isAbsolute(posix) || path.win32.isAbsolute(file))
    fail('must be relative to the app output directory');
  if (posix === '.' || posix.startsWith('../') || posix === '..')
    fail('must stay inside the app output directory');
  if (!/\.ya?ml$/.test(posix)) fail('must end with .yaml or .yml');
  return posix;
}

/** Copies maps and lists (props and overrides must not change when the caller mutates its objects later). */
function cloneValue(value: unknown): unknown {
  if (value instanceof HubbleMetric) return value;
  if (Array.isArray(value)) return value.map(cloneValue);
  if (isPlainObject(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)]));
  }
  return value;
}

/** Sets an own property; a plain assignment of `__proto__` would replace the object's prototype instead. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

function valuesFromProps(props: CiliumHelmValuesProps): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  put(values, 'rollOutCiliumPods', props.rollOutCiliumPods);
  if (props.encryption) {
    put(values, 'encryption', {
      enabled: props.encryption.enabled,
      type: props.encryption.type,
      nodeEncryption: props.encryption.nodeEncryption,
    });
  }
  if (props.hubble) put(values, 'hubble', hubbleValues(props.hubble));
  put(values, 'policyAuditMode', props.policyAuditMode);
  put(values, 'policyEnforcementMode', props.policyEnforcementMode);
  return pruneUndefined(values) as Record<string, unknown>;
}

function hubbleValues(hubble: HubbleProps): Record<string, unknown> {
  return {
    enabled: hubble.enabled,
    metrics: hubble.metrics ? metricsValues(hubble.metrics) : undefined,
    relay: hubble.relay
      ? { enabled: hubble.relay.enabled, rollOutPods: hubble.relay.rollOutPods }
      : undefined,
    ui: hubble.ui
      ? {
          enabled: hubble.ui.enabled,
          standalone: hubble.ui.standalone === undefined ? undefined : { enabled: hubble.ui.standalone },
          rollOutPods: hubble.ui.rollOutPods,
        }
      : undefined,
  };
}

function metricsValues(metrics: HubbleMetricsProps): Record<string, unknown> {
  const sm = metrics.serviceMonitor;
  const db = metrics.dashboards;
  return {
    enabled: metrics.enabled?.map((m) => (m instanceof HubbleMetric ? m.toString() : m)),
    enableOpenMetrics: metrics.enableOpenMetrics,
    port: metrics.port,
    serviceMonitor: sm
      ? { enabled: sm.enabled, labels: sm.labels, annotations: sm.annotations, interval: sm.interval }
      : undefined,
    dashboards: db
      ? {
          enabled: db.enabled,
          label: db.label,
          namespace: db.namespace,
          labelValue: db.labelValue,
          annotations: db.annotations,
        }
      : undefined,
  };
}

/** Drops undefined entries and maps left empty by that (explicit `{}` from users is kept). */
function pruneUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pruneUndefined);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const pruned = pruneUndefined(child);
    const emptiedByPruning =
      isPlainObject(pruned) && Object.keys(pruned).length === 0 && Object.keys(child as object).length > 0;
    if (!emptiedByPruning) setOwn(out, key, pruned);
  }
  return out;
}

/** Maps merge recursively; lists, scalars and null replace. */
function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) setOwn(out, key, value);
  for (const [key, value] of Object.entries(extra)) {
    const current = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(
      out,
      key,
      isPlainObject(value) && isPlainObject(current) ? deepMerge(current, value) : cloneValue(value),
    );
  }
  return out;
}

function applyOverride(values: Record<string, unknown>, override: Override): string | undefined {
  const display = formatValuesPath(override.path);
  let node: unknown = values;
  for (let i = 0; i < override.path.length - 1; i++) {
    const key = override.path[i];
    const container = node as Record<string, unknown> | unknown[];
    let next = Array.isArray(container)
      ? container[Number(key)]
      : Object.prototype.hasOwnProperty.call(container, key)
        ? container[key]
        : undefined;
    if (next === undefined || next === null) {
      if (override.remove) return undefined;
      next = {};
      if (Array.isArray(container)) container[Number(key)] = next;
      else container[key] = next;
    }
    if (!isPlainObject(next) && !Array.isArray(next)) {
      return `addOverride("${display}"): \`${formatValuesPath(override.path.slice(0, i + 1))}\` is already set to ${describeValue(next)}, which has no sub-keys. Fix: override that key itself`;
    }
    if (Array.isArray(next) && !/^\d+$/.test(override.path[i + 1])) {
      return `addOverride("${display}"): \`${formatValuesPath(override.path.slice(0, i + 1))}\` is a list; address its items by index. Fix: override the whole list or use an index`;
    }
    node = next;
  }
  const last = override.path[override.path.length - 1];
  if (Array.isArray(node)) {
    if (override.remove) node.splice(Number(last), 1);
    else node[Number(last)] = cloneValue(override.value);
  } else if (override.remove) {
    delete (node as Record<string, unknown>)[last];
  } else {
    (node as Record<string, unknown>)[last] = cloneValue(override.value);
  }
  return undefined;
}

/** Converts HubbleMetric entries to strings and reports values a YAML values file cannot hold. */
function normalizeValues(value: unknown, at: ValuesPathSegment[], problems: string[]): unknown {
  if (value instanceof HubbleMetric) return value.toString();
  if (Array.isArray(value)) return value.map((item, i) => normalizeValues(item, [...at, i], problems));
  if (isPlainObject(value)) {
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
      problems.push(
        `\`${formatValuesPath(at)}\` is a ${value.constructor?.name ?? 'class'} instance; Helm values hold only maps, lists, strings, numbers, booleans and null`,
      );
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      if (key === '__proto__') {
        problems.push(
          `\`${formatValuesPath([...at, key])}\`: \`__proto__\` is not allowed as a key (it would change JavaScript objects, not a Helm value). Fix: remove it`,
        );
        continue;
      }
      setOwn(out, key, normalizeValues(child, [...at, key], problems));
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    problems.push(`\`${formatValuesPath(at)}\` = ${value} is not a finite number`);
  } else if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    problems.push(
      `\`${formatValuesPath(at)}\` is a ${typeof value}; Helm values hold only maps, lists, strings, numbers, booleans and null`,
    );
  }
  return value;
}
