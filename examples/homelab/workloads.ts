import { Chart, ChartProps } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** The homelab's apps, as the platform team deploys them (the policies protect these). */
export class HomelabWorkloads extends Chart {
  readonly blog: plus.Deployment;
  readonly blogService: plus.Service;
  readonly webapp: plus.Deployment;
  readonly webappService: plus.Service;
  readonly postgres: plus.StatefulSet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    for (const ns of ['blog', 'webapp', 'argocd']) {
      new plus.Namespace(this, `ns-${ns}`, { metadata: { name: ns } });
    }

    this.blog = labelledDeployment(this, 'blog', 'blog', {
      image: 'ghost:5-alpine',
      portNumber: 80,
      readiness: plus.Probe.fromHttpGet('/', { port: 80 }),
    });
    this.blogService = new plus.Service(this, 'blog-service', {
      metadata: { namespace: 'blog', name: 'blog' },
      ports: [{ port: 80, targetPort: 80, name: 'http' }],
    });
    this.blogService.select(this.blog);

    this.webapp = labelledDeployment(this, 'webapp', 'webapp', {
      image: 'ghcr.io/example/webapp:1.4.2',
      portNumber: 3000,
      liveness: plus.Probe.fromHttpGet('/healthz', { port: 3000 }),
    });
    this.webappService = new plus.Service(this, 'webapp-service', {
      metadata: { namespace: 'webapp', name: 'webapp' },
      ports: [{ port: 8080, targetPort: 3000, name: 'http' }],
    });
    this.webappService.select(this.webapp);

    const postgresService = new plus.Service(this, 'postgres-service', {
      metadata: { namespace: 'webapp', name: 'postgres' },
      clusterIP: 'None',
      ports: [{ port: 5432, name: 'postgres' }],
    });
    this.postgres = new plus.StatefulSet(this, 'postgres', {
      metadata: { namespace: 'webapp', name: 'postgres' },
      select: false,
      podMetadata: { labels: { app: 'postgres' } },
      service: postgresService,
      containers: [
        {
          image: 'postgres:16-alpine',
          portNumber: 5432,
          securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
          readiness: plus.Probe.fromTcpSocket({ port: 5432 }),
        },
      ],
    });
    this.postgres.select(plus.LabelSelector.of({ labels: { app: 'postgres' } }));
  }
}

function labelledDeployment(
  scope: Construct,
  namespace: string,
  app: string,
  container: plus.ContainerProps,
): plus.Deployment {
  const deployment = new plus.Deployment(scope, app, {
    metadata: { namespace, name: app },
    select: false,
    podMetadata: { labels: { app } },
    containers: [{ securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false }, ...container }],
  });
  deployment.select(plus.LabelSelector.of({ labels: { app } }));
  return deployment;
}
