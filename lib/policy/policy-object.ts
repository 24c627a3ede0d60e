import {
  ApiObject,
  App,
  ImplicitTokenResolver,
  JsonPatch,
  Lazy,
  LazyResolver,
  NumberStringUnionResolver,
} from 'cdk8s';
import { Construct } from 'constructs';
import * as ccnp from '../../imports/cilium-clusterwide-network-policy-cilium.io';
import * as cnp from '../../imports/cilium-network-policy-cilium.io';
import { KubeManifest } from '../manifest/types';
import { renderedForThisSynth } from './synth-pass';

/** What a policy's L1 object renders for its `spec` (one rule) or `specs` (several). */
export type RenderedRules = cnp.CiliumNetworkPolicySpec | cnp.CiliumNetworkPolicySpec[];

/** Props of the L1 object of a `CiliumPolicy`. */
export interface PolicyObjectProps {
  readonly metadata: cnp.CiliumNetworkPolicyProps['metadata'];
  /** Whether the rules render as `specs` (several rules) rather than `spec`. */
  readonly several: boolean;
  /** Renders the policy's rules; called once per synth (and by `toJson` outside one). */
  readonly render: () => RenderedRules;
}

/**
 * The L1 object of a `CiliumPolicy`, rendered once per synth: cdk8s writes what the synth-time
 * checks read (see synth-pass.ts).
 */
export function policyObject(
  scope: Construct,
  id: string,
  clusterwide: boolean,
  props: PolicyObjectProps,
): ApiObject {
  return clusterwide
    ? new ClusterwidePolicyObject(scope, id, props)
    : new NetworkPolicyObject(scope, id, props);
}

class NetworkPolicyObject extends cnp.CiliumNetworkPolicy {
  private patched = false;

  constructor(
    scope: Construct,
    id: string,
    private readonly rendering: PolicyObjectProps,
  ) {
    super(scope, id, {
      metadata: rendering.metadata,
      ...rulesProp(rendering),
    } as cnp.CiliumNetworkPolicyProps);
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  override toJson(): KubeManifest {
    return (
      renderedForThisSynth(this) ??
      directly(this, this.patched, this.rendering.render, {
        spec: cnp.toJson_CiliumNetworkPolicySpec,
        specs: (rule) => cnp.toJson_CiliumNetworkPolicySpecs(rule as unknown as cnp.CiliumNetworkPolicySpecs),
      }) ??
      sharedShapes(super.toJson())
    );
  }
}

class ClusterwidePolicyObject extends ccnp.CiliumClusterwideNetworkPolicy {
  private patched = false;

  constructor(
    scope: Construct,
    id: string,
    private readonly rendering: PolicyObjectProps,
  ) {
    super(scope, id, {
      metadata: rendering.metadata,
      ...rulesProp(rendering),
    } as ccnp.CiliumClusterwideNetworkPolicyProps);
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  override toJson(): KubeManifest {
    return (
      renderedForThisSynth(this) ??
      directly(this, this.patched, this.rendering.render, {
        spec: (rule) =>
          ccnp.toJson_CiliumClusterwideNetworkPolicySpec(
            rule as unknown as ccnp.CiliumClusterwideNetworkPolicySpec,
          ),
        specs: (rule) =>
          ccnp.toJson_CiliumClusterwideNetworkPolicySpecs(
            rule as unknown as ccnp.CiliumClusterwideNetworkPolicySpecs,
          ),
      }) ??
      sharedShapes(super.toJson())
    );
  }
}

/** The rules as a lazy L1 prop: what cdk8s's own rendering of the object (`super.toJson()`) reads. */
function rulesProp(props: PolicyObjectProps): { spec?: Lazy; specs?: Lazy } {
  const rules = Lazy.any({ produce: props.render });
  return props.several ? { specs: rules } : { spec: rules };
}

/**
 * The object's manifest without cdk8s's resolution of every value, or undefined when only that
 * resolution gives it. cdk8s resolves each value of the props (lazy values, tokens, the app's
 * resolvers), drops empty values, sorts keys, applies JSON patches, then the generated converter
 * renames fields to the CRD's. The rules a policy renders are plain data: resolving them only copies
 * them. So, unless the app has resolvers of its own or the object has JSON patches, converting the
 * rendered rules and sorting their keys gives the same manifest, key for key and in the same order
 * (the CRD lists its fields sorted; test/policy/policy-object.test.ts compares both on every kind of
 * rule). Anything unexpected in the rules (a value that is not plain data) leaves it to cdk8s.
 */
function directly(
  object: ApiObject,
  patched: boolean,
  render: () => RenderedRules,
  convert: Converters,
): KubeManifest | undefined {
  if (patched || !App.of(object).resolvers.every(isBuiltIn)) return undefined;
  try {
    const rules = render();
    if (!isPlainData(rules)) return undefined;
    const body = Array.isArray(rules)
      ? { specs: rules.map((rule) => convert.specs(rule)) }
      : { spec: convert.spec(rules) };
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: sorted(object.metadata.toJson()),
      ...(sorted(body) as object),
    } as KubeManifest;
  } catch {
    // cdk8s's own rendering reports it, with the object's path.
    return undefined;
  }
}

/** The generated converters of a kind's rules to the CRD's field names. */
interface Converters {
  spec(rule: cnp.CiliumNetworkPolicySpec): Record<string, unknown> | undefined;
  specs(rule: cnp.CiliumNetworkPolicySpec): Record<string, unknown> | undefined;
}

function isBuiltIn(resolver: unknown): boolean {
  return (
    resolver instanceof LazyResolver ||
    resolver instanceof ImplicitTokenResolver ||
    resolver instanceof NumberStringUnionResolver
  );
}

/**
 * Plain objects, arrays and primitives, plus the generated classes of int-or-string fields (which
 * hold only their `value`): what cdk8s's resolution would copy unchanged.
 */
function isPlainData(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (Array.isArray(value)) return value.every(isPlainData);
  const record = value as Record<string, unknown>;
  if (record.constructor !== Object) return isIntOrString(record);
  for (const key of Object.keys(record)) if (!isPlainData(record[key])) return false;
  return true;
}

function isIntOrString(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return (
    keys.length === 1 &&
    keys[0] === 'value' &&
    (typeof value.value === 'number' || typeof value.value === 'string') &&
    typeof value.resolve !== 'function'
  );
}

/**
 * A copy with empty values dropped and the keys of every object sorted, as cdk8s writes manifests;
 * objects built with the same keys in the same order share one hidden class (the generated
 * converters give each object one of its own, which makes every later read of it slow).
 */
function sorted(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sorted);
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const v = sorted(record[key]);
    if (v !== undefined) copy[key] = v;
  }
  return copy;
}

/** The same JSON, rebuilt key by key (see `sorted`): cdk8s's own rendering is sorted already. */
function sharedShapes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sharedShapes) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = sharedShapes((value as Record<string, unknown>)[key]);
  return copy as T;
}
