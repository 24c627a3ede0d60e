package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/cilium/cilium/pkg/endpoint/regeneration"
	"github.com/cilium/cilium/pkg/identity"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/u8proto"
)

const (
	notEnforced = "NOT_ENFORCED"
	allowed     = "ALLOWED"
	denied      = "DENIED"
	defaultDeny = "DEFAULT_DENY"
	undecided   = "UNDECIDED"
)

// decision is one direction's outcome at its enforcing endpoint.
type decision struct {
	value string
	l7    bool // the matching allow redirects to the proxy (HTTP/DNS rules still apply)
}

// decideDirection resolves and distills the subject's policy as the endpoint regeneration does
// (Repository.ComputeSelectorPolicy, SelectorPolicy.DistillPolicy) and looks the remote identity
// and port up in the resulting policy map with the datapath's precedence (EndpointPolicy.Lookup),
// like policy.LookupFlow. The decision is derived from:
//   - NOT_ENFORCED: the subject is not a managed endpoint, or the resolved policy has enforcement
//     off for the direction (IngressPolicyEnabled/EgressPolicyEnabled false);
//   - DEFAULT_DENY: enforcement on and no map entry covers the key (Lookup's found == false);
//   - DENIED: the covering entry is a deny entry;
//   - ALLOWED: the covering entry is an allow (user rule or a synthesized allow-all/localhost).
func decideDirection(repo *policy.Repository, subject peer, remote identity.NumericIdentity, proto u8proto.U8proto, port uint16, ingress bool) (decision, error) {
	if !subject.managed {
		return decision{value: notEnforced}, nil
	}
	sp, _, err := repo.ComputeSelectorPolicy(subject.id)
	if err != nil {
		return decision{}, fmt.Errorf("resolve policy of identity %d: %w", subject.id.ID, err)
	}
	owner := &endpointOwner{id: uint64(subject.id.ID), namedPorts: subject.namedPorts}
	epp := sp.DistillPolicy(discardLogger, owner, map[string]uint16{policy.FallbackRedirectID: math.MaxUint16})
	_ = epp.Ready()
	defer func() {
		epp.Detach(discardLogger)
		sp.Supersede()
	}()

	enabled := epp.SelectorPolicy.EgressPolicyEnabled
	key := policy.EgressKey()
	if ingress {
		enabled = epp.SelectorPolicy.IngressPolicyEnabled
		key = policy.IngressKey()
	}
	if !enabled {
		return decision{value: notEnforced}, nil
	}
	// A full-length port prefix also makes port 0 (ICMP type 0, port-less protocols) exact.
	entry, _, found := epp.Lookup(key.WithIdentity(remote).WithPortProtoPrefix(proto, port, 16))
	switch {
	case !found:
		return decision{value: defaultDeny}, nil
	case entry.IsDeny():
		return decision{value: denied}, nil
	default:
		return decision{value: allowed, l7: entry.IsRedirectEntry()}, nil
	}
}

// endpointOwner is the PolicyOwner of a simulated endpoint: ingress named ports resolve against
// the endpoint's own container ports, as in the agent.
type endpointOwner struct {
	id         uint64
	namedPorts map[string]NamedPort
}

var _ policy.PolicyOwner = &endpointOwner{}

func (o *endpointOwner) GetID() uint64 { return o.id }

func (o *endpointOwner) GetIngressNamedPort(name string, proto u8proto.U8proto) uint16 {
	if np, ok := o.namedPorts[strings.ToLower(name)+"/"+proto.String()]; ok {
		return uint16(np.Port)
	}
	return 0
}

func (o *endpointOwner) PolicyDebug(string, ...any)         {}
func (o *endpointOwner) IsHost() bool                       { return false }
func (o *endpointOwner) PreviousMapState() *policy.MapState { return nil }
func (o *endpointOwner) RegenerateIfAlive(*regeneration.ExternalRegenerationMetadata) <-chan bool {
	ch := make(chan bool)
	close(ch)
	return ch
}

// combine applies audit mode per enforcing side: a side's drop becomes AUDIT when that side
// audits; a non-audited drop on either side drops the flow.
func combine(egress, ingress decision, egressAudit, ingressAudit bool) string {
	drops := func(d decision) bool { return d.value == denied || d.value == defaultDeny }
	hardDrop := (drops(egress) && !egressAudit) || (drops(ingress) && !ingressAudit)
	switch {
	case hardDrop:
		return "DROPPED"
	case drops(egress) || drops(ingress):
		return "AUDIT"
	default:
		return "FORWARDED"
	}
}
