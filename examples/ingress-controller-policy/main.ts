import { App, Chart } from 'cdk8s';
import {
  EndpointSelector,
  Entity,
  IngressClients,
  IngressController,
  IngressControllerPolicy,
  IngressOnlyApp,
  Port,
} from '../../lib';

/**
 * Traefik's own policy: clients from a home network on its entrypoints, egress to every app routed
 * to it (collected at synth, on the apps' container ports), the API server and DNS.
 */
export function build(app: App): Chart {
  const chart = new Chart(app, 'ingress-controller-policy');
  const traefik = IngressController.traefik();
  new IngressControllerPolicy(chart, 'traefik', {
    controller: traefik,
    clients: [IngressClients.cidrs('192.168.1.0/24'), IngressClients.entities(Entity.REMOTE_NODE)],
    metricsFrom: EndpointSelector.labels(
      { 'app.kubernetes.io/name': 'prometheus' },
      { namespace: 'monitoring' },
    ),
  });
  new IngressOnlyApp(chart, 'wiki', {
    namespace: 'wiki',
    pods: EndpointSelector.labels({ app: 'wiki' }),
    ports: [Port.tcp(3000)],
    ingressController: traefik,
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
