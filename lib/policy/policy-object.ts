import {
  ApiObject,
  ApiObjectProps,
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
import { crdJson } from './crd-json';
import { sortStringsInPlace } from '../util/order';

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

/**
 * The L1 class `Base` (the generated CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy), with
 * the policy's rules as its props, rendering them directly where that gives cdk8s's manifest.
 */
function renderingDirectly(Base: typeof ApiObject) {
  return class extends Base {
    private patched = false;

    constructor(
      scope: Construct,
      id: string,
      private readonly rendering: PolicyObjectProps,
    ) {
      super(scope, id, {
        metadata: rendering.metadata,
        ...rulesProp(rendering),
      } as unknown as ApiObjectProps);
    }

    override addJsonPatch(...ops: JsonPatch[]): void {
      this.patched = true;
      super.addJsonPatch(...ops);
    }

    override toJson(): KubeManifest {
      return (
        renderedForThisSynth(this) ??
        directly(this, this.patched, this.rendering) ??
        sharedShapes(super.toJson())
      );
    }
  };
}

const NetworkPolicyObject = renderingDirectly(cnp.CiliumNetworkPolicy as unknown as typeof ApiObject);
const ClusterwidePolicyObject = renderingDirectly(
  ccnp.CiliumClusterwideNetworkPolicy as unknown as typeof ApiObject,
);

/** The rules as a lazy L1 prop: what cdk8s's own rendering of the object (`super.toJson()`) reads. */
function rulesProp(props: PolicyObjectProps): { spec?: Lazy; specs?: Lazy } {
  const rules = Lazy.any({ produce: props.render });
  return props.several ? { specs: rules } : { spec: rules };
}

/**
 * The object's manifest without cdk8s's resolution of every value, or undefined when only that
 * resolution gives it. cdk8s resolves each value of the props (lazy values, tokens, the app's
 * resolvers), drops null and undefined, sorts keys, applies JSON patches, then the generated
 * converters rename fields to the CRD's. The rules a policy renders are plain data, which that
 * resolution only copies: unless the app has resolvers of its own or the object has JSON patches,
 * `crdJson` of the rendered rules is the same manifest, key for key and in the same order
 * (test/policy/policy-object.test.ts compares both on every example and every kind of field).
 * Anything that is not plain data (crdJson throws) leaves it to cdk8s.
 */
function directly(object: ApiObject, patched: boolean, props: PolicyObjectProps): KubeManifest | undefined {
  const resolvers: unknown = App.of(object).resolvers;
  if (patched || !Array.isArray(resolvers) || !resolvers.every(isBuiltIn)) return undefined;
  try {
    return {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: sorted(object.metadata.toJson()),
      [props.several ? 'specs' : 'spec']: crdJson(props.render()),
    } as KubeManifest;
  } catch {
    // cdk8s's own rendering renders it again, and reports what is wrong with the object's path.
    return undefined;
  }
}

function isBuiltIn(resolver: unknown): boolean {
  return (
    resolver instanceof LazyResolver ||
    resolver instanceof ImplicitTokenResolver ||
    resolver instanceof NumberStringUnionResolver
  );
}

/** A copy of the metadata cdk8s rendered, with null and undefined dropped and keys sorted. */
function sorted(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sorted);
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of sortStringsInPlace(Object.keys(record))) {
    const v = sorted(record[key]);
    if (v !== undefined) copy[key] = v;
  }
  return copy;
}

/**
 * The same JSON, rebuilt key by key: the generated converters give each object a hidden class of
 * its own, which makes every later read of it slow (see crdJson).
 */
function sharedShapes<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sharedShapes) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = sharedShapes((value as Record<string, unknown>)[key]);
  return copy as T;
}
