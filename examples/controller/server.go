package controller

import (
	"context"
	"fmt"
	"sync"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/record"

	"github.com/reckon-k8s/reckon/workload"
)

// clientServer sends a plan's writes through the typed clientset and records
// its events on the object being synced: it is all a controller needs to
// give workload.Apply.
type clientServer struct {
	ctx      context.Context
	client   kubernetes.Interface
	recorder record.EventRecorder
	subject  runtime.Object // the object the sync is about; events go on it

	mu      sync.Mutex
	written []workload.Object // what the API server returned for the pod creations and status writes
	failed  []workload.Write
}

var (
	podsResource        = corev1.SchemeGroupVersion.WithResource("pods")
	replicaSetsResource = appsv1.SchemeGroupVersion.WithResource("replicasets")
	deploymentsResource = appsv1.SchemeGroupVersion.WithResource("deployments")
)

func (s *clientServer) Send(w workload.Write) (workload.Object, error) {
	obj, err := s.send(w)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failed = append(s.failed, w)
		return nil, err
	}
	if (w.Verb == workload.Create && w.Target.Resource == podsResource) || w.Verb == workload.UpdateStatus {
		s.written = append(s.written, obj)
	}
	return obj, nil
}

func (s *clientServer) send(w workload.Write) (workload.Object, error) {
	ctx, t := s.ctx, w.Target
	switch t.Resource {
	case podsResource:
		pods := s.client.CoreV1().Pods(t.Namespace)
		switch w.Verb {
		case workload.Create:
			return pods.Create(ctx, w.Object.(*corev1.Pod), metav1.CreateOptions{})
		case workload.Patch:
			return pods.Patch(ctx, t.Name, w.PatchType, w.PatchData, metav1.PatchOptions{})
		case workload.Delete:
			return nil, pods.Delete(ctx, t.Name, deleteOptions(w))
		}
	case replicaSetsResource:
		rss := s.client.AppsV1().ReplicaSets(t.Namespace)
		switch w.Verb {
		case workload.Create:
			return rss.Create(ctx, w.Object.(*appsv1.ReplicaSet), metav1.CreateOptions{})
		case workload.Update:
			return rss.Update(ctx, w.Object.(*appsv1.ReplicaSet), metav1.UpdateOptions{})
		case workload.UpdateStatus:
			return rss.UpdateStatus(ctx, w.Object.(*appsv1.ReplicaSet), metav1.UpdateOptions{})
		case workload.Patch:
			return rss.Patch(ctx, t.Name, w.PatchType, w.PatchData, metav1.PatchOptions{})
		case workload.Delete:
			return nil, rss.Delete(ctx, t.Name, deleteOptions(w))
		}
	case deploymentsResource:
		ds := s.client.AppsV1().Deployments(t.Namespace)
		switch w.Verb {
		case workload.Update:
			return ds.Update(ctx, w.Object.(*appsv1.Deployment), metav1.UpdateOptions{})
		case workload.UpdateStatus:
			return ds.UpdateStatus(ctx, w.Object.(*appsv1.Deployment), metav1.UpdateOptions{})
		}
	}
	return nil, fmt.Errorf("controller cannot %s %s", w.Verb, t.Resource)
}

// deleteOptions are the options upstream sends with a delete: a UID
// precondition and a propagation policy only where the plan names them.
func deleteOptions(w workload.Write) metav1.DeleteOptions {
	var o metav1.DeleteOptions
	if uid := w.Precondition.UID; uid != "" {
		o.Preconditions = &metav1.Preconditions{UID: &uid}
	}
	if p := w.Propagation; p != "" {
		o.PropagationPolicy = &p
	}
	return o
}

func (s *clientServer) Get(t workload.Target) (workload.Object, error) {
	switch t.Resource {
	case replicaSetsResource:
		return s.client.AppsV1().ReplicaSets(t.Namespace).Get(s.ctx, t.Name, metav1.GetOptions{})
	case deploymentsResource:
		return s.client.AppsV1().Deployments(t.Namespace).Get(s.ctx, t.Name, metav1.GetOptions{})
	case podsResource:
		return s.client.CoreV1().Pods(t.Namespace).Get(s.ctx, t.Name, metav1.GetOptions{})
	}
	return nil, fmt.Errorf("controller cannot get %s", t.Resource)
}

func (s *clientServer) Record(e workload.Event) {
	s.recorder.Event(s.subject, e.Type, e.Reason, e.Message)
}

// parallel runs do(0..n-1) concurrently, as upstream sends the writes of a
// slow-start batch or of a round of deletions.
func parallel(n int, do func(i int)) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := range n {
		go func() {
			defer wg.Done()
			do(i)
		}()
	}
	wg.Wait()
}
