package rollout

import (
	"reflect"
	"strconv"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Annotations and labels the Deployment controller and kubectl read and
// write on Deployments and their ReplicaSets (pkg/controller/deployment/util
// and k8s.io/api/apps/v1, v1.36).
const (
	// RevisionAnnotation records a ReplicaSet's place in the rollout
	// sequence (and, on the Deployment, the revision of its new ReplicaSet).
	RevisionAnnotation = "deployment.kubernetes.io/revision"
	// RevisionHistoryAnnotation lists, comma separated, the earlier
	// revisions a re-used ReplicaSet served (a rollback to it).
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	// DesiredReplicasAnnotation is spec.replicas of the Deployment when the
	// ReplicaSet was last sized by it; it tells a scaling event from a
	// rollout and whether the new ReplicaSet is saturated.
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	// MaxReplicasAnnotation is spec.replicas + maxSurge of the Deployment
	// when the ReplicaSet was last sized by it; proportional scaling uses
	// it as the denominator of the ReplicaSet's share.
	MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
	// RollbackToAnnotation is the legacy (extensions/v1beta1) rollback
	// request the controller still honours: the revision to roll back to,
	// 0 meaning the previous one ([appsv1.DeprecatedRollbackTo]).
	RollbackToAnnotation = appsv1.DeprecatedRollbackTo
	// ChangeCauseAnnotation is the user-supplied reason kubectl rollout
	// history shows for a revision.
	ChangeCauseAnnotation = "kubernetes.io/change-cause"
	// PodTemplateHashLabel is the label the controller adds to a
	// ReplicaSet, its selector and its pod template so that the
	// ReplicaSets of one Deployment never select each other's pods
	// ([appsv1.DefaultDeploymentUniqueLabelKey]).
	PodTemplateHashLabel = appsv1.DefaultDeploymentUniqueLabelKey
)

// SkipCopyAnnotation reports whether key is one of the annotations that
// describe a Deployment or a ReplicaSet itself and so are never copied
// between the two: [corev1.LastAppliedConfigAnnotation],
// [RevisionAnnotation], [RevisionHistoryAnnotation],
// [DesiredReplicasAnnotation], [MaxReplicasAnnotation] and
// [RollbackToAnnotation]. It is upstream's
// skipCopyAnnotation over annotationsToSkip (pkg/controller/deployment/util),
// which the controller applies when it copies a Deployment's annotations to
// its new ReplicaSet and when it rolls a Deployment back to a ReplicaSet;
// kubectl rollout undo keeps the same list (annotationsToSkip in
// k8s.io/kubectl/pkg/polymorphichelpers/rollback.go).
func SkipCopyAnnotation(key string) bool {
	switch key {
	case corev1.LastAppliedConfigAnnotation,
		RevisionAnnotation,
		RevisionHistoryAnnotation,
		DesiredReplicasAnnotation,
		MaxReplicasAnnotation,
		RollbackToAnnotation:
		return true
	}
	return false
}

// Revision returns the revision recorded in obj's [RevisionAnnotation]:
// 0 without the annotation, otherwise what strconv.ParseInt(v, 10, 64)
// returns (an error when v is not a base-10 int64). It is upstream's
// deploymentutil.Revision; a nil obj (or nil pointer) has revision 0.
func Revision(obj metav1.Object) (int64, error) {
	if obj == nil {
		return 0, nil
	}
	if v := reflect.ValueOf(obj); v.Kind() == reflect.Pointer && v.IsNil() {
		return 0, nil
	}
	v, ok := obj.GetAnnotations()[RevisionAnnotation]
	if !ok {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// MaxRevision returns the highest revision among rss, 0 if none has one.
// ReplicaSets whose revision does not parse and nil entries are skipped, as
// upstream's deploymentutil.MaxRevision skips them.
func MaxRevision(rss []*appsv1.ReplicaSet) int64 {
	var highest int64
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		if v, err := Revision(rs); err == nil && v > highest {
			highest = v
		}
	}
	return highest
}

// LastRevision returns the second highest revision among rss (the revision
// before the current one), 0 if there is none. Like upstream's
// deploymentutil.LastRevision, unparsable revisions and nil entries are
// skipped and duplicates count twice: two ReplicaSets at revision 3 make
// the last revision 3.
func LastRevision(rss []*appsv1.ReplicaSet) int64 {
	var highest, second int64
	for _, rs := range rss {
		if rs == nil {
			continue
		}
		v, err := Revision(rs)
		switch {
		case err != nil:
		case v >= highest:
			second, highest = highest, v
		case v > second:
			second = v
		}
	}
	return second
}
