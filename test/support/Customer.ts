/**
 * A customer's HTTP calls against a running platform.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** The CPNI certification order for Otelco Telephone LLC, from the public Form 499 Filer Database. */
export const otelcoOrder: unknown = JSON.parse(
  readFileSync(fileURLToPath(new URL("../data/otelco-cpni-order.json", import.meta.url)), "utf8")
)

/** The parts of an order response the tests read. */
export interface OrderBody {
  readonly id: string
  readonly status: string
  readonly payments: ReadonlyArray<{ readonly id: string }>
  readonly documents: ReadonlyArray<{ readonly id: string; readonly downloadUrl: string; readonly fileName: string }>
  readonly documentProgress: { readonly generated: number; readonly expected: number; readonly summary: string }
}

const json = async <A>(response: Response, expectedStatus: number): Promise<A> => {
  const text = await response.text()
  if (response.status !== expectedStatus) {
    throw new Error(`expected HTTP ${expectedStatus}, got ${response.status}: ${text}`)
  }
  return JSON.parse(text) as A
}

/** Calls of one customer against `baseUrl`. */
export const customer = (baseUrl: string) => ({
  createOrder: (body: unknown, idempotencyKey?: string) =>
    fetch(`${baseUrl}/v1/orders`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(idempotencyKey === undefined ? {} : { "idempotency-key": idempotencyKey })
      },
      body: JSON.stringify(body)
    }).then((response) => json<{ order: OrderBody; accessToken: string }>(response, 201)),

  getOrder: (orderId: string, token: string) =>
    fetch(`${baseUrl}/v1/orders/${orderId}`, { headers: { authorization: `Bearer ${token}` } })
      .then((response) => json<OrderBody>(response, 200)),

  checkout: (orderId: string, token: string) =>
    fetch(`${baseUrl}/v1/orders/${orderId}/checkout`, { method: "POST", headers: { authorization: `Bearer ${token}` } })
      .then((response) => json<OrderBody>(response, 200)),

  approve: (orderId: string, staffKey: string) =>
    fetch(`${baseUrl}/v1/staff/orders/${orderId}/approve`, { method: "POST", headers: { "x-staff-key": staffKey } })
      .then((response) => json<OrderBody>(response, 200)),

  download: async (downloadUrl: string, token: string) => {
    const response = await fetch(`${baseUrl}${downloadUrl}`, { headers: { authorization: `Bearer ${token}` } })
    if (response.status !== 200) throw new Error(`download failed with HTTP ${response.status}: ${await response.text()}`)
    return { contentType: response.headers.get("content-type"), bytes: new Uint8Array(await response.arrayBuffer()) }
  }
})
