package deploymentconf

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	utilfeature "k8s.io/apiserver/pkg/util/feature"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/features"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

var (
	flagN      = flag.Int("deploy.n", 10000, "number of generated single-sync scenarios")
	flagChains = flag.Int("deploy.chains", 500, "number of generated multi-sync chains")
	flagSteps  = flag.Int("deploy.steps", 8, "syncs per chain")
	flagSeed   = flag.Uint64("deploy.seed", 0, "generator seed (0: pick one from the clock and print it)")
	flagFirst  = flag.Uint64("deploy.first", 0, "first case (or chain) number, to rerun one reported case")
	flagSave   = flag.Bool("deploy.save", true, "save every new kind of disagreement under testdata/ as a regression case")
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The controller logs through klog and reports some errors through
	// utilruntime, which also sleeps between reports.
	klog.SetLogger(logr.Discard())
	utilruntime.ErrorHandlers = nil
	harness.LessGC()
	os.Exit(m.Run())
}

// TestFeatureGates pins the assumption that upstream runs with the v1.36
// defaults reckon reproduces: the controller counts terminating replicas.
func TestFeatureGates(t *testing.T) {
	if !utilfeature.DefaultFeatureGate.Enabled(features.DeploymentReplicaSetTerminatingReplicas) {
		t.Fatal("DeploymentReplicaSetTerminatingReplicas is off; v1.36 turns it on by default")
	}
}

// runSeed is the run's generator seed: -deploy.seed, or one picked from
// the clock once, so every test of a run reruns with the same flag.
var runSeed = sync.OnceValue(func() uint64 {
	if *flagSeed != 0 {
		return *flagSeed
	}
	return uint64(time.Now().UnixNano())
})

func seed(t *testing.T) uint64 {
	s := runSeed()
	t.Logf("seed %d (rerun with -deploy.seed=%d)", s, s)
	return s
}

// result of checking one scenario.
type result struct {
	run   *upstreamRun
	rk    *harness.Store // reckon's store, after its plan was applied
	up    harness.Side
	diffs []string
	err   error // the case could not be compared (harness error, or reckon refused a valid scenario)
}

func (r *result) failed() bool { return r.err != nil || len(r.diffs) > 0 }

func (r *result) report() string {
	if r.err != nil {
		return r.err.Error()
	}
	return strings.Join(r.diffs, "\n  ")
}

// signature is what a failure is about: the kinds of its differences.
func (r *result) signature() string {
	if r.err != nil {
		msg, _, _ := strings.Cut(r.err.Error(), ":")
		return "error: " + msg
	}
	var heads []string
	for _, d := range r.diffs {
		h, _, _ := strings.Cut(d, ":")
		h = strings.TrimRight(h, " 0123456789") // "events after write 3" -> "events after write"
		if !slices.Contains(heads, h) {
			heads = append(heads, h)
		}
	}
	return strings.Join(heads, "|")
}

// check runs one upstream sync and workload.PlanDeployment on sc, each
// against a store seeded with sc's objects, and compares what reached the
// stores.
func check(sc *scenario) *result { return checkWith(sc, nil, nil) }

// checkWith is check with reckon given a perturbed copy of sc, or its plan
// perturbed before it is applied.
func checkWith(sc *scenario, perturb func(*scenario), perturbPlan func(*workload.Plan)) *result {
	res := &result{}
	res.run = runUpstream(sc.deepCopy())
	if odd := res.run.store.Odd(); len(odd) > 0 || res.run.adds > 0 || len(res.run.addAfter) > 1 {
		res.err = fmt.Errorf("harness: upstream made calls the store does not serve %v, or queued the key %d times plainly and %d times delayed", odd, res.run.adds, len(res.run.addAfter))
		return res
	}
	plan, err := runReckon(sc, perturb)
	if err != nil {
		res.err = err
		return res
	}
	if err := harness.CheckPlan(plan); err != nil {
		res.err = fmt.Errorf("reckon: its plan breaks the contract: %v", err)
		return res
	}
	if perturbPlan != nil {
		perturbPlan(&plan)
	}
	res.rk = sc.newStore()
	applied := res.rk.Applier().Apply(plan)
	if odd := res.rk.Odd(); len(odd) > 0 {
		res.err = fmt.Errorf("reckon: its plan made writes the store does not serve: %v", odd)
		return res
	}
	res.up = harness.Side{Log: res.run.store.Log(), Requeue: res.run.requeue(sc)}
	rk := harness.Side{Log: res.rk.Log(), Requeue: applied.Requeue}
	res.diffs = harness.Compare(res.up, rk, res.run.normalizer(sc), nil)
	return res
}

// coverage counts the generator dimensions the scenarios reached and the
// upstream outcomes they produced, so a run shows every path was taken.
type coverage struct {
	syncs    int
	dims     map[string]int
	outcomes map[string]int
}

func newCoverage() *coverage {
	return &coverage{dims: map[string]int{}, outcomes: map[string]int{}}
}

func (c *coverage) addDims(tags map[string]bool) {
	for k := range tags {
		c.dims[k]++
	}
}

// addOutcome records what upstream did in one sync.
func (c *coverage) addOutcome(sc *scenario, res *result) {
	c.syncs++
	seen := map[string]bool{}
	writes, status := 0, 0
	updates := map[string]int{}
	for _, e := range res.up.Log {
		if e.Event != nil {
			seen["event="+e.Event.Type+" "+e.Event.Reason] = true
			continue
		}
		w := e.Call
		writes++
		if w.Err != nil {
			seen["refused="+string(w.Verb)+" "+w.Resource+"/"+string(apierrors.ReasonForError(w.Err))] = true
		}
		switch {
		case w.Verb == workload.Patch && strings.Contains(string(w.Patch), `"$patch":"delete"`):
			seen["claim=release"] = true
			continue
		case w.Verb == workload.Patch:
			seen["claim=adopt"] = true
			continue
		case w.Verb == workload.Update && w.Resource == "deployments":
			seen["write=update-deployment"] = true
			continue
		case w.Verb == workload.Update:
			// Upstream syncs the new ReplicaSet's annotations twice from
			// its informer's copy (isScalingEvent, then the rollout) when
			// a Deployment returns to an old template.
			if updates[w.Name]++; updates[w.Name] == 2 && apierrors.IsConflict(w.Err) {
				seen["conflict=second-replicaset-update"] = true
			}
		}
		seen["write="+string(w.Verb)] = true
		if w.Verb == workload.UpdateStatus {
			// Upstream writes status from its informer's copy every time:
			// the second write of a sync is refused (a first sync, a new
			// template).
			if status++; status == 2 && apierrors.IsConflict(w.Err) {
				seen["conflict=second-status-write"] = true
				if created(res.up.Log) {
					seen["conflict=second-status-write-after-create"] = true
				}
			}
			st := w.Object.(*appsv1.Deployment).Status
			res.run.normalizeStamps(&st, sc.Now)
			for _, cond := range st.Conditions {
				if old := conditionOf(sc.Deployment.Status, cond.Type); old == nil || !equality.Semantic.DeepEqual(*old, cond) {
					seen["condition-set="+string(cond.Type)+"/"+cond.Reason] = true
				}
			}
			for _, cond := range sc.Deployment.Status.Conditions {
				if conditionOf(st, cond.Type) == nil {
					seen["condition-removed="+string(cond.Type)] = true
				}
			}
			if valueOr(st.CollisionCount, 0) != valueOr(sc.Deployment.Status.CollisionCount, 0) {
				seen["status=collision-count-bumped"] = true
			}
		}
	}
	if writes == 0 {
		seen["no-writes"] = true
	}
	if res.up.Requeue.RateLimited {
		seen["requeue=rate-limited"] = true
	}
	if res.up.Requeue.After > 0 {
		seen["requeue=after"] = true
		if res.run.addAfter[0] != res.up.Requeue.After {
			seen["requeue=after-from-condition-stamped-in-sync"] = true
		}
	}
	if res.run.err != nil {
		seen["sync-error"] = true
	}
	for _, k := range sc.Kinds {
		seen["failure="+k] = true
	}
	for k := range seen {
		c.outcomes[k]++
	}
}

// created reports whether a log creates a ReplicaSet successfully.
func created(log []harness.Entry) bool {
	for _, e := range log {
		if c := e.Call; c != nil && c.Verb == workload.Create && c.Err == nil {
			return true
		}
	}
	return false
}

// requiredDims are the generator dimensions every full run must reach.
var requiredDims = []string{
	"now=whole-second", "deployment=long-name", "deployment=deleting", "template=explicit-defaults",
	"template=defaulted-field-differs", "template=pod-template-hash-label", "selector=expressions",
	"replicas=default", "replicas=zero", "replicas=large", "scaling-event",
	"strategy=Recreate", "strategy=RollingUpdate", "rollingUpdate=default",
	"maxSurge=default", "maxSurge=int-zero", "maxSurge=int", "maxSurge=percent-zero", "maxSurge=percent", "maxSurge=percent-100", "maxSurge=percent-over-100",
	"maxUnavailable=default", "maxUnavailable=int-zero", "maxUnavailable=int", "maxUnavailable=percent-zero", "maxUnavailable=percent", "maxUnavailable=percent-100",
	"minReadySeconds>0", "deadline=default", "deadline=none", "deadline=short",
	"revisionHistoryLimit=0", "revisionHistoryLimit=1", "revisionHistoryLimit=2", "revisionHistoryLimit=3", "revisionHistoryLimit=10",
	"paused", "collisionCount=set", "status=consistent",
	"old-replicasets=0", "old-replicasets=1", "old-replicasets=2", "old-replicasets=3", "old-replicasets=4", "old-replicasets=5",
	"replicasets=two-current",
	"replicaset=current", "replicaset=old", "replicaset=orphan", "replicaset=orphan-elsewhere", "replicaset=owned-not-matching",
	"replicaset=other-owner", "replicaset=other-namespace", "replicaset=non-controller-ref", "replicaset=squatter",
	"replicaset=extra-owner-reference", "replicaset=minReadySeconds-differs", "replicaset=no-annotations", "replicaset=deleting", "replicaset=status-lagging", "replicaset=replica-failure",
	"revision=valid", "revision=missing", "revision=corrupt",
	"desired-replicas=valid", "desired-replicas=missing", "desired-replicas=corrupt",
	"max-replicas=valid", "max-replicas=missing", "max-replicas=corrupt",
	"revision-history=near-limit",
	"recreate=old-pods-after-scale-down", "recreate=terminating-pod", "pod=Pending", "pod=Running", "pod=Succeeded", "pod=Failed", "pod=Unknown",
	"pod=terminating", "pod=other-namespace", "pod=controller-name-mismatch",
	"rollback=existing-revision", "rollback=previous", "rollback=unknown-revision",
	"progressing=none", "progressing=NewReplicaSetAvailable", "progressing=ReplicaSetUpdated", "progressing=NewReplicaSetCreated",
	"progressing=FoundNewReplicaSet", "progressing=ProgressDeadlineExceeded", "progressing=DeploymentPaused",
	"progressing=DeploymentResumed", "progressing=ReplicaSetCreateError",
	"progress=well-before-deadline", "progress=just-before-deadline", "progress=at-deadline", "progress=just-after-deadline", "progress=long-after-deadline",
	"condition=ReplicaFailure", "condition=duplicate-type", "condition=unknown-type",
}

// requiredOutcomes are the upstream behaviours every full run must see.
var requiredOutcomes = []string{
	"claim=adopt", "claim=release", "no-writes",
	"write=create", "write=update", "write=delete", "write=update-deployment", "write=update-status",
	"event=Normal ScalingReplicaSet", "event=Normal DeploymentRollback",
	"event=Warning DeploymentRollbackRevisionNotFound", "event=Warning DeploymentRollbackTemplateUnchanged",
	"requeue=rate-limited", "requeue=after", "requeue=after-from-condition-stamped-in-sync", "sync-error",
	"status=collision-count-bumped",
	"condition-set=Progressing/NewReplicaSetCreated", "condition-set=Progressing/FoundNewReplicaSet",
	"condition-set=Progressing/ReplicaSetUpdated", "condition-set=Progressing/NewReplicaSetAvailable",
	"condition-set=Progressing/ProgressDeadlineExceeded", "condition-set=Progressing/DeploymentPaused",
	"condition-set=Progressing/DeploymentResumed", "condition-set=Available/MinimumReplicasAvailable",
	"condition-set=Available/MinimumReplicasUnavailable", "condition-set=ReplicaFailure/FailedCreate",
	"condition-removed=Progressing", "condition-removed=ReplicaFailure",
	"conflict=second-status-write", "conflict=second-status-write-after-create", "conflict=second-replicaset-update",
}

// requiredChainOutcomes are what every full run of chains must see: a
// chain that never completes a rollout, never cleans up and never idles
// would not be exercising the feedback.
var requiredChainOutcomes = []string{
	"no-writes", "write=create", "write=delete", "write=update-deployment", "requeue=after",
	"condition-set=Progressing/NewReplicaSetAvailable", "condition-set=Progressing/ProgressDeadlineExceeded",
	"event=Normal DeploymentRollback",
}

// require fails t if a full run missed a required dimension or outcome,
// or produced a dimension the list does not know (keep it complete).
func (c *coverage) require(t *testing.T, dims bool, outcomes []string) {
	t.Helper()
	if dims {
		for _, d := range requiredDims {
			if c.dims[d] == 0 {
				t.Errorf("no scenario reached generator dimension %q", d)
			}
		}
		for d := range c.dims {
			if !slices.Contains(requiredDims, d) {
				t.Errorf("generator dimension %q is not in requiredDims", d)
			}
		}
	}
	for _, o := range outcomes {
		if c.outcomes[o] == 0 {
			t.Errorf("no sync produced upstream outcome %q", o)
		}
	}
}

func (c *coverage) String() string {
	var keys []string
	for k := range c.outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%d syncs, %d dimensions reached; upstream outcomes (syncs):", c.syncs, len(c.dims))
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %6d %s", c.outcomes[k], k)
	}
	return b.String()
}

// failures collects the disagreements of one test run by signature: the
// first of each is minimized, saved under testdata/ (unless a saved case
// has its signature) and reported in full; the others are counted.
type failures struct {
	t     *testing.T
	bySig map[string]int
	total int
}

func newFailures(t *testing.T) *failures { return &failures{t: t, bySig: map[string]int{}} }

func (f *failures) add(sc *scenario, res *result, rerun string) {
	f.t.Helper()
	f.total++
	sig := res.signature()
	f.bySig[sig]++
	if f.bySig[sig] > 1 {
		return
	}
	min, minRes := minimize(sc, res)
	where := "not saved (-deploy.save=false)"
	if *flagSave {
		where = save(min, minRes, rerun)
	}
	f.t.Errorf("%s disagrees [%s]; rerun with %s\n  %s\n  minimized to %d ReplicaSets, %d pods (%s):\n  %s",
		sc.Name, sig, rerun, res.report(), len(min.ReplicaSets), len(min.Pods), where, minRes.report())
}

func (f *failures) summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d disagreements:", f.total)
	for sig, n := range f.bySig {
		fmt.Fprintf(&b, "\n  %5d × [%s]", n, sig)
	}
	return b.String()
}

// minimize drops ReplicaSets and pods from a failing scenario one at a
// time, keeping each removal after which it still fails the same way.
func minimize(sc *scenario, res *result) (*scenario, *result) {
	sig := res.signature()
	cur := sc.deepCopy()
	for _, field := range []string{"replicasets", "pods"} {
		for i := 0; ; {
			c := cur.deepCopy()
			if field == "replicasets" {
				if i >= len(c.ReplicaSets) {
					break
				}
				c.ReplicaSets = slices.Delete(c.ReplicaSets, i, i+1)
			} else {
				if i >= len(c.Pods) {
					break
				}
				c.Pods = slices.Delete(c.Pods, i, i+1)
			}
			if r := check(c); r.failed() && r.signature() == sig {
				cur, res = c, r
			} else {
				i++
			}
		}
	}
	return cur, res
}

// regression is a saved disagreement (testdata/*.json).
type regression struct {
	Found     string    `json:"found"`     // how it was found (the rerun command)
	Signature string    `json:"signature"` // what differed
	Report    string    `json:"report"`    // the differences when it was saved
	Scenario  *scenario `json:"scenario"`
}

const testdata = "testdata"

func loadRegressions() (map[string]*regression, error) {
	files, err := filepath.Glob(filepath.Join(testdata, "*.json"))
	if err != nil {
		return nil, err
	}
	out := map[string]*regression{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var r regression
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %v", f, err)
		}
		if r.Scenario == nil || r.Scenario.Deployment == nil {
			return nil, fmt.Errorf("%s: no scenario", f)
		}
		out[filepath.Base(f)] = &r
	}
	return out, nil
}

// save writes a failing scenario under testdata/ unless a saved case
// already has its signature; it says where the case is.
func save(sc *scenario, res *result, rerun string) string {
	saved, err := loadRegressions()
	if err != nil {
		return fmt.Sprintf("not saved: %v", err)
	}
	for name, r := range saved {
		if r.Signature == res.signature() {
			return "like saved " + name
		}
	}
	b, err := json.MarshalIndent(regression{Found: rerun, Signature: res.signature(), Report: res.report(), Scenario: sc}, "", "  ")
	if err != nil {
		return fmt.Sprintf("not saved: %v", err)
	}
	name := "case-" + sc.Name + ".json"
	if err := os.MkdirAll(testdata, 0o755); err != nil {
		return fmt.Sprintf("not saved: %v", err)
	}
	if err := os.WriteFile(filepath.Join(testdata, name), append(b, '\n'), 0o644); err != nil {
		return fmt.Sprintf("not saved: %v", err)
	}
	return "saved as testdata/" + name
}

// TestDeploymentConformance runs upstream's Deployment controller and
// workload.PlanDeployment on -deploy.n generated scenarios, one sync each,
// and requires the same writes, events and requeue (see the package
// documentation for what is compared and how).
func TestDeploymentConformance(t *testing.T) {
	s := seed(t)
	cov := newCoverage()
	fails := newFailures(t)
	start := time.Now()
	for i := *flagFirst; i < *flagFirst+uint64(*flagN); i++ {
		sc, tags := generate(s, i)
		addFailures(sc, faultRand(s, i), failureRate)
		cov.addDims(tags)
		res := check(sc)
		if res.failed() {
			fails.add(sc, res, fmt.Sprintf("-run 'TestDeploymentConformance$' -deploy.seed=%d -deploy.first=%d -deploy.n=1", s, i))
			continue
		}
		cov.addOutcome(sc, res)
	}
	t.Logf("%d scenarios in %v, %d agree, %d disagree\n%v", *flagN, time.Since(start).Round(time.Millisecond), *flagN-fails.total, fails.total, cov)
	if fails.total > 0 {
		t.Errorf("%s", fails.summary())
	}
	if *flagN >= 2000 && !t.Failed() {
		cov.require(t, true, append(requiredOutcomes, failureOutcomes()...))
	}
}

// faultRand is the source of the failures a case or chain step gets: a
// stream of its own, so that a seed's scenarios stay what they were
// without failures.
func faultRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x5eedfa17, stream))
}

// TestHarnessDetectsDifferences shows the comparison is not vacuous: with
// reckon given a slightly different scenario than upstream (one more
// replica, a slightly later now, one ReplicaSet fewer), or its plan
// changed against the contract (events recorded before their write,
// writes computed from the observed copy where upstream uses an earlier
// write's result, no fallback after a refused create, no requeue), the
// harness must report disagreements, each expected kind several times.
// The plan changes are tried on scenarios that all have a failure.
func TestHarnessDetectsDifferences(t *testing.T) {
	perturbations := []struct {
		name        string
		perturb     func(*scenario)
		perturbPlan func(*workload.Plan)
		failures    bool     // try it on scenarios that all have a failure
		want        []string // difference labels that must show up
	}{
		{"one more replica", func(sc *scenario) { *sc.Deployment.Spec.Replicas++ }, nil, false, []string{"update", "create", "events"}},
		// Condition times and requeue delays are compared to the
		// nanosecond.
		{"now 10ms later", func(sc *scenario) { sc.Now = sc.Now.Add(10 * time.Millisecond) }, nil, false, []string{"update-status", "requeue"}},
		{"first ReplicaSet missing", func(sc *scenario) {
			if len(sc.ReplicaSets) > 0 {
				sc.ReplicaSets = sc.ReplicaSets[1:]
			}
		}, nil, false, []string{"patch", "missing", "update"}},
		{"events recorded before their write", nil, harness.EventsBeforeWrites, false, []string{"events"}},
		{"every write from the observed copy", nil, func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.Precondition.FromPrevious = false })
		}, false, []string{"update"}},
		{"no requeue", nil, func(p *workload.Plan) { p.Requeue = workload.Requeue{} }, false, []string{"requeue"}},
		{"no fallback", nil, func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.OnError.Fallback = nil })
		}, true, []string{"missing", "events"}},
		{"no resume", nil, func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.OnError.Resume = false })
		}, true, []string{"missing"}},
	}
	s := seed(t)
	for _, p := range perturbations {
		t.Run(p.name, func(t *testing.T) {
			harness.Detects(t, p.want, 5000, func(i uint64) []string {
				sc, _ := generate(s, i)
				if p.failures {
					addFailures(sc, faultRand(s, i), 1)
				}
				res := checkWith(sc, p.perturb, p.perturbPlan)
				switch {
				case res.err != nil && !strings.HasPrefix(res.err.Error(), "reckon"):
					t.Fatalf("%s: %v", sc.Name, res.err)
				case res.err != nil:
					return []string{"reckon-error: " + res.err.Error()}
				}
				return res.diffs
			})
		})
	}
}

// TestDeploymentRegressions replays every saved disagreement.
func TestDeploymentRegressions(t *testing.T) {
	cases, err := loadRegressions()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Skip("no regression cases under testdata/")
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if res := check(c.Scenario); res.failed() {
				t.Errorf("%s still disagrees:\n  %s\n(found with %s)", name, res.report(), c.Found)
			}
		})
	}
}

func conditionOf(s appsv1.DeploymentStatus, t appsv1.DeploymentConditionType) *appsv1.DeploymentCondition {
	for i := range s.Conditions {
		if s.Conditions[i].Type == t {
			return &s.Conditions[i]
		}
	}
	return nil
}
