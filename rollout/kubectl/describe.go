package kubectl

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

// ReplicasLine returns the value of the Replicas field of `kubectl describe
// deployment`, such as "3 desired | 1 updated | 4 total | 3 available | 1
// unavailable": spec.replicas, then status.updatedReplicas, replicas,
// availableReplicas and unavailableReplicas (describeDeployment in
// k8s.io/kubectl/pkg/describe/describe.go, v0.36). A nil spec.replicas
// counts as 1, the API server's default ([rollout.DeploymentReplicas];
// kubectl would crash on it); a nil d gives "".
func ReplicasLine(d *appsv1.Deployment) string {
	if d == nil {
		return ""
	}
	st := &d.Status
	return fmt.Sprintf("%d desired | %d updated | %d total | %d available | %d unavailable",
		rollout.DeploymentReplicas(d), st.UpdatedReplicas, st.Replicas, st.AvailableReplicas, st.UnavailableReplicas)
}

// DescribeConditions returns the end of `kubectl describe deployment`
// before the events, character for character (describeDeployment in
// k8s.io/kubectl/pkg/describe/describe.go, v0.36), by these rules, in
// this order:
//
//   - conditions-table: when d has conditions, a "Conditions:" header and a
//     Type / Status / Reason table, one row per condition in status order.
//   - replica-set-lines: when d has ReplicaSets (those of the package rule
//     owned-replica-sets), the lines "OldReplicaSets:" (the old
//     ReplicaSets, oldest first, or "<none>") and "NewReplicaSet:" (the
//     current one or "<none>"), each ReplicaSet as "<name>
//     (<status.replicas>/<spec.replicas> replicas created)".
//
// The columns are aligned by text/tabwriter as kubectl aligns them: the
// ReplicaSet lines share the first column of the conditions table, so
// "Available" is followed by enough spaces to line up with the wider
// "OldReplicaSets:". Escape (0x1b) and carriage return characters print as
// "^[" and `\r`, as kubectl escapes them. Two things kubectl prints around
// this text can change its alignment and are not reproduced: with no
// conditions, the ReplicaSet lines are also aligned with the last lines of
// the pod template above; and a bare "Events:  <none>" line below could
// widen a first column narrower than seven characters. A nil spec.replicas
// of a ReplicaSet counts as 1 ([rollout.ReplicaSetReplicas]). An invalid
// spec.selector is an error naming the field (kubectl describe fails on it
// too); a nil d is an error.
func DescribeConditions(d *appsv1.Deployment, replicaSets []*appsv1.ReplicaSet) (string, error) {
	if d == nil {
		return "", errNilDeployment
	}
	rss, hasNew, err := ownedReplicaSets(d, replicaSets)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	if len(d.Status.Conditions) > 0 {
		io.WriteString(w, "Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n")
		for _, c := range d.Status.Conditions {
			io.WriteString(w, escapeTerminal(fmt.Sprintf("  %v \t%v\t%v\n", c.Type, c.Status, c.Reason)))
		}
	}
	if len(rss) > 0 {
		old, cur := rss, rss[len(rss):]
		if hasNew {
			old, cur = rss[:len(rss)-1], rss[len(rss)-1:]
		}
		io.WriteString(w, escapeTerminal("OldReplicaSets:\t"+replicaSetList(old)+"\n"))
		io.WriteString(w, escapeTerminal("NewReplicaSet:\t"+replicaSetList(cur)+"\n"))
	}
	w.Flush()
	return b.String(), nil
}

// replicaSetList formats ReplicaSets as kubectl's printReplicaSetsByLabels.
func replicaSetList(rss []*appsv1.ReplicaSet) string {
	if len(rss) == 0 {
		return "<none>"
	}
	parts := make([]string, len(rss))
	for i, rs := range rss {
		parts[i] = fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, rollout.ReplicaSetReplicas(rs))
	}
	return strings.Join(parts, ", ")
}

// escapeTerminal replaces the characters kubectl's printers.WriteEscaped
// replaces before writing describe output.
func escapeTerminal(s string) string {
	if !strings.ContainsAny(s, "\x1b\r") {
		return s
	}
	return strings.NewReplacer("\x1b", "^[", "\r", `\r`).Replace(s)
}
