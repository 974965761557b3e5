// Command reckon-controller runs reckon's Deployment and ReplicaSet
// controller against a cluster. Run it beside a kube-controller-manager
// whose own deployment and replicaset controllers are disabled:
//
//	kube-controller-manager --controllers='*,-deployment-controller,-replicaset-controller' ...
//	go run ./cmd/reckon-controller --kubeconfig ~/.kube/config
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/reckon-k8s/reckon/examples/controller"
)

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "path to a kubeconfig; empty for in-cluster configuration")
	workers := flag.Int("workers", 5, "concurrent syncs per loop (kube-controller-manager's --concurrent-deployment-syncs and --concurrent-replicaset-syncs default to 5)")
	flag.Parse()
	if err := run(*kubeconfig, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "reckon-controller:", err)
		os.Exit(1)
	}
}

func run(kubeconfig string, workers int) error {
	cfg, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	factory := informers.NewSharedInformerFactory(client, 12*time.Hour)
	c, err := controller.New(client, factory.Apps().V1().Deployments(), factory.Apps().V1().ReplicaSets(), factory.Core().V1().Pods())
	if err != nil {
		return err
	}
	factory.Start(ctx.Done())
	defer factory.Shutdown()
	return c.Run(ctx, workers)
}
