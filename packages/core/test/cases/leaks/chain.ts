// A cache kept as a linked list, newest first: the oldest entry is thousands of `next` steps from the module.

export class Link {
  constructor(
    readonly value: number,
    readonly next: Link | undefined,
  ) {}
}

let head: Link | undefined

export function prepend(value: number): void {
  head = new Link(value, head)
}

export function clear(): void {
  head = undefined
}
