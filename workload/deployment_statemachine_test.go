package workload_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"pgregory.net/rapid"

	"github.com/reckon-k8s/reckon/rollout"
	"github.com/reckon-k8s/reckon/rollout/kubectl"
	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/workloadtest"
)

// deploymentMachine interleaves spec changes (scale, new template, pause,
// resume, undo, strategy change) with pod events (ready, crash, node loss,
// deletion) and time, syncing the Deployment and its ReplicaSets against
// workloadtest's API-server semantics, and checks the rollout invariants
// after every Deployment sync, and that a sync fails exactly where its plan
// writes an object a second time from the observed copy.
type deploymentMachine struct {
	c *workloadtest.Cluster
}

const machineName = "web"

var images = []string{"nginx:1.14.2", "nginx:1.16.1", "nginx:1.27", "nginx:broken"}

func (m *deploymentMachine) init(t *rapid.T) {
	m.c = workloadtest.New(time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	m.c.Nodes = []string{"node-a", "node-b", "node-c"}
	m.c.NeverReady["nginx:broken"] = true
	labels := map[string]string{"app": machineName}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: machineName},
		Spec: appsv1.DeploymentSpec{
			Replicas: new(int32(rapid.IntRange(0, 8).Draw(t, "replicas"))),
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: images[0]}}},
			},
			RevisionHistoryLimit: new(int32(rapid.IntRange(0, 3).Draw(t, "revisionHistoryLimit"))),
		},
	}
	m.setRolling(t, d)
	if _, err := m.c.Apply(d); err != nil {
		t.Fatal(err)
	}
}

func (m *deploymentMachine) setRolling(t *rapid.T, d *appsv1.Deployment) {
	surge := rapid.SampledFrom([]string{"0", "1", "3", "25%", "50%", "100%"}).Draw(t, "maxSurge")
	unavailable := rapid.SampledFrom([]string{"0", "1", "2", "25%", "100%"}).Draw(t, "maxUnavailable")
	if (surge == "0") && (unavailable == "0") {
		unavailable = "1"
	}
	d.Spec.Strategy = appsv1.DeploymentStrategy{
		Type: appsv1.RollingUpdateDeploymentStrategyType,
		RollingUpdate: &appsv1.RollingUpdateDeployment{
			MaxSurge: new(intstr.Parse(surge)), MaxUnavailable: new(intstr.Parse(unavailable)),
		},
	}
}

func (m *deploymentMachine) edit(t *rapid.T, f func(d *appsv1.Deployment)) {
	if _, err := m.c.EditDeployment(machineName, f); err != nil {
		t.Fatal(err)
	}
}

func (m *deploymentMachine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"scale": func(t *rapid.T) {
			n := int32(rapid.IntRange(0, 8).Draw(t, "n"))
			m.edit(t, func(d *appsv1.Deployment) { d.Spec.Replicas = &n })
		},
		"newTemplate": func(t *rapid.T) {
			img := rapid.SampledFrom(images).Draw(t, "image")
			m.edit(t, func(d *appsv1.Deployment) { d.Spec.Template.Spec.Containers[0].Image = img })
		},
		"pause":  func(t *rapid.T) { m.edit(t, func(d *appsv1.Deployment) { d.Spec.Paused = true }) },
		"resume": func(t *rapid.T) { m.edit(t, func(d *appsv1.Deployment) { d.Spec.Paused = false }) },
		"undo": func(t *rapid.T) {
			to := int64(rapid.IntRange(0, 4).Draw(t, "toRevision"))
			undone, skipped, err := kubectl.Undo(m.c.Deployment(machineName), m.c.ReplicaSets(), to)
			if err != nil || skipped {
				return // paused, unknown revision or same template: kubectl refuses or skips
			}
			if _, err := m.c.Apply(undone); err != nil {
				t.Fatal(err)
			}
		},
		"strategy": func(t *rapid.T) {
			recreate := rapid.Bool().Draw(t, "recreate")
			m.edit(t, func(d *appsv1.Deployment) {
				if recreate {
					d.Spec.Strategy = appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}
				} else {
					m.setRolling(t, d)
				}
			})
		},
		"podReady": func(t *rapid.T) {
			if p := m.pickPod(t); p != nil {
				_ = m.c.SetReady(p.Name, rapid.Bool().Draw(t, "ready"))
			}
		},
		"podDeleted": func(t *rapid.T) {
			if p := m.pickPod(t); p != nil {
				_ = m.c.DeletePod(p.Name)
			}
		},
		"nodeLost": func(t *rapid.T) {
			node := rapid.SampledFrom(m.c.Nodes).Draw(t, "node")
			for _, p := range m.c.Pods() {
				if p.Spec.NodeName == node {
					_ = m.c.DeletePod(p.Name)
				}
			}
		},
		"advance": func(t *rapid.T) {
			m.c.Advance(time.Duration(rapid.SampledFrom([]int{1, 5, 30, 700}).Draw(t, "seconds")) * time.Second)
		},
		"syncReplicaSets": m.syncReplicaSets,
		"syncDeployment":  m.syncDeployment,
	}
}

// syncReplicaSets syncs every ReplicaSet once: a ReplicaSet plan writes
// each object once, so nothing may fail.
func (m *deploymentMachine) syncReplicaSets(t *rapid.T) {
	for _, rs := range m.c.ReplicaSets() {
		s, err := m.c.SyncReplicaSet(rs.Name)
		if err != nil {
			t.Fatal(err)
		}
		if s.Result.Err != nil {
			t.Fatalf("ReplicaSet %s sync failed: %v\n%s", rs.Name, s.Result.Err, strings.Join(s.Lines(), "\n"))
		}
	}
}

// staleRewrite returns the first write of p that a real API server
// refuses, nothing else changing the objects meanwhile: an update whose
// target an earlier write of p changed and that upstream computed from the
// observed copy, not from that write's answer.
func staleRewrite(p workload.Plan) (workload.Write, bool) {
	written := map[workload.Target]bool{}
	for _, w := range p.Writes() {
		if written[w.Target] && !w.Precondition.FromPrevious && w.Precondition.ResourceVersion != "" {
			return w, true
		}
		written[w.Target] = true
	}
	return workload.Write{}, false
}

// requireFailsWhereStale checks how applying p ended: with a Conflict on
// its first stale rewrite, and a rate-limited requeue, or, if it has
// none, with every write made and the plan's own requeue.
func requireFailsWhereStale(t *rapid.T, p workload.Plan, s workloadtest.Sync) {
	w, stale := staleRewrite(p)
	if !stale {
		if s.Result.Err != nil || s.Result.Requeue != p.Requeue {
			t.Fatalf("sync ended with %v, requeue %+v; plan:\n%s", s.Result.Err, s.Result.Requeue, p)
		}
		return
	}
	if !apierrors.IsConflict(s.Result.Err) || !s.Result.Requeue.RateLimited {
		t.Fatalf("sync ended with %v, requeue %+v, want the Conflict of %v", s.Result.Err, s.Result.Requeue, w)
	}
	if last := s.Log[len(s.Log)-1]; last.Write == nil || last.Write.String() != w.String() || !apierrors.IsConflict(last.Err) {
		t.Fatalf("last request %v, want the refused %v", last, w)
	}
}

func (m *deploymentMachine) pickPod(t *rapid.T) *corev1.Pod {
	ps := m.c.Pods()
	if len(ps) == 0 {
		return nil
	}
	return rapid.SampledFrom(ps).Draw(t, "pod")
}

// documentedBounds is the test's own reading of the rolling-update bounds, written
// from the Deployment documentation rather than taken from package rollout:
// maxSurge rounds up, maxUnavailable rounds down and is capped at replicas,
// both zero means one unavailable; Recreate has neither.
func documentedBounds(d *appsv1.Deployment) (surge, minAvailable int32) {
	replicas := *d.Spec.Replicas
	if d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType {
		return 0, 0
	}
	scaled := func(v *intstr.IntOrString, up bool) int32 {
		if v.Type == intstr.Int {
			return v.IntVal
		}
		var pct int32
		fmt.Sscanf(v.StrVal, "%d%%", &pct)
		n := pct * replicas
		if up {
			return (n + 99) / 100
		}
		return n / 100
	}
	ru := d.Spec.Strategy.RollingUpdate
	surge, unavailable := scaled(ru.MaxSurge, true), scaled(ru.MaxUnavailable, false)
	if surge == 0 && unavailable == 0 {
		unavailable = 1
	}
	if replicas == 0 {
		unavailable = 0
	}
	return surge, replicas - min(unavailable, replicas)
}

// sameImage tells the replica set running the Deployment's template: the
// machine's templates differ only in their image.
func sameImage(rs *appsv1.ReplicaSet, d *appsv1.Deployment) bool {
	return rs.Spec.Template.Spec.Containers[0].Image == d.Spec.Template.Spec.Containers[0].Image
}

func sumSpec(rss []*appsv1.ReplicaSet) (n int32) {
	for _, rs := range rss {
		n += *rs.Spec.Replicas
	}
	return n
}

func (m *deploymentMachine) syncDeployment(t *rapid.T) {
	d := m.c.Deployment(machineName)
	dBefore := d.DeepCopy()
	rssBefore := m.c.ReplicaSets()
	rsCopies := make([]*appsv1.ReplicaSet, len(rssBefore))
	for i, rs := range rssBefore {
		rsCopies[i] = rs.DeepCopy()
	}
	podsBefore := m.c.Pods()
	replicas := *d.Spec.Replicas
	// Upstream's isScalingEvent: an active replica set whose desired-replicas
	// annotation disagrees with spec.replicas. Proportional scaling then
	// sizes replica sets by their share, which may leave the new one above
	// spec.replicas until the next rolling sync brings it down.
	scalingEvent := false
	for _, rs := range rssBefore {
		if n, ok := rollout.DesiredReplicas(rs); ok && *rs.Spec.Replicas > 0 && n != replicas {
			scalingEvent = true
		}
	}
	rolling := d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType
	surge, minAvailable := documentedBounds(d)
	// Available pods that will remain once the ReplicaSet controller has
	// caught up with the replica sets' sizes.
	keptAvailable := func(rss []*appsv1.ReplicaSet) (n int32) {
		for _, rs := range rss {
			n += min(rs.Status.AvailableReplicas, *rs.Spec.Replicas)
		}
		return n
	}
	availableBefore := keptAvailable(rssBefore)
	// Upstream trusts replica set status as observed. When a replica set's
	// status predates its last resize, upstream can count pods that are
	// about to go (a scaled-down set still reporting them available) and
	// scale the others down too: the availability bound only holds when
	// every status is current.
	statusCurrent := true
	for _, rs := range rssBefore {
		statusCurrent = statusCurrent && rs.Status.ObservedGeneration == rs.Generation
	}
	bound := replicas + surge
	withinBound := sumSpec(rssBefore) <= bound

	// Determinism: the same plan for permuted inputs.
	state := workload.DeploymentState{ReplicaSets: rssBefore, Pods: podsBefore}
	p1, err := workload.PlanDeployment(d, state, m.c.Now())
	if err != nil {
		t.Fatal(err)
	}
	perm := workload.DeploymentState{
		ReplicaSets: rapid.Permutation(rssBefore).Draw(t, "rsOrder"),
		Pods:        append([]*corev1.Pod{}, rapid.Permutation(podsBefore).Draw(t, "podOrder")...), // none observed is not nil
	}
	p2, err := workload.PlanDeployment(d, perm, m.c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p1, p2); diff != "" {
		t.Fatalf("plan depends on input order:\n%s", diff)
	}
	if diff := cmp.Diff(dBefore, d); diff != "" {
		t.Fatalf("deployment mutated:\n%s", diff)
	}
	for i, rs := range rssBefore {
		if diff := cmp.Diff(rsCopies[i], rs); diff != "" {
			t.Fatalf("replica set mutated:\n%s", diff)
		}
	}

	s, err := m.c.SyncDeployment(machineName)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p1, s.Plan); diff != "" {
		t.Fatalf("the cluster planned another sync:\n%s", diff)
	}
	requireFailsWhereStale(t, p1, s)
	after := m.c.ReplicaSets()

	if d.Spec.Paused && slices.ContainsFunc(p1.Writes(), func(w workload.Write) bool { return w.Verb == workload.Create }) {
		t.Fatalf("paused deployment created a replica set:\n%s", p1)
	}
	for _, rs := range after {
		if *rs.Spec.Replicas < 0 {
			t.Fatalf("replica set %s scaled to %d", rs.Name, *rs.Spec.Replicas)
		}
	}
	if rolling && withinBound && sumSpec(after) > bound {
		t.Fatalf("total replicas %d exceed replicas+maxSurge = %d", sumSpec(after), bound)
	}
	if rolling && !scalingEvent && !d.Spec.Paused {
		for _, rs := range after {
			if sameImage(rs, d) && *rs.Spec.Replicas > replicas {
				t.Fatalf("new replica set %s at %d exceeds replicas %d", rs.Name, *rs.Spec.Replicas, replicas)
			}
		}
		// Availability: a sync never takes the available pods that will
		// remain below minAvailable when they started at or above it.
		if statusCurrent && availableBefore >= minAvailable {
			if kept := keptAvailable(after); kept < minAvailable {
				t.Fatalf("available %d -> %d, below minAvailable %d", availableBefore, kept, minAvailable)
			}
		}
	}
}

// recreateStuck reports the one state upstream never leaves: a Recreate
// Deployment whose replica count changed while more than one ReplicaSet is
// active. Every sync is then a scaling event, and upstream's proportional
// scaling only runs for RollingUpdate (sync.go scale), so nothing moves until
// someone edits the Deployment again. reckon reproduces that.
func (m *deploymentMachine) recreateStuck() bool {
	d := m.c.Deployment(machineName)
	if d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		return false
	}
	var active int
	scaling := false
	for _, rs := range m.c.ReplicaSets() {
		if *rs.Spec.Replicas == 0 {
			continue
		}
		active++
		if n, ok := rollout.DesiredReplicas(rs); ok && n != *d.Spec.Replicas {
			scaling = true
		}
	}
	return active > 1 && scaling
}

// convergenceRounds bounds the healing phase: one-second rounds, enough for
// a few grace periods (30s each) of Recreate waits and rolling steps.
const convergenceRounds = 200

// staleAnnotationStuck reports the other state upstream v1.36 never leaves
// (kubernetes/kubernetes PRs 138036 and 138840, open at v1.36): the only
// active replica set already has spec.replicas replicas but a stale
// desired-replicas annotation. Every sync is a scaling event, and scale()
// returns early because the size matches, so the annotation is never
// refreshed and the rollout never resumes. reckon reproduces that.
func (m *deploymentMachine) staleAnnotationStuck() bool {
	d := m.c.Deployment(machineName)
	var active []*appsv1.ReplicaSet
	for _, rs := range m.c.ReplicaSets() {
		if *rs.Spec.Replicas > 0 {
			active = append(active, rs)
		}
	}
	if len(active) != 1 || *active[0].Spec.Replicas != *d.Spec.Replicas {
		return false
	}
	n, ok := rollout.DesiredReplicas(active[0])
	return ok && n != *d.Spec.Replicas
}

func (m *deploymentMachine) healAndConverge(t *rapid.T) {
	if m.recreateStuck() {
		t.Skip("Recreate with several active replica sets and a replica change: upstream stays put")
	}
	if m.staleAnnotationStuck() {
		t.Skip("one active replica set of the right size with a stale desired-replicas annotation: upstream stays put")
	}
	m.c.NeverReady = map[string]bool{}
	m.edit(t, func(d *appsv1.Deployment) { d.Spec.Paused = false })
	m.c.Advance(time.Minute) // terminating pods go, pending pods start
	for _, p := range m.c.Pods() {
		_ = m.c.SetReady(p.Name, true)
	}
	for round := 0; round < convergenceRounds; round++ {
		settled := m.podsSettled()
		ds, err := m.c.SyncDeployment(machineName)
		if err != nil {
			t.Fatal(err)
		}
		requireFailsWhereStale(t, ds.Plan, ds)
		rl, err := m.c.SyncReplicaSets()
		if err != nil {
			t.Fatal(err)
		}
		m.c.Advance(time.Second)
		if len(ds.Log)+len(rl) == 0 && settled {
			m.checkConverged(t)
			return
		}
	}
	t.Fatalf("no convergence after %d rounds:\n%s\n%s", convergenceRounds, m.c.GetReplicaSets(), m.c.GetPods())
}

// podsSettled reports that no pod is still starting or terminating: a
// round without writes then means the controllers have nothing left to do,
// rather than that they are waiting (Recreate waits for old pods to go).
func (m *deploymentMachine) podsSettled() bool {
	for _, p := range m.c.Pods() {
		if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodPending {
			return false
		}
	}
	return true
}

func (m *deploymentMachine) checkConverged(t *rapid.T) {
	d := m.c.Deployment(machineName)
	replicas := *d.Spec.Replicas
	var active []*appsv1.ReplicaSet
	for _, rs := range m.c.ReplicaSets() {
		if *rs.Spec.Replicas > 0 {
			active = append(active, rs)
		}
	}
	if replicas > 0 && (len(active) != 1 || !sameImage(active[0], d)) {
		t.Fatalf("converged to %d active replica sets:\n%s", len(active), m.c.GetReplicaSets())
	}
	st := d.Status
	if st.Replicas != replicas || st.UpdatedReplicas != replicas || st.AvailableReplicas != replicas {
		t.Fatalf("status %+v, want all %d", st, replicas)
	}
	if c := rollout.GetCondition(st, appsv1.DeploymentProgressing); c == nil || c.Reason != "NewReplicaSetAvailable" {
		t.Fatalf("Progressing condition %+v, want NewReplicaSetAvailable", c)
	}
}

func TestDeploymentStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &deploymentMachine{}
		m.init(t)
		t.Repeat(m.actions())
		m.healAndConverge(t)
	})
}
