// Package controller is a Deployment and ReplicaSet controller built on
// reckon's planners: informers and work queues feed workload.PlanDeployment
// and workload.PlanReplicaSet, and workload.Applier sends their plans through
// typed clients, so that a cluster sees the writes and events
// kube-controller-manager's deployment and replicaset controllers would
// make.
//
// Everything that is not a decision is upstream's plumbing, kept as close to
// kube-controller-manager v1.36 as a short program allows: rate-limited work
// queues keyed namespace/name, event handlers that wake the owner of a
// changed object, ReplicaSet expectations (pod creations and deletions in
// flight), the wait for the informers to catch up with the controller's own
// writes (StaleControllerConsistency), events through an event recorder
// with the same components ("deployment-controller",
// "replicaset-controller").
//
// Copy it out of the repository as a starting point: it imports only
// reckon's public packages and client-go.
package controller

import (
	"context"
	"fmt"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/apimachinery/pkg/util/wait"
	appsinformers "k8s.io/client-go/informers/apps/v1"
	coreinformers "k8s.io/client-go/informers/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	typedcorev1 "k8s.io/client-go/kubernetes/typed/core/v1"
	appslisters "k8s.io/client-go/listers/apps/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"

	"github.com/reckon-k8s/reckon/workload"
)

// Controller runs the Deployment and the ReplicaSet controller loops.
type Controller struct {
	client kubernetes.Interface

	dLister   appslisters.DeploymentLister
	rsLister  appslisters.ReplicaSetLister
	podLister corelisters.PodLister
	synced    []cache.InformerSynced

	dQueue  workqueue.TypedRateLimitingInterface[string]
	rsQueue workqueue.TypedRateLimitingInterface[string]

	broadcaster record.EventBroadcaster
	dRecorder   record.EventRecorder
	rsRecorder  record.EventRecorder

	expectations expectations
	fresh        *freshness
}

// New wires a controller to the informers of a shared informer factory; the
// caller starts the factory.
func New(client kubernetes.Interface, deployments appsinformers.DeploymentInformer, replicaSets appsinformers.ReplicaSetInformer, pods coreinformers.PodInformer) (*Controller, error) {
	broadcaster := record.NewBroadcaster()
	c := &Controller{
		client:      client,
		dLister:     deployments.Lister(),
		rsLister:    replicaSets.Lister(),
		podLister:   pods.Lister(),
		synced:      []cache.InformerSynced{deployments.Informer().HasSynced, replicaSets.Informer().HasSynced, pods.Informer().HasSynced},
		dQueue:      workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](), workqueue.TypedRateLimitingQueueConfig[string]{Name: "deployment"}),
		rsQueue:     workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[string](), workqueue.TypedRateLimitingQueueConfig[string]{Name: "replicaset"}),
		broadcaster: broadcaster,
		dRecorder:   broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "deployment-controller"}),
		rsRecorder:  broadcaster.NewRecorder(scheme.Scheme, corev1.EventSource{Component: "replicaset-controller"}),
		fresh: newFreshness(map[schema.GroupResource]cache.Store{
			podsResource.GroupResource():        pods.Informer().GetStore(),
			replicaSetsResource.GroupResource(): replicaSets.Informer().GetStore(),
		}),
	}
	// Each loop watches what upstream's controller of that loop watches.
	for _, reg := range []struct {
		inf cache.SharedIndexInformer
		h   cache.ResourceEventHandler
	}{
		{deployments.Informer(), cache.ResourceEventHandlerFuncs{
			AddFunc:    c.enqueueDeployment,
			UpdateFunc: func(_, cur any) { c.enqueueDeployment(cur) },
			DeleteFunc: c.enqueueDeployment,
		}},
		{replicaSets.Informer(), cache.ResourceEventHandlerFuncs{
			AddFunc:    c.deploymentAddReplicaSet,
			UpdateFunc: c.deploymentUpdateReplicaSet,
			DeleteFunc: c.deploymentDeleteReplicaSet,
		}},
		{pods.Informer(), cache.ResourceEventHandlerFuncs{
			DeleteFunc: c.deploymentDeletePod,
		}},
		{replicaSets.Informer(), cache.ResourceEventHandlerFuncs{
			AddFunc:    c.addReplicaSet,
			UpdateFunc: c.updateReplicaSet,
			DeleteFunc: c.deleteReplicaSet,
		}},
		{pods.Informer(), cache.ResourceEventHandlerFuncs{
			AddFunc:    c.addPod,
			UpdateFunc: c.updatePod,
			DeleteFunc: c.deletePod,
		}},
	} {
		if _, err := reg.inf.AddEventHandler(reg.h); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Run records events to the API server and runs workers goroutines per loop
// until ctx is done.
func (c *Controller) Run(ctx context.Context, workers int) error {
	defer utilruntime.HandleCrash()
	c.broadcaster.StartRecordingToSink(&typedcorev1.EventSinkImpl{Interface: c.client.CoreV1().Events("")})
	defer c.broadcaster.Shutdown()
	defer c.dQueue.ShutDown()
	defer c.rsQueue.ShutDown()
	if !cache.WaitForCacheSync(ctx.Done(), c.synced...) {
		return fmt.Errorf("informers did not sync")
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(2)
		go func() { defer wg.Done(); wait.UntilWithContext(ctx, c.worker(c.dQueue, c.syncDeployment), time.Second) }()
		go func() {
			defer wg.Done()
			wait.UntilWithContext(ctx, c.worker(c.rsQueue, c.syncReplicaSet), time.Second)
		}()
	}
	<-ctx.Done()
	c.dQueue.ShutDown()
	c.rsQueue.ShutDown()
	wg.Wait()
	return nil
}

// syncFunc syncs one key and returns how the sync ended.
type syncFunc func(ctx context.Context, key string) (workload.Requeue, error)

// worker is upstream's processNextWorkItem loop: a failed sync or a
// rate-limited request goes back with back-off, a delayed one after its
// delay, anything else is forgotten.
func (c *Controller) worker(q workqueue.TypedRateLimitingInterface[string], sync syncFunc) func(context.Context) {
	return func(ctx context.Context) {
		for {
			key, quit := q.Get()
			if quit {
				return
			}
			requeue, err := sync(ctx, key)
			switch {
			case err != nil:
				utilruntime.HandleErrorWithContext(ctx, err, "sync failed", "key", key)
				q.AddRateLimited(key)
			case requeue.RateLimited:
				q.AddRateLimited(key)
			default:
				q.Forget(key)
				if requeue.After > 0 {
					q.AddAfter(key, requeue.After)
				}
			}
			q.Done(key)
		}
	}
}

// apply applies a plan for subject, recording its events with recorder.
func (c *Controller) apply(ctx context.Context, plan workload.Plan, subject workload.Object, recorder record.EventRecorder) (*clientServer, workload.Result) {
	s := &clientServer{ctx: ctx, client: c.client, recorder: recorder, subject: subject}
	res := workload.Applier{Server: s, Parallel: parallel}.Apply(plan)
	return s, res
}

// ignoreNotFound treats an object that is gone as nothing to do, as
// upstream's syncs do.
func ignoreNotFound(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

func keyOf(obj any) (string, bool) {
	key, err := cache.DeletionHandlingMetaNamespaceKeyFunc(obj)
	if err != nil {
		utilruntime.HandleError(err)
		return "", false
	}
	return key, true
}

// object unwraps the tombstone an informer hands a delete handler when it
// missed the deletion.
func object[T any](obj any) (T, bool) {
	if t, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = t.Obj
	}
	o, ok := obj.(T)
	return o, ok
}
