// Priority select: try high alone first; a closed channel becomes nil.
// Run with: go run solution.go
package main

import "fmt"

func consume(high, low <-chan int, handle func(int)) {
	for high != nil || low != nil {
		if high != nil {
			select {
			case v, ok := <-high:
				if !ok {
					high = nil
				} else {
					handle(v)
				}
				continue
			default:
			}
		}
		select {
		case v, ok := <-high:
			if !ok {
				high = nil
				continue
			}
			handle(v)
		case v, ok := <-low:
			if !ok {
				low = nil
				continue
			}
			handle(v)
		}
	}
}

func main() {
	high, low := make(chan int, 3), make(chan int, 3)
	for i := 0; i < 3; i++ {
		high <- 100 + i
		low <- i
	}
	close(high)
	close(low)
	var order []int
	consume(high, low, func(v int) { order = append(order, v) })
	fmt.Println(order)
}
