import { App, Chart } from 'cdk8s';
import {
  CiliumPolicy,
  EgressDenyRule,
  EgressRule,
  EndpointSelector,
  Entity,
  HttpRule,
  IngressRule,
  Peer,
  Port,
} from '../../lib';

/** What the patterns don't cover, with the policy construct: Prometheus scraping, an HTTP rule, a deny. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'custom-policy');
  new CiliumPolicy(chart, 'api', {
    namespace: 'shop',
    name: 'api',
    endpointSelector: EndpointSelector.labels({ app: 'api' }),
    ingress: [
      IngressRule.allowFrom(
        Peer.endpoints(
          EndpointSelector.labels({ 'app.kubernetes.io/name': 'prometheus' }, { namespace: 'monitoring' }),
        ),
        Port.tcp(9090),
      ),
      new IngressRule({
        from: Peer.endpoints(EndpointSelector.labels({ app: 'web' })),
        ports: [Port.tcp(8080)],
        http: [HttpRule.get('/api/v1/.*')],
      }),
      IngressRule.allowFrom(Peer.entities(Entity.HOST, Entity.HEALTH)),
    ],
    egressDeny: [new EgressDenyRule({ to: Peer.cidr('169.254.169.254/32') })],
    egress: [EgressRule.allowTo(Peer.entities(Entity.WORLD), Port.tcp(443))],
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
