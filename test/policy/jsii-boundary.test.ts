import { Testing } from 'cdk8s';
import {
  ArgoCd,
  ArgoCdComponent,
  CiliumHelmValues,
  CiliumPolicy,
  EgressRule,
  EndpointSelector,
  Entity,
  HubbleContextLabel,
  HubbleMetric,
  Icmp,
  IcmpFamily,
  IngressRule,
  L4Protocol,
  Peer,
  PolicyEnforcementMode,
  Port,
} from '../../lib';
import { testChart } from '../support/synth';

/**
 * Python and the other jsii languages pass enums and classes through the jsii runtime, and a
 * plain JavaScript caller can pass anything: values the TypeScript types rule out are still
 * refused with the construct path, the field, the value and the fix.
 */
describe('values the types rule out are refused at synth', () => {
  const policy = (props: { ingress?: IngressRule[]; egress?: EgressRule[] }) => {
    const chart = testChart();
    return () =>
      new CiliumPolicy(chart, 'p', {
        namespace: 'shop',
        endpointSelector: EndpointSelector.labels({ app: 'api' }),
        ...props,
      });
  };

  test('a protocol that is not an L4Protocol', () => {
    expect(
      policy({ ingress: [IngressRule.allowFrom(Peer.anyPeer(), Port.allPorts('tcp' as L4Protocol))] }),
    ).toThrow(
      'test/p: ingress[0].ports[0].protocol = "tcp": not a protocol of a Cilium port rule. Fix: use L4Protocol.TCP, L4Protocol.UDP, L4Protocol.SCTP or L4Protocol.ANY',
    );
  });

  test('an ICMP family that is not an IcmpFamily', () => {
    const rule = new IngressRule({
      from: Peer.entities(Entity.HOST),
      icmps: [Icmp.echoRequest('ipv4' as IcmpFamily)],
    });
    expect(policy({ ingress: [rule] })).toThrow(
      'test/p: ingress[0].icmps[0].family = "ipv4": not an IP family. Fix: use IcmpFamily.IPV4 or IcmpFamily.IPV6',
    );
  });

  test('an egress rule where an ingress rule goes', () => {
    const egress = EgressRule.allowTo(Peer.entities(Entity.WORLD), Port.tcp(443));
    expect(policy({ ingress: [egress as unknown as IngressRule] })).toThrow(
      'test/p: ingress[0] = "EgressRule": EgressRule given where IngressRule is expected. Fix: use new IngressRule({ ... })',
    );
  });

  test('an Argo CD component that does not exist', () => {
    const chart = testChart();
    expect(() => new ArgoCd(chart, 'argocd', { disabled: ['dex' as ArgoCdComponent] })).toThrow(
      'test/argocd: disabled[0] = "dex": not an Argo CD component. Fix: use one of ArgoCdComponent.SERVER,',
    );
  });

  test('a policy enforcement mode that does not exist', () => {
    const chart = testChart();
    new CiliumHelmValues(chart, 'values', { policyEnforcementMode: 'strict' as PolicyEnforcementMode });
    expect(() => Testing.synth(chart)).toThrow(/policyEnforcementMode.*strict/);
  });

  test('a Hubble context label that does not exist', () => {
    const chart = testChart();
    new CiliumHelmValues(chart, 'values', {
      hubble: {
        metrics: { enabled: [HubbleMetric.httpV2({ labelsContext: ['src_ip' as HubbleContextLabel] })] },
      },
    });
    expect(() => Testing.synth(chart)).toThrow(/labelsContext.*src_ip/);
  });
});
