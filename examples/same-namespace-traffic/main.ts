import { App, Chart } from 'cdk8s';
import { ClusterDefaultDeny, SameNamespaceTraffic } from '../../lib';

/** A monitoring stack installed by one Helm chart: its pods reach each other, both ways, under a default deny. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'same-namespace-traffic');
  new SameNamespaceTraffic(chart, 'monitoring', { namespace: 'monitoring' });
  new ClusterDefaultDeny(chart, 'default-deny', { egress: true });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
