import { App, Chart } from 'cdk8s';
import { EndpointSelector, IngressController, IngressOnlyApp, Port } from '../../lib';

/** A blog only Traefik can reach, on its container port 80. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'ingress-only-app');
  new IngressOnlyApp(chart, 'blog', {
    namespace: 'blog',
    pods: EndpointSelector.labels({ app: 'blog' }),
    ports: [Port.tcp(80)],
    ingressController: IngressController.traefik(),
  });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
