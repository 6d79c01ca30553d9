package app

import (
	"context"
	"sync"
	"time"

	"atip/internal/database"
)

// The overdue sweeper (issue 4): every minute, notify the owner role of
// every SOP step that has become overdue, once per step.

// sweepInterval is how often the sweeper looks for overdue steps.
const sweepInterval = time.Minute

var sweepers sync.Map // *Main → context.CancelFunc

// startSweeper runs db.NotifyOverdue every minute until stopSweeper.
func (m *Main) startSweeper(db *database.DB) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	sweepers.Store(m, func() { cancel(); <-done })
	go func() {
		defer close(done)
		t := time.NewTicker(sweepInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if n, err := db.NotifyOverdue(ctx); err != nil && ctx.Err() == nil {
					m.log.Error("overdue sweep", "err", err)
				} else if n > 0 {
					m.log.Info("overdue steps notified", "steps", n)
				}
			}
		}
	}()
}

// stopSweeper stops the sweeper and waits for a sweep under way to end.
func (m *Main) stopSweeper() {
	if stop, ok := sweepers.LoadAndDelete(m); ok {
		stop.(func())()
	}
}
