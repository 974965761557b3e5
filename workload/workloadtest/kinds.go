package workloadtest

import (
	"fmt"
	"reflect"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/reckon-k8s/reckon/workload"
)

// A kind is what the cluster knows of one resource: its name and the rules
// of its registry strategy (pkg/registry/... PrepareForUpdate) that
// controllers meet.
type kind struct {
	name     string
	resource schema.GroupVersionResource
	// keepStatus is the update strategy's "update is not allowed to set
	// status".
	keepStatus func(obj, old workload.Object)
	// keepSpec is the status strategy's "update is not allowed to set
	// spec" (and whatever else it keeps).
	keepSpec func(obj, old workload.Object)
	// specChanged is the update strategy's generation rule.
	specChanged func(obj, old workload.Object) bool
	// defaults applies the API server's defaults; nil for none.
	defaults func(obj workload.Object)
}

// kinds are the resources the cluster stores, by Go type.
var kinds = map[reflect.Type]kind{}

func register(obj workload.Object, k kind) { kinds[reflect.TypeOf(obj)] = k }

func kindFor(obj workload.Object) (kind, error) {
	k, ok := kinds[reflect.TypeOf(obj)]
	if !ok {
		return kind{}, fmt.Errorf("workloadtest: cannot store a %T", obj)
	}
	return k, nil
}

func init() {
	register(&corev1.Pod{}, kind{
		name:       "Pod",
		resource:   corev1.SchemeGroupVersion.WithResource("pods"),
		keepStatus: func(obj, old workload.Object) { obj.(*corev1.Pod).Status = old.(*corev1.Pod).Status },
		keepSpec: func(obj, old workload.Object) {
			o, prev := obj.(*corev1.Pod), old.(*corev1.Pod)
			o.Spec = prev.Spec
			o.OwnerReferences = prev.OwnerReferences // the pods/status endpoint never touches them
		},
		specChanged: func(workload.Object, workload.Object) bool { return false },
		defaults:    func(obj workload.Object) { defaultPodSpec(&obj.(*corev1.Pod).Spec) },
	})
	register(&appsv1.ReplicaSet{}, kind{
		name:       "ReplicaSet",
		resource:   appsv1.SchemeGroupVersion.WithResource("replicasets"),
		keepStatus: func(obj, old workload.Object) { obj.(*appsv1.ReplicaSet).Status = old.(*appsv1.ReplicaSet).Status },
		keepSpec:   func(obj, old workload.Object) { obj.(*appsv1.ReplicaSet).Spec = old.(*appsv1.ReplicaSet).Spec },
		specChanged: func(obj, old workload.Object) bool {
			return !equality.Semantic.DeepEqual(obj.(*appsv1.ReplicaSet).Spec, old.(*appsv1.ReplicaSet).Spec)
		},
		defaults: func(obj workload.Object) {
			rs := obj.(*appsv1.ReplicaSet)
			if rs.Spec.Replicas == nil {
				rs.Spec.Replicas = new(int32(1))
			}
			defaultPodSpec(&rs.Spec.Template.Spec)
		},
	})
	register(&appsv1.Deployment{}, kind{
		name:       "Deployment",
		resource:   appsv1.SchemeGroupVersion.WithResource("deployments"),
		keepStatus: func(obj, old workload.Object) { obj.(*appsv1.Deployment).Status = old.(*appsv1.Deployment).Status },
		keepSpec: func(obj, old workload.Object) {
			o, prev := obj.(*appsv1.Deployment), old.(*appsv1.Deployment)
			o.Spec = prev.Spec
			o.Labels = prev.Labels
		},
		// Annotations count too: the Deployment controller copies them to
		// its ReplicaSets.
		specChanged: func(obj, old workload.Object) bool {
			o, prev := obj.(*appsv1.Deployment), old.(*appsv1.Deployment)
			return !equality.Semantic.DeepEqual(o.Spec, prev.Spec) || !equality.Semantic.DeepEqual(o.Annotations, prev.Annotations)
		},
		defaults: func(obj workload.Object) { defaultDeployment(obj.(*appsv1.Deployment)) },
	})
}
