package workload

import (
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

// maxRevisionHistoryChars bounds the revision-history annotation
// (upstream's maxRevHistoryLengthInChars).
const maxRevisionHistoryChars = 2000

// setNewReplicaSetAnnotations is upstream's SetNewReplicaSetAnnotations on
// rs, a copy the caller owns: copy d's annotations, raise the revision to
// newRevision (recording the previous one in the revision history), and for
// a ReplicaSet about to be created add the replica annotations. It reports
// whether the annotations changed; like upstream it reports false, with the
// copied annotations kept, when rs's revision does not parse.
func setNewReplicaSetAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet, newRevision int64, exists bool, maxSurge int32) bool {
	changed := copyDeploymentAnnotations(d, rs) // leaves rs.Annotations non-nil
	oldRevision, had := rs.Annotations[rollout.RevisionAnnotation]
	old, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false
		}
		old = 0
	}
	if old < newRevision {
		rs.Annotations[rollout.RevisionAnnotation] = strconv.FormatInt(newRevision, 10)
		changed = true
		if had {
			appendRevisionHistory(rs.Annotations, oldRevision)
		}
	}
	replicas := rollout.DeploymentReplicas(d)
	if !exists && setReplicasAnnotations(rs, replicas, replicas+maxSurge) {
		changed = true
	}
	return changed
}

// appendRevisionHistory appends revision to the revision-history
// annotation, dropping the oldest entries to stay within
// maxRevisionHistoryChars; if that cannot be done the history is left as
// is.
func appendRevisionHistory(annotations map[string]string, revision string) {
	history := annotations[rollout.RevisionHistoryAnnotation]
	entries := strings.Split(history, ",")
	if entries[0] == "" {
		annotations[rollout.RevisionHistoryAnnotation] = revision
		return
	}
	total, start := len(history)+len(revision)+1, 0
	for total > maxRevisionHistoryChars && start < len(entries) {
		total -= len(entries[start]) + 1
		start++
	}
	if total <= maxRevisionHistoryChars {
		annotations[rollout.RevisionHistoryAnnotation] = strings.Join(append(entries[start:], revision), ",")
	}
}

// copyDeploymentAnnotations is upstream's copyDeploymentAnnotationsToReplicaSet:
// every annotation of d not on the skip list is set on rs. Annotations d
// no longer has are left on rs.
func copyDeploymentAnnotations(d *appsv1.Deployment, rs *appsv1.ReplicaSet) bool {
	changed := false
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	for k, v := range d.Annotations {
		if cur, ok := rs.Annotations[k]; rollout.SkipCopyAnnotation(k) || (ok && cur == v) {
			continue
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setDeploymentRevision is upstream's SetDeploymentRevision.
func setDeploymentRevision(d *appsv1.Deployment, revision string) bool {
	if d.Annotations == nil {
		d.Annotations = map[string]string{}
	}
	if d.Annotations[rollout.RevisionAnnotation] == revision {
		return false
	}
	d.Annotations[rollout.RevisionAnnotation] = revision
	return true
}

// setReplicasAnnotations is upstream's SetReplicasAnnotations.
func setReplicasAnnotations(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := false
	if v := strconv.FormatInt(int64(desired), 10); rs.Annotations[rollout.DesiredReplicasAnnotation] != v {
		rs.Annotations[rollout.DesiredReplicasAnnotation] = v
		changed = true
	}
	if v := strconv.FormatInt(int64(maxReplicas), 10); rs.Annotations[rollout.MaxReplicasAnnotation] != v {
		rs.Annotations[rollout.MaxReplicasAnnotation] = v
		changed = true
	}
	return changed
}

// replicasAnnotationsNeedUpdate is upstream's ReplicasAnnotationsNeedUpdate.
func replicasAnnotationsNeedUpdate(rs *appsv1.ReplicaSet, desired, maxReplicas int32) bool {
	return rs.Annotations == nil ||
		rs.Annotations[rollout.DesiredReplicasAnnotation] != strconv.FormatInt(int64(desired), 10) ||
		rs.Annotations[rollout.MaxReplicasAnnotation] != strconv.FormatInt(int64(maxReplicas), 10)
}

// setDeploymentAnnotationsTo is upstream's SetDeploymentAnnotationsTo for a
// rollback to rs: d keeps only its skip-list annotations and takes every
// other annotation of rs.
func setDeploymentAnnotationsTo(d *appsv1.Deployment, rs *appsv1.ReplicaSet) {
	kept := map[string]string{}
	for k, v := range d.Annotations {
		if rollout.SkipCopyAnnotation(k) {
			kept[k] = v
		}
	}
	for k, v := range rs.Annotations {
		if !rollout.SkipCopyAnnotation(k) {
			kept[k] = v
		}
	}
	d.Annotations = kept
}

// setFromReplicaSetTemplate is upstream's SetFromReplicaSetTemplate: d's
// template becomes a copy of t without the pod-template-hash label.
func setFromReplicaSetTemplate(d *appsv1.Deployment, t *corev1.PodTemplateSpec) {
	c := t.DeepCopy()
	d.Spec.Template.ObjectMeta = c.ObjectMeta
	d.Spec.Template.Spec = c.Spec
	d.Spec.Template.Labels = withoutLabel(t.Labels, rollout.PodTemplateHashLabel)
}

// withLabel is upstream's labelsutil.CloneAndAddLabel.
func withLabel(labels map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	out[key] = value
	return out
}

// withoutLabel is upstream's labelsutil.CloneAndRemoveLabel: always a new,
// non-nil map.
func withoutLabel(labels map[string]string, key string) map[string]string {
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		if k != key {
			out[k] = v
		}
	}
	return out
}

// selectorWithLabel is upstream's labelsutil.CloneSelectorAndAddLabel: a
// copy of sel with key=value added to matchLabels.
func selectorWithLabel(sel *metav1.LabelSelector, key, value string) *metav1.LabelSelector {
	out := sel.DeepCopy()
	out.MatchLabels = withLabel(sel.MatchLabels, key, value)
	return out
}
