/**
 * Staff accounts and orders for the console tests, on the in-process
 * platform: the first admin through `StaffBootstrap`, a reviewer through
 * `StaffAccounts` with its temporary password already changed, and orders
 * created and paid over the public API with the sandbox gateway.
 */
import { HttpServer } from "@effect/platform"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import * as StaffBootstrap from "@pw/staff/StaffBootstrap"
import { StaffConfig } from "@pw/staff/StaffConfig"
import * as Totp from "@pw/staff/Totp"
import { Effect, Redacted } from "effect"
import { readFileSync } from "node:fs"

/** The CPNI certification order of the walk-through, as a request body. */
export const cpniOrderBody: Readonly<Record<string, unknown>> & { readonly carrier: Readonly<Record<string, unknown>> } = JSON.parse(
  readFileSync(new URL("../../data/otelco-cpni-order.json", import.meta.url), "utf8")
)

/** The password the reviewer sets in place of its temporary one. */
export const reviewerPassword = "reviewer password for tests"

/** A staff account the tests sign in with. */
export interface TestAccount {
  readonly id: string
  readonly name: string
  readonly email: string
  readonly password: string
  /** Base32 TOTP secret, for accounts that have one. */
  readonly totpSecret?: string
}

/** The base URL of the in-process server, such as `http://127.0.0.1:40123`. */
export const baseUrl = Effect.gen(function*() {
  const server = yield* HttpServer.HttpServer
  const address = server.address
  if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
  return `http://127.0.0.1:${address.port}`
})

/** Creates the first admin, with a password and TOTP secret. */
export const createAdmin = Effect.gen(function*() {
  const admin = yield* StaffBootstrap.createFirstAdmin({ email: "admin@example.com", name: "Ada Admin" })
  return {
    id: admin.account.id,
    name: admin.account.name,
    email: admin.account.email,
    password: Redacted.value(admin.password),
    totpSecret: admin.totp.secret
  } satisfies TestAccount
}).pipe(Effect.provide(StaffConfig.layer), Effect.orDie)

/** Creates a reviewer without TOTP, as `adminId`, and replaces its temporary password with {@link reviewerPassword}. */
export const createReviewer = (adminId: string, email: string, name: string) =>
  Effect.gen(function*() {
    const created = yield* StaffAccounts.create({ email, name, role: "reviewer" }, adminId)
    yield* StaffAccounts.changePassword(created.account.id, created.temporaryPassword, Redacted.make(reviewerPassword))
    return { id: created.account.id, name, email, password: reviewerPassword } satisfies TestAccount
  }).pipe(Effect.provide(StaffConfig.layer), Effect.orDie)

/** The TOTP code of `secret` now, by the system clock the server also reads. */
export const totpNow = (secret: string): string => Totp.codeAt(secret, Totp.stepAt(Date.now())) ?? ""

/** An order created over the public API. */
export interface CreatedOrder {
  readonly orderId: string
  readonly accessToken: string
}

/** Creates an order for `carrier` fields over `items` and returns its id and access token. */
export const createOrder = (
  base: string,
  idempotencyKey: string,
  overrides: { readonly legalName?: string; readonly items?: ReadonlyArray<Record<string, unknown>> } = {}
) =>
  Effect.promise(async (): Promise<CreatedOrder> => {
    const isCpni = overrides.items === undefined
    const body = {
      ...cpniOrderBody,
      ...(isCpni ? {} : { items: overrides.items, cpniCertification: undefined }),
      carrier: { ...cpniOrderBody.carrier, ...(overrides.legalName === undefined ? {} : { legalName: overrides.legalName }) }
    }
    const response = await fetch(`${base}/v1/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
      body: JSON.stringify(body)
    })
    const text = await response.text()
    if (response.status !== 201) throw new Error(`creating the order failed with HTTP ${response.status}: ${text}`)
    const created = JSON.parse(text) as { order: { id: string }; accessToken: string }
    return { orderId: created.order.id, accessToken: created.accessToken }
  })

/** Pays `order` with the sandbox gateway, which records the payment at once. */
export const payOrder = (base: string, order: CreatedOrder) =>
  Effect.promise(async () => {
    const response = await fetch(`${base}/v1/orders/${order.orderId}/checkout`, {
      method: "POST",
      headers: { authorization: `Bearer ${order.accessToken}` }
    })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`checkout failed with HTTP ${response.status}: ${text}`)
  })

/** Reads the order's status over the public API. */
export const orderStatus = (base: string, order: CreatedOrder) =>
  Effect.promise(async () => {
    const response = await fetch(`${base}/v1/orders/${order.orderId}`, { headers: { authorization: `Bearer ${order.accessToken}` } })
    const body = (await response.json()) as { status: string }
    return body.status
  })

/** Polls the order's status until it is `status`, at most `attempts` times 200 ms apart. */
export const awaitStatus = (base: string, order: CreatedOrder, status: string, attempts = 600) =>
  Effect.gen(function*() {
    for (let attempt = 0; attempt < attempts; attempt++) {
      if ((yield* orderStatus(base, order)) === status) return
      yield* Effect.sleep("200 millis")
    }
    return yield* Effect.dieMessage(`order ${order.orderId} did not reach ${status} after ${attempts} checks`)
  })
