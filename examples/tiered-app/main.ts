import { App, Chart } from 'cdk8s';
import { EndpointSelector, IngressController, Port, TieredApp } from '../../lib';

/** A web app behind ingress-nginx, with a database and a cache only it can reach. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'tiered-app');
  new TieredApp(chart, 'shop', {
    namespace: 'shop',
    ingressController: IngressController.ingressNginx(),
    front: { name: 'web', pods: EndpointSelector.labels({ app: 'web' }), ports: [Port.tcp(3000)] },
    backends: [
      { name: 'postgres', pods: EndpointSelector.labels({ app: 'postgres' }), ports: [Port.tcp(5432)] },
      { name: 'redis', pods: EndpointSelector.labels({ app: 'redis' }), ports: [Port.tcp(6379)] },
    ],
    lockDownFrontEgress: true,
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
