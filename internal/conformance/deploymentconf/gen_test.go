package deploymentconf

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/apps"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	appsvalidation "k8s.io/kubernetes/pkg/apis/apps/validation"
	"k8s.io/kubernetes/pkg/apis/core"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	corevalidation "k8s.io/kubernetes/pkg/apis/core/validation"
	"k8s.io/kubernetes/pkg/controller"
	deploymentutil "k8s.io/kubernetes/pkg/controller/deployment/util"

	"github.com/reckon-k8s/reckon/internal/conformance/harness"
)

const (
	ns      = "prod"
	otherNS = "staging"

	rollbackAnnotation = "deprecated.deployment.rollback.to" // apps.DeprecatedRollbackTo
	hashLabel          = appsv1.DefaultDeploymentUniqueLabelKey
)

// epoch anchors generated scenarios. It is years before the wall clock on
// purpose: a condition time upstream stamps with metav1.Now() during a sync
// can then never be confused with a scenario time (see isSyncStamp), and a
// progress check against such a stamp always lies in the future, as it
// would if the stamp were the scenario's now.
var epoch = time.Date(2020, time.June, 1, 12, 0, 0, 0, time.UTC)

// scenario is one Deployment sync's input: what the informers hold and the
// instant of the sync. It is also the format of a saved regression case.
type scenario struct {
	Name        string               `json:"name"`
	Now         time.Time            `json:"now"` // nanoseconds kept (not a metav1.Time)
	Deployment  *appsv1.Deployment   `json:"deployment"`
	ReplicaSets []*appsv1.ReplicaSet `json:"replicaSets"` // every namespace
	Pods        []*corev1.Pod        `json:"pods"`
	OrderSeed   uint64               `json:"orderSeed"` // how reckon's inputs are shuffled

	// What the API server (the store both sides write to) holds where it
	// is not what the informers hold, and the writes it refuses (see
	// faults_test.go). Empty for most scenarios.
	Drift  []harness.Drift `json:"drift,omitempty"`
	Faults []harness.Fault `json:"faults,omitempty"`
	Kinds  []string        `json:"failureKinds,omitempty"` // what Drift and Faults exercise
}

func (sc *scenario) deepCopy() *scenario {
	c := *sc
	c.Deployment = sc.Deployment.DeepCopy()
	c.Drift = harness.CopyDrifts(sc.Drift)
	c.Faults = slices.Clone(sc.Faults)
	c.Kinds = slices.Clone(sc.Kinds)
	c.ReplicaSets = make([]*appsv1.ReplicaSet, len(sc.ReplicaSets))
	for i, rs := range sc.ReplicaSets {
		c.ReplicaSets[i] = rs.DeepCopy()
	}
	c.Pods = make([]*corev1.Pod, len(sc.Pods))
	for i, p := range sc.Pods {
		c.Pods[i] = p.DeepCopy()
	}
	return &c
}

// replicaSet returns the ReplicaSet named name in namespace, nil if none.
func (sc *scenario) replicaSet(namespace, name string) *appsv1.ReplicaSet {
	for _, rs := range sc.ReplicaSets {
		if rs.Namespace == namespace && rs.Name == name {
			return rs
		}
	}
	return nil
}

// gen builds scenarios from a seeded source and notes which generator
// dimensions each one reached (tags), so that a run can show it reached
// them all.
type gen struct {
	r    *rand.Rand
	now  time.Time
	tags map[string]bool
	seq  int
}

func newGen(seed, stream uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, stream)), tags: map[string]bool{}}
}

func (g *gen) chance(p float64) bool  { return g.r.Float64() < p }
func (g *gen) intn(n int) int         { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) tag(format string, args ...any) {
	g.tags[fmt.Sprintf(format, args...)] = true
}

func pick[T any](g *gen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

const alnum = "bcdfghjklmnpqrstvwxz2456789"

func (g *gen) word(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.intn(len(alnum))]
	}
	return string(b)
}

func (g *gen) uid(prefix string) types.UID {
	g.seq++
	return types.UID(fmt.Sprintf("%s-%04d-%s", prefix, g.seq, g.word(8)))
}

// ago returns the whole second sec seconds before now (what an API server
// stores: metav1.Time has second precision).
func (g *gen) ago(sec int) metav1.Time {
	return metav1.NewTime(g.now.Truncate(time.Second).Add(-time.Duration(sec) * time.Second))
}

var images = []string{"nginx:1.25", "nginx:1.26", "nginx:1.27", "busybox"}

// podTemplate builds a Deployment's pod template. With explicit set, it
// spells out values the API server would default anyway (so after
// defaulting it equals the implicit one).
func (g *gen) podTemplate(image string, explicit bool, extra bool) corev1.PodTemplateSpec {
	t := corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web", "tier": "fe"}},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "app", Image: image}},
		},
	}
	if extra {
		t.Annotations = map[string]string{"prometheus.io/scrape": "true"}
		t.Spec.Containers[0].Resources.Requests = corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse("100m"),
			corev1.ResourceMemory: resource.MustParse("64Mi"),
		}
		t.Spec.Containers[0].Ports = []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}
		t.Spec.Containers[0].Env = []corev1.EnvVar{{Name: "MODE", Value: "prod"}}
		// Maps, pointers, int-or-strings and nested structs: the
		// pod-template hash dumps them all.
		t.Spec.Containers[0].ReadinessProbe = &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromString("http")}},
			PeriodSeconds: 5,
		}
		t.Spec.NodeSelector = map[string]string{"zone": "a", "disk": "ssd", "arch": "amd64"}
		t.Spec.Tolerations = []corev1.Toleration{{Key: "dedicated", Operator: corev1.TolerationOpEqual, Value: "web", Effect: corev1.TaintEffectNoSchedule}}
		t.Spec.Volumes = []corev1.Volume{{Name: "cache", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
		t.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "cache", MountPath: "/cache"}}
	}
	if explicit {
		c := &t.Spec.Containers[0]
		c.TerminationMessagePath = corev1.TerminationMessagePathDefault
		c.TerminationMessagePolicy = corev1.TerminationMessageReadFile
		if strings.Contains(image, ":") && !strings.HasSuffix(image, ":latest") {
			c.ImagePullPolicy = corev1.PullIfNotPresent
		} else {
			c.ImagePullPolicy = corev1.PullAlways
		}
		t.Spec.RestartPolicy = corev1.RestartPolicyAlways
		t.Spec.DNSPolicy = corev1.DNSClusterFirst
		t.Spec.TerminationGracePeriodSeconds = new(int64(corev1.DefaultTerminationGracePeriodSeconds))
		t.Spec.SchedulerName = corev1.DefaultSchedulerName
		t.Spec.SecurityContext = &corev1.PodSecurityContext{}
		t.Spec.EnableServiceLinks = new(corev1.DefaultEnableServiceLinks)
	}
	return t
}

// defaultTemplate applies the API server's defaulting to a pod template.
func defaultTemplate(t corev1.PodTemplateSpec) corev1.PodTemplateSpec {
	rs := &appsv1.ReplicaSet{Spec: appsv1.ReplicaSetSpec{Template: *t.DeepCopy()}}
	legacyscheme.Scheme.Default(rs)
	return rs.Spec.Template
}

var fences = []string{"0", "1", "2", "3", "5", "0%", "1%", "10%", "25%", "50%", "100%"}

// fence picks a maxSurge or maxUnavailable value (nil: the default) and
// names its kind, for the dimension tags.
func (g *gen) fence(overHundred bool) (*intstr.IntOrString, string) {
	if g.chance(0.15) {
		return nil, "default"
	}
	v := pick(g, fences...)
	if overHundred && g.chance(0.12) {
		v = pick(g, "150%", "200%", "1000%")
	}
	if n, err := strconv.Atoi(v); err == nil {
		out := intstr.FromInt32(int32(n))
		if n == 0 {
			return &out, "int-zero"
		}
		return &out, "int"
	}
	out := intstr.FromString(v)
	switch n, _ := strconv.Atoi(strings.TrimSuffix(v, "%")); {
	case n == 0:
		return &out, "percent-zero"
	case n > 100:
		return &out, "percent-over-100"
	case n == 100:
		return &out, "percent-100"
	default:
		return &out, "percent"
	}
}

// rollingUpdate picks maxSurge and maxUnavailable, not both zero.
func (g *gen) rollingUpdate() *appsv1.RollingUpdateDeployment {
	for {
		surge, sk := g.fence(true)
		unavailable, uk := g.fence(false)
		if !isZeroFence(surge) || !isZeroFence(unavailable) {
			g.tag("maxSurge=%s", sk)
			g.tag("maxUnavailable=%s", uk)
			return &appsv1.RollingUpdateDeployment{MaxSurge: surge, MaxUnavailable: unavailable}
		}
	}
}

func isZeroFence(v *intstr.IntOrString) bool {
	if v == nil {
		return false
	}
	return (v.Type == intstr.Int && v.IntVal == 0) || (v.Type == intstr.String && v.StrVal == "0%")
}

// replicaSetName is how upstream names a new ReplicaSet (its
// generateReplicaSetName): the Deployment's name cut to fit 253 characters.
func replicaSetName(d, hash string) string {
	if n := 253 - 1 - len(hash); len(d) > n {
		d = d[:n]
	}
	return d + "-" + hash
}

// generate builds scenario caseNo of the run seeded seed, and the
// generator dimensions it reached.
func generate(seed, caseNo uint64) (*scenario, map[string]bool) {
	g := newGen(seed, caseNo)
	g.now = epoch.Add(time.Duration(g.intn(30*86400)) * time.Second)
	if g.chance(0.75) {
		g.now = g.now.Add(time.Duration(1 + g.intn(int(time.Second)-1)))
	} else {
		g.tag("now=whole-second")
	}
	sc := &scenario{Name: fmt.Sprintf("seed%d-case%d", seed, caseNo), Now: g.now}
	w := &world{g: g, sc: sc}
	w.deployment()
	w.replicaSets()
	w.pods()
	w.rollback()
	w.status()
	sc.OrderSeed = g.r.Uint64()
	store(sc)
	return sc, g.tags
}

// world is the generator's view of a scenario under construction.
type world struct {
	g        *gen
	sc       *scenario
	prevReps int32 // spec.replicas before a scaling event, if any
	scaled   bool
}

func (w *world) deployment() {
	g := w.g
	name := "web"
	if g.chance(0.05) {
		name = "web-" + strings.Repeat(g.word(10), 25)[:236+g.intn(12)]
		g.tag("deployment=long-name")
	}
	explicit := g.chance(0.2)
	if explicit {
		g.tag("template=explicit-defaults")
	}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ns, UID: g.uid("deploy"),
			Generation:        int64(g.between(1, 6)),
			ResourceVersion:   strconv.Itoa(g.between(100, 999)),
			CreationTimestamp: g.ago(g.between(3600, 90*86400)),
		},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: g.podTemplate(pick(g, images...), explicit, g.chance(0.3)),
		},
	}
	if g.chance(0.3) {
		d.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: metav1.LabelSelectorOpIn, Values: []string{"fe", "be"}}}
		g.tag("selector=expressions")
	}
	if g.chance(0.03) {
		// Storable; upstream replaces it in its ReplicaSets' templates.
		d.Spec.Template.Labels[hashLabel] = "stale"
		g.tag("template=pod-template-hash-label")
	}
	switch {
	case g.chance(0.1):
		g.tag("replicas=default")
	case g.chance(0.1):
		d.Spec.Replicas = new(int32(0))
		g.tag("replicas=zero")
	case g.chance(0.12):
		d.Spec.Replicas = new(int32(g.between(11, 40)))
		g.tag("replicas=large")
	default:
		d.Spec.Replicas = new(int32(g.between(1, 10)))
	}
	if g.chance(0.22) {
		d.Spec.Strategy.Type = appsv1.RecreateDeploymentStrategyType
		g.tag("strategy=Recreate")
	} else {
		if g.chance(0.8) {
			d.Spec.Strategy.Type = appsv1.RollingUpdateDeploymentStrategyType
		}
		g.tag("strategy=RollingUpdate")
		if g.chance(0.9) {
			d.Spec.Strategy.RollingUpdate = g.rollingUpdate()
		} else {
			g.tag("rollingUpdate=default")
		}
	}
	if g.chance(0.3) {
		d.Spec.MinReadySeconds = int32(pick(g, 1, 5, 10))
		g.tag("minReadySeconds>0")
	}
	switch g.intn(6) {
	case 0:
		g.tag("deadline=default")
	case 1:
		d.Spec.ProgressDeadlineSeconds = new(int32(math.MaxInt32))
		g.tag("deadline=none")
	case 2, 3:
		d.Spec.ProgressDeadlineSeconds = new(int32(pick(g, 2, 10, 30)))
		g.tag("deadline=short")
	default:
		d.Spec.ProgressDeadlineSeconds = new(int32(pick(g, 120, 600, 3600)))
	}
	if p := d.Spec.ProgressDeadlineSeconds; p != nil && *p <= d.Spec.MinReadySeconds {
		d.Spec.MinReadySeconds = 0
	}
	if g.chance(0.7) {
		d.Spec.RevisionHistoryLimit = new(int32(pick(g, 0, 1, 2, 3, 10)))
		g.tag("revisionHistoryLimit=%d", *d.Spec.RevisionHistoryLimit)
	}
	if g.chance(0.15) {
		d.Spec.Paused = true
		g.tag("paused")
	}
	if g.chance(0.04) {
		d.DeletionTimestamp = new(g.ago(g.between(0, 30)))
		d.Finalizers = []string{"foregroundDeletion"}
		g.tag("deployment=deleting")
	}
	d.Annotations = map[string]string{}
	if g.chance(0.7) {
		d.Annotations[deploymentutil.RevisionAnnotation] = strconv.Itoa(g.between(1, 6))
	}
	if g.chance(0.3) {
		d.Annotations["kubernetes.io/change-cause"] = pick(g, "kubectl set image", "rollout")
	}
	if g.chance(0.2) {
		d.Annotations[corev1.LastAppliedConfigAnnotation] = `{"kind":"Deployment"}`
	}
	if g.chance(0.2) {
		d.Annotations["team"] = pick(g, "a", "b")
	}
	switch g.intn(4) {
	case 0:
		d.Status.CollisionCount = new(int32(0))
		g.tag("collisionCount=set")
	case 1:
		d.Status.CollisionCount = new(int32(g.between(1, 3)))
		g.tag("collisionCount=set")
	}
	w.sc.Deployment = d
	storeDeployment(d) // templates are compared and hashed as stored
	if d.Spec.Replicas != nil && *d.Spec.Replicas > 0 && g.chance(0.25) {
		w.scaled = true
		w.prevReps = int32(g.between(0, int(*d.Spec.Replicas)*2+2))
		if w.prevReps == *d.Spec.Replicas {
			w.prevReps++
		}
		g.tag("scaling-event")
	}
}

// rsKind is the role a generated ReplicaSet plays.
type rsKind int

const (
	rsCurrent          rsKind = iota // template equal to the Deployment's
	rsOld                            // an older template
	rsOrphan                         // no controller, labels match: adopted
	rsOrphanElsewhere                // no controller, labels do not match
	rsOwnedNotMatching               // controlled by d, labels do not match: released
	rsOtherOwner                     // controlled by another Deployment
	rsOtherNamespace                 // d's UID as controller, in another namespace
	rsNonControllerRef               // an owner reference to d that is not a controller
	rsSquatter                       // holds the name d's new ReplicaSet would get
)

var rsKindNames = []string{"current", "old", "orphan", "orphan-elsewhere", "owned-not-matching", "other-owner", "other-namespace", "non-controller-ref", "squatter"}

func (w *world) replicaSets() {
	g := w.g
	nOld := 0
	if g.chance(0.9) {
		nOld = g.between(1, 5)
	}
	g.tag("old-replicasets=%d", nOld)
	var kinds []rsKind
	for range nOld {
		kinds = append(kinds, rsOld)
	}
	if g.chance(0.65) {
		kinds = append(kinds, rsCurrent)
		if g.chance(0.06) {
			kinds = append(kinds, rsCurrent) // two with the current template
		}
	}
	for _, k := range []rsKind{rsOrphan, rsOrphanElsewhere, rsOwnedNotMatching, rsOtherOwner, rsOtherNamespace, rsNonControllerRef, rsSquatter} {
		if g.chance(0.06) {
			kinds = append(kinds, k)
		}
	}
	g.r.Shuffle(len(kinds), func(i, j int) { kinds[i], kinds[j] = kinds[j], kinds[i] })

	// Revisions: mostly 1..n in creation order, as a Deployment makes them.
	revs := g.r.Perm(len(kinds))
	if g.chance(0.6) {
		slices.Sort(revs)
	}
	created := g.between(100, 40*86400)
	current := 0
	for i, k := range kinds {
		rs := w.replicaSet(k, revs[i]+1, created)
		if w.sc.replicaSet(rs.Namespace, rs.Name) != nil {
			continue // an informer holds one object per name
		}
		g.tag("replicaset=%s", rsKindNames[k])
		if k == rsCurrent {
			if current++; current == 2 {
				g.tag("replicasets=two-current")
			}
		}
		w.sc.ReplicaSets = append(w.sc.ReplicaSets, rs)
		if !g.chance(0.2) { // else created in the same second
			created -= g.between(1, 86400)
			created = max(created, 1)
		}
	}
}

// replicaSet builds one ReplicaSet of kind k with revision rev, created
// createdAgo seconds ago.
func (w *world) replicaSet(k rsKind, rev, createdAgo int) *appsv1.ReplicaSet {
	g, d := w.g, w.sc.Deployment
	var tmpl corev1.PodTemplateSpec
	switch {
	case k == rsCurrent || (k != rsOld && k != rsSquatter && g.chance(0.4)):
		tmpl = *d.Spec.Template.DeepCopy()
		if g.chance(0.3) {
			// Written with the defaults spelled out (or left out): the
			// same template once stored.
			tmpl = defaultTemplate(g.podTemplate(d.Spec.Template.Spec.Containers[0].Image, true, d.Spec.Template.Annotations != nil))
			if !equalTemplates(tmpl, d.Spec.Template) {
				tmpl = *d.Spec.Template.DeepCopy()
			}
		}
	default:
		tmpl = *d.Spec.Template.DeepCopy()
		switch g.intn(5) {
		case 0, 1:
			tmpl.Spec.Containers[0].Image = pick(g, images...)
			if tmpl.Spec.Containers[0].Image == d.Spec.Template.Spec.Containers[0].Image {
				tmpl.Spec.Containers[0].Image = "nginx:1.24"
			}
			tmpl = defaultTemplate(tmpl) // pull policy follows the image
		case 2:
			// Differs only in a field the API server defaults, set to
			// another value.
			switch g.intn(3) {
			case 0:
				tmpl.Spec.TerminationGracePeriodSeconds = new(int64(60))
			case 1:
				tmpl.Spec.DNSPolicy = corev1.DNSDefault
			default:
				tmpl.Spec.SchedulerName = "other-scheduler"
			}
			g.tag("template=defaulted-field-differs")
		case 3:
			tmpl.Labels = map[string]string{"app": "web", "tier": "fe", "track": "canary"}
		default:
			tmpl.Spec.Containers[0].Env = append(tmpl.Spec.Containers[0].Env, corev1.EnvVar{Name: "REV", Value: strconv.Itoa(rev)})
		}
	}
	var cc *int32
	switch g.intn(6) {
	case 0:
		cc = new(int32(1))
	case 1:
		cc = new(int32(0))
	}
	hash := controller.ComputeHash(&tmpl, cc)
	name := replicaSetName(d.Name, hash)
	if k == rsOrphan || k == rsOrphanElsewhere || k == rsOtherOwner {
		if g.chance(0.5) {
			name = "legacy-" + g.word(6)
			hash = g.word(10)
		}
	}
	if k == rsSquatter {
		// The name d's next ReplicaSet gets; its template is d's only
		// sometimes (then it is not a collision if d controls it).
		hash = controller.ComputeHash(&d.Spec.Template, d.Status.CollisionCount)
		name = replicaSetName(d.Name, hash)
		if g.chance(0.3) {
			tmpl = *d.Spec.Template.DeepCopy()
		}
	}
	tmpl.Labels = withLabel(tmpl.Labels, hashLabel, hash)
	lbls := withLabel(tmpl.Labels, hashLabel, hash)
	sel := d.Spec.Selector.DeepCopy()
	sel.MatchLabels = withLabel(sel.MatchLabels, hashLabel, hash)
	rs := &appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: ns, UID: g.uid("rs"), Labels: lbls,
			Generation:        int64(g.between(1, 4)),
			ResourceVersion:   strconv.Itoa(g.between(1, 99)),
			CreationTimestamp: g.ago(createdAgo),
		},
		Spec: appsv1.ReplicaSetSpec{
			Selector:        sel,
			Template:        tmpl,
			MinReadySeconds: d.Spec.MinReadySeconds,
		},
	}
	ctl := metav1.NewControllerRef(d, appsv1.SchemeGroupVersion.WithKind("Deployment"))
	switch k {
	case rsOrphan:
	case rsOrphanElsewhere:
		rs.Labels = map[string]string{"app": "legacy", hashLabel: hash}
	case rsOwnedNotMatching:
		rs.OwnerReferences = []metav1.OwnerReference{*ctl}
		rs.Labels = map[string]string{"app": "web-old", hashLabel: hash}
	case rsOtherOwner:
		other := *ctl
		other.Name, other.UID = "api", g.uid("deploy")
		rs.OwnerReferences = []metav1.OwnerReference{other}
	case rsOtherNamespace:
		rs.Namespace = otherNS
		rs.OwnerReferences = []metav1.OwnerReference{*ctl}
	case rsNonControllerRef:
		ref := *ctl
		ref.Controller = nil
		rs.OwnerReferences = []metav1.OwnerReference{ref}
	case rsSquatter:
		switch g.intn(3) {
		case 0:
			rs.OwnerReferences = []metav1.OwnerReference{*ctl}
		case 1:
			other := *ctl
			other.Name, other.UID = "api", g.uid("deploy")
			rs.OwnerReferences = []metav1.OwnerReference{other}
		default:
			if g.chance(0.5) {
				rs.Labels = map[string]string{"app": "legacy"}
			}
		}
	default:
		rs.OwnerReferences = []metav1.OwnerReference{*ctl}
	}
	if g.chance(0.05) {
		rs.OwnerReferences = append(rs.OwnerReferences, metav1.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "settings", UID: g.uid("cm")})
		g.tag("replicaset=extra-owner-reference")
	}
	if g.chance(0.08) {
		rs.Spec.MinReadySeconds = d.Spec.MinReadySeconds + 3
		g.tag("replicaset=minReadySeconds-differs")
	}
	if g.chance(0.06) {
		rs.DeletionTimestamp = new(g.ago(g.between(0, 60)))
		rs.Finalizers = []string{"foregroundDeletion"}
		g.tag("replicaset=deleting")
	}
	w.annotate(rs, rev)
	w.replicas(rs, k)
	return rs
}

func equalTemplates(a, b corev1.PodTemplateSpec) bool {
	return deploymentutil.EqualIgnoreHash(&a, &b)
}

// annotate gives rs the annotations a Deployment leaves on its
// ReplicaSets, each valid, missing or corrupt.
func (w *world) annotate(rs *appsv1.ReplicaSet, rev int) {
	g, d := w.g, w.sc.Deployment
	a := map[string]string{}
	var tags []string
	switch {
	case g.chance(0.75):
		a[deploymentutil.RevisionAnnotation] = strconv.Itoa(rev)
		tags = append(tags, "revision=valid")
	case g.chance(0.5):
		tags = append(tags, "revision=missing")
	default:
		a[deploymentutil.RevisionAnnotation] = pick(g, "x", "1.5", "-1", "") // -1 parses
		tags = append(tags, "revision=corrupt")
	}
	replicas := int32(1)
	if d.Spec.Replicas != nil {
		replicas = *d.Spec.Replicas
	}
	desired := replicas
	if w.scaled {
		desired = w.prevReps
	}
	surge := int32(0)
	if ru := d.Spec.Strategy.RollingUpdate; ru != nil && ru.MaxSurge != nil {
		n, _ := intstr.GetScaledValueFromIntOrPercent(ru.MaxSurge, int(desired), true)
		surge = int32(n)
	}
	switch {
	case g.chance(0.8):
		a[deploymentutil.DesiredReplicasAnnotation] = strconv.Itoa(int(desired))
		tags = append(tags, "desired-replicas=valid")
	case g.chance(0.5):
		tags = append(tags, "desired-replicas=missing")
	default:
		a[deploymentutil.DesiredReplicasAnnotation] = pick(g, "many", "3.0", "99999999999")
		tags = append(tags, "desired-replicas=corrupt")
	}
	switch {
	case g.chance(0.75):
		a[deploymentutil.MaxReplicasAnnotation] = strconv.Itoa(int(desired + surge))
		tags = append(tags, "max-replicas=valid")
	case g.chance(0.5):
		tags = append(tags, "max-replicas=missing")
	default:
		a[deploymentutil.MaxReplicasAnnotation] = pick(g, "lots", "-", "1e3")
		tags = append(tags, "max-replicas=corrupt")
	}
	if g.chance(0.5) {
		for k, v := range d.Annotations {
			a[k] = v
		}
		if g.chance(0.7) {
			if v, ok := d.Annotations[deploymentutil.RevisionAnnotation]; ok && g.chance(0.5) {
				a[deploymentutil.RevisionAnnotation] = v
			}
		}
	}
	if g.chance(0.1) {
		a[deploymentutil.RevisionHistoryAnnotation] = pick(g, "1", "1,2", "")
	}
	if g.chance(0.03) {
		var hist []string
		// About 2000 characters, upstream's limit: appending the
		// previous revision may or may not need the oldest dropped.
		for i := range 490 + g.intn(21) {
			hist = append(hist, strconv.Itoa(100+i))
		}
		a[deploymentutil.RevisionHistoryAnnotation] = strings.Join(hist, ",")
		tags = append(tags, "revision-history=near-limit")
	}
	if g.chance(0.1) {
		a["kubernetes.io/change-cause"] = "older cause"
	}
	if len(a) == 0 || g.chance(0.05) {
		a, tags = nil, []string{"replicaset=no-annotations"}
	}
	for _, t := range tags {
		g.tag("%s", t)
	}
	rs.Annotations = a
}

// replicas sets rs's spec.replicas and a status the ReplicaSet controller
// could have written (often caught up, sometimes not).
func (w *world) replicas(rs *appsv1.ReplicaSet, k rsKind) {
	g, d := w.g, w.sc.Deployment
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	var n int32
	switch {
	case g.chance(0.35):
		n = 0
	case k == rsCurrent && g.chance(0.5):
		n = want
	default:
		n = int32(g.between(1, int(want)+3))
	}
	rs.Spec.Replicas = new(n)
	st := &rs.Status
	if g.chance(0.7) {
		st.ObservedGeneration = rs.Generation
		st.Replicas = n
		st.FullyLabeledReplicas = n
		st.ReadyReplicas = n
		if g.chance(0.4) {
			st.ReadyReplicas = int32(g.between(0, int(n)))
		}
		st.AvailableReplicas = st.ReadyReplicas
		if g.chance(0.3) {
			st.AvailableReplicas = int32(g.between(0, int(st.ReadyReplicas)))
		}
	} else {
		st.ObservedGeneration = rs.Generation - int64(g.intn(2))
		st.Replicas = int32(g.between(0, int(n)+2))
		st.ReadyReplicas = int32(g.between(0, int(st.Replicas)))
		st.AvailableReplicas = int32(g.between(0, int(st.ReadyReplicas)))
		g.tag("replicaset=status-lagging")
	}
	if g.chance(0.7) {
		st.TerminatingReplicas = new(int32(g.between(0, 2)))
	}
	if g.chance(0.06) {
		st.Conditions = []appsv1.ReplicaSetCondition{{
			Type: appsv1.ReplicaSetReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate",
			Message: "pods \"x\" is forbidden: exceeded quota", LastTransitionTime: g.ago(g.between(1, 500)),
		}}
		g.tag("replicaset=replica-failure")
	}
}

// pods gives the ReplicaSets pods; only the Recreate strategy reads them
// (are old pods gone?), so they are few, in every phase, some terminating.
func (w *world) pods() {
	g, d := w.g, w.sc.Deployment
	recreate := d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType
	for _, rs := range w.sc.ReplicaSets {
		n := g.intn(3)
		if recreate && g.chance(0.3) {
			// Old pods outlive their ReplicaSet's scale-down.
			rs.Spec.Replicas = new(int32(0))
			rs.Status.Replicas, rs.Status.FullyLabeledReplicas, rs.Status.ReadyReplicas, rs.Status.AvailableReplicas = 0, 0, 0, 0
			n = 1 + g.intn(2)
			g.tag("recreate=old-pods-after-scale-down")
		}
		for range n {
			w.sc.Pods = append(w.sc.Pods, w.pod(rs, rs.Namespace, rs.Name, rs.UID))
		}
	}
	if g.chance(0.2) {
		w.sc.Pods = append(w.sc.Pods, w.pod(nil, ns, "", ""))
	}
	if len(w.sc.ReplicaSets) > 0 && g.chance(0.15) {
		rs := pick(g, w.sc.ReplicaSets...)
		switch g.intn(2) {
		case 0:
			w.sc.Pods = append(w.sc.Pods, w.pod(rs, otherNS, rs.Name, rs.UID))
			g.tag("pod=other-namespace")
		default:
			w.sc.Pods = append(w.sc.Pods, w.pod(rs, ns, rs.Name+"-x", rs.UID))
			g.tag("pod=controller-name-mismatch")
		}
	}
}

func (w *world) pod(rs *appsv1.ReplicaSet, namespace, ownerName string, ownerUID types.UID) *corev1.Pod {
	g := w.g
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: "pod-" + g.word(5) + strconv.Itoa(g.seq), Namespace: namespace, UID: g.uid("pod"),
			Labels:            map[string]string{"app": "web"},
			CreationTimestamp: g.ago(g.between(1, 3600)),
			ResourceVersion:   "1",
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx:1.25"}}},
	}
	g.seq++
	if rs != nil {
		p.Labels = rs.Spec.Template.Labels
		p.Spec = *rs.Spec.Template.Spec.DeepCopy()
		p.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: ownerName, UID: ownerUID, Controller: new(true), BlockOwnerDeletion: new(true)}}
	}
	phase := pick(g, corev1.PodPending, corev1.PodRunning, corev1.PodRunning, corev1.PodSucceeded, corev1.PodFailed, corev1.PodUnknown)
	p.Status.Phase = phase
	g.tag("pod=%s", phase)
	if g.chance(0.2) {
		p.DeletionTimestamp = new(g.ago(-g.between(0, 30)))
		p.DeletionGracePeriodSeconds = new(int64(30))
		g.tag("pod=terminating")
		if rs != nil && w.sc.Deployment.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
			g.tag("recreate=terminating-pod")
		}
	}
	return p
}

// rollback sets the legacy rollback annotation (deprecated.deployment.rollback.to)
// to an existing revision, 0 (the previous one) or a revision no
// ReplicaSet has.
func (w *world) rollback() {
	g, d := w.g, w.sc.Deployment
	if !g.chance(0.12) {
		return
	}
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	var revs []string
	for _, rs := range w.sc.ReplicaSets {
		if v, err := strconv.Atoi(rs.Annotations[deploymentutil.RevisionAnnotation]); err == nil && v > 0 {
			revs = append(revs, strconv.Itoa(v))
		}
	}
	switch {
	case len(revs) > 0 && g.chance(0.45):
		d.Annotations[rollbackAnnotation] = pick(g, revs...)
		g.tag("rollback=existing-revision")
	case g.chance(0.4):
		d.Annotations[rollbackAnnotation] = "0"
		g.tag("rollback=previous")
	default:
		// An unparsable or negative value is not storable: converting
		// the annotation to the internal rollbackTo field fails, or
		// validation rejects it.
		d.Annotations[rollbackAnnotation] = "97"
		g.tag("rollback=unknown-revision")
	}
}

// status gives the Deployment a status: either numbers consistent with its
// ReplicaSets (a Deployment that was synced before, so that a sync may
// find nothing to write) or arbitrary stale ones, with conditions.
func (w *world) status() {
	g, d := w.g, w.sc.Deployment
	st := &d.Status
	st.ObservedGeneration = d.Generation - int64(g.intn(2))
	replicas := *d.Spec.Replicas
	if g.chance(0.5) {
		g.tag("status=consistent")
		st.ObservedGeneration = d.Generation
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil {
			panic(err)
		}
		var newRS *appsv1.ReplicaSet
		var term *int32
		for _, rs := range w.sc.ReplicaSets {
			if !claimable(d, sel, rs) {
				continue
			}
			st.Replicas += rs.Status.Replicas
			st.ReadyReplicas += rs.Status.ReadyReplicas
			st.AvailableReplicas += rs.Status.AvailableReplicas
			if rs.Status.TerminatingReplicas != nil {
				term = new(valueOr(term, 0) + *rs.Status.TerminatingReplicas)
			}
			if equalTemplates(rs.Spec.Template, d.Spec.Template) && (newRS == nil || rs.CreationTimestamp.Before(&newRS.CreationTimestamp)) {
				newRS = rs
			}
		}
		if newRS != nil {
			st.UpdatedReplicas = newRS.Status.Replicas
		}
		st.TerminatingReplicas = term
		var total int32
		for _, rs := range w.sc.ReplicaSets {
			if claimable(d, sel, rs) {
				total += *rs.Spec.Replicas
			}
		}
		st.UnavailableReplicas = max(total-st.AvailableReplicas, 0)
		// The availability condition upstream would keep.
		if st.AvailableReplicas >= replicas-deploymentutil.MaxUnavailable(*d) {
			st.Conditions = append(st.Conditions, condition(appsv1.DeploymentAvailable, corev1.ConditionTrue, deploymentutil.MinimumReplicasAvailable, "Deployment has minimum availability.", g.ago(g.between(1, 9000)), g.ago(g.between(9000, 20000))))
		} else {
			st.Conditions = append(st.Conditions, condition(appsv1.DeploymentAvailable, corev1.ConditionFalse, deploymentutil.MinimumReplicasUnavailable, "Deployment does not have minimum availability.", g.ago(g.between(1, 9000)), g.ago(g.between(9000, 20000))))
		}
	} else {
		// Stale, but what status validation accepts.
		st.Replicas = int32(g.intn(8))
		st.UpdatedReplicas = int32(g.between(0, int(st.Replicas)))
		st.ReadyReplicas = int32(g.between(0, int(st.Replicas)))
		st.AvailableReplicas = int32(g.between(0, int(st.ReadyReplicas)))
		st.UnavailableReplicas = int32(g.intn(3))
		if g.chance(0.5) {
			st.TerminatingReplicas = new(int32(g.intn(3)))
		}
		if g.chance(0.7) {
			s, reason, msg := corev1.ConditionTrue, deploymentutil.MinimumReplicasAvailable, "Deployment has minimum availability."
			if g.chance(0.4) {
				s, reason, msg = corev1.ConditionFalse, deploymentutil.MinimumReplicasUnavailable, "Deployment does not have minimum availability."
			}
			st.Conditions = append(st.Conditions, condition(appsv1.DeploymentAvailable, s, reason, msg, g.ago(g.between(1, 9000)), g.ago(g.between(9000, 20000))))
		}
	}
	w.progressing()
	if g.chance(0.06) {
		st.Conditions = append(st.Conditions, condition(appsv1.DeploymentReplicaFailure, corev1.ConditionTrue, "FailedCreate", "quota", g.ago(30), g.ago(30)))
		g.tag("condition=ReplicaFailure")
	}
	if len(st.Conditions) > 0 && g.chance(0.03) {
		// Status validation does not look at conditions, so a second one
		// of a type passes it (upstream reads the first, and replaces all
		// of the type when it sets one).
		c := st.Conditions[g.intn(len(st.Conditions))]
		c.Reason, c.Message = "Custom", "set by hand"
		st.Conditions = append(st.Conditions, c)
		g.tag("condition=duplicate-type")
	}
	if g.chance(0.03) {
		st.Conditions = append(st.Conditions, condition("Custom", corev1.ConditionTrue, "Because", "a third party", g.ago(5), g.ago(5)))
		g.tag("condition=unknown-type")
	}
}

// progressing adds a Progressing condition whose lastUpdateTime lies
// before, at or after the progress deadline.
func (w *world) progressing() {
	g, d := w.g, w.sc.Deployment
	if !g.chance(0.8) {
		g.tag("progressing=none")
		return
	}
	reasons := []string{
		deploymentutil.NewRSAvailableReason, deploymentutil.ReplicaSetUpdatedReason, deploymentutil.NewReplicaSetReason,
		deploymentutil.FoundNewRSReason, deploymentutil.TimedOutReason, deploymentutil.PausedDeployReason,
		deploymentutil.ResumedDeployReason, deploymentutil.FailedRSCreateReason,
	}
	reason := pick(g, reasons...)
	g.tag("progressing=%s", reason)
	s := corev1.ConditionTrue
	switch reason {
	case deploymentutil.TimedOutReason, deploymentutil.FailedRSCreateReason:
		s = corev1.ConditionFalse
	case deploymentutil.PausedDeployReason, deploymentutil.ResumedDeployReason:
		s = corev1.ConditionUnknown
	}
	deadline := int(*d.Spec.ProgressDeadlineSeconds)
	if deadline == math.MaxInt32 {
		deadline = 600
	}
	// Seconds before now, whole: now has a fractional part most of the
	// time, so "deadline - 1" lands less than a second before expiry.
	var lut int
	switch g.intn(5) {
	case 0:
		lut = g.between(0, deadline/2)
		g.tag("progress=well-before-deadline")
	case 1:
		lut = deadline - 1
		g.tag("progress=just-before-deadline")
	case 2:
		lut = deadline
		g.tag("progress=at-deadline")
	case 3:
		lut = deadline + 1
		g.tag("progress=just-after-deadline")
	default:
		lut = deadline + g.between(2, 5000)
		g.tag("progress=long-after-deadline")
	}
	c := condition(appsv1.DeploymentProgressing, s, reason, "some progress", g.ago(lut), g.ago(lut+g.between(0, 100)))
	st := &d.Status
	if g.chance(0.5) {
		st.Conditions = append([]appsv1.DeploymentCondition{c}, st.Conditions...)
	} else {
		st.Conditions = append(st.Conditions, c)
	}
}

func condition(t appsv1.DeploymentConditionType, s corev1.ConditionStatus, reason, msg string, lut, ltt metav1.Time) appsv1.DeploymentCondition {
	return appsv1.DeploymentCondition{Type: t, Status: s, Reason: reason, Message: msg, LastUpdateTime: lut, LastTransitionTime: ltt}
}

// claimable approximates which ReplicaSets a sync of d ends up with.
func claimable(d *appsv1.Deployment, sel labels.Selector, rs *appsv1.ReplicaSet) bool {
	if rs.Namespace != d.Namespace || !sel.Matches(labels.Set(rs.Labels)) {
		return false
	}
	ref := metav1.GetControllerOfNoCopy(rs)
	return (ref == nil && d.DeletionTimestamp == nil) || (ref != nil && ref.UID == d.UID)
}

func valueOr[T any](p *T, v T) T {
	if p == nil {
		return v
	}
	return *p
}

func withLabel(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[k] = v
	return out
}

// store makes every object of sc what an API server would hand an
// informer: defaulted, serialized and read back (times to whole seconds,
// empty maps and slices dropped), and valid; it panics on an object
// upstream's validation rejects, which is a generator bug.
func store(sc *scenario) {
	storeDeployment(sc.Deployment)
	for i, rs := range sc.ReplicaSets {
		sc.ReplicaSets[i] = roundTrip(rs)
		legacyscheme.Scheme.Default(sc.ReplicaSets[i])
		validateReplicaSet(sc.ReplicaSets[i])
	}
	for i, p := range sc.Pods {
		sc.Pods[i] = roundTrip(p)
		legacyscheme.Scheme.Default(sc.Pods[i])
		validatePod(sc.Pods[i])
	}
}

func storeDeployment(d *appsv1.Deployment) {
	*d = *roundTrip(d)
	legacyscheme.Scheme.Default(d)
	validateDeployment(d)
}

func roundTrip[T any](obj *T) *T {
	b, err := json.Marshal(obj)
	if err != nil {
		panic(err)
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(err)
	}
	return out
}

func validateDeployment(d *appsv1.Deployment) {
	var internal apps.Deployment
	if err := legacyscheme.Scheme.Convert(d, &internal, nil); err != nil {
		panic(err)
	}
	errs := appsvalidation.ValidateDeployment(&internal, corevalidation.PodValidationOptions{})
	errs = append(errs, appsvalidation.ValidateDeploymentStatus(&internal.Status, field.NewPath("status"))...)
	if len(errs) > 0 {
		panic(fmt.Sprintf("generated Deployment is invalid: %v", errs.ToAggregate()))
	}
}

func validateReplicaSet(rs *appsv1.ReplicaSet) {
	var internal apps.ReplicaSet
	if err := legacyscheme.Scheme.Convert(rs, &internal, nil); err != nil {
		panic(err)
	}
	errs := appsvalidation.ValidateReplicaSet(&internal, corevalidation.PodValidationOptions{})
	errs = append(errs, appsvalidation.ValidateReplicaSetStatus(internal.Status, field.NewPath("status"))...)
	if len(errs) > 0 {
		panic(fmt.Sprintf("generated ReplicaSet %s is invalid: %v", rs.Name, errs.ToAggregate()))
	}
}

func validatePod(p *corev1.Pod) {
	var internal core.Pod
	if err := legacyscheme.Scheme.Convert(p, &internal, nil); err != nil {
		panic(err)
	}
	if errs := corevalidation.ValidatePodCreate(&internal, corevalidation.PodValidationOptions{}); len(errs) > 0 {
		panic(fmt.Sprintf("generated pod %s is invalid: %v", p.Name, errs.ToAggregate()))
	}
}
