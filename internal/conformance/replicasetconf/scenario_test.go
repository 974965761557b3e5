package replicasetconf

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
)

// scenario is the input of one ReplicaSet sync: what the informers hold and
// the controller's clock. Timestamps are whole seconds, as the API server
// stores them; Now is not (a controller's clock has nanoseconds).
type scenario struct {
	// Name says where the scenario came from (seed, case, step).
	Name string    `json:"name,omitempty"`
	Now  time.Time `json:"now"`
	// RS is the ReplicaSet being synced; ReplicaSets are the others in the
	// informer (any namespace).
	RS          *appsv1.ReplicaSet   `json:"replicaSet"`
	ReplicaSets []*appsv1.ReplicaSet `json:"otherReplicaSets,omitempty"`
	// Pods are all pods in the informer (any namespace).
	Pods []*corev1.Pod `json:"pods,omitempty"`
	// ExpectationsPending primes upstream's expectations with one
	// unobserved creation; reckon gets ExpectationsPending.
	ExpectationsPending bool `json:"expectationsPending,omitempty"`
	// How reckon is handed the lists (it must not matter): OrderSeed
	// shuffles them, SelfInReplicaSets includes RS in the ReplicaSets list
	// the way a lister would return it.
	OrderSeed         uint64 `json:"orderSeed,omitempty"`
	SelfInReplicaSets bool   `json:"selfInReplicaSets,omitempty"`

	// What the API server (the store both sides write to) holds where it
	// is not what the informers hold, and the writes it refuses (see
	// faults_test.go). Empty for most scenarios.
	Drift  []harness.Drift `json:"drift,omitempty"`
	Faults []harness.Fault `json:"faults,omitempty"`
	Kinds  []string        `json:"failureKinds,omitempty"` // what Drift and Faults exercise
}

func (sc *scenario) allReplicaSets() []*appsv1.ReplicaSet {
	return append([]*appsv1.ReplicaSet{sc.RS}, sc.ReplicaSets...)
}

func (sc *scenario) deepCopy() *scenario {
	out := *sc
	out.Drift = harness.CopyDrifts(sc.Drift)
	out.Faults = slices.Clone(sc.Faults)
	out.Kinds = slices.Clone(sc.Kinds)
	out.RS = sc.RS.DeepCopy()
	out.ReplicaSets = make([]*appsv1.ReplicaSet, len(sc.ReplicaSets))
	for i, rs := range sc.ReplicaSets {
		out.ReplicaSets[i] = rs.DeepCopy()
	}
	out.Pods = make([]*corev1.Pod, len(sc.Pods))
	for i, p := range sc.Pods {
		out.Pods[i] = p.DeepCopy()
	}
	return &out
}

// shift returns a deep copy with every set timestamp and Now moved by d.
// The ReplicaSet controller only ever compares timestamps with each other
// and with its clock, so a shifted scenario is the same scenario; the
// harness shifts so that Now is the wall clock, which the pod ranking reads
// (metav1.Now() in getPodsRankedByRelatedPodsOnSameNode) instead of the
// injectable clock. Zero timestamps stay zero: they mean "unset".
func (sc *scenario) shift(d time.Duration) *scenario {
	out := sc.deepCopy()
	out.Now = sc.Now.Add(d)
	for _, t := range out.allStamps() {
		if !t.IsZero() {
			t.Time = t.Add(d)
		}
	}
	return out
}

// rankingStamps lists pointers to the timestamps the scale-down ranking
// reads: pod creation and Ready transition times.
func (sc *scenario) rankingStamps() []*metav1.Time {
	var ts []*metav1.Time
	for _, p := range sc.Pods {
		ts = append(ts, &p.CreationTimestamp)
		for i := range p.Status.Conditions {
			if c := &p.Status.Conditions[i]; c.Type == corev1.PodReady {
				ts = append(ts, &c.LastTransitionTime)
			}
		}
	}
	return ts
}

// allStamps lists pointers to every timestamp of sc's objects.
func (sc *scenario) allStamps() []*metav1.Time {
	var ts []*metav1.Time
	meta := func(m *metav1.ObjectMeta) {
		ts = append(ts, &m.CreationTimestamp)
		if m.DeletionTimestamp != nil {
			ts = append(ts, m.DeletionTimestamp)
		}
	}
	for _, rs := range sc.allReplicaSets() {
		meta(&rs.ObjectMeta)
		for i := range rs.Status.Conditions {
			ts = append(ts, &rs.Status.Conditions[i].LastTransitionTime)
		}
	}
	for _, p := range sc.Pods {
		meta(&p.ObjectMeta)
		for i := range p.Status.Conditions {
			ts = append(ts, &p.Status.Conditions[i].LastTransitionTime, &p.Status.Conditions[i].LastProbeTime)
		}
	}
	return ts
}

// logBucket is the age bucket of upstream's logarithmic scale-down
// (logarithmicRankDiff in pkg/controller/controller_utils.go): the integer
// part of log2 of the age in nanoseconds, computed through float64, or -1
// for an age <= 0. Upstream compares pods' buckets, so what matters is that
// no age changes bucket between the harness's clock read and upstream's.
func logBucket(age time.Duration) int64 {
	if age <= 0 {
		return -1
	}
	return int64(math.Log2(float64(age)))
}

// Clock drift the harness tolerates between its own read of the wall clock
// and upstream's metav1.Now() in the ranking. Larger drifts are detected
// after the fact (upstreamRun.before/after) and the case is rerun.
const driftMargin = 50 * time.Millisecond

// safeAge reports whether a timestamp that is age old at the scenario's now
// keeps its log2 bucket while the wall clock advances by up to driftMargin,
// and is at least 200ms away from now. The latter also keeps upstream's
// scale-down metric (reportSortingDeletionAgeRatioMetric) from dividing by
// a zero-millisecond age, which panics.
func safeAge(age time.Duration) bool {
	if age > -200*time.Millisecond && age < 200*time.Millisecond {
		return false
	}
	return logBucket(age-driftMargin) == logBucket(age) && logBucket(age) == logBucket(age+driftMargin)
}

// safeNow reports whether every ranking timestamp of sc is safe at sc.Now.
func (sc *scenario) safeNow() bool {
	for _, t := range sc.rankingStamps() {
		if !t.IsZero() && !safeAge(sc.Now.Sub(t.Time)) {
			return false
		}
	}
	return true
}

// bucketsStable reports whether every ranking timestamp of the shifted
// scenario sc has the same bucket at both wall-clock instants. Buckets are
// monotone in the clock, so upstream's read in between saw the same ones.
func (sc *scenario) bucketsStable(a, b time.Time) bool {
	for _, t := range sc.rankingStamps() {
		if !t.IsZero() && logBucket(a.Sub(t.Time)) != logBucket(b.Sub(t.Time)) {
			return false
		}
	}
	return true
}

// regressionFile is a saved disagreement: the scenario and what was seen.
type regressionFile struct {
	// Signature names the kinds of difference (see signature), Found
	// details them as first seen.
	Signature string    `json:"signature"`
	Found     string    `json:"found"`
	Scenario  *scenario `json:"scenario"`
}

func saveRegression(sc *scenario, sig, found string) (string, error) {
	b, err := json.MarshalIndent(regressionFile{Signature: sig, Found: found, Scenario: sc}, "", "  ")
	if err != nil {
		return "", err
	}
	name := filepath.Join("testdata", fmt.Sprintf("case-%s.json", sanitize(sc.Name)))
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		return "", err
	}
	return name, os.WriteFile(name, append(b, '\n'), 0o644)
}

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			b[i] = '-'
		}
	}
	return string(b)
}

func loadRegressions() (map[string]*regressionFile, error) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		return nil, err
	}
	out := map[string]*regressionFile{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var f regressionFile
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("%s: %v", n, err)
		}
		if f.Scenario == nil || f.Scenario.RS == nil {
			return nil, fmt.Errorf("%s: no scenario", n)
		}
		out[n] = &f
	}
	return out, nil
}
