package selector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Expected values are reasoned from k8s.io/kubernetes@v1.36.3/pkg/controller/endpointslice
// (syncService: ExternalName and nil selector skipped, pods listed with the selector set in the
// Service namespace) and k8s.io/endpointslice@v0.36.3 (reconcileByAddressType with
// ShouldPodBeInEndpoints(pod, true), podToEndpoint, getEndpointAddresses,
// getAddressTypesForService).

type epOpt func(*corev1.Pod)

func epPod(name string, opts ...epOpt) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: types.UID(name), Labels: map[string]string{"app": "web"}},
		Status: corev1.PodStatus{
			Phase:  corev1.PodRunning,
			PodIP:  "10.0.0.1",
			PodIPs: []corev1.PodIP{{IP: "10.0.0.1"}},
		},
	}
	for _, o := range opts {
		o(p)
	}
	return p
}

func ready(st corev1.ConditionStatus) epOpt {
	return func(p *corev1.Pod) {
		p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: st})
	}
}
func terminating() epOpt { return func(p *corev1.Pod) { p.DeletionTimestamp = &metav1.Time{} } }
func phase(ph corev1.PodPhase) epOpt {
	return func(p *corev1.Pod) { p.Status.Phase = ph }
}
func ips(list ...string) epOpt {
	return func(p *corev1.Pod) {
		p.Status.PodIPs = nil
		for _, ip := range list {
			p.Status.PodIPs = append(p.Status.PodIPs, corev1.PodIP{IP: ip})
		}
	}
}

func svc(mod func(*corev1.Service)) *corev1.Service {
	s := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns"},
		Spec: corev1.ServiceSpec{
			Selector:   map[string]string{"app": "web"},
			ClusterIP:  "10.96.0.10",
			IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol},
		},
	}
	if mod != nil {
		mod(s)
	}
	return s
}

// epView is the compact form of an endpoint: pod name and flags.
type epView struct {
	Name                        string
	Ready, Serving, Terminating bool
}

func view(eps []Endpoint) []epView {
	var out []epView
	for _, e := range eps {
		out = append(out, epView{e.Pod.Name, e.Ready, e.Serving, e.Terminating})
	}
	return out
}

func TestServiceEndpointsRules(t *testing.T) {
	tests := []struct {
		rule string
		svc  *corev1.Service
		pods []*corev1.Pod
		want []epView
	}{
		{"20 ExternalName gets no endpoints", svc(func(s *corev1.Service) { s.Spec.Type = corev1.ServiceTypeExternalName }),
			[]*corev1.Pod{epPod("a", ready("True"))}, nil},
		{"20 nil selector gets no endpoints", svc(func(s *corev1.Service) { s.Spec.Selector = nil }),
			[]*corev1.Pod{epPod("a", ready("True"))}, nil},
		{"20 empty selector selects the whole namespace", svc(func(s *corev1.Service) { s.Spec.Selector = map[string]string{} }),
			[]*corev1.Pod{epPod("a", ready("True"), func(p *corev1.Pod) { p.Labels = nil })},
			[]epView{{"a", true, true, false}}},
		{"20 selector is an exact set match", svc(nil), []*corev1.Pod{
			epPod("a", ready("True")),
			epPod("b", ready("True"), func(p *corev1.Pod) { p.Labels = map[string]string{"app": "api"} }),
			epPod("c", ready("True"), func(p *corev1.Pod) { p.Labels = map[string]string{"app": "web", "x": "y"} }),
		}, []epView{{"a", true, true, false}, {"c", true, true, false}}},
		{"20 only the Service namespace", svc(nil), []*corev1.Pod{
			epPod("a", ready("True"), func(p *corev1.Pod) { p.Namespace = "other" }),
		}, nil},
		{"21 terminal pods are left out", svc(nil), []*corev1.Pod{
			epPod("a", ready("True"), phase(corev1.PodSucceeded)),
			epPod("b", ready("False"), phase(corev1.PodFailed)),
			epPod("c", phase(corev1.PodPending)),
		}, []epView{{"c", false, false, false}}},
		{"21 pods without IPs are left out", svc(nil), []*corev1.Pod{
			epPod("a", ready("True"), ips()),
			epPod("b", ready("True"), func(p *corev1.Pod) { p.Status.PodIP = ""; p.Status.PodIPs = nil }),
		}, nil},
		{"21 IP families: IPv6 service ignores IPv4-only pods", svc(func(s *corev1.Service) {
			s.Spec.IPFamilies = []corev1.IPFamily{corev1.IPv6Protocol}
		}), []*corev1.Pod{
			epPod("a", ready("True")),
			epPod("b", ready("True"), ips("10.0.0.2", "fd00::2")),
		}, []epView{{"b", true, true, false}}},
		{"21 IP families from clusterIP when unset", svc(func(s *corev1.Service) {
			s.Spec.IPFamilies = nil
			s.Spec.ClusterIP = "fd00::10"
		}), []*corev1.Pod{epPod("a", ready("True")), epPod("b", ready("True"), ips("fd00::2"))},
			[]epView{{"b", true, true, false}}},
		{"21 headless without families takes both", svc(func(s *corev1.Service) {
			s.Spec.IPFamilies = nil
			s.Spec.ClusterIP = corev1.ClusterIPNone
		}), []*corev1.Pod{epPod("a", ready("True")), epPod("b", ready("True"), ips("fd00::2"))},
			[]epView{{"a", true, true, false}, {"b", true, true, false}}},
		{"21 unparsable IP counts as IPv4", svc(nil), []*corev1.Pod{epPod("a", ready("True"), ips("not-an-ip"))},
			[]epView{{"a", true, true, false}}},
		{"22 conditions", svc(nil), []*corev1.Pod{
			epPod("ready", ready("True")),
			epPod("not-ready", ready("False")),
			epPod("no-condition"),
			epPod("unknown", ready("Unknown")),
			epPod("ready-terminating", ready("True"), terminating()),
			epPod("not-ready-terminating", ready("False"), terminating()),
		}, []epView{
			{"no-condition", false, false, false},
			{"not-ready", false, false, false},
			{"not-ready-terminating", false, false, true},
			{"ready", true, true, false},
			{"ready-terminating", false, true, true},
			{"unknown", false, false, false},
		}},
		{"22 publishNotReadyAddresses makes every endpoint ready", svc(func(s *corev1.Service) { s.Spec.PublishNotReadyAddresses = true }),
			[]*corev1.Pod{
				epPod("not-ready", ready("False")),
				epPod("terminating", ready("False"), terminating()),
			}, []epView{{"not-ready", true, false, false}, {"terminating", true, false, true}}},
		{"nil service gets no endpoints", nil, []*corev1.Pod{epPod("a")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			pods := append([]*corev1.Pod{nil}, tt.pods...)
			got := view(ServiceEndpoints(tt.svc, pods))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ServiceEndpoints (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServiceEndpointsOrderIndependent(t *testing.T) {
	pods := []*corev1.Pod{epPod("c", ready("True")), epPod("a"), epPod("b", terminating())}
	want := ServiceEndpoints(svc(nil), pods)
	rev := []*corev1.Pod{pods[2], pods[1], pods[0]}
	if diff := cmp.Diff(view(want), view(ServiceEndpoints(svc(nil), rev))); diff != "" {
		t.Errorf("order changed the result (-want +got):\n%s", diff)
	}
	if want[0].Pod != pods[1] {
		t.Error("Endpoint.Pod must be the input pod")
	}
}
