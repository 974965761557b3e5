package controller

import (
	"context"
	"reflect"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/tools/cache"

	"github.com/reckon-k8s/reckon/workload"
)

// syncDeployment is upstream's syncDeployment with the decision made by
// workload.PlanDeployment.
func (c *Controller) syncDeployment(ctx context.Context, key string) (workload.Requeue, error) {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return workload.Requeue{}, err
	}
	d, err := c.dLister.Deployments(ns).Get(name)
	if err != nil {
		return workload.Requeue{}, ignoreNotFound(err)
	}
	rsList, err := c.rsLister.ReplicaSets(ns).List(labels.Everything())
	if err != nil {
		return workload.Requeue{}, err
	}
	podList, err := c.podLister.Pods(ns).List(labels.Everything())
	if err != nil {
		return workload.Requeue{}, err
	}
	plan, err := workload.PlanDeployment(d, workload.DeploymentState{ReplicaSets: rsList, Pods: podList}, time.Now())
	if err != nil {
		utilruntime.HandleError(err)
		return workload.Requeue{}, nil
	}
	_, res := c.apply(ctx, plan, d, c.dRecorder)
	if res.Err != nil && res.Requeue == (workload.Requeue{}) {
		// The plan ended on an error upstream's worker forgets the key
		// after (a terminating namespace): report it, do not requeue.
		utilruntime.HandleError(res.Err)
		return res.Requeue, nil
	}
	return res.Requeue, res.Err
}

func (c *Controller) enqueueDeployment(obj any) {
	if d, ok := object[*appsv1.Deployment](obj); ok {
		if key, ok := keyOf(d); ok {
			c.dQueue.Add(key)
		}
	}
}

// resolveDeployment is upstream's resolveControllerRef for Deployments.
func (c *Controller) resolveDeployment(namespace string, ref *metav1.OwnerReference) *appsv1.Deployment {
	if ref.Kind != "Deployment" {
		return nil
	}
	d, err := c.dLister.Deployments(namespace).Get(ref.Name)
	if err != nil || d.UID != ref.UID {
		return nil
	}
	return d
}

// deploymentsSelecting is upstream's GetDeploymentsForReplicaSet: the
// Deployments whose selector matches an orphan ReplicaSet.
func (c *Controller) deploymentsSelecting(rs *appsv1.ReplicaSet) []*appsv1.Deployment {
	if len(rs.Labels) == 0 {
		return nil
	}
	ds, err := c.dLister.Deployments(rs.Namespace).List(labels.Everything())
	if err != nil {
		return nil
	}
	var out []*appsv1.Deployment
	for _, d := range ds {
		sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(labels.Set(rs.Labels)) {
			continue
		}
		out = append(out, d)
	}
	return out
}

func (c *Controller) deploymentAddReplicaSet(obj any) {
	rs := obj.(*appsv1.ReplicaSet)
	if rs.DeletionTimestamp != nil {
		c.deploymentDeleteReplicaSet(rs)
		return
	}
	if ref := metav1.GetControllerOf(rs); ref != nil {
		if d := c.resolveDeployment(rs.Namespace, ref); d != nil {
			c.enqueueDeployment(d)
		}
		return
	}
	for _, d := range c.deploymentsSelecting(rs) {
		c.enqueueDeployment(d)
	}
}

func (c *Controller) deploymentUpdateReplicaSet(old, cur any) {
	oldRS, curRS := old.(*appsv1.ReplicaSet), cur.(*appsv1.ReplicaSet)
	if curRS.ResourceVersion == oldRS.ResourceVersion {
		return
	}
	curRef, oldRef := metav1.GetControllerOf(curRS), metav1.GetControllerOf(oldRS)
	refChanged := !reflect.DeepEqual(curRef, oldRef)
	if refChanged && oldRef != nil {
		if d := c.resolveDeployment(oldRS.Namespace, oldRef); d != nil {
			c.enqueueDeployment(d)
		}
	}
	if curRef != nil {
		if d := c.resolveDeployment(curRS.Namespace, curRef); d != nil {
			c.enqueueDeployment(d)
		}
		return
	}
	if refChanged || !reflect.DeepEqual(curRS.Labels, oldRS.Labels) {
		for _, d := range c.deploymentsSelecting(curRS) {
			c.enqueueDeployment(d)
		}
	}
}

func (c *Controller) deploymentDeleteReplicaSet(obj any) {
	rs, ok := object[*appsv1.ReplicaSet](obj)
	if !ok {
		return
	}
	if ref := metav1.GetControllerOf(rs); ref != nil {
		if d := c.resolveDeployment(rs.Namespace, ref); d != nil {
			c.enqueueDeployment(d)
		}
	}
}

// deploymentDeletePod is upstream's deletePod of the Deployment controller:
// a Recreate Deployment waits for its old pods to be gone, so the last one
// going wakes it.
func (c *Controller) deploymentDeletePod(obj any) {
	p, ok := object[*corev1.Pod](obj)
	if !ok {
		return
	}
	ref := metav1.GetControllerOf(p)
	if ref == nil {
		return
	}
	rs := c.resolveReplicaSet(p.Namespace, ref)
	if rs == nil {
		return
	}
	dRef := metav1.GetControllerOf(rs)
	if dRef == nil {
		return
	}
	d := c.resolveDeployment(rs.Namespace, dRef)
	if d == nil || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType {
		return
	}
	owned := map[string]bool{}
	rss, err := c.rsLister.ReplicaSets(d.Namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, r := range rss {
		if ref := metav1.GetControllerOf(r); ref != nil && ref.UID == d.UID {
			owned[string(r.UID)] = true
		}
	}
	podList, err := c.podLister.Pods(d.Namespace).List(labels.Everything())
	if err != nil {
		return
	}
	for _, q := range podList {
		if ref := metav1.GetControllerOf(q); ref != nil && owned[string(ref.UID)] {
			return
		}
	}
	c.enqueueDeployment(d)
}
