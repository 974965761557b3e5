package selector

import (
	"cmp"
	"slices"

	corev1 "k8s.io/api/core/v1"
	utilnet "k8s.io/utils/net"

	"github.com/reckon-k8s/reckon/internal/podcond"
)

// Endpoint is a pod backing a Service, with the conditions the EndpointSlice controller publishes
// for it.
type Endpoint struct {
	Pod *corev1.Pod // the input pod, not a copy; never modified
	// Ready is what clients use to pick endpoints: Serving and not Terminating, or always true when
	// the Service sets publishNotReadyAddresses.
	Ready bool
	// Serving is the pod's Ready condition, whether or not the pod is terminating.
	Serving bool
	// Terminating reports that the pod has a deletionTimestamp.
	Terminating bool
}

// ServiceEndpoints returns the pods that back svc and their endpoint conditions, as the
// EndpointSlice controller (k8s.io/kubernetes/pkg/controller/endpointslice syncService and
// k8s.io/endpointslice Reconciler, ShouldPodBeInEndpoints, podToEndpoint) would publish them:
//
//  1. a Service of type ExternalName, or with a nil selector, gets no endpoints from the
//     controller (it returns nil); a non-nil empty selector selects every pod of the namespace;
//  2. a pod backs the Service if it is in the Service's namespace and has every selector label
//     with exactly the selector's value;
//  3. terminal pods (phase Succeeded or Failed) are left out;
//  4. pods without an IP are left out; only status.podIPs counts, so a pod with only status.podIP
//     is left out too, and at least one IP must be of a family the Service uses (spec.ipFamilies;
//     without families the family of spec.clusterIP; a headless Service without families takes
//     both); an IP that does not parse counts as IPv4, as upstream does;
//  5. terminating pods are included: Serving = pod Ready condition is True,
//     Terminating = deletionTimestamp set, Ready = publishNotReadyAddresses || (Serving && !Terminating).
//
// The result is sorted by pod name, then UID, then input order; nil pods are skipped. A pod that
// appears in several EndpointSlices (one per IP family, one per port mapping) appears once here.
//
// Deliberate difference: upstream also drops a pod whose spec.nodeName names a node missing from
// its cache, unless publishNotReadyAddresses is set. Nodes are not an input here, so every node is
// taken to exist; callers that track nodes can filter the result.
func ServiceEndpoints(svc *corev1.Service, pods []*corev1.Pod) []Endpoint {
	if svc == nil || svc.Spec.Type == corev1.ServiceTypeExternalName || svc.Spec.Selector == nil {
		return nil
	}
	v4, v6 := serviceFamilies(svc)
	var eps []Endpoint
	for _, pod := range pods {
		if pod == nil || pod.Namespace != svc.Namespace || !matchesSet(svc.Spec.Selector, pod.Labels) {
			continue
		}
		if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
			continue
		}
		if !hasAddress(pod, v4, v6) {
			continue
		}
		serving := podcond.IsReady(pod)
		terminating := pod.DeletionTimestamp != nil
		eps = append(eps, Endpoint{
			Pod:         pod,
			Ready:       svc.Spec.PublishNotReadyAddresses || (serving && !terminating),
			Serving:     serving,
			Terminating: terminating,
		})
	}
	slices.SortStableFunc(eps, func(a, b Endpoint) int {
		return cmp.Or(cmp.Compare(a.Pod.Name, b.Pod.Name), cmp.Compare(a.Pod.UID, b.Pod.UID))
	})
	return eps
}

// matchesSet reports whether labels has every entry of sel (labels.ValidatedSetSelector.Matches,
// which the controller lists pods with).
func matchesSet(sel, labels map[string]string) bool {
	for k, v := range sel {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// serviceFamilies reports which address families svc gets EndpointSlices for (upstream
// getAddressTypesForService).
func serviceFamilies(svc *corev1.Service) (v4, v6 bool) {
	for _, f := range svc.Spec.IPFamilies {
		switch f {
		case corev1.IPv4Protocol:
			v4 = true
		case corev1.IPv6Protocol:
			v6 = true
		}
	}
	if v4 || v6 {
		return v4, v6
	}
	if ip := svc.Spec.ClusterIP; ip != "" && ip != corev1.ClusterIPNone {
		if utilnet.IsIPv6String(ip) {
			return false, true
		}
		return true, false
	}
	return true, true
}

// hasAddress reports whether pod has an IP in status.podIPs of a family the Service uses
// (upstream getEndpointAddresses, whose empty result keeps the pod out of the slice).
func hasAddress(pod *corev1.Pod, v4, v6 bool) bool {
	for _, ip := range pod.Status.PodIPs {
		if utilnet.IsIPv6(utilnet.ParseIPSloppy(ip.IP)) {
			if v6 {
				return true
			}
		} else if v4 {
			return true
		}
	}
	return false
}
