import { readLabels } from './workload';
import { asArray, asObject, isObject } from '../util/shape';

export interface ServicePortRead {
  readonly name?: string;
  readonly port: number;
  /** The pods' port: a number or a container port name (the `port` when the manifest names none). */
  readonly targetPort: number | string;
  readonly protocol: string;
}

/** A Service as network policy sees it: its pod selector, ports and cluster IPs. */
export interface ServiceRead {
  readonly name: string;
  readonly namespace: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortRead[];
  readonly clusterIPs: readonly string[];
}

/** True for a core `v1` Service manifest. */
export function isServiceManifest(m: unknown): boolean {
  return isObject(m) && m.kind === 'Service' && (m.apiVersion === undefined || m.apiVersion === 'v1');
}

/** Reads a Service manifest (ports without a numeric `port` are left out). */
export function readService(m: unknown): ServiceRead {
  const manifest = asObject(m);
  const metadata = asObject(manifest.metadata);
  const spec = asObject(manifest.spec);
  const ports: ServicePortRead[] = [];
  for (const raw of asArray(spec.ports)) {
    if (!isObject(raw) || typeof raw.port !== 'number') continue;
    const target =
      typeof raw.targetPort === 'number' || typeof raw.targetPort === 'string' ? raw.targetPort : raw.port;
    ports.push({
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      port: raw.port,
      targetPort: target,
      protocol: typeof raw.protocol === 'string' ? raw.protocol : 'TCP',
    });
  }
  const clusterIPs = [...asArray(spec.clusterIPs), spec.clusterIP].filter(
    (x): x is string => typeof x === 'string' && x !== 'None' && x !== '',
  );
  return {
    name: typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : '<unnamed>',
    namespace:
      typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default',
    ...(isObject(spec.selector) ? { selector: readLabels(spec.selector, 'spec.selector', []) } : {}),
    ports,
    clusterIPs: [...new Set(clusterIPs)],
  };
}
