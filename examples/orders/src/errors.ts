/** A failure the client caused, answered with its status and `{ error: code, message }`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class ProductNotFoundError extends HttpError {
  constructor(id: string) {
    super(404, 'PRODUCT_NOT_FOUND', `No product with id "${id}"`)
  }
}

export class ProductExistsError extends HttpError {
  constructor(id: string) {
    super(
      409,
      'PRODUCT_EXISTS',
      `A product with id "${id}" already exists; delete it first or pick another id`,
    )
  }
}

export class OrderNotFoundError extends HttpError {
  constructor(id: number) {
    super(404, 'ORDER_NOT_FOUND', `No order with id ${id}`)
  }
}

/** An order line names a product the catalogue does not hold. */
export class UnknownProductError extends HttpError {
  constructor(line: number, productId: string) {
    super(
      400,
      'UNKNOWN_PRODUCT',
      `lines[${line}].productId: no product with id "${productId}"; create it with POST /products first`,
    )
  }
}
