package selector_test

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/utils/ptr"

	"github.com/reckon-k8s/reckon/selector"
)

func ExampleParse() {
	sel, err := selector.Parse("tier in (frontend, cache), env!=dev, !canary")
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	fmt.Println(sel.Matches(map[string]string{"tier": "frontend", "env": "prod"}))
	fmt.Println(sel.Matches(map[string]string{"tier": "frontend", "canary": "true"}))

	_, err = selector.Parse("tier in frontend")
	fmt.Println(err)
	// Output:
	// !canary,env!=dev,tier in (cache,frontend)
	// true
	// false
	// unable to parse requirement: found 'frontend' expected: '('
}

func ExampleFromLabelSelector() {
	ls := &metav1.LabelSelector{
		MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "track", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"canary"}},
		},
	}
	sel, errs := selector.FromLabelSelector(ls, field.NewPath("spec", "selector"))
	fmt.Println(sel, errs)
	fmt.Println(sel.Matches(map[string]string{"app": "web", "pod-template-hash": "5d8f7c9b6"}))

	_, errs = selector.FromLabelSelector(&metav1.LabelSelector{
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn}},
	}, field.NewPath("spec", "selector"))
	fmt.Println(errs)
	// Output:
	// app=web,track notin (canary) []
	// true
	// [spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn']
}

func ExampleCompileNodeSelector() {
	ns := &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{
		{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "cpus", Operator: corev1.NodeSelectorOpGt, Values: []string{"-4"}}}},
		{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "cpus", Operator: corev1.NodeSelectorOpGt, Values: []string{"4"}}}},
	}}
	sel, errs := selector.CompileNodeSelector(ns, field.NewPath("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution"))
	for _, e := range errs {
		fmt.Println(e.Field)
	}
	big := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "big", Labels: map[string]string{"cpus": "16"}}}
	small := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "small", Labels: map[string]string{"cpus": "2"}}}
	fmt.Println(sel.Matches(big), sel.Matches(small))
	// Output:
	// spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0][cpus]
	// true false
}

func ExampleRequiredNodeAffinityOf() {
	pod := &corev1.Pod{Spec: corev1.PodSpec{
		NodeSelector: map[string]string{"disktype": "ssd"},
		Affinity: &corev1.Affinity{NodeAffinity: &corev1.NodeAffinity{
			RequiredDuringSchedulingIgnoredDuringExecution: &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{
				{MatchExpressions: []corev1.NodeSelectorRequirement{{Key: "zone", Operator: corev1.NodeSelectorOpIn, Values: []string{"a", "b"}}}},
			}},
		}},
	}}
	req := selector.RequiredNodeAffinityOf(pod)
	for _, labels := range []map[string]string{
		{"disktype": "ssd", "zone": "a"},
		{"disktype": "hdd", "zone": "a"},
		{"disktype": "ssd", "zone": "c"},
	} {
		fmt.Println(labels, req.Matches(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n", Labels: labels}}))
	}
	// Output:
	// map[disktype:ssd zone:a] true
	// map[disktype:hdd zone:a] false
	// map[disktype:ssd zone:c] false
}

func ExampleClaimObjects() {
	owner := selector.Owner{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "frontend", Namespace: "default", UID: "rs-1"}
	sel := selector.FromSet(map[string]string{"tier": "frontend"})
	pod := func(name, tier string, controller types.UID) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"tier": tier}}}
		if controller != "" {
			p.OwnerReferences = []metav1.OwnerReference{{Kind: "ReplicaSet", UID: controller, Controller: ptr.To(true)}}
		}
		return p
	}
	pods := []*corev1.Pod{
		pod("frontend-abcde", "frontend", "rs-1"), // ours, matching: keep
		pod("pod1", "frontend", ""),               // bare pod: adopt
		pod("frontend-xyz12", "debug", "rs-1"),    // ours, relabelled: release
		pod("other-12345", "frontend", "rs-2"),    // another controller's: ignore
	}
	c := selector.ClaimObjects(owner, pods, func(p *corev1.Pod) bool { return sel.Matches(p.Labels) })
	show := func(what string, ps []*corev1.Pod) {
		fmt.Print(what, ":")
		for _, p := range ps {
			fmt.Print(" ", p.Name)
		}
		fmt.Println()
	}
	show("claimed", c.Claimed)
	show("adopt", c.Adopt)
	show("release", c.Release)
	ref := owner.ControllerRef()
	fmt.Println("adoption adds", ref.Kind, ref.Name, "controller:", *ref.Controller)
	// Output:
	// claimed: frontend-abcde pod1
	// adopt: pod1
	// release: frontend-xyz12
	// adoption adds ReplicaSet frontend controller: true
}

func ExampleServiceEndpoints() {
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec:       corev1.ServiceSpec{Selector: map[string]string{"app": "web"}, IPFamilies: []corev1.IPFamily{corev1.IPv4Protocol}},
	}
	pod := func(name string, ready corev1.ConditionStatus, deleting bool, ip string) *corev1.Pod {
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default", Labels: map[string]string{"app": "web"}},
			Status: corev1.PodStatus{
				Phase:      corev1.PodRunning,
				Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: ready}},
			},
		}
		if ip != "" {
			p.Status.PodIP, p.Status.PodIPs = ip, []corev1.PodIP{{IP: ip}}
		}
		if deleting {
			p.DeletionTimestamp = &metav1.Time{}
		}
		return p
	}
	pods := []*corev1.Pod{
		pod("web-2", corev1.ConditionTrue, true, "10.0.0.2"), // shutting down, still serving
		pod("web-1", corev1.ConditionTrue, false, "10.0.0.1"),
		pod("web-3", corev1.ConditionFalse, false, "10.0.0.3"),
		pod("web-4", corev1.ConditionTrue, false, ""), // no IP yet
	}
	for _, e := range selector.ServiceEndpoints(svc, pods) {
		fmt.Printf("%s ready=%v serving=%v terminating=%v\n", e.Pod.Name, e.Ready, e.Serving, e.Terminating)
	}
	// Output:
	// web-1 ready=true serving=true terminating=false
	// web-2 ready=false serving=true terminating=true
	// web-3 ready=false serving=false terminating=false
}
