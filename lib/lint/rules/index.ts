import { apiserverViaService } from './apiserver-via-service';
import { auditModeAnnotation } from './audit-mode-annotation';
import { ccnpDefaultDenyWithoutDns } from './ccnp-default-deny-without-dns';
import { ccnpPeerWithoutNamespace } from './ccnp-peer-without-namespace';
import { ccnpWildcardWithoutHealth } from './ccnp-wildcard-without-health';
import { ccnpWithNamespace } from './ccnp-with-namespace';
import { cidrForInClusterPeer } from './cidr-for-in-cluster-peer';
import { cnpPeerMissingNamespace } from './cnp-peer-missing-namespace';
import { cnpSubjectNamespace } from './cnp-subject-namespace';
import { denyOnlyDefaultDeny } from './deny-only-default-deny';
import { dnsRuleOnIngress } from './dns-rule-on-ingress';
import { dnsRulePortRange } from './dns-rule-port-range';
import { dnsRuleWithoutPorts } from './dns-rule-without-ports';
import { emptyPeerList } from './empty-peer-list';
import { emptyRuleSection } from './empty-rule-section';
import { emptyToPortsEntry } from './empty-to-ports-entry';
import { extendedProtocolWithPort } from './extended-protocol-with-port';
import { fqdnNameAndPattern } from './fqdn-name-and-pattern';
import { fqdnPatternTooBroad } from './fqdn-pattern-too-broad';
import { fqdnRefusedByDnsRule } from './fqdn-refused-by-dns-rule';
import { fqdnWildcardExcludesApex } from './fqdn-wildcard-excludes-apex';
import { fqdnWithoutDnsProxy } from './fqdn-without-dns-proxy';
import { httpRuleWithoutTcp } from './http-rule-without-tcp';
import { icmpsWithToPorts } from './icmps-with-to-ports';
import { ingressAllowAll } from './ingress-allow-all';
import { ingressFromWorld } from './ingress-from-world';
import { invalidCidr } from './invalid-cidr';
import { invalidCidrExcept } from './invalid-cidr-except';
import { invalidEntity } from './invalid-entity';
import { invalidFqdn } from './invalid-fqdn';
import { invalidHttpRule } from './invalid-http-rule';
import { invalidIcmp } from './invalid-icmp';
import { invalidLabelSelector } from './invalid-label-selector';
import { invalidPort } from './invalid-port';
import { invalidProtocol } from './invalid-protocol';
import { invalidSubjectSelector } from './invalid-subject-selector';
import { l7InHostPolicy } from './l7-in-host-policy';
import { l7OnPortZero } from './l7-on-port-zero';
import { listenerMisuse } from './listener-misuse';
import { multipleL7Types } from './multiple-l7-types';
import { multiplePeerKinds } from './multiple-peer-kinds';
import { namedPortWithEndPort } from './named-port-with-end-port';
import { namespaceLabelsInCnpPeer } from './namespace-labels-in-cnp-peer';
import { nodePeerNeedsFlag } from './node-peer-needs-flag';
import { nodeSelectorInCnp } from './node-selector-in-cnp';
import { policyMissingName } from './policy-missing-name';
import { policyWithoutSpec } from './policy-without-spec';
import { portLeadingZero } from './port-leading-zero';
import { probesWithoutHostIngress } from './probes-without-host-ingress';
import { removedField } from './removed-field';
import { reservedLabelTypo } from './reserved-label-typo';
import { ruleWithoutSections } from './rule-without-sections';
import { selectorOnUnidentifiedLabel } from './selector-on-unidentified-label';
import { serverNamesWithoutTls } from './server-names-without-tls';
import { servicePortInsteadOfTargetPort } from './service-port-instead-of-target-port';
import { tooManyPorts } from './too-many-ports';
import { unknownField } from './unknown-field';
import { crdSchema } from './crd-schema';
import { duplicateKey } from './duplicate-key';
import { duplicatePolicy } from './duplicate-policy';
import { invalidApiVersion } from './invalid-api-version';
import { invalidName } from './invalid-name';
import { namespaceUnknown } from './namespace-unknown';
import { unrenderedSubstitution } from './unrendered-substitution';
import { ccnpImplicitDefaultDeny } from './ccnp-implicit-default-deny';
import { fqdnPatternDead } from './fqdn-pattern-dead';
import { rejectedByAgent } from './rejected-by-agent';
import { LintRule } from '../types';

/** Every lint rule, in ID order. */
export const ALL_RULES: readonly LintRule[] = [
  apiserverViaService,
  auditModeAnnotation,
  ccnpDefaultDenyWithoutDns,
  ccnpPeerWithoutNamespace,
  ccnpWildcardWithoutHealth,
  ccnpWithNamespace,
  cidrForInClusterPeer,
  cnpPeerMissingNamespace,
  cnpSubjectNamespace,
  denyOnlyDefaultDeny,
  dnsRuleOnIngress,
  dnsRulePortRange,
  dnsRuleWithoutPorts,
  emptyPeerList,
  emptyRuleSection,
  emptyToPortsEntry,
  extendedProtocolWithPort,
  fqdnNameAndPattern,
  fqdnPatternTooBroad,
  fqdnRefusedByDnsRule,
  fqdnWildcardExcludesApex,
  fqdnWithoutDnsProxy,
  httpRuleWithoutTcp,
  icmpsWithToPorts,
  ingressAllowAll,
  ingressFromWorld,
  invalidCidr,
  invalidCidrExcept,
  invalidEntity,
  invalidFqdn,
  invalidHttpRule,
  invalidIcmp,
  invalidLabelSelector,
  invalidPort,
  invalidProtocol,
  invalidSubjectSelector,
  l7InHostPolicy,
  l7OnPortZero,
  listenerMisuse,
  multipleL7Types,
  multiplePeerKinds,
  namedPortWithEndPort,
  namespaceLabelsInCnpPeer,
  nodePeerNeedsFlag,
  nodeSelectorInCnp,
  policyMissingName,
  policyWithoutSpec,
  portLeadingZero,
  probesWithoutHostIngress,
  removedField,
  reservedLabelTypo,
  ruleWithoutSections,
  selectorOnUnidentifiedLabel,
  serverNamesWithoutTls,
  servicePortInsteadOfTargetPort,
  tooManyPorts,
  unknownField,
  rejectedByAgent,
  fqdnPatternDead,
  ccnpImplicitDefaultDeny,
  crdSchema,
  duplicateKey,
  duplicatePolicy,
  invalidApiVersion,
  invalidName,
  namespaceUnknown,
  unrenderedSubstitution,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
