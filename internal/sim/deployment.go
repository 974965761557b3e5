package sim

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/workload"
)

// Deployments lists the stored Deployments sorted by name.
func (c *Cluster) Deployments() []*appsv1.Deployment { return sortedValues(c.deployments) }

// Deployment returns the stored Deployment with that name, or nil.
func (c *Cluster) Deployment(name string) *appsv1.Deployment { return c.deployments[name] }

// ApplyDeployment creates or updates a Deployment as the API server would:
// defaults applied (see DefaultDeployment), a new one gets a UID, creation
// timestamp and generation 1; an update keeps status and bumps the
// generation when the spec or the annotations changed.
func (c *Cluster) ApplyDeployment(d *appsv1.Deployment) *appsv1.Deployment {
	d = d.DeepCopy()
	DefaultDeployment(d)
	d.Namespace = c.Namespace
	if old, ok := c.deployments[d.Name]; ok {
		d.UID, d.CreationTimestamp, d.Status, d.Generation = old.UID, old.CreationTimestamp, old.Status, old.Generation
		// The Deployment strategy bumps the generation on a spec or an
		// annotation change (the legacy rollback annotation is a request).
		if !equalJSON(old.Spec, d.Spec) || !equalJSON(old.Annotations, d.Annotations) {
			d.Generation++
		}
	} else {
		_, d.UID = c.next()
		d.CreationTimestamp = metav1.NewTime(c.Now)
		d.Generation = 1
	}
	c.deployments[d.Name] = d
	return d
}

// EditDeployment replaces the named Deployment with a copy changed by edit,
// as `kubectl edit` (or set image, scale, rollout pause) would.
func (c *Cluster) EditDeployment(name string, edit func(*appsv1.Deployment)) (*appsv1.Deployment, error) {
	old, ok := c.deployments[name]
	if !ok {
		return nil, fmt.Errorf("deployments.apps %q not found", name)
	}
	d := old.DeepCopy()
	edit(d)
	return c.ApplyDeployment(d), nil
}

// SyncDeployment plans one Deployment sync and applies it, returning what
// happened, one line per write or event.
func (c *Cluster) SyncDeployment(name string, opts ...workload.Option) ([]string, workload.DeploymentPlan, error) {
	d, ok := c.deployments[name]
	if !ok {
		return nil, workload.DeploymentPlan{}, fmt.Errorf("deployments.apps %q not found", name)
	}
	plan, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: c.ReplicaSets(), Pods: c.Pods()}, c.Now, opts...)
	if err != nil {
		return nil, plan, err
	}
	lines, err := c.applyDeploymentActions(name, plan.Actions)
	for _, e := range plan.Events {
		lines = append(lines, "event: "+e.String())
	}
	return lines, plan, err
}

func (c *Cluster) applyDeploymentActions(name string, actions []workload.Action) ([]string, error) {
	var lines []string
	for _, a := range actions {
		switch a := a.(type) {
		case workload.CreateReplicaSet:
			if _, exists := c.replicaSets[a.ReplicaSet.Name]; exists {
				return lines, fmt.Errorf("replicasets.apps %q already exists", a.ReplicaSet.Name)
			}
			rs := c.ApplyReplicaSet(a.ReplicaSet)
			lines = append(lines, fmt.Sprintf("create replicaset %s (replicas %d)", rs.Name, desired(rs)))
		case workload.UpdateReplicaSet:
			if _, exists := c.replicaSets[a.ReplicaSet.Name]; !exists {
				return lines, fmt.Errorf("replicasets.apps %q not found", a.ReplicaSet.Name)
			}
			rs := c.ApplyReplicaSet(a.ReplicaSet)
			lines = append(lines, fmt.Sprintf("update replicaset %s (replicas %d)", rs.Name, desired(rs)))
		case workload.DeleteReplicaSet:
			delete(c.replicaSets, a.ReplicaSet.Name)
			lines = append(lines, "delete replicaset "+a.ReplicaSet.Name)
		case workload.UpdateDeployment:
			c.ApplyDeployment(a.Deployment)
			lines = append(lines, "update deployment "+a.Deployment.Name)
		case workload.UpdateDeploymentStatus:
			// A status write keeps metadata changes but labels: the
			// revision annotation travels with it.
			d := c.deployments[name].DeepCopy()
			d.Status = *a.Status.DeepCopy()
			d.Annotations = maps.Clone(a.Annotations)
			c.deployments[name] = d
			lines = append(lines, "update deployment status")
		case workload.Adopt:
			if a.Object.Kind != "ReplicaSet" {
				return lines, fmt.Errorf("sim cannot apply %v", a)
			}
			rs := c.replicaSets[a.Object.Name].DeepCopy()
			rs.OwnerReferences = append(rs.OwnerReferences, a.Owner)
			c.replicaSets[rs.Name] = rs
			lines = append(lines, a.String())
		case workload.Release:
			if a.Object.Kind != "ReplicaSet" {
				return lines, fmt.Errorf("sim cannot apply %v", a)
			}
			rs := c.replicaSets[a.Object.Name].DeepCopy()
			rs.OwnerReferences = slices.DeleteFunc(rs.OwnerReferences, func(r metav1.OwnerReference) bool { return r.UID == a.OwnerUID })
			c.replicaSets[rs.Name] = rs
			lines = append(lines, a.String())
		default:
			return lines, fmt.Errorf("sim cannot apply %T in a Deployment plan", a)
		}
	}
	return lines, nil
}

// SyncReplicaSets runs one ReplicaSet sync for every ReplicaSet, in name
// order, and applies each plan.
func (c *Cluster) SyncReplicaSets() ([]string, error) {
	var all []string
	for _, rs := range c.ReplicaSets() {
		plan, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: c.Pods(), ReplicaSets: c.ReplicaSets()}, c.Now)
		if err != nil {
			return all, err
		}
		lines, err := c.ApplyReplicaSetPlan(rs.Name, plan)
		if plan.WriteStatus {
			lines = append(lines, "update status")
		}
		for _, l := range lines {
			all = append(all, rs.Name+": "+l)
		}
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

// DefaultDeployment applies the API server's apps/v1 defaults for a
// Deployment (pkg/apis/apps/v1 SetDefaults_Deployment) and the core/v1
// defaults of the pod template fields that take part in the template hash
// and in template comparison.
func DefaultDeployment(d *appsv1.Deployment) {
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
			ru.MaxUnavailable = new(intstrPercent("25%"))
		}
		if ru.MaxSurge == nil {
			ru.MaxSurge = new(intstrPercent("25%"))
		}
	}
	if d.Spec.RevisionHistoryLimit == nil {
		d.Spec.RevisionHistoryLimit = new(int32(10))
	}
	if d.Spec.ProgressDeadlineSeconds == nil {
		d.Spec.ProgressDeadlineSeconds = new(int32(600))
	}
	DefaultPodTemplate(&d.Spec.Template)
}

// DefaultPodTemplate applies the core/v1 defaults of pkg/apis/core/v1 to the
// fields of a pod template that reckon's examples use.
func DefaultPodTemplate(t *corev1.PodTemplateSpec) {
	s := &t.Spec
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

// GetDeployments prints the Deployments like `kubectl get deployments`.
func (c *Cluster) GetDeployments() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 3, ' ', 0)
	fmt.Fprintln(w, "NAME\tREADY\tUP-TO-DATE\tAVAILABLE\tAGE")
	for _, d := range c.Deployments() {
		want := int32(1)
		if d.Spec.Replicas != nil {
			want = *d.Spec.Replicas
		}
		fmt.Fprintf(w, "%s\t%d/%d\t%d\t%d\t%s\n", d.Name, d.Status.ReadyReplicas, want, d.Status.UpdatedReplicas, d.Status.AvailableReplicas, age(c.Now, d.CreationTimestamp))
	}
	w.Flush()
	return b.String()
}
