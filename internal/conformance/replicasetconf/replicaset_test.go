package replicasetconf

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/klog/v2"
	"k8s.io/kubernetes/pkg/api/legacyscheme"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
	"github.com/reckon-k8s/reckon/workload"
)

var (
	flagN      = flag.Int("rs.n", 5000, "number of generated single-sync scenarios")
	flagChains = flag.Int("rs.chains", 250, "number of generated multi-sync chains")
	flagSteps  = flag.Int("rs.steps", 8, "syncs per multi-sync chain")
	flagSeed   = flag.Uint64("rs.seed", 0, "generator seed (0: pick one from the clock and print it)")
	flagFirst  = flag.Uint64("rs.first", 0, "first case (or chain) number, to rerun one reported case")
	flagSave   = flag.Bool("rs.save", true, "save every disagreement under testdata/ as a regression case")
)

func TestMain(m *testing.M) {
	flag.Parse()
	// The controller logs and reports non-returnable errors ("ReplicaSet
	// has no controller") through klog and utilruntime; the latter also
	// sleeps up to 1ms between reports, which would only add clock drift.
	klog.SetLogger(logr.Discard())
	utilruntime.ErrorHandlers = nil
	harness.LessGC()
	os.Exit(m.Run())
}

func seed(t *testing.T) uint64 {
	s := *flagSeed
	if s == 0 {
		s = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -rs.seed=%d)", s, s)
	return s
}

// stats counts what the generated scenarios exercised, so a run shows that
// every path was taken.
type stats struct {
	syncs, claims, adopts, releases, creates, deletes, skippedWrites, writes, requeues, failures, pending, deleting int
	tieAccepted, cycleAccepted, driftRetries                                                                        int
	conflicts, refused                                                                                              int
	kinds                                                                                                           map[string]int
}

func (s *stats) String() string {
	var kinds []string
	for _, k := range failureKinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, s.kinds[k]))
	}
	return fmt.Sprintf("%d syncs: %d with adoptions/releases (%d/%d patches), %d creating, %d deleting (%d where reckon chose other tied pods, %d in a ranking cycle), "+
		"%d status writes, %d skipped writes, %d timed requeues, %d sync errors (rate-limited), %d with expectations pending, %d ReplicaSets being deleted, %d reruns for clock drift; "+
		"%d syncs with a write refused (%d by a Conflict); failure kinds: %s",
		s.syncs, s.claims, s.adopts, s.releases, s.creates, s.deletes, s.tieAccepted, s.cycleAccepted, s.writes, s.skippedWrites, s.requeues, s.failures, s.pending, s.deleting, s.driftRetries,
		s.refused, s.conflicts, strings.Join(kinds, ", "))
}

// count adds what upstream did in one sync.
func (s *stats) count(sc *scenario, res *result) {
	if s.kinds == nil {
		s.kinds = map[string]int{}
	}
	s.syncs++
	var patched, created, deleted, written, refused, conflict bool
	for _, e := range res.run.store.Log() {
		c := e.Call
		if c == nil {
			continue
		}
		switch c.Verb {
		case workload.Patch:
			patched = true
			if strings.Contains(string(c.Patch), `"$patch":"delete"`) {
				s.releases++
			} else {
				s.adopts++
			}
		case workload.Create:
			created = true
		case workload.Delete:
			deleted = true
		case workload.UpdateStatus:
			written = true
		}
		if c.Err != nil {
			refused = true
			conflict = conflict || apierrors.IsConflict(c.Err)
		}
	}
	for _, b := range []struct {
		ok bool
		n  *int
	}{{patched, &s.claims}, {created, &s.creates}, {deleted, &s.deletes}, {written, &s.writes}, {!written, &s.skippedWrites},
		{len(res.run.addAfter) > 0, &s.requeues}, {res.run.err != nil, &s.failures}, {sc.ExpectationsPending, &s.pending},
		{sc.RS.DeletionTimestamp != nil, &s.deleting}, {res.tieAccepted, &s.tieAccepted}, {res.cycleAccepted, &s.cycleAccepted},
		{refused, &s.refused}, {conflict, &s.conflicts}} {
		if b.ok {
			*b.n++
		}
	}
	for _, k := range sc.Kinds {
		s.kinds[k]++
	}
}

// requireKinds fails t unless every failure kind was exercised.
func (s *stats) requireKinds(t *testing.T) {
	t.Helper()
	for _, k := range failureKinds {
		if s.kinds[k] == 0 {
			t.Errorf("no scenario exercised failure kind %q", k)
		}
	}
}

// result of checking one scenario.
type result struct {
	run     *upstreamRun
	shifted *scenario
	rk      *harness.Store // reckon's store, after its plan was applied
	diffs   []string
	err     error // the case could not be compared (harness or reckon error)
	// The deleted pods differ from upstream's but are a choice upstream's
	// unstable sort could also have made (see acceptDeletes).
	tieAccepted, cycleAccepted bool
}

func (r *result) failed() bool { return r.err != nil || len(r.diffs) > 0 }

func (r *result) report() string {
	if r.err != nil {
		return r.err.Error()
	}
	return strings.Join(r.diffs, "\n  ")
}

// check runs upstream and reckon on sc, each against a store seeded with
// sc's objects, and compares what reached the stores.
func check(sc *scenario, st *stats) *result { return checkWith(sc, st, nil) }

// checkWith is check with reckon's plan perturbed before it is applied.
func checkWith(sc *scenario, st *stats, perturbPlan func(*workload.Plan)) *result {
	res := &result{}
	for attempt := 0; ; attempt++ {
		res.run, res.shifted = runUpstream(sc)
		if !res.run.deletes() || res.shifted.bucketsStable(res.run.before, res.run.after) {
			break
		}
		// Upstream ranked pods to delete, and the wall clock moved so far
		// during the sync that some age changed log2 bucket: it may have
		// ranked at another instant than reckon is given. Run again.
		st.driftRetries++
		if attempt == 5 {
			res.err = fmt.Errorf("harness: the wall clock drifted across a log2 bucket edge in 6 attempts")
			return res
		}
	}
	if odd := res.run.store.Odd(); len(odd) > 0 || res.run.adds > 0 || res.run.rateLim > 0 {
		res.err = fmt.Errorf("harness: upstream made calls the store does not expect %v, or queued its key itself (%d adds, %d rate-limited)", odd, res.run.adds, res.run.rateLim)
		return res
	}
	in, pristine := res.shifted.deepCopy(), res.shifted.deepCopy()
	plan, err := runReckon(in)
	if err != nil {
		res.err = fmt.Errorf("reckon rejected the scenario: %v", err)
		return res
	}
	if !reflect.DeepEqual(in, pristine) {
		res.err = fmt.Errorf("reckon modified its inputs")
		return res
	}
	if err := harness.CheckPlan(plan); err != nil {
		res.err = fmt.Errorf("reckon's plan breaks the contract: %v", err)
		return res
	}
	if perturbPlan != nil {
		perturbPlan(&plan)
	}
	res.rk = res.shifted.newStore()
	applied := res.rk.Applier().Apply(plan)
	if odd := res.rk.Odd(); len(odd) > 0 {
		res.err = fmt.Errorf("reckon's plan made writes the store does not expect: %v", odd)
		return res
	}
	up := harness.Side{Log: res.run.store.Log(), Requeue: res.run.requeue()}
	rk := harness.Side{Log: res.rk.Log(), Requeue: applied.Requeue}

	upDel, rkDel := deletedPods(up.Log), deletedPods(rk.Log)
	if !slices.Equal(upDel, rkDel) {
		ok, cycle, why := acceptDeletes(res.shifted, upDel, rkDel)
		if !ok {
			res.diffs = append(res.diffs, fmt.Sprintf("deleted pods (%s):\n    upstream: %v\n    reckon:   %v", why, upDel, rkDel))
		} else {
			res.tieAccepted, res.cycleAccepted = !cycle, cycle
			rk.Log = renameDeleted(rk.Log, rkDel, upDel)
		}
	}
	norm := normalizer(res.shifted)
	res.diffs = append(res.diffs, harness.Compare(up, rk, norm, norm)...)
	st.count(sc, res)
	return res
}

// deletedPods lists the pods a log deletes (namespace/name, sorted).
func deletedPods(log []harness.Entry) []string {
	var out []string
	for _, e := range log {
		if c := e.Call; c != nil && c.Verb == workload.Delete && c.Resource == "pods" {
			out = append(out, c.Namespace+"/"+c.Name)
		}
	}
	sort.Strings(out)
	return out
}

// renameDeleted rewrites reckon's log where it deletes another pod than
// upstream among tied ones (acceptDeletes said upstream could have chosen
// reckon's pods): each pod only reckon deletes is named as one only
// upstream deletes, in the writes and their events, so that the rest of
// the comparison lines up.
func renameDeleted(log []harness.Entry, rk, up []string) []harness.Entry {
	names := map[string]string{}
	onlyRk, onlyUp := minus(rk, up), minus(up, rk)
	for i := range onlyRk {
		_, from, _ := strings.Cut(onlyRk[i], "/")
		_, to, _ := strings.Cut(onlyUp[i], "/")
		names[from] = to
	}
	out := make([]harness.Entry, len(log))
	for i, e := range log {
		out[i] = e
		switch {
		case e.Call != nil && e.Call.Verb == workload.Delete && names[e.Call.Name] != "":
			c := *e.Call
			c.Name = names[c.Name]
			out[i].Call = &c
		case e.Event != nil && e.Event.Reason == "SuccessfulDelete":
			ev := *e.Event
			if to := names[strings.TrimPrefix(ev.Message, "Deleted pod: ")]; to != "" {
				ev.Message = "Deleted pod: " + to
			}
			out[i].Event = &ev
		}
	}
	return out
}

// minus returns the elements of sorted a not in sorted b.
func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			out = append(out, x)
		}
	}
	return out
}

// normalizer returns how the bodies of sc's sync are compared: a written
// ReplicaSet status with the lastTransitionTime of the conditions sc's
// status did not have cleared (upstream stamps a condition it adds with
// the wall clock: NewReplicaSetCondition calls metav1.Now()).
func normalizer(sc *scenario) harness.Normalize {
	return func(c *harness.Call) workload.Object {
		rs, ok := c.Object.(*appsv1.ReplicaSet)
		if !ok || c.Verb != workload.UpdateStatus {
			return c.Object
		}
		rs = rs.DeepCopy()
		for i := range rs.Status.Conditions {
			if !slices.ContainsFunc(sc.RS.Status.Conditions, func(o appsv1.ReplicaSetCondition) bool { return o.Type == rs.Status.Conditions[i].Type }) {
				rs.Status.Conditions[i].LastTransitionTime = metav1.Time{}
			}
		}
		return rs
	}
}

// failures collects the disagreements of one test run by class (see
// class): the first of each class is minimized, saved under testdata/
// (unless a saved case already has its class) and reported in full; the
// others are counted.
type failures struct {
	t       *testing.T
	byClass map[string]*failureClass
	order   []string
	total   int
}

type failureClass struct {
	count       int
	first, file string
}

func newFailures(t *testing.T) *failures {
	return &failures{t: t, byClass: map[string]*failureClass{}}
}

func (f *failures) add(sc *scenario, res *result, rerun string) {
	f.t.Helper()
	f.total++
	raw := class(sc, res)
	if c, ok := f.byClass[raw]; ok {
		c.count++
		return
	}
	c := &failureClass{count: 1, first: sc.Name + " (rerun with " + rerun + ")"}
	f.byClass[raw] = c
	f.order = append(f.order, raw)
	min, minRes := minimize(sc, res)
	final := class(min, minRes)
	saved, err := loadRegressions()
	for name, r := range saved {
		if r.Signature == final {
			c.file = "like " + name
		}
	}
	if c.file == "" && err == nil && *flagSave {
		name, err2 := saveRegression(min, final, minRes.report())
		err = err2
		c.file = "saved as " + name
	}
	if err != nil {
		c.file = fmt.Sprintf("not saved: %v", err)
	}
	f.t.Errorf("%s disagrees [%s] (%s); rerun with %s\n  %s\n  minimized (%d pods, %d other ReplicaSets):\n  %s",
		sc.Name, final, c.file, rerun, res.report(), len(min.Pods), len(min.ReplicaSets), minRes.report())
}

func (f *failures) summary() string {
	if f.total == 0 {
		return "0 disagreements"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d disagreements:", f.total)
	for _, k := range f.order {
		c := f.byClass[k]
		fmt.Fprintf(&b, "\n  %5d × [%s], first %s, %s", c.count, k, c.first, c.file)
	}
	return b.String()
}

// class names what a failure is about: the unusual (though storable)
// features of the scenario that reckon is known to treat differently, or
// else the kinds of difference (see signature).
func class(sc *scenario, res *result) string {
	if f := features(sc); len(f) > 0 {
		return "features: " + strings.Join(f, ",")
	}
	return "diff: " + signature(res)
}

// features lists the unusual properties of sc that the generator makes on
// purpose, each one something an API server stores but a cluster rarely
// sees.
func features(sc *scenario) []string {
	var out []string
	rs := sc.RS
	if len(rs.Spec.Template.Labels) == 0 {
		out = append(out, "template-without-labels")
	}
	for _, p := range sc.Pods {
		if ctl := metav1.GetControllerOf(p); p.Namespace == rs.Namespace && ctl != nil && ctl.UID == rs.UID && (ctl.Kind != "ReplicaSet" || ctl.Name != rs.Name) {
			out = append(out, "pod-controller-ref-with-rs-uid-but-other-kind-or-name")
			break
		}
	}
	if ctl := metav1.GetControllerOf(rs); ctl != nil {
		for _, o := range sc.ReplicaSets {
			if c := metav1.GetControllerOf(o); c != nil && c.UID == ctl.UID && o.Namespace != rs.Namespace {
				out = append(out, "sibling-replicaset-in-other-namespace")
				break
			}
		}
	}
	return out
}

// minimize drops other ReplicaSets and pods from a failing scenario one at
// a time, keeping each removal after which the scenario still fails in the
// same respects, and returns the smaller scenario with its result.
func minimize(sc *scenario, res *result) (*scenario, *result) {
	var st stats
	sig := signature(res)
	try := func(c *scenario) bool {
		r := check(c, &st)
		if r.failed() && signature(r) == sig {
			res = r
			return true
		}
		return false
	}
	cur := sc.deepCopy()
	for i := 0; i < len(cur.ReplicaSets); {
		c := cur.deepCopy()
		c.ReplicaSets = slices.Delete(c.ReplicaSets, i, i+1)
		if try(c) {
			cur = c
		} else {
			i++
		}
	}
	for i := 0; i < len(cur.Pods); {
		c := cur.deepCopy()
		c.Pods = slices.Delete(c.Pods, i, i+1)
		if try(c) {
			cur = c
		} else {
			i++
		}
	}
	return cur, res
}

// signature is what a failure is about: the first line of each difference.
func signature(r *result) string {
	if r.err != nil {
		return r.err.Error()
	}
	var heads []string
	for _, d := range r.diffs {
		h, _, _ := strings.Cut(d, ":")
		heads = append(heads, h)
	}
	return strings.Join(heads, "|")
}

// TestReplicaSetConformance runs upstream's ReplicaSet controller and
// workload.PlanReplicaSet on -rs.n generated scenarios, one sync each, and
// requires the same adoptions and releases, created pods, deleted pods
// (up to ties upstream's unstable sort leaves open), status write and
// timed requeue.
func TestReplicaSetConformance(t *testing.T) {
	s := seed(t)
	var st stats
	fails := newFailures(t)
	start := time.Now()
	for i := *flagFirst; i < *flagFirst+uint64(*flagN); i++ {
		sc := generate(s, i)
		addFailures(sc, faultRand(s, i), failureRate)
		if res := check(sc, &st); res.failed() {
			fails.add(sc, res, fmt.Sprintf("-run 'TestReplicaSetConformance$' -rs.seed=%d -rs.first=%d -rs.n=1", s, i))
		}
	}
	t.Logf("%v in %v; %d disagreements", &st, time.Since(start).Round(time.Millisecond), fails.total)
	if fails.total > 0 {
		t.Errorf("%s", fails.summary())
	}
	if *flagN >= 2000 && !t.Failed() {
		st.requireKinds(t)
	}
}

// TestHarnessDetectsDifferences shows the comparison is not vacuous: with
// reckon's plan changed against the contract (events recorded before their
// write, a refused create's events or fallback dropped, the status write
// not retried, a gone pod's deletion not taken as made, no requeue), on
// scenarios that all have a failure, the harness must report
// disagreements, each expected kind several times.
func TestHarnessDetectsDifferences(t *testing.T) {
	perturbations := []struct {
		name    string
		perturb func(*workload.Plan)
		want    []string // difference labels that must show up
	}{
		{"events recorded before their write", harness.EventsBeforeWrites, []string{"events"}},
		{"no events for a refused write", func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.OnError.Events = nil })
		}, []string{"events"}},
		{"no fallback", func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.OnError.Fallback = nil })
		}, []string{"missing"}},
		{"status write not retried", func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.Retries = 0 })
		}, []string{"missing"}},
		{"nothing ignored", func(p *workload.Plan) {
			harness.EachWrite(p, func(w *workload.Write) { w.OnError.Ignore = nil })
		}, []string{"events", "extra"}},
		{"no requeue", func(p *workload.Plan) { p.Requeue = workload.Requeue{} }, []string{"requeue"}},
	}
	s := seed(t)
	for _, p := range perturbations {
		t.Run(p.name, func(t *testing.T) {
			var st stats
			harness.Detects(t, p.want, 3000, func(i uint64) []string {
				sc := generate(s, i)
				addFailures(sc, faultRand(s, i), 1)
				res := checkWith(sc, &st, p.perturb)
				if res.err != nil {
					t.Fatalf("%s: %v", sc.Name, res.err)
				}
				return res.diffs
			})
		})
	}
}

// faultRand is the source of the failures a case or chain step gets: a
// stream of its own, so that a seed's scenarios stay what they were
// without failures.
func faultRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x5eedfa17, stream))
}

// TestReplicaSetRegressions replays every saved disagreement.
func TestReplicaSetRegressions(t *testing.T) {
	cases, err := loadRegressions()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Skip("no regression cases under testdata/")
	}
	var st stats
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			res := check(c.Scenario, &st)
			if res.failed() {
				t.Errorf("%s still disagrees:\n  %s\n(found as: %s)", name, res.report(), c.Found)
			}
		})
	}
}

// TestReplicaSetMultiStep feeds the state forward over several syncs:
// after each sync (where both sides agree) the writes are applied to the
// objects as the API server would apply them, then time passes and the
// world moves (pods get scheduled, become ready or not, fail, finish
// terminating; the user scales), and both sides sync again on the same
// state.
func TestReplicaSetMultiStep(t *testing.T) {
	s := seed(t)
	var st stats
	fails := newFailures(t)
	start := time.Now()
	for c := *flagFirst; c < *flagFirst+uint64(*flagChains); c++ {
		sc := generate(s, 1<<40+c)
		if sc.RS.DeletionTimestamp != nil && c%4 != 0 {
			// A deleted ReplicaSet stays deleted: start most chains alive.
			sc.RS.DeletionTimestamp, sc.RS.Finalizers = nil, nil
		}
		w := newGen(s, 1<<41+c)
		w.now = sc.Now
		sc.markUsed(w)
		for step := range *flagSteps {
			sc.Name = fmt.Sprintf("seed%d-chain%d-step%d", s, c, step)
			addFailures(sc, faultRand(s, 1<<40+c<<8+uint64(step)), failureRate)
			res := check(sc, &st)
			if res.failed() {
				fails.add(sc, res, fmt.Sprintf("-run 'TestReplicaSetMultiStep$' -rs.seed=%d -rs.first=%d -rs.chains=1 -rs.steps=%d", s, c, step+1))
				break
			}
			sc = advance(sc, res, w)
		}
	}
	t.Logf("%d chains of up to %d syncs: %v in %v; %d disagreements", *flagChains, *flagSteps, &st, time.Since(start).Round(time.Millisecond), fails.total)
	if fails.total > 0 {
		t.Errorf("%s", fails.summary())
	}
}

// markUsed reserves sc's pod and ReplicaSet names and UIDs in g.
func (sc *scenario) markUsed(g *gen) {
	for _, p := range sc.Pods {
		g.uids[p.UID], g.names[p.Name] = true, true
	}
	for _, rs := range sc.allReplicaSets() {
		g.uids[rs.UID], g.names[rs.Name] = true, true
	}
}

// advance returns the next state of a chain: the state reckon's store was
// left in by the sync (the comparison found it equal to upstream's, up to
// tied deletions and condition times), then the world moved on.
func advance(sc *scenario, res *result, w *gen) *scenario {
	next := stateAfter(sc, res, w)

	// Time passes: often until the requeue the sync asked for.
	dt := time.Duration(w.between(1, 120)) * time.Second
	if len(res.run.addAfter) > 0 && w.chance(0.5) {
		dt = res.run.addAfter[0]
	} else if w.chance(0.1) {
		dt = time.Duration(w.between(10, 120)) * time.Minute
	}
	prev := sc.Now
	next.Now = sc.Now.Add(dt)
	w.now = next.Now
	between := func() metav1.Time {
		// A whole second in (prev, next.Now].
		lo, hi := prev.Truncate(time.Second).Add(time.Second), next.Now.Truncate(time.Second)
		if !hi.After(lo) {
			return metav1.NewTime(hi)
		}
		return metav1.NewTime(lo.Add(time.Duration(w.intn(int(hi.Sub(lo)/time.Second)+1)) * time.Second))
	}

	// The world moves.
	next.Pods = slices.DeleteFunc(next.Pods, func(p *corev1.Pod) bool {
		return p.DeletionTimestamp != nil && w.chance(0.6) // kubelet finished
	})
	for _, p := range next.Pods {
		if p.DeletionTimestamp != nil || p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
			continue
		}
		switch {
		case p.Status.Phase == corev1.PodPending && w.chance(0.6):
			if p.Spec.NodeName == "" && len(w.nodes) > 0 {
				p.Spec.NodeName = pick(w, w.nodes...)
			}
			if p.Spec.NodeName != "" && w.chance(0.8) {
				p.Status.Phase = corev1.PodRunning
			}
		case p.Status.Phase == corev1.PodRunning && w.chance(0.03):
			p.Status.Phase = corev1.PodFailed
			setReady(p, corev1.ConditionFalse, between())
		case p.Status.Phase == corev1.PodRunning && w.chance(0.6):
			if !isReady(p) {
				setReady(p, corev1.ConditionTrue, between())
			} else if w.chance(0.08) {
				setReady(p, corev1.ConditionFalse, between())
			}
		}
		if w.chance(0.04) && len(p.Status.ContainerStatuses) > 0 {
			p.Status.ContainerStatuses[0].RestartCount++
		}
	}
	// The user.
	if w.chance(0.15) {
		next.RS.Spec.Replicas = new(int32(pick(w, w.between(0, 5), w.between(0, 50))))
		next.RS.Generation++
	}
	if w.chance(0.05) && len(next.Pods) > 0 {
		p := next.Pods[w.intn(len(next.Pods))]
		if p.Labels == nil {
			p.Labels = map[string]string{}
		}
		if _, ok := p.Labels["canary"]; ok {
			delete(p.Labels, "canary")
		} else {
			p.Labels["canary"] = "true"
		}
	}
	if w.chance(0.02) && next.RS.DeletionTimestamp == nil {
		next.RS.DeletionTimestamp = new(metav1.NewTime(next.Now.Truncate(time.Second)))
		next.RS.Finalizers = append(next.RS.Finalizers, "foregroundDeletion")
	}
	next.ExpectationsPending = w.chance(0.05)
	next.OrderSeed = w.r.Uint64()
	next.Drift, next.Faults, next.Kinds = nil, nil, nil

	// Keep every age clear of log2 bucket edges (see safeAge): nudge the
	// clock forward a little, or failing that move the offending stamps.
	for range 3000 {
		if next.safeNow() {
			break
		}
		next.Now = next.Now.Add(7 * time.Millisecond)
	}
	fixStamps(next)
	w.now = next.Now
	return next
}

func isReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// setReady sets the first Ready condition as the kubelet does.
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

// stateAfter reads the objects reckon's store holds after the sync back
// into a scenario, in sc's time (the store's is shifted): every stamp to
// the whole second an API server keeps, pods the sync created with fresh
// random UIDs (the generator's: they order pods in one log2 bucket) and
// upstream's defaults.
func stateAfter(sc *scenario, res *result, w *gen) *scenario {
	c := res.rk.Cluster()
	next := sc.deepCopy()
	next.RS, next.ReplicaSets, next.Pods = nil, nil, nil
	next.Now = res.shifted.Now
	known := map[types.UID]bool{}
	for _, p := range sc.Pods {
		known[p.UID] = true
	}
	for _, namespace := range []string{ns, otherNS} {
		c.Namespace = namespace
		for _, rs := range c.ReplicaSets() {
			rs = rs.DeepCopy()
			if rs.Namespace == sc.RS.Namespace && rs.Name == sc.RS.Name {
				next.RS = rs
			} else {
				next.ReplicaSets = append(next.ReplicaSets, rs)
			}
		}
		for _, p := range c.Pods() {
			p = p.DeepCopy()
			if !known[p.UID] {
				p.UID = w.uid()
				w.names[p.Name] = true
				legacyscheme.Scheme.Default(p)
			}
			next.Pods = append(next.Pods, p)
		}
	}
	next = next.shift(sc.Now.Sub(res.shifted.Now))
	for _, t := range next.allStamps() {
		t.Time = t.Truncate(time.Second)
	}
	return next
}
