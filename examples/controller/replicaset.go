package controller

import (
	"context"
	"fmt"
	"reflect"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/tools/cache"

	"github.com/reckon-k8s/reckon/workload"
	"github.com/reckon-k8s/reckon/workload/pods"
)

// syncReplicaSet is upstream's syncReplicaSet with the decision made by
// workload.PlanReplicaSet.
func (c *Controller) syncReplicaSet(ctx context.Context, key string) (workload.Requeue, error) {
	if !c.fresh.ready(key) {
		return workload.Requeue{}, fmt.Errorf("replicaset %s: informers have not seen this controller's last writes yet", key)
	}
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return workload.Requeue{}, err
	}
	rs, err := c.rsLister.ReplicaSets(ns).Get(name)
	if err != nil {
		c.expectations.forget(key)
		c.fresh.forget(key)
		return workload.Requeue{}, ignoreNotFound(err)
	}
	// The planner claims among the pods of the namespace and ranks pods for
	// deletion with those of every ReplicaSet of the same Deployment,
	// which may sit in any namespace.
	podList, err := c.podLister.List(labels.Everything())
	if err != nil {
		return workload.Requeue{}, err
	}
	rsList, err := c.rsLister.List(labels.Everything())
	if err != nil {
		return workload.Requeue{}, err
	}
	pending := c.expectations.pending(key)
	plan, err := workload.PlanReplicaSet(rs, workload.ReplicaSetState{Pods: podList, ReplicaSets: rsList, ExpectationsPending: pending}, time.Now())
	if err != nil {
		// The API server would not have stored it; upstream logs and waits
		// for the next change.
		utilruntime.HandleError(err)
		return workload.Requeue{}, nil
	}
	creates, deletes := plannedPodWrites(plan)
	if !pending && (creates > 0 || len(deletes) > 0) {
		c.expectations.set(key, creates, deletes)
	}
	s, res := c.apply(ctx, plan, rs, c.rsRecorder)
	// What was planned but never reached the API server, or failed there,
	// will not be observed: lower the expectations, as upstream does.
	created := 0
	for _, obj := range s.written {
		switch obj.(type) {
		case *corev1.Pod:
			created++
			c.fresh.wroteAt(key, podsResource.GroupResource(), obj.GetResourceVersion())
		case *appsv1.ReplicaSet:
			c.fresh.wroteAt(key, replicaSetsResource.GroupResource(), obj.GetResourceVersion())
		}
	}
	for range creates - created {
		c.expectations.creationObserved(key)
	}
	for _, w := range s.failed {
		if w.Verb == workload.Delete {
			c.expectations.deletionObserved(key, w.Target.Namespace+"/"+w.Target.Name)
		}
	}
	return res.Requeue, res.Err
}

// plannedPodWrites counts the plan's pod creations and lists the keys of
// the pods it deletes.
func plannedPodWrites(plan workload.Plan) (creates int, deletes []string) {
	for _, w := range plan.Writes() {
		if w.Target.Resource != podsResource {
			continue
		}
		switch w.Verb {
		case workload.Create:
			creates++
		case workload.Delete:
			deletes = append(deletes, w.Target.Namespace+"/"+w.Target.Name)
		}
	}
	return creates, deletes
}

func (c *Controller) enqueueReplicaSet(rs *appsv1.ReplicaSet) {
	if key, ok := keyOf(rs); ok {
		c.rsQueue.Add(key)
	}
}

func (c *Controller) addReplicaSet(obj any) {
	if rs, ok := obj.(*appsv1.ReplicaSet); ok {
		c.enqueueReplicaSet(rs)
	}
}

func (c *Controller) updateReplicaSet(_, cur any) { c.addReplicaSet(cur) }

func (c *Controller) deleteReplicaSet(obj any) {
	if rs, ok := object[*appsv1.ReplicaSet](obj); ok {
		if key, ok := keyOf(rs); ok {
			c.expectations.forget(key)
			c.fresh.forget(key)
		}
	}
}

// resolveReplicaSet is upstream's resolveControllerRef: the ReplicaSet a
// controller reference points at, if it is the one the informer holds.
func (c *Controller) resolveReplicaSet(namespace string, ref *metav1.OwnerReference) *appsv1.ReplicaSet {
	if ref.Kind != "ReplicaSet" {
		return nil
	}
	rs, err := c.rsLister.ReplicaSets(namespace).Get(ref.Name)
	if err != nil || rs.UID != ref.UID {
		return nil
	}
	return rs
}

// replicaSetsSelecting returns the ReplicaSets whose selector matches an
// orphan pod: they may adopt it.
func (c *Controller) replicaSetsSelecting(p *corev1.Pod) []*appsv1.ReplicaSet {
	rss, err := c.rsLister.ReplicaSets(p.Namespace).List(labels.Everything())
	if err != nil {
		return nil
	}
	var out []*appsv1.ReplicaSet
	for _, rs := range rss {
		sel, err := metav1.LabelSelectorAsSelector(rs.Spec.Selector)
		if err != nil || sel.Empty() || !sel.Matches(labels.Set(p.Labels)) {
			continue
		}
		out = append(out, rs)
	}
	return out
}

func (c *Controller) addPod(obj any) {
	p := obj.(*corev1.Pod)
	if p.DeletionTimestamp != nil {
		c.deletePod(p)
		return
	}
	if ref := metav1.GetControllerOf(p); ref != nil {
		if rs := c.resolveReplicaSet(p.Namespace, ref); rs != nil {
			key, _ := keyOf(rs)
			c.expectations.creationObserved(key)
			c.rsQueue.Add(key)
		}
		return
	}
	for _, rs := range c.replicaSetsSelecting(p) {
		c.enqueueReplicaSet(rs)
	}
}

func (c *Controller) updatePod(old, cur any) {
	oldPod, curPod := old.(*corev1.Pod), cur.(*corev1.Pod)
	if curPod.ResourceVersion == oldPod.ResourceVersion {
		return
	}
	labelChanged := !reflect.DeepEqual(curPod.Labels, oldPod.Labels)
	if curPod.DeletionTimestamp != nil {
		c.deletePod(curPod)
		if labelChanged {
			c.deletePod(oldPod)
		}
		return
	}
	curRef, oldRef := metav1.GetControllerOf(curPod), metav1.GetControllerOf(oldPod)
	refChanged := !reflect.DeepEqual(curRef, oldRef)
	if refChanged && oldRef != nil {
		if rs := c.resolveReplicaSet(oldPod.Namespace, oldRef); rs != nil {
			c.enqueueReplicaSet(rs)
		}
	}
	if curRef != nil {
		rs := c.resolveReplicaSet(curPod.Namespace, curRef)
		if rs == nil {
			return
		}
		c.enqueueReplicaSet(rs)
		if !pods.IsReady(oldPod) && pods.IsReady(curPod) && rs.Spec.MinReadySeconds > 0 {
			if key, ok := keyOf(rs); ok {
				c.rsQueue.AddAfter(key, time.Duration(rs.Spec.MinReadySeconds)*time.Second)
			}
		}
		return
	}
	if labelChanged || refChanged {
		for _, rs := range c.replicaSetsSelecting(curPod) {
			c.enqueueReplicaSet(rs)
		}
	}
}

func (c *Controller) deletePod(obj any) {
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
	key, _ := keyOf(rs)
	c.expectations.deletionObserved(key, p.Namespace+"/"+p.Name)
	c.rsQueue.Add(key)
}
