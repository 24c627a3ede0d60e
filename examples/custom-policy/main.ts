import { App, Chart } from 'cdk8s';
import {
  CiliumPolicy,
  DenyRule,
  EndpointSelector,
  Entity,
  HttpRule,
  Peer,
  Port,
  PolicyRule,
} from '../../lib';

/** What the patterns don't cover, with the policy construct: Prometheus scraping, an HTTP rule, a deny. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'custom-policy');
  new CiliumPolicy(chart, 'api', {
    namespace: 'shop',
    name: 'api',
    endpointSelector: EndpointSelector.labels({ app: 'api' }),
    ingress: [
      PolicyRule.allowFrom(
        Peer.endpoints(
          EndpointSelector.labels({ 'app.kubernetes.io/name': 'prometheus' }, { namespace: 'monitoring' }),
        ),
        Port.tcp(9090),
      ),
      PolicyRule.ingress({
        from: Peer.endpoints(EndpointSelector.labels({ app: 'web' })),
        ports: [Port.tcp(8080)],
        http: [HttpRule.get('/api/v1/.*')],
      }),
      PolicyRule.allowFrom(Peer.entities(Entity.HOST, Entity.HEALTH)),
    ],
    egressDeny: [DenyRule.egress({ peer: Peer.cidr('169.254.169.254/32') })],
    egress: [PolicyRule.allowTo(Peer.entities(Entity.WORLD), Port.tcp(443))],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
