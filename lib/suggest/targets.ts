import * as fs from 'fs';
import * as path from 'path';
import { Direction, RuleRef } from '../engine/types';
import { KubeManifest, SourcedManifest } from '../manifest/types';
import { ConstructTarget, SuggestedSubject, TargetFinder } from './plan';
import { byKey } from '../util/order';

/** The file cdk8s writes next to the manifests with `recordConstructMetadata` (or CDK8S_RECORD_CONSTRUCT_METADATA=true). */
export const CONSTRUCT_METADATA = 'construct-metadata.json';

/** Object name -> construct paths of its ApiObject, from every construct-metadata.json given. */
export function readConstructMetadata(files: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const resources = (doc as { resources?: unknown })?.resources;
    if (!resources || typeof resources !== 'object') continue;
    for (const [name, entry] of Object.entries(resources as Record<string, unknown>)) {
      const p = (entry as { path?: unknown })?.path;
      if (typeof p !== 'string') continue;
      out.set(name, [...(out.get(name) ?? []), p]);
    }
  }
  return out;
}

/** The construct-metadata.json files among the `--policies` paths (given directly or inside a directory). */
export function constructMetadataFiles(files: readonly string[]): string[] {
  return files.filter((f) => path.basename(f) === CONSTRUCT_METADATA);
}

const strip = (labels: Readonly<Record<string, string>>) =>
  Object.fromEntries(
    Object.entries(labels)
      .map(([k, v]): [string, string] => [k.replace(/^k8s:/, ''), v])
      .sort(byKey),
  );

function sameSelector(spec: Record<string, unknown>, subject: SuggestedSubject): boolean {
  const sel = spec.endpointSelector as
    { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined;
  if (!sel || typeof sel !== 'object' || sel.matchExpressions?.length) return false;
  return JSON.stringify(strip(sel.matchLabels ?? {})) === JSON.stringify(strip(subject.matchLabels));
}

/**
 * Finds, for a subject's dropped direction, the CiliumNetworkPolicy of this library's
 * constructs that default-denies it and selects exactly the subject: the IngressOnlyApp
 * (`additionalIngress`) or FqdnEgress (`additionalEgress`) that owns it (their policy is their
 * `Policy` child), else the CiliumPolicy construct itself (`addIngress()`/`addEgress()`).
 * Ambiguous names (the metadata is keyed by name only) are left alone: a new policy is suggested.
 */
export class ConstructTargets implements TargetFinder {
  private readonly byRef = new Map<string, KubeManifest>();

  constructor(
    manifests: readonly SourcedManifest[],
    private readonly paths: Map<string, string[]>,
  ) {
    const seen = new Map<string, number>();
    for (const { manifest } of manifests) {
      const key = `${manifest.kind}|${manifest.metadata?.namespace ?? ''}|${manifest.metadata?.name ?? ''}`;
      seen.set(manifest.metadata?.name ?? '', (seen.get(manifest.metadata?.name ?? '') ?? 0) + 1);
      this.byRef.set(key, manifest);
    }
    for (const [name, count] of seen) if (count > 1) this.paths.delete(name);
  }

  find(
    direction: Direction,
    rules: readonly RuleRef[],
    subject: SuggestedSubject,
  ): ConstructTarget | undefined {
    const candidates = [
      ...new Map(rules.map((r) => [`${r.kind}|${r.namespace ?? ''}|${r.name}`, r])).values(),
    ]
      .filter((r) => r.kind === 'CiliumNetworkPolicy' && r.namespace === subject.namespace)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ref of candidates) {
      const found = this.paths.get(ref.name);
      const manifest = this.byRef.get(`${ref.kind}|${ref.namespace ?? ''}|${ref.name}`);
      if (!found || found.length !== 1 || !manifest || !found[0].endsWith('/Resource')) continue;
      const spec = manifest.spec as Record<string, unknown> | undefined;
      if (!spec || !sameSelector(spec, subject)) continue;
      const policyPath = found[0].slice(0, -'/Resource'.length);
      const policy: RuleRef = { kind: ref.kind, namespace: ref.namespace, name: ref.name, path: 'spec' };
      if (policyPath.endsWith('/Policy')) {
        const owner = policyPath.slice(0, -'/Policy'.length);
        const fqdn =
          Array.isArray(spec.egress) &&
          spec.egress.some((e: { toFQDNs?: unknown } | null) => Array.isArray(e?.toFQDNs));
        if (direction === 'egress' && fqdn)
          return { construct: 'FqdnEgress', path: owner, edit: 'additionalEgress', policy };
        if (direction === 'ingress' && !spec.egress && Array.isArray(spec.ingress))
          return { construct: 'IngressOnlyApp', path: owner, edit: 'additionalIngress', policy };
        continue;
      }
      return {
        construct: 'CiliumPolicy',
        path: policyPath,
        edit: direction === 'ingress' ? 'addIngress' : 'addEgress',
        policy,
      };
    }
    return undefined;
  }
}
