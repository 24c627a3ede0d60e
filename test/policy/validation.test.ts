import { Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import {
  CiliumPolicy,
  EndpointSelector,
  Entity,
  IngressController,
  IngressOnlyApp,
  IngressRule,
  Peer,
  Port,
} from '../../lib';
import { testChart } from '../support/synth';

describe('constructs lint their own output at synth (node.addValidation)', () => {
  test('the Service port instead of the targetPort fails Testing.synth with the construct path and the rule', () => {
    const chart = testChart();
    const web = new plus.Deployment(chart, 'web', {
      metadata: { namespace: 'shop' },
      containers: [{ image: 'web', portNumber: 3000 }],
    });
    const svc = new plus.Service(chart, 'svc', {
      metadata: { namespace: 'shop' },
      ports: [{ port: 8080, targetPort: 3000 }],
    });
    svc.select(web);
    // The blog's first mistake, written by hand: the Service port 8080 instead of Port.fromService(svc).
    new IngressOnlyApp(chart, 'web-policy', {
      pods: web,
      ports: [Port.tcp(8080)],
      ingressController: IngressController.traefik(),
    });
    expect(() => Testing.synth(chart)).toThrow(
      /test\/web-policy\/Policy[\s\S]*service-port-instead-of-target-port/,
    );
    // The fix is this library's TypeScript, not the YAML the linter speaks outside constructs.
    expect(() => Testing.synth(chart)).toThrow(
      'Fix: give the container port (3000): Port.fromService(service) resolves a Service to its targetPort',
    );
  });

  test('the same with Port.fromService synthesizes', () => {
    const chart = testChart();
    const web = new plus.Deployment(chart, 'web', {
      metadata: { namespace: 'shop' },
      containers: [{ image: 'web', portNumber: 3000 }],
    });
    const svc = new plus.Service(chart, 'svc', {
      metadata: { namespace: 'shop' },
      ports: [{ port: 8080, targetPort: 3000 }],
    });
    svc.select(web);
    new IngressOnlyApp(chart, 'web-policy', {
      pods: web,
      ports: [Port.fromService(svc)],
      ingressController: IngressController.traefik(),
    });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a hand-built CCNP peer without a namespace is only a warning: synth passes', () => {
    const chart = testChart();
    new CiliumPolicy(chart, 'p', {
      clusterwide: true,
      endpointSelector: EndpointSelector.labels({ app: 'db' }, { namespace: 'data' }),
      ingress: [
        IngressRule.allowFrom(Peer.endpoints(EndpointSelector.labels({ app: 'web' })), Port.tcp(5432)),
        IngressRule.allowFrom(Peer.entities(Entity.HOST)),
      ],
    });
    expect(() => Testing.synth(chart)).not.toThrow();
  });
});
