package workloadtest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/reckon-k8s/reckon/workload"
)

var (
	podsResource        = corev1.SchemeGroupVersion.WithResource("pods")
	replicaSetsResource = appsv1.SchemeGroupVersion.WithResource("replicasets")
	deploymentsResource = appsv1.SchemeGroupVersion.WithResource("deployments")
)

// list returns the stored objects of one resource in the cluster's
// namespace, by name: an empty list, not nil, when there are none, as an
// informer's lister answers (a planner reads nil as "not observed").
func list[T workload.Object](c *Cluster, res string) []T {
	out := []T{}
	for _, k := range slices.SortedFunc(maps.Keys(c.objects), compareKeys) {
		if k.resource.Resource == res && k.namespace == c.Namespace {
			out = append(out, c.objects[k].(T))
		}
	}
	return out
}

func get[T workload.Object](c *Cluster, res, name string) T {
	var zero T
	for k, obj := range c.objects {
		if k.resource.Resource == res && k.namespace == c.Namespace && k.name == name {
			return obj.(T)
		}
	}
	return zero
}

// Pods lists the pods of the cluster's namespace by name.
func (c *Cluster) Pods() []*corev1.Pod { return list[*corev1.Pod](c, "pods") }

// Pod returns the named pod of the cluster's namespace, or nil.
func (c *Cluster) Pod(name string) *corev1.Pod { return get[*corev1.Pod](c, "pods", name) }

// ReplicaSets lists the ReplicaSets of the cluster's namespace by name.
func (c *Cluster) ReplicaSets() []*appsv1.ReplicaSet {
	return list[*appsv1.ReplicaSet](c, "replicasets")
}

// ReplicaSet returns the named ReplicaSet of the cluster's namespace, or
// nil.
func (c *Cluster) ReplicaSet(name string) *appsv1.ReplicaSet {
	return get[*appsv1.ReplicaSet](c, "replicasets", name)
}

// Deployments lists the Deployments of the cluster's namespace by name.
func (c *Cluster) Deployments() []*appsv1.Deployment {
	return list[*appsv1.Deployment](c, "deployments")
}

// Deployment returns the named Deployment of the cluster's namespace, or
// nil.
func (c *Cluster) Deployment(name string) *appsv1.Deployment {
	return get[*appsv1.Deployment](c, "deployments", name)
}

// Apply creates obj, or updates the stored object of that name with it as
// `kubectl apply` would (the stored resourceVersion is taken, so it never
// conflicts).
func (c *Cluster) Apply(obj workload.Object) (workload.Object, error) {
	res, err := resourceOf(obj)
	if err != nil {
		return nil, err
	}
	old, err := c.Get(workload.Target{Resource: res, Namespace: obj.GetNamespace(), Name: obj.GetName()})
	if err != nil {
		return c.Create(obj)
	}
	obj = obj.DeepCopyObject().(workload.Object)
	obj.SetResourceVersion(old.GetResourceVersion())
	return c.Update(obj)
}

// EditDeployment replaces the named Deployment with a copy changed by edit,
// as `kubectl edit` (or set image, scale, rollout pause) would.
func (c *Cluster) EditDeployment(name string, edit func(*appsv1.Deployment)) (*appsv1.Deployment, error) {
	old := c.Deployment(name)
	if old == nil {
		return nil, fmt.Errorf("deployments.apps %q not found", name)
	}
	d := old.DeepCopy()
	edit(d)
	obj, err := c.Update(d)
	if err != nil {
		return nil, err
	}
	return obj.(*appsv1.Deployment), nil
}

// UpdatePod replaces the named pod with a copy changed by edit, spec and
// status alike (a kubelet's and a user's edits in one).
func (c *Cluster) UpdatePod(name string, edit func(*corev1.Pod)) error {
	old := c.Pod(name)
	if old == nil {
		return fmt.Errorf("pods %q not found", name)
	}
	p := old.DeepCopy()
	edit(p)
	c.bumpRV(p)
	c.objects[c.keyOf(podsResource, p.Namespace, p.Name)] = p
	return nil
}

// DeletePod deletes the named pod of the cluster's namespace as
// [Cluster.Delete] does.
func (c *Cluster) DeletePod(name string) error {
	return c.Delete(workload.Target{Resource: podsResource, Namespace: c.Namespace, Name: name}, "", "")
}

// SetReady makes the named pod Running with its Ready condition set to
// ready as of now.
func (c *Cluster) SetReady(name string, ready bool) error {
	return c.UpdatePod(name, func(p *corev1.Pod) { markReady(p, ready, c.now) })
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

func (c *Cluster) leastLoadedNode() string {
	load := map[string]int{}
	for k, obj := range c.objects {
		if k.resource == podsResource.GroupResource() {
			load[obj.(*corev1.Pod).Spec.NodeName]++
		}
	}
	best := ""
	for _, n := range c.Nodes {
		if best == "" || load[n] < load[best] {
			best = n
		}
	}
	return best
}

// Advance moves time forward by d and lets pods progress: a pending
// scheduled pod whose ReadyAfter has passed starts running (ready unless
// its image is NeverReady, as of creation + ReadyAfter); a terminating pod
// whose deletion timestamp has passed is gone (and its dependents are
// collected).
func (c *Cluster) Advance(d time.Duration) {
	c.now = c.now.Add(d)
	for _, k := range slices.SortedFunc(maps.Keys(c.objects), compareKeys) {
		p, ok := c.objects[k].(*corev1.Pod)
		if !ok {
			continue
		}
		switch {
		case p.DeletionTimestamp != nil:
			if !c.now.Before(p.DeletionTimestamp.Time) {
				c.remove(k, metav1.DeletePropagationBackground)
			}
		case p.Status.Phase == corev1.PodPending && p.Spec.NodeName != "":
			at := p.CreationTimestamp.Add(c.ReadyAfter)
			if c.now.Before(at) {
				continue
			}
			image := ""
			if len(p.Spec.Containers) > 0 {
				image = p.Spec.Containers[0].Image
			}
			q := p.DeepCopy()
			markReady(q, !c.NeverReady[image], at)
			c.bumpRV(q)
			c.objects[k] = q
		}
	}
}

// Default applies, in place, the API server's defaults that the planners'
// decisions and the pod-template-hash depend on: for a Deployment
// (pkg/apis/apps/v1 SetDefaults_Deployment) replicas 1, strategy
// RollingUpdate with 25%/25%, revisionHistoryLimit 10,
// progressDeadlineSeconds 600; for a ReplicaSet replicas 1; and, for every
// pod template and pod (pkg/apis/core/v1), restartPolicy Always, dnsPolicy
// ClusterFirst, an empty securityContext, terminationGracePeriodSeconds 30,
// schedulerName default-scheduler, and per container the termination
// message path and policy, the image pull policy (Always for :latest or no
// tag) and TCP port protocols. Other defaults are not applied.
func Default(obj workload.Object) {
	if k, err := kindFor(obj); err == nil && k.defaults != nil {
		k.defaults(obj)
	}
}

func defaultDeployment(d *appsv1.Deployment) {
	if d.Spec.Replicas == nil {
		d.Spec.Replicas = new(int32(1))
	}
	if d.Spec.Strategy.Type == "" {
		d.Spec.Strategy.Type = appsv1.RollingUpdateDeploymentStrategyType
	}
	if d.Spec.Strategy.Type == appsv1.RollingUpdateDeploymentStrategyType {
		if d.Spec.Strategy.RollingUpdate == nil {
			d.Spec.Strategy.RollingUpdate = &appsv1.RollingUpdateDeployment{}
		}
		ru := d.Spec.Strategy.RollingUpdate
		if ru.MaxUnavailable == nil {
			ru.MaxUnavailable = new(intstr.FromString("25%"))
		}
		if ru.MaxSurge == nil {
			ru.MaxSurge = new(intstr.FromString("25%"))
		}
	}
	if d.Spec.RevisionHistoryLimit == nil {
		d.Spec.RevisionHistoryLimit = new(int32(10))
	}
	if d.Spec.ProgressDeadlineSeconds == nil {
		d.Spec.ProgressDeadlineSeconds = new(int32(600))
	}
	defaultPodSpec(&d.Spec.Template.Spec)
}

func defaultPodSpec(s *corev1.PodSpec) {
	if s.RestartPolicy == "" {
		s.RestartPolicy = corev1.RestartPolicyAlways
	}
	if s.DNSPolicy == "" {
		s.DNSPolicy = corev1.DNSClusterFirst
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &corev1.PodSecurityContext{}
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = new(int64(30))
	}
	if s.SchedulerName == "" {
		s.SchedulerName = corev1.DefaultSchedulerName
	}
	for i := range s.Containers {
		ct := &s.Containers[i]
		if ct.TerminationMessagePath == "" {
			ct.TerminationMessagePath = corev1.TerminationMessagePathDefault
		}
		if ct.TerminationMessagePolicy == "" {
			ct.TerminationMessagePolicy = corev1.TerminationMessageReadFile
		}
		if ct.ImagePullPolicy == "" {
			ct.ImagePullPolicy = pullPolicy(ct.Image)
		}
		for j := range ct.Ports {
			if ct.Ports[j].Protocol == "" {
				ct.Ports[j].Protocol = corev1.ProtocolTCP
			}
		}
	}
}

// pullPolicy is the API server's image pull policy default: Always for the
// "latest" tag or no tag, IfNotPresent otherwise. It reads the tag the way
// docker references do for the plain name:tag and name@digest forms.
func pullPolicy(image string) corev1.PullPolicy {
	if strings.Contains(image, "@") {
		return corev1.PullIfNotPresent
	}
	name := image
	if i := strings.LastIndex(image, "/"); i >= 0 {
		name = image[i+1:]
	}
	tag := ""
	if i := strings.LastIndex(name, ":"); i >= 0 {
		tag = name[i+1:]
	}
	if tag == "" || tag == "latest" {
		return corev1.PullAlways
	}
	return corev1.PullIfNotPresent
}
