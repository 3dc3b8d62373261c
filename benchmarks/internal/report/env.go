package report

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Env describes the machine and toolchain that produced a set of results.
type Env struct {
	Date       string `json:"date"`
	GoVersion  string `json:"go_version"`
	GOOS       string `json:"goos"`
	GOARCH     string `json:"goarch"`
	CPU        string `json:"cpu"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	Benchtime  string `json:"benchtime"`
	Count      int    `json:"count"`
}

// CurrentEnv describes this process's machine, with the run's benchtime and count.
func CurrentEnv(benchtime string, count int) Env {
	return Env{
		Date:       time.Now().UTC().Format(time.DateOnly),
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		CPU:        cpuModel(),
		GOMAXPROCS: runtime.GOMAXPROCS(0),
		Benchtime:  benchtime,
		Count:      count,
	}
}

// String sums e up on one line.
func (e Env) String() string {
	return fmt.Sprintf("%s, %s %s/%s, %s, GOMAXPROCS %d, benchtime %s, median of %d",
		e.Date, e.GoVersion, e.GOOS, e.GOARCH, e.CPU, e.GOMAXPROCS, e.Benchtime, e.Count)
}

// cpuModel returns the first "model name" of /proc/cpuinfo, or "unknown CPU".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
