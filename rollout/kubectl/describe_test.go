package kubectl

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/reckon-k8s/reckon/rollout"
)

func TestReplicasLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		want string
	}{
		// kubectl's TestDescribeDeployment ("deployment during the process of
		// rolling out") expects "Replicas:  2 desired | 1 updated | 3 total |
		// 2 available | 1 unavailable".
		{"kubectl describe test", &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: kcInt32(2)},
			Status: appsv1.DeploymentStatus{UpdatedReplicas: 1, Replicas: 3, AvailableReplicas: 2, UnavailableReplicas: 1}},
			"2 desired | 1 updated | 3 total | 2 available | 1 unavailable"},
		// The Kubernetes docs Deployment walkthrough, bad image (the typo
		// nginx:1.161 stalls the rollout;
		// workload/testdata/deployment/2-3-bad-image-and-rollback.txt): the
		// line the documentation shows.
		{"Kubernetes docs walkthrough: bad image", &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Replicas: kcInt32(3)},
			Status: appsv1.DeploymentStatus{UpdatedReplicas: 1, Replicas: 4, AvailableReplicas: 3, UnavailableReplicas: 1}},
			"3 desired | 1 updated | 4 total | 3 available | 1 unavailable"},
		{"nil spec.replicas is the default 1", &appsv1.Deployment{}, "1 desired | 0 updated | 0 total | 0 available | 0 unavailable"},
		{"nil Deployment", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReplicasLine(tc.d); got != tc.want {
				t.Errorf("ReplicasLine = %q; want %q", got, tc.want)
			}
		})
	}
}

// Expected texts follow describeDeployment's writes through text/tabwriter
// (minwidth 0, tabwidth 8, padding 2): a first column as wide as its widest
// cell plus two. The first case is the output the Kubernetes documentation
// (Deployments, "Updating a Deployment") shows; the differential test in
// internal/conformance/kubectlconf compares the rest with kubectl describe.
func TestDescribeConditions(t *testing.T) {
	complete := []appsv1.DeploymentCondition{
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue, Reason: rollout.MinimumReplicasAvailable},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: rollout.NewRSAvailableReason},
	}
	withConditions := func(cs []appsv1.DeploymentCondition) *appsv1.Deployment {
		d := kcDeployment("nginx:1.16.1")
		d.Status.Conditions = cs
		return d
	}
	sized := func(rs *appsv1.ReplicaSet, spec, status int32) *appsv1.ReplicaSet {
		rs.Spec.Replicas, rs.Status.Replicas = kcInt32(spec), status
		return rs
	}
	for _, tc := range []struct {
		name string
		d    *appsv1.Deployment
		rss  []*appsv1.ReplicaSet
		want string
	}{
		{"conditions-table and replica-set-lines: a completed rollout", withConditions(complete),
			[]*appsv1.ReplicaSet{sized(kcReplicaSet("nginx-deployment-1564180365", "1", "nginx:1.16.1", 0), 3, 3)},
			"Conditions:\n" +
				"  Type           Status  Reason\n" +
				"  ----           ------  ------\n" +
				"  Available      True    MinimumReplicasAvailable\n" +
				"  Progressing    True    NewReplicaSetAvailable\n" +
				"OldReplicaSets:  <none>\n" +
				"NewReplicaSet:   nginx-deployment-1564180365 (3/3 replicas created)\n"},
		{"replica-set-lines: old ReplicaSets oldest first, no new one", withConditions(complete),
			[]*appsv1.ReplicaSet{
				sized(kcReplicaSet("nginx-deployment-b", "2", "nginx:1.15", 20), 1, 2),
				sized(kcReplicaSet("nginx-deployment-a", "1", "nginx:1.14.2", 10), 2, 2),
			},
			"Conditions:\n" +
				"  Type           Status  Reason\n" +
				"  ----           ------  ------\n" +
				"  Available      True    MinimumReplicasAvailable\n" +
				"  Progressing    True    NewReplicaSetAvailable\n" +
				"OldReplicaSets:  nginx-deployment-a (2/2 replicas created), nginx-deployment-b (2/1 replicas created)\n" +
				"NewReplicaSet:   <none>\n"},
		{"conditions-table: without ReplicaSets the table is narrower", withConditions(complete), nil,
			"Conditions:\n" +
				"  Type          Status  Reason\n" +
				"  ----          ------  ------\n" +
				"  Available     True    MinimumReplicasAvailable\n" +
				"  Progressing   True    NewReplicaSetAvailable\n"},
		{"conditions-table: escape and carriage return are escaped", withConditions([]appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentReplicaFailure, Status: corev1.ConditionTrue, Reason: "a\x1b[1m\rb"}}), nil,
			"Conditions:\n" +
				"  Type             Status  Reason\n" +
				"  ----             ------  ------\n" +
				"  ReplicaFailure   True    a^[[1m\\rb\n"},
		{"replica-set-lines: without conditions", kcDeployment("nginx:1.16.1"),
			[]*appsv1.ReplicaSet{sized(kcReplicaSet("nginx-deployment-a", "1", "nginx:1.16.1", 0), 1, 0)},
			"OldReplicaSets:  <none>\n" +
				"NewReplicaSet:   nginx-deployment-a (0/1 replicas created)\n"},
		{"nothing to print", kcDeployment("nginx:1.16.1"), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DescribeConditions(tc.d, tc.rss)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("DescribeConditions =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestDescribeConditionsErrors(t *testing.T) {
	if _, err := DescribeConditions(nil, nil); err == nil {
		t.Errorf("DescribeConditions(nil) did not fail")
	}
	d := kcDeployment("nginx:1.16.1")
	d.Spec.Selector = &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn}}}
	if _, err := DescribeConditions(d, nil); err == nil {
		t.Errorf("DescribeConditions with an invalid selector did not fail")
	}
}
