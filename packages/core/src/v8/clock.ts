// Timer functions as they were when memgate loaded: a test that fakes timers (`vi.useFakeTimers()`) replaces
// the globals, and memgate's clock and interval must keep running for real while it measures that test.
export const now: () => number = performance.now.bind(performance)
export const startInterval: typeof setInterval = setInterval
export const stopInterval: typeof clearInterval = clearInterval
