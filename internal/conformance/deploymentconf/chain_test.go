package deploymentconf

import (
	"fmt"
	"slices"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
)

// TestDeploymentChains feeds the state forward over several syncs: after
// each sync (where both sides agree) its writes are applied as the API
// server would apply them, time passes, the ReplicaSet controller, the
// kubelet and the garbage collector move the pods, the user sometimes
// scales, changes the image, pauses or resumes, asks for a rollback or
// changes the strategy, and both sides sync again on the same state.
func TestDeploymentChains(t *testing.T) {
	s := seed(t)
	cov := newCoverage()
	fails := newFailures(t)
	start := time.Now()
	for c := *flagFirst; c < *flagFirst+uint64(*flagChains); c++ {
		sc, _ := generate(s, 1<<40+c)
		g := newGen(s, 1<<41+c)
		g.seq = 1 << 20 // UIDs and names apart from the generator's
		if sc.Deployment.DeletionTimestamp != nil && c%4 != 0 {
			// A deleted Deployment stays deleted: start most chains alive.
			sc.Deployment.DeletionTimestamp, sc.Deployment.Finalizers = nil, nil
		}
		for step := range *flagSteps {
			sc.Name = fmt.Sprintf("seed%d-chain%d-step%d", s, c, step)
			addFailures(sc, faultRand(s, 1<<40+c<<8+uint64(step)), failureRate)
			res := check(sc)
			if res.failed() {
				fails.add(sc, res, fmt.Sprintf("-run 'TestDeploymentChains$' -deploy.seed=%d -deploy.first=%d -deploy.chains=1 -deploy.steps=%d", s, c, step+1))
				break
			}
			cov.addOutcome(sc, res)
			sc = advance(sc, res, g)
		}
	}
	t.Logf("%d chains of %d syncs in %v, %d disagree\n%v", *flagChains, *flagSteps, time.Since(start).Round(time.Millisecond), fails.total, cov)
	if fails.total > 0 {
		t.Errorf("%s", fails.summary())
	}
	if *flagChains >= 100 && !t.Failed() {
		cov.require(t, false, requiredChainOutcomes)
	}
}

// advance returns the next state of a chain: the state reckon's store was
// left in by the sync (the comparison found it equal to upstream's), then
// the world moved on.
func advance(sc *scenario, res *result, g *gen) *scenario {
	next := stateAfter(sc, res)

	// Time passes: often until the requeue the sync asked for.
	dt := time.Duration(g.between(1, 40))*time.Second + time.Duration(g.intn(int(time.Second)))
	switch {
	case res.up.Requeue.After > 0 && g.chance(0.4):
		dt = res.up.Requeue.After
	case res.up.Requeue.RateLimited && g.chance(0.5):
		dt = time.Duration(5+g.intn(100)) * time.Millisecond
	case g.chance(0.1):
		dt = time.Duration(*next.Deployment.Spec.ProgressDeadlineSeconds%100000+1) * time.Second
	case g.chance(0.1):
		dt = time.Duration(g.between(5, 60)) * time.Minute
	}
	next.Now = sc.Now.Add(dt)
	g.now = next.Now
	moveWorld(next, g)
	user(next, g)
	next.OrderSeed = g.r.Uint64()
	next.Drift, next.Faults, next.Kinds = nil, nil, nil
	store(next)
	return next
}

// stateAfter reads the objects reckon's store holds after the sync back
// into a scenario (store, at the end of advance, keeps what an API server
// keeps of their times: whole seconds).
func stateAfter(sc *scenario, res *result) *scenario {
	c := res.rk.Cluster()
	next := sc.deepCopy()
	next.ReplicaSets, next.Pods = nil, nil
	for _, namespace := range []string{ns, otherNS} {
		c.Namespace = namespace
		for _, d := range c.Deployments() {
			if d.Name == sc.Deployment.Name && d.Namespace == sc.Deployment.Namespace {
				next.Deployment = d.DeepCopy()
			}
		}
		for _, rs := range c.ReplicaSets() {
			next.ReplicaSets = append(next.ReplicaSets, rs.DeepCopy())
		}
		for _, p := range c.Pods() {
			next.Pods = append(next.Pods, p.DeepCopy())
		}
	}
	return next
}

// moveWorld lets the other actors run between two syncs: the ReplicaSet
// controller creates and deletes pods and reports status (or lags), the
// kubelet starts pods, makes them ready, fails them and finishes
// terminating them, and the garbage collector deletes the pods of deleted
// ReplicaSets.
func moveWorld(sc *scenario, g *gen) {
	now := metav1.NewTime(sc.Now.Truncate(time.Second))
	alive := map[string]bool{}
	for _, rs := range sc.ReplicaSets {
		alive[string(rs.UID)] = true
	}
	// Kubelet and garbage collector.
	var pods []*corev1.Pod
	for _, p := range sc.Pods {
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil && !alive[string(ref.UID)] && p.DeletionTimestamp == nil && g.chance(0.7) {
			p.DeletionTimestamp = &now
			p.DeletionGracePeriodSeconds = new(int64(30))
		}
		switch {
		case p.DeletionTimestamp != nil:
			if g.chance(0.6) {
				continue // gone
			}
		case p.Status.Phase == corev1.PodPending && g.chance(0.6):
			p.Status.Phase = corev1.PodRunning
			if g.chance(0.8) {
				setReady(p, corev1.ConditionTrue, now)
			}
		case p.Status.Phase == corev1.PodRunning && g.chance(0.03):
			p.Status.Phase = corev1.PodFailed
			setReady(p, corev1.ConditionFalse, now)
		case p.Status.Phase == corev1.PodRunning && !isReady(p) && g.chance(0.6):
			setReady(p, corev1.ConditionTrue, now)
		case p.Status.Phase == corev1.PodRunning && g.chance(0.04):
			setReady(p, corev1.ConditionFalse, now)
		}
		pods = append(pods, p)
	}
	sc.Pods = pods
	// ReplicaSet controller.
	for _, rs := range sc.ReplicaSets {
		if g.chance(0.25) {
			continue // lagging
		}
		var active []*corev1.Pod
		for _, p := range podsOf(sc, rs) {
			if p.DeletionTimestamp == nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
				active = append(active, p)
			}
		}
		want := int(valueOr(rs.Spec.Replicas, 1))
		if rs.DeletionTimestamp != nil {
			want = 0
		}
		// The API server's name for generateName <rs>-: the prefix cut to
		// 58 characters, 5 random ones appended.
		prefix := rs.Name + "-"
		if len(prefix) > 58 {
			prefix = prefix[:58]
		}
		for range want - len(active) {
			p := &corev1.Pod{
				ObjectMeta: metav1.ObjectMeta{
					Name: prefix + g.word(5), Namespace: rs.Namespace, UID: g.uid("pod"),
					Labels: rs.Spec.Template.Labels, Annotations: rs.Spec.Template.Annotations,
					CreationTimestamp: now, ResourceVersion: "1",
					OwnerReferences: []metav1.OwnerReference{*metav1.NewControllerRef(rs, appsv1.SchemeGroupVersion.WithKind("ReplicaSet"))},
				},
				Spec:   *rs.Spec.Template.Spec.DeepCopy(),
				Status: corev1.PodStatus{Phase: corev1.PodPending},
			}
			legacyscheme.Scheme.Default(p)
			sc.Pods = append(sc.Pods, p)
		}
		if excess := len(active) - want; excess > 0 {
			// Not-ready pods first, then the newest.
			slices.SortStableFunc(active, func(a, b *corev1.Pod) int {
				if isReady(a) != isReady(b) {
					if isReady(a) {
						return 1
					}
					return -1
				}
				return b.CreationTimestamp.Compare(a.CreationTimestamp.Time)
			})
			for _, p := range active[:excess] {
				p.DeletionTimestamp = &now
				p.DeletionGracePeriodSeconds = new(int64(30))
			}
		}
		// Status as the ReplicaSet controller computes it.
		st := appsv1.ReplicaSetStatus{ObservedGeneration: rs.Generation, Conditions: rs.Status.Conditions}
		var terminating int32
		for _, p := range podsOf(sc, rs) {
			switch {
			case p.DeletionTimestamp != nil:
				terminating++
			case p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed:
			default:
				st.Replicas++
				st.FullyLabeledReplicas++
				if isReady(p) {
					st.ReadyReplicas++
					if readySince(p).Add(time.Duration(rs.Spec.MinReadySeconds) * time.Second).Before(sc.Now) {
						st.AvailableReplicas++
					}
				}
			}
		}
		st.TerminatingReplicas = &terminating
		if g.chance(0.1) {
			st.Conditions = nil // a quota problem went away
		}
		rs.Status = st
	}
}

// user changes the Deployment now and then, as kubectl would.
func user(sc *scenario, g *gen) {
	if !g.chance(0.35) {
		return
	}
	d := sc.Deployment
	before := d.DeepCopy()
	switch g.intn(8) {
	case 0, 1:
		d.Spec.Replicas = new(int32(g.between(0, 12)))
	case 2, 3:
		d.Spec.Template.Spec.Containers[0].Image = pick(g, images...)
		d.Spec.Template.Spec.Containers[0].ImagePullPolicy = ""
	case 4:
		d.Spec.Paused = !d.Spec.Paused
	case 5:
		if d.Annotations == nil {
			d.Annotations = map[string]string{}
		}
		d.Annotations[rollbackAnnotation] = pick(g, "0", "1", "2", "3", "42")
	case 6:
		if d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType && g.chance(0.7) {
			d.Spec.Strategy.RollingUpdate = g.rollingUpdate()
		} else if d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType {
			d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
		} else {
			d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RollingUpdateDeploymentStrategyType}
		}
	default:
		d.Spec.RevisionHistoryLimit = new(int32(g.between(0, 3)))
	}
	storeDeployment(d)
	if !equality.Semantic.DeepEqual(d.Spec, before.Spec) || !equality.Semantic.DeepEqual(d.Annotations, before.Annotations) {
		d.Generation++
	}
}

func isReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

func readySince(p *corev1.Pod) time.Time {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.LastTransitionTime.Time
		}
	}
	return time.Time{}
}

// setReady sets the pod's Ready condition as the kubelet does.
func setReady(p *corev1.Pod, s corev1.ConditionStatus, at metav1.Time) {
	for i := range p.Status.Conditions {
		if c := &p.Status.Conditions[i]; c.Type == corev1.PodReady {
			if c.Status != s {
				c.Status, c.LastTransitionTime = s, at
			}
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{Type: corev1.PodReady, Status: s, LastTransitionTime: at})
}

// podsOf returns the pods of sc an upstream lister finds controlled by rs.
func podsOf(sc *scenario, rs *appsv1.ReplicaSet) []*corev1.Pod {
	var out []*corev1.Pod
	for _, p := range sc.Pods {
		if ref := metav1.GetControllerOfNoCopy(p); ref != nil && p.Namespace == rs.Namespace && ref.Kind == "ReplicaSet" && ref.Name == rs.Name && ref.UID == rs.UID {
			out = append(out, p)
		}
	}
	return out
}
