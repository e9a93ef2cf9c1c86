// Pub-sub with unsubscribe: the broker's hand-off also accepts
// unsubscribes; a leaver drains until the broker closes its channel.
// Run with: go run solution.go
package main

import "fmt"

type broker struct {
	publish          chan int
	subscribe, unsub chan chan int
	done             chan struct{}
}

func start() *broker {
	b := &broker{make(chan int), make(chan chan int), make(chan chan int), make(chan struct{})}
	go func() {
		subs := map[chan int]bool{}
		drop := func(ch chan int) {
			if subs[ch] {
				delete(subs, ch)
				close(ch)
			}
		}
		for {
			select {
			case v, ok := <-b.publish:
				if !ok {
					for ch := range subs {
						close(ch)
					}
					close(b.done)
					return
				}
				for ch := range subs {
				send:
					for subs[ch] {
						select {
						case ch <- v:
							break send
						case u := <-b.unsub:
							drop(u)
						}
					}
				}
			case ch := <-b.subscribe:
				subs[ch] = true
			case ch := <-b.unsub:
				drop(ch)
			}
		}
	}()
	return b
}

func (b *broker) Unsubscribe(ch chan int) {
	for {
		select {
		case b.unsub <- ch:
			for range ch {
			}
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
		}
	}
}

func main() {
	b := start()
	stay, leave := make(chan int), make(chan int)
	b.subscribe <- stay
	b.subscribe <- leave
	got := make(chan int)
	go func() {
		n := 0
		for range stay {
			n++
		}
		got <- n
	}()
	go b.Unsubscribe(leave)
	for i := 0; i < 5; i++ {
		b.publish <- i
	}
	close(b.publish)
	<-b.done
	fmt.Println("stayer got:", <-got)
}
