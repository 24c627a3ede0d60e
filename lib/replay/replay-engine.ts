import { CLUSTER_KEY } from '../cilium/labels';
import { PolicyEngine } from '../engine/engine';
import { EngineOptions, Flow, FlowResult } from '../engine/types';
import { KubeManifest, SourcedManifest } from '../manifest/types';
import { FlowEvaluator } from './evaluation-cache';

const CLUSTER_LABEL = `k8s:${CLUSTER_KEY}=`;
/** The engine's cluster name when neither --cluster-name nor the flows name one. */
const DEFAULT_CLUSTER = 'default';

/** What another thread needs to build the same engine (plain data: structured-cloneable). */
export interface EngineSpec {
  readonly manifests: ReadonlyArray<KubeManifest | SourcedManifest>;
  readonly options: EngineOptions;
  /** The cluster name to report (`clusterName()`). */
  readonly cluster: string;
}

/**
 * The engine a replay evaluates with, built on the first flow: unless `--cluster-name` was given,
 * the cluster name is taken from the flows' own `io.cilium.k8s.policy.cluster` label, so peer
 * selectors (which Cilium scopes to the local cluster) match in clusters not named `default`.
 * Once built, `spec()` describes it for worker threads.
 */
export class ReplayEngine implements FlowEvaluator {
  private engine?: PolicyEngine;
  private built?: EngineSpec;

  constructor(
    private readonly manifests: ReadonlyArray<KubeManifest | SourcedManifest>,
    private readonly options: EngineOptions,
    private cluster?: string,
  ) {}

  /** The engine another thread described (`spec()`), built now. */
  static fromSpec(spec: EngineSpec): ReplayEngine {
    const engine = new ReplayEngine(spec.manifests, spec.options, spec.cluster);
    engine.engine = PolicyEngine.fromManifests(spec.manifests, spec.options);
    engine.built = spec;
    return engine;
  }

  evaluate(flow: Flow): FlowResult {
    if (!this.engine) {
      const label = [...flow.source.labels, ...flow.destination.labels].find((l) =>
        l.startsWith(CLUSTER_LABEL),
      );
      const clusterName = this.options.clusterName ?? label?.slice(CLUSTER_LABEL.length);
      const options = clusterName ? { ...this.options, clusterName } : this.options;
      this.engine = PolicyEngine.fromManifests(this.manifests, options);
      this.cluster = clusterName ?? DEFAULT_CLUSTER;
      this.built = { manifests: this.manifests.map(cloneable), options, cluster: this.cluster };
    }
    return this.engine.evaluate(flow);
  }

  /** See `PolicyEngine.addressClass`; the address itself until the engine is built. */
  addressClass(ip: string): string {
    return this.engine ? this.engine.addressClass(ip) : ip;
  }

  clusterName(): string | undefined {
    return this.cluster;
  }

  /** The engine as built, for worker threads; undefined until the first flow was evaluated. */
  spec(): EngineSpec | undefined {
    return this.built;
  }

  get(): PolicyEngine {
    this.engine ??= PolicyEngine.fromManifests(
      this.manifests,
      this.cluster ? { ...this.options, clusterName: this.cluster } : this.options,
    );
    return this.engine;
  }
}

/** A manifest without what cannot cross threads (`locate`, a function the engine does not use). */
function cloneable(m: KubeManifest | SourcedManifest): KubeManifest | SourcedManifest {
  if (!('manifest' in m) || !m.locate) return m;
  const { locate: _locate, ...rest } = m;
  return rest;
}
