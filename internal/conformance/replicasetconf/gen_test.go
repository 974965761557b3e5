package replicasetconf

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	apivalidation "k8s.io/kubernetes/pkg/apis/core/validation"
)

const (
	ns      = "prod"
	otherNS = "staging"
)

// epoch anchors generated scenarios; the harness shifts them to the wall
// clock anyway.
var epoch = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

// gen builds one scenario from a seeded source. Everything it makes is
// something an API server could store: objects pass through upstream's
// defaulting (legacyscheme.Scheme.Default with the apps and core groups
// installed) and the ReplicaSet passes upstream's validation.
type gen struct {
	r     *rand.Rand
	now   time.Time
	pool  []metav1.Time // shared instants: pods created or ready in the same second
	uids  map[types.UID]bool
	names map[string]bool
	nodes []string
}

func newGen(seed, stream uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, stream)), uids: map[types.UID]bool{}, names: map[string]bool{}}
}

func (g *gen) chance(p float64) bool  { return g.r.Float64() < p }
func (g *gen) intn(n int) int         { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }

func pick[T any](g *gen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

const alnum = "bcdfghjklmnpqrstvwxz2456789"

func (g *gen) word(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.intn(len(alnum))]
	}
	return string(b)
}

// uid returns a fresh UID. UIDs order pods within a log2 bucket, so they
// are random rather than sequential.
func (g *gen) uid() types.UID {
	for {
		u := types.UID(fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", g.r.Uint32(), g.r.Uint32()&0xffff, g.r.Uint32()&0xfff, g.r.Uint32()&0xfff, g.r.Uint64()&0xffffffffffff))
		if !g.uids[u] {
			g.uids[u] = true
			return u
		}
	}
}

func (g *gen) podName(prefix string) string {
	for {
		n := prefix + "-" + g.word(5)
		if !g.names[n] {
			g.names[n] = true
			return n
		}
	}
}

// age returns a duration of about 1.5·2^k ns with a little jitter, so its
// log2 bucket (k) is far from the bucket edges. k in [30, 50] spans one
// second to two weeks.
func (g *gen) age(kmin, kmax int) time.Duration {
	k := g.between(kmin, kmax)
	f := 1.5 * (1 + (g.r.Float64()-0.5)/8)
	return time.Duration(f * float64(int64(1)<<k))
}

// stamp returns a whole-second timestamp about age(kmin, kmax) before now,
// often one already used (equal instants are common at one-second
// granularity), rarely in the future (clock skew between nodes).
func (g *gen) stamp(kmin, kmax int) metav1.Time {
	if len(g.pool) > 0 && g.chance(0.3) {
		return pick(g, g.pool...)
	}
	var t time.Time
	if g.chance(0.02) {
		t = g.now.Add(g.age(30, 34))
	} else {
		t = g.now.Add(-g.age(kmin, kmax))
	}
	mt := metav1.NewTime(t.Truncate(time.Second))
	g.pool = append(g.pool, mt)
	return mt
}

// fixStamps moves every ranking timestamp whose age at sc.Now is near a
// log2 bucket edge (see safeAge) back by whole seconds until it is not.
// The move depends only on the value, so equal instants stay equal.
func fixStamps(sc *scenario) {
	for _, t := range sc.rankingStamps() {
		for !t.IsZero() && !safeAge(sc.Now.Sub(t.Time)) {
			t.Time = t.Add(-time.Second)
		}
	}
}

// generate builds the scenario for one case.
func generate(seed, caseNo uint64) *scenario {
	g := newGen(seed, caseNo)
	sc := &scenario{Name: fmt.Sprintf("seed%d-case%d", seed, caseNo), OrderSeed: g.r.Uint64(), SelfInReplicaSets: g.chance(0.5)}
	// The controller's clock: a random instant, usually with a fraction of
	// a second (timestamps are whole seconds); sometimes exactly on a
	// second, so that "ready at t, minReadySeconds s, now t+s" (available,
	// the boundary is inclusive) can happen.
	g.now = epoch.Add(time.Duration(g.intn(86400)) * time.Second)
	if !g.chance(0.15) {
		g.now = g.now.Add(time.Duration(g.between(1, 999_999_999)))
	}
	sc.Now = g.now
	g.nodes = make([]string, g.between(0, 4))
	for i := range g.nodes {
		g.nodes[i] = fmt.Sprintf("node-%d", i)
	}
	sc.ExpectationsPending = g.chance(0.08)

	// The Deployment that may own the ReplicaSet and its siblings.
	var deploy *metav1.OwnerReference
	if g.chance(0.5) {
		deploy = &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "web", UID: g.uid(), Controller: new(true), BlockOwnerDeletion: new(true)}
	}
	hash := g.word(10)
	sc.RS = g.replicaSet(deploy, hash, true)

	// Siblings (same Deployment): their pods share nodes with ours and
	// raise the co-location rank. Unrelated ReplicaSets may select some of
	// the same pods but never own ours.
	if deploy != nil {
		for range g.between(0, 3) {
			sc.ReplicaSets = append(sc.ReplicaSets, g.replicaSet(deploy, g.word(10), false))
		}
		if g.chance(0.02) {
			// Same controller UID in another namespace: the owner
			// reference cannot point there, but the API server stores it
			// and upstream's controllerUID index is cluster-wide.
			o := g.replicaSet(deploy, g.word(10), false)
			o.Namespace = otherNS
			sc.ReplicaSets = append(sc.ReplicaSets, o)
		}
	}
	for range g.between(0, 2) {
		var owner *metav1.OwnerReference
		if g.chance(0.5) {
			owner = &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "Deployment", Name: "other", UID: g.uid(), Controller: new(true), BlockOwnerDeletion: new(true)}
		}
		sc.ReplicaSets = append(sc.ReplicaSets, g.replicaSet(owner, g.word(10), false))
	}

	// Our pods, roughly spec.replicas of them give or take.
	want := int(*sc.RS.Spec.Replicas)
	n := max(0, want+g.between(-8, 8))
	switch {
	case g.chance(0.004):
		// More to create than one sync may (BurstReplicas = 500).
		sc.RS.Spec.Replicas = new(int32(g.between(501, 700)))
		n = g.between(0, 5)
	case g.chance(0.003):
		// More to delete than one sync may.
		n = want + g.between(501, 560)
	case g.chance(0.1):
		n = want + g.between(10, 40) // big scale-down
	case g.chance(0.1):
		n = 0 // scale-up from nothing
	}
	ref := metav1.NewControllerRef(sc.RS, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
	for range n {
		sc.Pods = append(sc.Pods, g.pod(ns, sc.RS, ref, g.podLabels(sc.RS)))
	}
	// Orphans: adopted if they match and are active.
	for range g.between(0, 4) {
		p := g.pod(ns, sc.RS, nil, g.podLabels(sc.RS))
		if g.chance(0.2) {
			// A non-controller owner reference keeps a pod an orphan.
			p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "v1", Kind: "ConfigMap", Name: "cm", UID: g.uid()}}
		}
		sc.Pods = append(sc.Pods, p)
	}
	// Pods of the other ReplicaSets.
	for _, o := range sc.ReplicaSets {
		oref := metav1.NewControllerRef(o, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))
		for range g.between(0, 5) {
			sc.Pods = append(sc.Pods, g.pod(o.Namespace, o, oref, g.podLabels(o)))
		}
	}
	// Pods controlled by something that no longer exists (an older
	// ReplicaSet of the same name, a Job), with our labels.
	for range g.between(0, 2) {
		gone := &metav1.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: sc.RS.Name, UID: g.uid(), Controller: new(true), BlockOwnerDeletion: new(true)}
		if g.chance(0.5) {
			gone = &metav1.OwnerReference{APIVersion: "batch/v1", Kind: "Job", Name: "batch", UID: g.uid(), Controller: new(true)}
		}
		sc.Pods = append(sc.Pods, g.pod(ns, sc.RS, gone, g.podLabels(sc.RS)))
	}
	// Pods in another namespace: ours by reference and labels, and
	// orphans; none of them may be counted or adopted.
	for range g.between(0, 3) {
		r := ref
		if g.chance(0.5) {
			r = nil
		}
		sc.Pods = append(sc.Pods, g.pod(otherNS, sc.RS, r, g.podLabels(sc.RS)))
	}
	if g.chance(0.02) {
		// A controller reference with our UID but another kind or name.
		// Upstream finds controlled pods through an index keyed by
		// kind/name/UID, so it neither counts nor adopts this pod.
		bad := *ref
		if g.chance(0.5) {
			bad.Kind = "Deployment"
		} else {
			bad.Name = sc.RS.Name + "-old"
		}
		sc.Pods = append(sc.Pods, g.pod(ns, sc.RS, &bad, g.podLabels(sc.RS)))
	}

	fixStamps(sc)
	g.setStatus(sc)
	return sc
}

func mustSelector(rs *appsv1.ReplicaSet) labels.Selector {
	s, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
	if err != nil {
		panic(err)
	}
	return s
}

// replicaSet builds a defaulted, valid ReplicaSet in ns. The target (main)
// gets the full variety; siblings are Deployment-style.
func (g *gen) replicaSet(owner *metav1.OwnerReference, hash string, main bool) *appsv1.ReplicaSet {
	name := "web-" + hash
	if main && g.chance(0.03) {
		// 253 characters: "name-" is no longer a valid generateName, so
		// upstream uses the bare name as the prefix.
		name = "web-" + strings.Repeat("x", 253-4-len(hash)) + hash
	}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name:              name,
			Namespace:         ns,
			UID:               g.uid(),
			ResourceVersion:   fmt.Sprint(g.between(1, 99999)),
			Generation:        int64(g.between(1, 5)),
			CreationTimestamp: g.stamp(34, 50),
			Labels:            map[string]string{"app": "web"},
		},
	}
	if owner != nil {
		rs.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	if main && g.chance(0.1) {
		rs.OwnerReferences = append(rs.OwnerReferences, metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "cfg", UID: g.uid()})
	}
	if main && g.chance(0.08) {
		rs.DeletionTimestamp = new(metav1.NewTime(g.now.Add(-g.age(30, 40)).Truncate(time.Second)))
		rs.Finalizers = []string{pick(g, "foregroundDeletion", "orphan", "example.com/hold")}
	}
	switch {
	case main && g.chance(0.03):
		// replicas unset: defaulted to 1
	case main:
		rs.Spec.Replicas = new(int32(pick(g, g.between(0, 3), g.between(0, 10), g.between(0, 50))))
	default:
		rs.Spec.Replicas = new(int32(g.between(0, 5)))
	}
	rs.Spec.MinReadySeconds = int32(pick(g, 0, 0, 5, 30))
	if main && g.chance(0.05) {
		rs.Spec.MinReadySeconds = 600
	}

	tl := map[string]string{"app": "web"}
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	if owner != nil || !main {
		tl["pod-template-hash"] = hash
		sel.MatchLabels["pod-template-hash"] = hash
	}
	if main {
		switch g.intn(10) {
		case 0:
			sel.MatchExpressions = append(sel.MatchExpressions, metav1.LabelSelectorRequirement{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"be", "fe"}})
			tl["tier"] = "fe"
		case 1:
			// Expressions only.
			delete(sel.MatchLabels, "app")
			sel.MatchExpressions = append(sel.MatchExpressions,
				metav1.LabelSelectorRequirement{Key: "app", Operator: metav1.LabelSelectorOpExists},
				metav1.LabelSelectorRequirement{Key: "canary", Operator: metav1.LabelSelectorOpDoesNotExist})
		case 2:
			if owner == nil && g.chance(0.5) {
				// A selector that matches pods without labels, and a
				// template without labels: valid, but upstream's pod
				// control refuses to create pods without labels.
				sel = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
					{Key: "canary", Operator: metav1.LabelSelectorOpDoesNotExist},
					{Key: "app", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"db"}},
				}}
				tl = nil
			}
		}
		if tl != nil && g.chance(0.2) {
			tl["version"] = "v" + fmt.Sprint(g.between(1, 3)) // not in the selector: fullyLabeledReplicas
		}
	}
	rs.Spec.Selector = sel
	rs.Spec.Template = g.template(tl, main)
	legacyscheme.Scheme.Default(rs)
	validate(rs)
	return rs
}

// validate panics unless upstream's API validation accepts rs: a generator
// bug, not a finding.
func validate(rs *appsv1.ReplicaSet) {
	var internal apps.ReplicaSet
	if err := legacyscheme.Scheme.Convert(rs, &internal, nil); err != nil {
		panic(err)
	}
	if errs := appsvalidation.ValidateReplicaSet(&internal, apivalidation.PodValidationOptions{}); len(errs) > 0 {
		panic(fmt.Sprintf("generated an invalid ReplicaSet: %v", errs.ToAggregate()))
	}
}

func (g *gen) template(tl map[string]string, main bool) corev1.PodTemplateSpec {
	t := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: tl},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: pick(g, "nginx:1.27", "nginx", "registry.example/app@sha256:"+strings.Repeat("ab", 32))}},
		},
	}
	if !main {
		return t
	}
	if g.chance(0.3) {
		t.Annotations = map[string]string{"prometheus.io/scrape": "true"}
	}
	if g.chance(0.1) {
		t.Finalizers = []string{"example.com/drain"}
	}
	if g.chance(0.3) {
		t.Spec.InitContainers = append(t.Spec.InitContainers, corev1.Container{Name: "proxy", Image: "envoy:1", RestartPolicy: new(corev1.ContainerRestartPolicyAlways)})
	}
	if g.chance(0.3) {
		t.Spec.InitContainers = append(t.Spec.InitContainers, corev1.Container{Name: "setup", Image: "busybox"})
	}
	if g.chance(0.3) {
		t.Spec.Containers = append(t.Spec.Containers, corev1.Container{Name: "log", Image: "fluentbit:3",
			Resources: corev1.ResourceRequirements{Limits: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("100m"), corev1.ResourceMemory: resource.MustParse("64Mi")}}})
	}
	if g.chance(0.2) {
		t.Spec.NodeSelector = map[string]string{"disk": "ssd"}
	}
	return t
}

// podLabels returns labels for a pod meant for rs: usually the template's,
// sometimes only what the selector needs (not fully labeled), sometimes
// labels it no longer selects.
func (g *gen) podLabels(rs *appsv1.ReplicaSet) map[string]string {
	l := map[string]string{}
	for k, v := range rs.Spec.Template.Labels {
		l[k] = v
	}
	switch {
	case g.chance(0.1):
		delete(l, "version")
		if _, ok := l["tier"]; ok {
			l["tier"] = "be"
		}
	case g.chance(0.1):
		switch g.intn(3) {
		case 0:
			l["app"] = "db"
		case 1:
			l["canary"] = "true"
		default:
			if _, ok := l["pod-template-hash"]; ok {
				l["pod-template-hash"] = g.word(10)
			} else {
				l["app"] = "api"
			}
		}
	}
	if g.chance(0.05) {
		l["team"] = "a" // extra labels never matter
	}
	return l
}

// pod builds a defaulted pod in namespace from owner's template, controlled
// by ref (nil: orphan), in a random state.
func (g *gen) pod(namespace string, owner *appsv1.ReplicaSet, ref *metav1.OwnerReference, lbls map[string]string) *corev1.Pod {
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:              g.podName(owner.Name),
			Namespace:         namespace,
			UID:               g.uid(),
			ResourceVersion:   fmt.Sprint(g.between(1, 99999)),
			Labels:            lbls,
			CreationTimestamp: g.stamp(30, 50),
		},
		Spec: *owner.Spec.Template.Spec.DeepCopy(),
	}
	if ref != nil {
		p.OwnerReferences = []metav1.OwnerReference{*ref}
	}
	switch {
	case g.chance(0.2):
		p.Annotations = map[string]string{corev1.PodDeletionCost: pick(g, "-5", "0", "10", "100", "2147483647", "-2147483648", "-0", "1")}
	case g.chance(0.08):
		p.Annotations = map[string]string{corev1.PodDeletionCost: pick(g, "+1", "008", "", " 1", "1e3", "2147483648", "abc", "-", "1.5", "-007")}
	}

	phase := pick(g, corev1.PodRunning, corev1.PodRunning, corev1.PodRunning, corev1.PodRunning, corev1.PodRunning,
		corev1.PodPending, corev1.PodPending, corev1.PodUnknown, corev1.PodSucceeded, corev1.PodFailed)
	if g.chance(0.02) {
		phase = "" // stored as written by a status update
	}
	p.Status.Phase = phase
	if len(g.nodes) > 0 && (phase != corev1.PodPending || g.chance(0.5)) && !g.chance(0.05) {
		p.Spec.NodeName = pick(g, g.nodes...)
	}

	created := p.CreationTimestamp.Time
	readyStamp := func() metav1.Time {
		switch {
		case g.chance(0.03):
			return metav1.Time{} // unset
		case g.chance(0.5):
			return g.stamp(30, 50)
		}
		// After creation, usually.
		age := max(time.Duration(1)<<30, g.now.Sub(created))
		k := 30
		for k < 50 && time.Duration(1)<<(k+1) < age {
			k++
		}
		return g.stamp(30, k)
	}
	ready := func(status corev1.ConditionStatus) corev1.PodCondition {
		return corev1.PodCondition{Type: corev1.PodReady, Status: status, LastTransitionTime: readyStamp()}
	}
	var conds []corev1.PodCondition
	switch {
	case phase == corev1.PodRunning && g.chance(0.75), phase != corev1.PodRunning && g.chance(0.05):
		conds = append(conds, ready(corev1.ConditionTrue))
	case g.chance(0.5):
		conds = append(conds, ready(pick(g, corev1.ConditionFalse, corev1.ConditionFalse, corev1.ConditionUnknown)))
	}
	if g.chance(0.03) {
		// Only the first Ready condition counts.
		conds = append(conds, ready(pick(g, corev1.ConditionTrue, corev1.ConditionFalse)))
	}
	if g.chance(0.3) {
		conds = append([]corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue, LastTransitionTime: p.CreationTimestamp}}, conds...)
	}
	p.Status.Conditions = conds

	restarts := func() int32 {
		if g.chance(0.7) {
			return 0
		}
		return int32(g.between(1, 5))
	}
	for _, c := range p.Spec.Containers {
		if g.chance(0.9) {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{Name: c.Name, Image: c.Image, RestartCount: restarts()})
		}
	}
	for _, c := range p.Spec.InitContainers {
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, corev1.ContainerStatus{Name: c.Name, Image: c.Image, RestartCount: restarts()})
	}
	if g.chance(0.03) {
		// A status for an init container the spec does not have.
		p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, corev1.ContainerStatus{Name: "ghost", RestartCount: 9})
	}

	if g.chance(0.1) {
		// Being deleted (graceful): terminating unless already terminal.
		p.DeletionTimestamp = new(metav1.NewTime(g.now.Add(time.Duration(g.between(-60, 30)) * time.Second).Truncate(time.Second)))
		p.DeletionGracePeriodSeconds = new(int64(30))
		if g.chance(0.3) {
			p.Finalizers = []string{"example.com/cleanup"}
		}
	}
	legacyscheme.Scheme.Default(p)
	return p
}

// setStatus gives sc.RS an existing status: empty, random, or (often) the
// one this sync would compute, so that upstream skips the write. The
// "computed" status is worked out here from the generated pods only to
// make that case frequent; nothing is checked against it.
func (g *gen) setStatus(sc *scenario) {
	rs := sc.RS
	st := &rs.Status
	switch g.intn(4) {
	case 0:
		// never written
	case 1:
		st.ObservedGeneration = rs.Generation - int64(g.intn(2))
		st.Replicas = int32(g.between(0, 60))
		st.FullyLabeledReplicas = int32(g.between(0, int(st.Replicas)))
		st.ReadyReplicas = int32(g.between(0, int(st.Replicas)))
		st.AvailableReplicas = int32(g.between(0, int(st.ReadyReplicas)))
		if g.chance(0.7) {
			st.TerminatingReplicas = new(int32(g.between(0, 3)))
		}
	default:
		sel := mustSelector(rs)
		tl := labels.SelectorFromSet(rs.Spec.Template.Labels)
		var replicas, labeled, ready, available, terminating int32
		for _, p := range sc.Pods {
			if p.Namespace != rs.Namespace || !sel.Matches(labels.Set(p.Labels)) || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
				continue
			}
			ctl := metav1.GetControllerOf(p)
			mine := ctl != nil && ctl.UID == rs.UID && ctl.Kind == "ReplicaSet" && ctl.Name == rs.Name
			if p.DeletionTimestamp != nil {
				if mine {
					terminating++
				}
				continue
			}
			if !mine && (ctl != nil || rs.DeletionTimestamp != nil) {
				continue
			}
			replicas++
			if tl.Matches(labels.Set(p.Labels)) {
				labeled++
			}
			if len(p.Status.Conditions) > 0 {
				for _, c := range p.Status.Conditions {
					if c.Type != corev1.PodReady {
						continue
					}
					if c.Status == corev1.ConditionTrue {
						ready++
						if rs.Spec.MinReadySeconds == 0 || !c.LastTransitionTime.IsZero() && !c.LastTransitionTime.Add(time.Duration(rs.Spec.MinReadySeconds)*time.Second).After(sc.Now) {
							available++
						}
					}
					break
				}
			}
		}
		*st = appsv1.ReplicaSetStatus{Replicas: replicas, FullyLabeledReplicas: labeled, ReadyReplicas: ready, AvailableReplicas: available,
			TerminatingReplicas: new(terminating), ObservedGeneration: rs.Generation}
		if g.chance(0.1) {
			st.ObservedGeneration-- // spec changed since: written anyway
		}
	}
	switch {
	case g.chance(0.12):
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
			Reason: pick(g, "FailedCreate", "FailedDelete"), Message: "pods \"web\" is forbidden: exceeded quota", LastTransitionTime: g.stamp(30, 40)})
	case g.chance(0.05):
		st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{Type: "Example", Status: corev1.ConditionFalse, LastTransitionTime: g.stamp(30, 40)})
		if g.chance(0.5) {
			st.Conditions = append(st.Conditions, appsv1.ReplicaSetCondition{Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue,
				Reason: "FailedCreate", Message: "quota", LastTransitionTime: g.stamp(30, 40)})
		}
	}
}
