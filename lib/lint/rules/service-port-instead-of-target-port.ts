import { KubeManifest } from '../../manifest/types';
import { asArray, isObject, text } from '../../util/shape';
import { defineRule } from '../util/finding';
import { cnp } from '../util/examples';
import {
  ClusterModel,
  perCluster,
  podIdentity,
  resolveTargetPort,
  Service,
  Workload,
  workloadsMatching,
} from '../util/cluster';
import { parsePort, protocolsCovered } from '../../cilium/ports';
import { IdentityIndex } from '../util/identity-index';
import { NAMESPACE_KEY } from '../../cilium/labels';
import { Requirement } from '../../cilium/requirements';
import { effectivePeer, effectiveSubject, selectorImplies } from '../util/selector';
import { allElements, ElementRef, portRulesOf, portsOf } from '../util/walk';

const WEBAPP_SERVICE: KubeManifest = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'webapp', namespace: 'shop' },
  spec: { selector: { app: 'webapp' }, ports: [{ name: 'http', port: 8080, targetPort: 3000 }] },
};
const WEBAPP_DEPLOYMENT: KubeManifest = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'webapp', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'webapp' } },
    template: {
      metadata: { labels: { app: 'webapp' } },
      spec: {
        containers: [{ name: 'app', image: 'webapp:1', ports: [{ name: 'http', containerPort: 3000 }] }],
      },
    },
  },
};
const webappPolicy = (port: string): KubeManifest =>
  cnp(
    'webapp-ingress',
    {
      endpointSelector: { matchLabels: { app: 'webapp' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: 'frontend' } }],
          toPorts: [{ ports: [{ port, protocol: 'TCP' }] }],
        },
      ],
    },
    'shop',
  );

function serviceRequirements(svc: Service, source: 'k8s' | 'any' = 'k8s'): Requirement[] {
  const reqs: Requirement[] = Object.entries(svc.selector ?? {}).map(([key, v]) => ({
    source,
    key,
    operator: 'In',
    values: [v],
  }));
  reqs.push({ source, key: NAMESPACE_KEY, operator: 'In', values: [svc.namespace] });
  return reqs;
}

/** The Service's backends: workloads of the run, or a stand-in pod carrying the selector labels. */
function backendsOf(svc: Service, cluster: ClusterModel): Workload[] {
  if (!svc.selector || Object.keys(svc.selector).length === 0) return [];
  const reqs = serviceRequirements(svc);
  const real = workloadsMatching(cluster, reqs);
  if (real.length > 0) return real;
  return [
    {
      kind: 'Pod',
      name: `<pods of Service ${svc.name}>`,
      namespace: svc.namespace,
      podLabels: svc.selector,
      identity: podIdentity(
        svc.namespace,
        { ...svc.selector },
        'default',
        cluster.namespaceLabels.get(svc.namespace),
      ),
      containerPorts: [],
      probes: [],
      hostNetwork: false,
    },
  ];
}

/** Selectors of the pods a port list applies to: the subject on ingress, the peers on egress. */
function destinationsOf(
  policy: KubeManifest,
  el: ElementRef,
): { selectors: Requirement[][]; services: Array<{ name: string; namespace: string }> } {
  if (el.direction === 'ingress') {
    const subject = effectiveSubject(policy, el.rule.rule);
    return {
      selectors: subject && el.rule.rule.endpointSelector !== undefined ? [subject] : [],
      services: [],
    };
  }
  const selectors = asArray(el.element.toEndpoints)
    .map((s) => effectivePeer(policy, s))
    .filter((s): s is Requirement[] => !!s);
  const services = asArray(el.element.toServices)
    .map((s) => (isObject(s) && isObject(s.k8sService) ? s.k8sService : undefined))
    .filter((s): s is Record<string, unknown> => !!s && typeof s.serviceName === 'string')
    .map((s) => ({
      name: text(s.serviceName),
      namespace: text(s.namespace ?? policy.metadata?.namespace, 'default'),
    }));
  return { selectors, services };
}

export const servicePortInsteadOfTargetPort = defineRule({
  id: 'service-port-instead-of-target-port',
  severity: 'error',
  fields: ['ports'],
  title: 'Policies see the container port (targetPort), not the Service port',
  rationale:
    'Cilium translates a ClusterIP to a backend pod before policy runs ("Layer 4 policies apply to ports after service port mapping has been applied"), so a rule on the Service `port` allows nothing when the Service forwards it to a different `targetPort` (docs/cilium-semantics.md, "Service port vs container port"). Reported only when the rule\'s pods are the Service\'s backends: a wider selector may select other pods that do listen on the port. Named targetPorts are resolved against the workloads\' containerPorts.',
  examples: {
    bad: [WEBAPP_SERVICE, WEBAPP_DEPLOYMENT, webappPolicy('8080')],
    good: [WEBAPP_SERVICE, WEBAPP_DEPLOYMENT, webappPolicy('3000')],
  },
  check(ctx, report) {
    const { services, index } = perCluster(ctx.cluster, 'service-backends', () => {
      const list = ctx.cluster.services
        .map((svc) => ({ svc, backends: backendsOf(svc, ctx.cluster) }))
        .filter((s) => s.backends.length > 0);
      const idx = new IdentityIndex<(typeof list)[number]>();
      for (const s of list) for (const b of s.backends) idx.add(b.identity, s);
      return { services: list, index: idx };
    });
    if (services.length === 0) return;
    for (const el of allElements(ctx.policy)) {
      const dest = destinationsOf(ctx.policy, el);
      // "Allows nothing" only holds when the selected pods are the Service's backends, not a wider set that may listen on the port.
      const bySelector = new Set(
        dest.selectors.flatMap((sel) =>
          index.match(sel).filter((s) => selectorImplies(sel, serviceRequirements(s.svc, 'any'))),
        ),
      );
      const relevant = services.filter(
        (s) =>
          bySelector.has(s) ||
          dest.services.some((d) => d.name === s.svc.name && d.namespace === s.svc.namespace),
      );
      if (relevant.length === 0) continue;
      for (const pr of portRulesOf(el)) {
        for (const p of portsOf(pr)) {
          const parsed = parsePort(p.port.port);
          if (parsed.kind !== 'number' || parsed.value === 0) continue;
          const protocols = protocolsCovered(p.port.protocol);
          for (const { svc, backends } of relevant) {
            const sp = svc.ports.find(
              (x) => x.port === parsed.value && protocols.includes(x.protocol.toUpperCase()),
            );
            if (!sp) continue;
            const targets = resolveTargetPort(sp.targetPort, backends);
            const listening = backends.some((b) => b.containerPorts.some((c) => c.port === parsed.value));
            const alsoTarget = svc.ports.some((x) =>
              resolveTargetPort(x.targetPort, backends).includes(parsed.value),
            );
            if (targets.length === 0 || targets.includes(parsed.value) || listening || alsoTarget) continue;
            const named =
              typeof sp.targetPort === 'string' && !/^[0-9]+$/.test(sp.targetPort)
                ? ` (the container port named ${sp.targetPort})`
                : '';
            report(
              `${p.path}.port`,
              `port ${parsed.value} is the port of Service ${svc.namespace}/${svc.name}, which forwards it to targetPort ${targets.join('/')}${named}; policy sees the translated port, so this allows nothing`,
              `write port: "${targets[0]}" (the container port), not the Service port`,
            );
          }
        }
      }
    }
  },
});
