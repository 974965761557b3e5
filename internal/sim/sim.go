// Package sim is a small deterministic cluster for scenario transcripts,
// examples and state-machine properties: it stores pods and ReplicaSets the
// way an API server would (names from generateName, UIDs, creation and
// deletion timestamps, generations) and advances pods the way a scheduler and
// kubelets would, by explicit rules. It never reads the clock: Now moves only
// through Advance.
//
// Stored objects are replaced, never edited, when they change, so a slice a
// caller listed earlier stays a consistent snapshot.
package sim

import (
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/reckon-k8s/reckon/workload"
)

// Cluster is one namespace of a simulated cluster.
type Cluster struct {
	Now       time.Time
	Namespace string
	// Nodes pods are scheduled onto, the least loaded first (ties by name).
	Nodes []string
	// ReadyAfter is how long after its creation a scheduled pod becomes
	// Running and Ready, unless its first container's image is NeverReady.
	ReadyAfter time.Duration
	// NeverReady lists images whose pods run but never become ready.
	NeverReady map[string]bool
	// GracePeriod is how long a deleted scheduled pod stays terminating.
	GracePeriod time.Duration

	pods        map[string]*corev1.Pod
	replicaSets map[string]*appsv1.ReplicaSet
	deployments map[string]*appsv1.Deployment
	seq         int
}

// New returns an empty cluster at now with one node, pods that become
// ready as soon as time advances, and the default 30s grace period.
func New(now time.Time) *Cluster {
	return &Cluster{
		Now:         now,
		Namespace:   "default",
		Nodes:       []string{"node-1"},
		NeverReady:  map[string]bool{},
		GracePeriod: 30 * time.Second,
		pods:        map[string]*corev1.Pod{},
		replicaSets: map[string]*appsv1.ReplicaSet{},
		deployments: map[string]*appsv1.Deployment{},
	}
}

const nameChars = "bcdfghjklmnpqrstvwxz2456789"

// next returns a fresh sequence number, a 5-character name suffix in the
// API server's alphabet and a UID, all derived from the sequence.
func (c *Cluster) next() (suffix string, uid types.UID) {
	c.seq++
	h := fnv.New32a()
	fmt.Fprintf(h, "%d", c.seq)
	v := h.Sum32()
	b := make([]byte, 5)
	for i := range b {
		b[i] = nameChars[v%uint32(len(nameChars))]
		v /= uint32(len(nameChars))
	}
	return string(b), types.UID(fmt.Sprintf("uid-%04d", c.seq))
}

// Pods lists the stored pods sorted by name.
func (c *Cluster) Pods() []*corev1.Pod {
	return sortedValues(c.pods)
}

// Pod returns the stored pod with that name, or nil.
func (c *Cluster) Pod(name string) *corev1.Pod { return c.pods[name] }

// ReplicaSets lists the stored ReplicaSets sorted by name.
func (c *Cluster) ReplicaSets() []*appsv1.ReplicaSet {
	return sortedValues(c.replicaSets)
}

// ReplicaSet returns the stored ReplicaSet with that name, or nil.
func (c *Cluster) ReplicaSet(name string) *appsv1.ReplicaSet { return c.replicaSets[name] }

func sortedValues[T metav1.Object](m map[string]T) []T {
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// CreatePod stores a copy of p as the API server would: the name generated
// from GenerateName when Name is empty, a UID, the creation timestamp, phase
// Pending. The pod is scheduled at once onto the least loaded node.
func (c *Cluster) CreatePod(p *corev1.Pod) *corev1.Pod {
	p = p.DeepCopy()
	suffix, uid := c.next()
	if p.Name == "" {
		p.Name = p.GenerateName + suffix
	}
	p.Namespace = c.Namespace
	p.UID = uid
	p.CreationTimestamp = metav1.NewTime(c.Now)
	p.Status = corev1.PodStatus{Phase: corev1.PodPending}
	p.Spec.NodeName = c.leastLoadedNode()
	c.pods[p.Name] = p
	return p
}

func (c *Cluster) leastLoadedNode() string {
	load := map[string]int{}
	for _, p := range c.pods {
		load[p.Spec.NodeName]++
	}
	best := ""
	for _, n := range c.Nodes {
		if best == "" || load[n] < load[best] {
			best = n
		}
	}
	return best
}

// UpdatePod replaces the named pod with a copy changed by edit.
func (c *Cluster) UpdatePod(name string, edit func(*corev1.Pod)) error {
	old, ok := c.pods[name]
	if !ok {
		return fmt.Errorf("pods %q not found", name)
	}
	p := old.DeepCopy()
	edit(p)
	c.pods[name] = p
	return nil
}

// DeletePod deletes gracefully: a scheduled pod gets a deletion timestamp
// GracePeriod ahead and goes when time reaches it; an unscheduled or
// finished pod goes at once.
func (c *Cluster) DeletePod(name string) error {
	p, ok := c.pods[name]
	if !ok {
		return fmt.Errorf("pods %q not found", name)
	}
	if p.DeletionTimestamp != nil {
		return nil
	}
	if p.Spec.NodeName == "" || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
		delete(c.pods, name)
		return nil
	}
	return c.UpdatePod(name, func(p *corev1.Pod) {
		p.DeletionTimestamp = &metav1.Time{Time: c.Now.Add(c.GracePeriod)}
		p.DeletionGracePeriodSeconds = new(int64(c.GracePeriod / time.Second))
	})
}

// SetReady makes the named pod Running with its Ready condition set to
// ready as of now.
func (c *Cluster) SetReady(name string, ready bool) error {
	return c.UpdatePod(name, func(p *corev1.Pod) { markReady(p, ready, c.Now) })
}

func markReady(p *corev1.Pod, ready bool, at time.Time) {
	p.Status.Phase = corev1.PodRunning
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	for i := range p.Status.Conditions {
		if p.Status.Conditions[i].Type == corev1.PodReady {
			if p.Status.Conditions[i].Status != status {
				p.Status.Conditions[i].Status = status
				p.Status.Conditions[i].LastTransitionTime = metav1.NewTime(at)
			}
			return
		}
	}
	p.Status.Conditions = append(p.Status.Conditions, corev1.PodCondition{
		Type: corev1.PodReady, Status: status, LastTransitionTime: metav1.NewTime(at),
	})
}

// Advance moves time forward by d and lets pods progress: a pending pod
// whose ReadyAfter has passed starts running (ready unless its image is
// NeverReady, as of creation + ReadyAfter); a terminating pod whose deletion
// timestamp has passed is gone.
func (c *Cluster) Advance(d time.Duration) {
	c.Now = c.Now.Add(d)
	for _, p := range c.Pods() {
		switch {
		case p.DeletionTimestamp != nil:
			if !c.Now.Before(p.DeletionTimestamp.Time) {
				delete(c.pods, p.Name)
			}
		case p.Status.Phase == corev1.PodPending && p.Spec.NodeName != "":
			at := p.CreationTimestamp.Add(c.ReadyAfter)
			if c.Now.Before(at) {
				continue
			}
			image := ""
			if len(p.Spec.Containers) > 0 {
				image = p.Spec.Containers[0].Image
			}
			_ = c.UpdatePod(p.Name, func(p *corev1.Pod) { markReady(p, !c.NeverReady[image], at) })
		}
	}
}

// ApplyReplicaSet creates or updates a ReplicaSet as the API server would:
// a new one gets a UID, creation timestamp and generation 1; an update keeps
// the status and bumps the generation when the spec changed.
func (c *Cluster) ApplyReplicaSet(rs *appsv1.ReplicaSet) *appsv1.ReplicaSet {
	rs = rs.DeepCopy()
	rs.Namespace = c.Namespace
	if old, ok := c.replicaSets[rs.Name]; ok {
		rs.UID, rs.CreationTimestamp, rs.Status = old.UID, old.CreationTimestamp, old.Status
		rs.Generation = old.Generation
		if !equalJSON(old.Spec, rs.Spec) {
			rs.Generation++
		}
	} else {
		_, rs.UID = c.next()
		rs.CreationTimestamp = metav1.NewTime(c.Now)
		rs.Generation = 1
	}
	c.replicaSets[rs.Name] = rs
	return rs
}

// ApplyReplicaSetPlan carries out a plan for the named ReplicaSet: each
// action in order, then the status write. It returns what happened, one
// line per write, worded like kubectl's event and object views.
func (c *Cluster) ApplyReplicaSetPlan(name string, plan workload.ReplicaSetPlan) ([]string, error) {
	rs, ok := c.replicaSets[name]
	if !ok {
		return nil, fmt.Errorf("replicasets %q not found", name)
	}
	lines, err := c.applyActions(plan.Actions)
	if err != nil {
		return lines, err
	}
	for _, e := range plan.Events {
		lines = append(lines, "event: "+e.String())
	}
	if plan.WriteStatus {
		rs = rs.DeepCopy()
		rs.Status = plan.Status
		c.replicaSets[name] = rs
	}
	return lines, nil
}

func (c *Cluster) applyActions(actions []workload.Action) ([]string, error) {
	var lines []string
	for _, a := range actions {
		switch a := a.(type) {
		case workload.CreatePod:
			p := c.CreatePod(a.Pod)
			lines = append(lines, "event: "+a.Event(p.Name).String())
		case workload.DeletePod:
			if err := c.DeletePod(a.Pod.Name); err != nil {
				return lines, err
			}
		case workload.Adopt:
			if err := c.UpdatePod(a.Object.Name, func(p *corev1.Pod) {
				p.OwnerReferences = append(p.OwnerReferences, a.Owner)
			}); err != nil {
				return lines, err
			}
			lines = append(lines, a.String())
		case workload.Release:
			if err := c.UpdatePod(a.Object.Name, func(p *corev1.Pod) {
				p.OwnerReferences = slices.DeleteFunc(p.OwnerReferences, func(r metav1.OwnerReference) bool {
					return r.UID == a.OwnerUID
				})
			}); err != nil {
				return lines, err
			}
			lines = append(lines, a.String())
		default:
			return lines, fmt.Errorf("sim cannot apply %T", a)
		}
	}
	return lines, nil
}
