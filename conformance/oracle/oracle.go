package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/cilium/cilium/pkg/crypto/certificatemanager"
	envoypolicy "github.com/cilium/cilium/pkg/envoy/policy"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/policy/api"
	policytypes "github.com/cilium/cilium/pkg/policy/types"
	"github.com/cilium/cilium/pkg/types"
	"github.com/cilium/cilium/pkg/u8proto"
)

// runVector evaluates one vector in a fresh policy repository.
func runVector(v Vector) VectorResult {
	res := VectorResult{Name: v.Name, Policies: []PolicyResult{}, Flows: []FlowResult{}}
	cfg, err := applyAgentOptions(v.Options)
	if err != nil {
		res.Error = err.Error()
		return res
	}

	var parsed []parsedPolicy
	var entries policytypes.PolicyEntries
	unsupported := ""
	for _, raw := range v.Policies {
		p := parsePolicy(raw, cfg.clusterName)
		res.Policies = append(res.Policies, p.result)
		if !p.result.Accepted {
			continue
		}
		parsed = append(parsed, p)
		entries = append(entries, p.entries...)
		if unsupported == "" {
			unsupported = unsupportedFeature(p.rules)
		}
	}

	prefixes, err := newPrefixLabels(entries)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	alloc := newIdentityAllocator()
	flows := make([]resolvedFlow, len(v.Flows))
	for i, fc := range v.Flows {
		src, err := resolvePeer(fc.Flow.Source, cfg, prefixes, alloc)
		if err != nil {
			flows[i].err = fmt.Errorf("source: %w", err)
			continue
		}
		dst, err := resolvePeer(fc.Flow.Destination, cfg, prefixes, alloc)
		if err != nil {
			flows[i].err = fmt.Errorf("destination: %w", err)
			continue
		}
		flows[i] = resolvedFlow{src: src, dst: dst}
	}
	if err := alloc.conflict(); err != nil {
		res.Error = err.Error()
		return res
	}

	repo := newRepository(alloc, namedPortMap(flows))
	for _, p := range parsed {
		repo.ReplaceByResource(p.entries, p.resource)
	}

	for i, fc := range v.Flows {
		out := FlowResult{Name: fc.Name}
		switch {
		case flows[i].err != nil:
			out.Unsupported = flows[i].err.Error()
		case unsupported != "":
			out.Unsupported = unsupported
		default:
			out = evaluateFlow(repo, fc, flows[i].src, flows[i].dst)
		}
		if out.Unsupported != "" {
			out.Verdict, out.Egress, out.Ingress = undecided, undecided, undecided
		}
		res.Flows = append(res.Flows, out)
	}
	return res
}

func evaluateFlow(repo *policy.Repository, fc FlowCase, src, dst peer) FlowResult {
	out := FlowResult{Name: fc.Name}
	proto, port, err := flowKey(fc.Flow)
	if err != nil {
		out.Unsupported = err.Error()
		return out
	}
	egress, err := decideDirection(repo, src, dst.id.ID, proto, port, false)
	if err != nil {
		out.Unsupported = err.Error()
		return out
	}
	ingress, err := decideDirection(repo, dst, src.id.ID, proto, port, true)
	if err != nil {
		out.Unsupported = err.Error()
		return out
	}
	out.Egress, out.Ingress = egress.value, ingress.value
	out.Verdict = combine(egress, ingress, src.audit, dst.audit)
	if egress.l7 {
		out.L7 = append(out.L7, "egress")
	}
	if ingress.l7 {
		out.L7 = append(out.L7, "ingress")
	}
	return out
}

// flowKey maps the flow's protocol and port to the policy map key fields: the port for
// TCP/UDP/SCTP, the ICMP type for ICMP (Cilium keys ICMP rules by type), 0 for other protocols.
func flowKey(f Flow) (u8proto.U8proto, uint16, error) {
	switch f.Protocol {
	case "TCP", "UDP", "SCTP":
		if f.Port == nil || *f.Port < 1 || *f.Port > 65535 {
			return 0, 0, fmt.Errorf("%s flow needs a port in 1-65535", f.Protocol)
		}
		proto, _ := u8proto.ParseProtocol(f.Protocol)
		return proto, uint16(*f.Port), nil
	case "ICMPv4", "ICMPv6":
		if f.ICMPType == nil || *f.ICMPType < 0 || *f.ICMPType > 255 {
			return 0, 0, fmt.Errorf("%s flow needs an icmpType in 0-255", f.Protocol)
		}
		proto := u8proto.ICMP
		if f.Protocol == "ICMPv6" {
			proto = u8proto.ICMPv6
		}
		return proto, uint16(*f.ICMPType), nil
	case "VRRP":
		return u8proto.VRRP, 0, nil
	case "IGMP":
		return u8proto.IGMP, 0, nil
	default:
		return 0, 0, fmt.Errorf("protocol %q is not one of TCP, UDP, SCTP, ICMPv4, ICMPv6, VRRP, IGMP", f.Protocol)
	}
}

// newRepository builds the agent's policy repository with every flow identity known to both
// selector caches (subjects and peers), as the identity allocator would have announced them.
func newRepository(alloc *identityAllocator, namedPorts types.NamedPortMultiMap) *policy.Repository {
	repo := policy.NewPolicyRepository(discardLogger, nil, fakeCertManager{},
		envoypolicy.NewEnvoyL7RulesTranslator(discardLogger, certificatemanager.NewMockSecretManagerInline()), nil, nil)
	repo.SetNamedPortsGetter(namedPortsGetter{namedPorts})
	wg := &sync.WaitGroup{}
	repo.GetSelectorCache().UpdateIdentities(alloc.all, nil, wg)
	wg.Wait()
	repo.UpdateIdentities(alloc.all, nil)
	return repo
}

// namedPortsGetter serves egress named ports: the destination pods' container ports by identity.
type namedPortsGetter struct{ m types.NamedPortMultiMap }

func (g namedPortsGetter) GetNamedPorts() types.NamedPortMultiMap { return g.m }

type resolvedFlow struct {
	src, dst peer
	err      error
}

// namedPortMap collects the named container ports of every flow end, by identity.
func namedPortMap(flows []resolvedFlow) types.NamedPortMultiMap {
	npm := types.NewNamedPortMultiMap()
	for _, f := range flows {
		for _, p := range []peer{f.src, f.dst} {
			if p.id == nil || len(p.namedPorts) == 0 {
				continue
			}
			ports := types.NamedPortMap{}
			for _, np := range p.namedPorts {
				proto, err := u8proto.ParseProtocol(np.Protocol)
				if err != nil || np.Port < 1 || np.Port > 65535 {
					continue
				}
				ports[strings.ToLower(np.Name)] = types.PortProto{Proto: proto, Port: uint16(np.Port)}
			}
			npm.Update(p.id.ID, nil, ports)
		}
	}
	return npm
}

// fakeCertManager answers TLS lookups (terminatingTLS/originatingTLS) with placeholders: TLS
// material has no bearing on L3/L4 verdicts.
type fakeCertManager struct{}

func (fakeCertManager) GetTLSContext(_ context.Context, _ *api.TLSContext, _ string) (string, string, string, bool, error) {
	return "ca", "public", "private", true, nil
}
