package rollout

import (
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
)

// compareByCreation orders ReplicaSets oldest first, equal creation
// timestamps by name: upstream's controller.ReplicaSetsByCreationTimestamp.
// Names are unique in a namespace, so that is a total order on what an
// informer holds; UID and resourceVersion break the remaining ties (exact
// duplicates), where upstream's unstable sort could produce either order.
func compareByCreation(a, b *appsv1.ReplicaSet) int {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		if a.CreationTimestamp.Before(&b.CreationTimestamp) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.UID), string(b.UID)); c != 0 {
		return c
	}
	return strings.Compare(a.ResourceVersion, b.ResourceVersion)
}

// compareBySizeNewer orders larger ReplicaSets first, equal sizes newest
// first (controller.ReplicaSetsBySizeNewer): the order in which proportional
// scaling hands out added replicas.
func compareBySizeNewer(a, b *appsv1.ReplicaSet) int {
	if ra, rb := ReplicaSetReplicas(a), ReplicaSetReplicas(b); ra != rb {
		if ra > rb {
			return -1
		}
		return 1
	}
	return compareByCreation(b, a)
}

// compareBySizeOlder orders larger ReplicaSets first, equal sizes oldest
// first (controller.ReplicaSetsBySizeOlder): the order in which proportional
// scaling takes replicas away.
func compareBySizeOlder(a, b *appsv1.ReplicaSet) int {
	if ra, rb := ReplicaSetReplicas(a), ReplicaSetReplicas(b); ra != rb {
		if ra > rb {
			return -1
		}
		return 1
	}
	return compareByCreation(a, b)
}

// SortByCreation sorts rss in place, oldest first, equal creation timestamps
// by name (controller.ReplicaSetsByCreationTimestamp). Every ordering
// decision of the Deployment controller starts from this order. rss must not
// hold nil entries.
func SortByCreation(rss []*appsv1.ReplicaSet) {
	slices.SortFunc(rss, compareByCreation)
}

// SortByRevision sorts rss in place by ascending revision, as upstream's
// deploymentutil.ReplicaSetsByRevision with sort.Sort: two ReplicaSets with
// the same revision, or either of whose revision does not parse, are ordered
// by creation ([SortByCreation]). That comparison is not a consistent order
// when some revisions do not parse, so, exactly as upstream, the result then
// depends on the input order; given upstream's input order it is upstream's
// result. rss must not hold nil entries.
func SortByRevision(rss []*appsv1.ReplicaSet) {
	sort.Sort(byRevision(rss))
}

type byRevision []*appsv1.ReplicaSet

func (o byRevision) Len() int      { return len(o) }
func (o byRevision) Swap(i, j int) { o[i], o[j] = o[j], o[i] }
func (o byRevision) Less(i, j int) bool {
	r1, err1 := Revision(o[i])
	r2, err2 := Revision(o[j])
	if err1 != nil || err2 != nil || r1 == r2 {
		return compareByCreation(o[i], o[j]) < 0
	}
	return r1 < r2
}
