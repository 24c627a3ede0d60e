import { App, Chart } from 'cdk8s';
import { ClusterDefaultDeny, Connection, EndpointSelector, Port } from '../../lib';

/**
 * A connection no pattern covers, declared (verified at synth) with both of its sides written:
 * workers in `jobs` reach RabbitMQ in `queue` under a default deny in both directions.
 */
export function build(app: App): Chart {
  const chart = new Chart(app, 'connection');
  new Connection(chart, 'worker-to-rabbitmq', {
    from: EndpointSelector.labels({ app: 'worker' }, { namespace: 'jobs' }),
    to: EndpointSelector.labels({ 'app.kubernetes.io/name': 'rabbitmq' }, { namespace: 'queue' }),
    ports: [Port.tcp(5672)],
    allowAtSource: true,
    allowAtDestination: true,
  });
  new ClusterDefaultDeny(chart, 'default-deny', { egress: true });
  return chart;
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
