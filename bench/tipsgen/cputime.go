package tipsgen

import (
	"syscall"
	"time"
)

// CPUTime is the user and system time this process has used. On a shared
// machine wall-clock throughput says more about the neighbours than about
// the code; throughput per CPU-second times the number of cores is what
// the same run would reach on dedicated cores (the work is parallel).
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
