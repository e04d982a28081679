package source

import (
	"context"
	"errors"
	"sync"
)

// page is one answer of a list or a search: its objects and the cursor of
// the next page ("" after the last).
type page struct {
	items []item
	next  string
}

// fetch is one page asked for ahead of Read: only the HTTP call and the
// decoding of its answer run on the fetch's goroutine, which touches no
// state of the reader. Step takes the page, on Read's goroutine, and does
// everything else there (items, records, position), so that Read still
// owns the reader's state alone.
type fetch struct {
	done chan struct{}
	page page
	err  error
}

// fetches runs the snapshot's page fetches, at most one per scan end, on
// a context of their own: a ReadN that returns (its context ends with it)
// leaves them running for the next one. Teardown may close them while a
// Read is in progress, hence the lock.
type fetches struct {
	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
	closed bool
	wg     sync.WaitGroup
}

// start runs get in the background and returns its fetch. The fetches'
// context keeps parent's values (the logger) without its end.
func (f *fetches) start(parent context.Context, get func(context.Context) (page, error)) *fetch {
	ft := &fetch{done: make(chan struct{})}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		ft.err = errors.New("the source is closed")
		close(ft.done)
		return ft
	}
	if f.ctx == nil {
		f.ctx, f.cancel = context.WithCancel(context.WithoutCancel(parent))
	}
	ctx := f.ctx
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		defer close(ft.done)
		ft.page, ft.err = get(ctx)
	}()
	return ft
}

// close ends the fetches in progress and waits for them, for good: nothing
// runs in the background once it returns, and the pages they were reading
// are dropped.
func (f *fetches) close() {
	f.mu.Lock()
	f.closed = true
	if f.cancel != nil {
		f.cancel()
	}
	f.mu.Unlock()
	f.wg.Wait()
}
